package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// userAttributes are the mpsuser attributes the appliance reports, shared by the
// resource and both data sources. Password material is not among them: see
// nitro.User.
type userAttributes struct {
	ID                      types.String `tfsdk:"id"`
	Name                    types.String `tfsdk:"name"`
	Groups                  types.Set    `tfsdk:"groups"`
	TenantID                types.String `tfsdk:"tenant_id"`
	ExternalAuthentication  types.Bool   `tfsdk:"external_authentication"`
	ExternalGroupMappingOID types.String `tfsdk:"external_group_mapping_oid"`
	EnableSessionTimeout    types.Bool   `tfsdk:"enable_session_timeout"`
	SessionTimeout          types.Int64  `tfsdk:"session_timeout"`
	SessionTimeoutUnit      types.String `tfsdk:"session_timeout_unit"`
	MPSUserName             types.String `tfsdk:"mpsuser_name"`
	Permission              types.String `tfsdk:"permission"`
	TenantName              types.String `tfsdk:"tenant_name"`
	IsDefault               types.Bool   `tfsdk:"is_default"`
	IsSuperuser             types.Bool   `tfsdk:"issuperuser"`
	NSRootUser              types.String `tfsdk:"nsroot_user"`
	ForceChangePassword     types.Bool   `tfsdk:"force_change_password"`
	Encrypted               types.Bool   `tfsdk:"encrypted"`
}

// userAttributeTypes is the object type of one element of accessplane_mpsusers.users.
var userAttributeTypes = map[string]attr.Type{
	"id":                         types.StringType,
	"name":                       types.StringType,
	"groups":                     types.SetType{ElemType: types.StringType},
	"tenant_id":                  types.StringType,
	"external_authentication":    types.BoolType,
	"external_group_mapping_oid": types.StringType,
	"enable_session_timeout":     types.BoolType,
	"session_timeout":            types.Int64Type,
	"session_timeout_unit":       types.StringType,
	"mpsuser_name":               types.StringType,
	"permission":                 types.StringType,
	"tenant_name":                types.StringType,
	"is_default":                 types.BoolType,
	"issuperuser":                types.BoolType,
	"nsroot_user":                types.StringType,
	"force_change_password":      types.BoolType,
	"encrypted":                  types.BoolType,
}

func userAttributesFrom(u *nitro.User) (userAttributes, diag.Diagnostics) {
	groups, diags := types.SetValueFrom(context.Background(), types.StringType, nonNil(u.GroupNames()))
	return userAttributes{
		ID:                      types.StringValue(u.ID),
		Name:                    types.StringValue(u.Name),
		Groups:                  groups,
		TenantID:                types.StringValue(u.TenantID),
		ExternalAuthentication:  types.BoolValue(u.ExternalAuthentication),
		ExternalGroupMappingOID: types.StringValue(u.ExternalGroupMappingOID),
		EnableSessionTimeout:    types.BoolValue(u.EnableSessionTimeout),
		SessionTimeout:          types.Int64Value(u.SessionTimeoutValue()),
		SessionTimeoutUnit:      types.StringValue(u.SessionTimeoutUnit),
		MPSUserName:             types.StringValue(u.MPSUserName),
		Permission:              types.StringValue(u.Permission),
		TenantName:              types.StringValue(u.TenantName),
		IsDefault:               types.BoolValue(u.IsDefault),
		IsSuperuser:             types.BoolValue(u.IsSuperuser),
		NSRootUser:              types.StringValue(u.NSRootUser),
		ForceChangePassword:     types.BoolValue(u.ForceChangePassword),
		Encrypted:               types.BoolValue(u.Encrypted),
	}, diags
}

func nonNil(items []string) []string {
	if items == nil {
		return []string{}
	}
	return items
}

// userSpec builds the add/update body from planned values: unknown and null values
// are left out, so the appliance keeps (or picks) its own.
func (u userAttributes) userSpec(ctx context.Context) (nitro.UserSpec, diag.Diagnostics) {
	var diags diag.Diagnostics
	spec := nitro.UserSpec{
		ID:                      knownString(u.ID),
		Name:                    knownString(u.Name),
		TenantID:                knownString(u.TenantID),
		ExternalGroupMappingOID: knownString(u.ExternalGroupMappingOID),
		SessionTimeoutUnit:      knownString(u.SessionTimeoutUnit),
		MPSUserName:             knownString(u.MPSUserName),
		ExternalAuthentication:  knownBool(u.ExternalAuthentication),
		EnableSessionTimeout:    knownBool(u.EnableSessionTimeout),
	}
	if !u.SessionTimeout.IsNull() && !u.SessionTimeout.IsUnknown() {
		value := u.SessionTimeout.ValueInt64()
		spec.SessionTimeout = &value
	}
	if !u.Groups.IsNull() && !u.Groups.IsUnknown() {
		groups := []string{}
		diags.Append(u.Groups.ElementsAs(ctx, &groups, false)...)
		spec.Groups = &groups
	}
	return spec, diags
}

func knownString(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}

func knownBool(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	value := v.ValueBool()
	return &value
}
