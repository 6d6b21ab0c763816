package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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

// userObjectType is userAttributeTypes in terraform-plugin-go's terms.
var userObjectType = types.ObjectType{AttrTypes: userAttributeTypes}.TerraformType(context.Background())

// userValue is the one mapping from an appliance user to Terraform values. Lists of
// thousands of users and the resource's refresh use it directly (see setComputedList
// and setUserState).
func userValue(u *nitro.User) tftypes.Value {
	return tftypes.NewValue(userObjectType, userValues(u))
}

func userValues(u *nitro.User) map[string]tftypes.Value {
	groups := make([]tftypes.Value, len(u.Groups))
	for i, group := range u.Groups {
		groups[i] = tftypes.NewValue(tftypes.String, group)
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	boolean := func(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	return map[string]tftypes.Value{
		"id":                         str(u.ID),
		"name":                       str(u.Name),
		"groups":                     tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, groups),
		"tenant_id":                  str(u.TenantID),
		"external_authentication":    boolean(u.ExternalAuthentication),
		"external_group_mapping_oid": str(u.ExternalGroupMappingOID),
		"enable_session_timeout":     boolean(u.EnableSessionTimeout),
		"session_timeout":            tftypes.NewValue(tftypes.Number, int64(u.SessionTimeout)),
		"session_timeout_unit":       str(u.SessionTimeoutUnit),
		"mpsuser_name":               str(u.MPSUserName),
		"permission":                 str(u.Permission),
		"tenant_name":                str(u.TenantName),
		"is_default":                 boolean(u.IsDefault),
		"issuperuser":                boolean(u.IsSuperuser),
		"nsroot_user":                str(u.NSRootUser),
		"force_change_password":      boolean(u.ForceChangePassword),
		"encrypted":                  boolean(u.Encrypted),
	}
}

// userAttributesFrom is userValue as the framework model of one user.
func userAttributesFrom(u *nitro.User) (userAttributes, diag.Diagnostics) {
	var attributes userAttributes
	ctx := context.Background()
	value, err := types.ObjectType{AttrTypes: userAttributeTypes}.ValueFromTerraform(ctx, userValue(u))
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Could not convert the ADM user", err.Error())
		return attributes, diags
	}
	object, _ := value.(types.Object)
	return attributes, object.As(ctx, &attributes, basetypes.ObjectAsOptions{})
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
