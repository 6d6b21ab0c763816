package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// newMPSUserListResource lists ADM users for terraform query, with the filters of
// accessplane_mpsusers, so that existing users can be adopted in one command:
// terraform query -generate-config-out writes a resource and an import block for each.
func newMPSUserListResource() list.ListResource {
	return &admListResource[nitro.User]{
		typeName: mpsuserTypeName,
		description: "Finds Citrix ADM system users (NITRO `mpsuser`) for `terraform query`, with the filters of the " +
			"`accessplane_mpsusers` data source, read page by page. Each result is named `<name> (<id>)` and identified by " +
			"the user's NITRO id; with `include_resource = true` it holds the state an import of the user would store " +
			"(no password: the appliance keeps the user's own).",
		filters: userFilters,
		summary: "Could not list ADM users",
		pages:   (*nitro.Client).UserPages,
		fill: func(ctx context.Context, req list.ListRequest, user *nitro.User, appliance types.String, result *list.ListResult) {
			result.DisplayName = user.Name + " (" + user.ID + ")"
			setIDIdentity(ctx, result.Identity, user.ID, appliance, &result.Diagnostics)
			if req.IncludeResource {
				// What Read stores after an import: the appliance's user, and the
				// Terraform-only arguments at their defaults.
				result.Diagnostics.Append(result.Resource.Set(ctx, userState(user, mpsuserResourceModel{Appliance: appliance}))...)
			}
		},
	}
}
