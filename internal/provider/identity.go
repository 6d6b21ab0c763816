package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later) is what import blocks and terraform
// query name an object by. accessplane_mpsuser and accessplane_mpssession are
// identified by their NITRO id and their appliance: the appliance assigns the id and
// never changes it, while a user's name can be changed in place, so a rename keeps
// the identity. The appliance is null for "default", so an identity written before
// fleets ({ id }) is the identity the provider still reports for it: Terraform
// refuses a refresh that changes an identity.
//
// accessplane_cluster_user_sessions has no identity: a cluster has exactly one
// session policy, so there is nothing to tell apart, nothing to list, and its import
// id is the fixed word "cluster".

// idIdentitySchema declares the identity { id }.
func idIdentitySchema(resp *resource.IdentitySchemaResponse, object string) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "The NITRO id of the " + object + ", assigned by the appliance; a rename does not change it.",
				RequiredForImport: true,
			},
			applianceAttribute: identityschema.StringAttribute{
				Description:       "The appliance the " + object + " is on, as `appliance` names it; null for the default appliance.",
				OptionalForImport: true,
			},
		},
	}
}

// setIDIdentity writes the identity { id, appliance }. Every path that writes state
// calls it, the refresh that keeps the prior state too: a state written before
// identity existed gains it at the next refresh.
func setIDIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string, appliance types.String, diags *diag.Diagnostics) {
	diags.Append(identity.SetAttribute(ctx, pathID, id)...)
	name := types.StringNull()
	if applianceName(appliance) != defaultAppliance {
		name = appliance
	}
	diags.Append(identity.SetAttribute(ctx, pathAppliance, name)...)
}

// importTarget is what an import names: an id on an appliance. The id is the import
// id of terraform import or an import block, less a suffix "@<appliance>" when that
// suffix names a configured appliance (user names may contain "@"), or else the
// id and appliance of an import block's identity.
func (h *providerDataHolder) importTarget(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (string, types.String) {
	if req.ID != "" || req.Identity == nil {
		id, appliance := req.ID, types.StringValue(defaultAppliance)
		if at := strings.LastIndex(id, "@"); at >= 0 && h.data != nil {
			if _, ok := h.data.appliances[id[at+1:]]; ok {
				id, appliance = id[:at], types.StringValue(id[at+1:])
			}
		}
		return id, appliance
	}
	var id string
	var appliance types.String
	diags.Append(req.Identity.GetAttribute(ctx, pathID, &id)...)
	diags.Append(req.Identity.GetAttribute(ctx, pathAppliance, &appliance)...)
	return id, types.StringValue(applianceName(appliance))
}
