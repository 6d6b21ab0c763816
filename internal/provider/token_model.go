package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
)

// tokenObjectType is one element of accessplane_tokens.tokens.
var tokenObjectType = objectTypeOf(tokenAttributes())

// tokenModel is a token as Terraform sees it: one element of accessplane_tokens.tokens
// and the whole state of accessplane_token. session_token has no field in
// nimble.Token, so it cannot reach the state.
type tokenModel struct {
	ID           types.String `tfsdk:"id"`
	Username     types.String `tfsdk:"username"`
	AppName      types.String `tfsdk:"app_name"`
	SourceIP     types.String `tfsdk:"source_ip"`
	CreationTime types.Int64  `tfsdk:"creation_time"`
	LastModified types.Int64  `tfsdk:"last_modified"`
}

func tokenModelFrom(t *nimble.Token) tokenModel {
	return tokenModel{
		ID:           types.StringValue(t.ID),
		Username:     types.StringValue(t.Username),
		AppName:      types.StringValue(t.AppName),
		SourceIP:     types.StringValue(t.SourceIP),
		CreationTime: types.Int64Value(t.CreationTime),
		LastModified: types.Int64Value(t.LastModified),
	}
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
