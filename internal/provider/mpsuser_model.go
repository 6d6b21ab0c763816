package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// userModel is an ADM user as the appliance reports it, less password material
// (nitro.User has no field for it): the state of the accessplane_mpsuser data source,
// each element of accessplane_mpsusers, and, with the resource's own arguments, the
// state of the resource.
type userModel struct {
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

// userModelFrom is the one mapping from an appliance user to Terraform values.
func userModelFrom(u *nitro.User) userModel {
	// Never nil: "groups": null, an absent field and [] must all give the empty set a
	// configuration without groups plans, or Terraform reports an inconsistent result.
	groups := make([]attr.Value, len(u.Groups))
	for i, group := range u.Groups {
		groups[i] = types.StringValue(group)
	}
	return userModel{
		ID:                      types.StringValue(u.ID),
		Name:                    types.StringValue(u.Name),
		Groups:                  types.SetValueMust(types.StringType, groups),
		TenantID:                types.StringValue(u.TenantID),
		ExternalAuthentication:  types.BoolValue(bool(u.ExternalAuthentication)),
		ExternalGroupMappingOID: types.StringValue(u.ExternalGroupMappingOID),
		EnableSessionTimeout:    types.BoolValue(bool(u.EnableSessionTimeout)),
		SessionTimeout:          types.Int64Value(int64(u.SessionTimeout)),
		SessionTimeoutUnit:      types.StringValue(u.SessionTimeoutUnit),
		MPSUserName:             types.StringValue(u.MPSUserName),
		Permission:              types.StringValue(u.Permission),
		TenantName:              types.StringValue(u.TenantName),
		IsDefault:               types.BoolValue(bool(u.IsDefault)),
		IsSuperuser:             types.BoolValue(bool(u.IsSuperuser)),
		NSRootUser:              types.StringValue(u.NSRootUser),
		ForceChangePassword:     types.BoolValue(bool(u.ForceChangePassword)),
		Encrypted:               types.BoolValue(bool(u.Encrypted)),
	}
}

// userDataSourceAttributes are the attributes of userModel as the resource's schema
// declares them, each computed: the data sources report users without managing them.
func userDataSourceAttributes() map[string]dschema.Attribute {
	var resp resource.SchemaResponse
	(&mpsuserResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return computedCopies(resp.Schema.Attributes, userModel{})
}

// userObjectType is one element of accessplane_mpsusers.users.
var userObjectType = objectTypeOf(userDataSourceAttributes())

// userSpec builds the add/update body from planned values: unknown and null values
// are left out, so the appliance keeps (or picks) its own.
func (u userModel) userSpec(ctx context.Context) (nitro.UserSpec, diag.Diagnostics) {
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

func firstKnown(sensitive, writeOnly types.String) string {
	if !sensitive.IsNull() && !sensitive.IsUnknown() {
		return sensitive.ValueString()
	}
	return writeOnly.ValueString()
}

func trueOrNil(v types.Bool) *bool {
	if v.ValueBool() {
		return knownBool(v)
	}
	return nil
}
