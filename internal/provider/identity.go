package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// Resource identity (Terraform 1.12 and later) is what import blocks and terraform
// query name an object by. accessplane_mpsuser and accessplane_mpssession are
// identified by their NITRO id alone: the appliance assigns it and never changes it,
// while a user's name can be changed in place, so a rename keeps the identity.
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
		},
	}
}

// setIDIdentity writes the identity { id }. Every path that writes state calls it,
// the refresh that keeps the prior state too: a state written before identity
// existed gains it at the next refresh.
func setIDIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string, diags *diag.Diagnostics) {
	diags.Append(identity.SetAttribute(ctx, pathID, id)...)
}

// importID is the id an import names: the import id of terraform import or an
// import block's id, or else the id of an import block's identity.
func importID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) string {
	if req.ID != "" || req.Identity == nil {
		return req.ID
	}
	var id string
	diags.Append(req.Identity.GetAttribute(ctx, pathID, &id)...)
	return id
}
