package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// sessionAttributes are the mpssession fields of the NITRO reference less the credentials
// (token, sessionid), which are never read.
type sessionAttributes struct {
	ID               types.String `tfsdk:"id"`
	Username         types.String `tfsdk:"username"`
	ClientType       types.String `tfsdk:"client_type"`
	IPAddress        types.String `tfsdk:"ip_address"`
	Port             types.Int64  `tfsdk:"port"`
	TenantName       types.String `tfsdk:"tenant_name"`
	Permission       types.String `tfsdk:"permission"`
	SessionCreator   types.String `tfsdk:"session_creator"`
	IsExternalAuth   types.Bool   `tfsdk:"is_external_auth"`
	IsSelf           types.Bool   `tfsdk:"is_self"`
	LoginTime        types.Int64  `tfsdk:"login_time"`
	LastActivityTime types.Int64  `tfsdk:"last_activity_time"`
	ExpireAfter      types.Int64  `tfsdk:"expire_after"`
	SessionTimeout   types.Int64  `tfsdk:"session_timeout"`
}

// sessionWithIdle is a session as the data sources report it.
type sessionWithIdle struct {
	sessionAttributes
	IdleSeconds types.Int64 `tfsdk:"idle_seconds"`
}

func sessionAttributesFrom(s *nitro.Session) sessionAttributes {
	return sessionAttributes{
		ID:               types.StringValue(s.ID),
		Username:         types.StringValue(s.Username),
		ClientType:       types.StringValue(s.ClientType),
		IPAddress:        types.StringValue(s.IPAddress),
		Port:             types.Int64Value(int64(s.Port)),
		TenantName:       types.StringValue(s.TenantName),
		Permission:       types.StringValue(s.Permission),
		SessionCreator:   types.StringValue(s.SessionCreator),
		IsExternalAuth:   types.BoolValue(bool(s.IsExternalAuth)),
		IsSelf:           types.BoolValue(s.IsSelf),
		LoginTime:        types.Int64Value(int64(s.LoginTime)),
		LastActivityTime: types.Int64Value(int64(s.LastActivityTime)),
		ExpireAfter:      types.Int64Value(int64(s.ExpireAfter)),
		SessionTimeout:   types.Int64Value(int64(s.SessionTimeout)),
	}
}

func sessionWithIdleFrom(s *nitro.Session, now time.Time) sessionWithIdle {
	return sessionWithIdle{
		sessionAttributes: sessionAttributesFrom(s),
		IdleSeconds:       types.Int64Value(max(now.Unix()-int64(s.LastActivityTime), 0)),
	}
}

// sessionFieldKind says which schema attribute type each computed session field has;
// every other field is a string.
var sessionFieldKind = map[string]string{
	"port": "number", "login_time": "number", "last_activity_time": "number", "expire_after": "number", "session_timeout": "number",
	"is_external_auth": "bool", "is_self": "bool",
}

// sessionAttributeDescriptions document each session field once for all schemas.
var sessionAttributeDescriptions = map[string]string{
	"username":           "User who signed in.",
	"client_type":        "Client type, for example `API` or `browser`.",
	"ip_address":         "IP address the session was opened from.",
	"port":               "Client port the session was opened from.",
	"tenant_name":        "Tenant of the session.",
	"permission":         "Permission of the session.",
	"session_creator":    "Who created the session.",
	"is_external_auth":   "Whether the user signed in through external authentication.",
	"is_self":            "Whether this is the provider's own session; also `true` when the appliance's `is_self` cannot be read, as it may be.",
	"login_time":         "When the session began, in seconds since the Unix epoch.",
	"last_activity_time": "When the session was last used, in seconds since the Unix epoch.",
	"expire_after":       "Seconds until the session expires if it stays idle.",
	"session_timeout":    "Idle timeout of the session, in seconds.",
}

// sessionDataSourceAttributes are every session field, computed, plus idle_seconds.
func sessionDataSourceAttributes() map[string]schema.Attribute {
	attributes := map[string]schema.Attribute{
		"id":           schema.StringAttribute{MarkdownDescription: "Id of the session.", Computed: true},
		"idle_seconds": schema.Int64Attribute{MarkdownDescription: "Seconds since the session was last used (now − `last_activity_time`).", Computed: true},
	}
	for name, description := range sessionAttributeDescriptions {
		switch sessionFieldKind[name] {
		case "number":
			attributes[name] = schema.Int64Attribute{MarkdownDescription: description, Computed: true}
		case "bool":
			attributes[name] = schema.BoolAttribute{MarkdownDescription: description, Computed: true}
		default:
			attributes[name] = schema.StringAttribute{MarkdownDescription: description, Computed: true}
		}
	}
	return attributes
}
