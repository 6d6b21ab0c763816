package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
)

// tokenObjectType is one element of accessplane_tokens.tokens.
var tokenObjectType = objectTypeOf(tokenAttributes())

// tokenValue is a token as Terraform sees it: one element of accessplane_tokens.tokens
// and the whole state of accessplane_token. session_token has no field in
// nimble.Token, so it cannot reach the state.
func tokenValue(t *nimble.Token) tftypes.Value {
	return tftypes.NewValue(tokenObjectType, map[string]tftypes.Value{
		"id":            tftypes.NewValue(tftypes.String, t.ID),
		"username":      tftypes.NewValue(tftypes.String, t.Username),
		"app_name":      tftypes.NewValue(tftypes.String, t.AppName),
		"source_ip":     tftypes.NewValue(tftypes.String, t.SourceIP),
		"creation_time": tftypes.NewValue(tftypes.Number, t.CreationTime),
		"last_modified": tftypes.NewValue(tftypes.Number, t.LastModified),
	})
}

func tokenAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":            schema.StringAttribute{MarkdownDescription: "Object id of the token, 42 hexadecimal digits.", Computed: true},
		"username":      schema.StringAttribute{MarkdownDescription: "User the session belongs to.", Computed: true},
		"app_name":      schema.StringAttribute{MarkdownDescription: "Application that signed in (`GUI`, a script's name, …).", Computed: true},
		"source_ip":     schema.StringAttribute{MarkdownDescription: "IP address the session comes from.", Computed: true},
		"creation_time": schema.Int64Attribute{MarkdownDescription: "When the token was created, in seconds since the Unix epoch.", Computed: true},
		"last_modified": schema.Int64Attribute{MarkdownDescription: "When the token was last used, in seconds since the Unix epoch.", Computed: true},
	}
}
