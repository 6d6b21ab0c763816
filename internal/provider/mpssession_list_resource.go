package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// newMPSSessionListResource lists live ADM sessions for terraform query, with the
// filters of accessplane_mpssessions: who is signed in from where, and a resource
// block for each session that ends it when destroyed.
func newMPSSessionListResource() list.ListResource {
	return &admListResource[nitro.Session]{
		typeName: mpssessionTypeName,
		description: "Finds live Citrix ADM sign-in sessions (NITRO `mpssession`) for `terraform query`, with the " +
			"filters of the `accessplane_mpssessions` data source. Each result is named `<username>@<ip_address> (<id>)`, " +
			"who signed in from where, and identified by the session id. Session credentials are never read.",
		filters: sessionFilters,
		summary: "Could not list ADM sessions",
		pages:   (*nitro.Client).SessionPages,
		fill: func(ctx context.Context, req list.ListRequest, session *nitro.Session, appliance types.String, result *list.ListResult) {
			result.DisplayName = session.Username + "@" + session.IPAddress + " (" + session.ID + ")"
			setIDIdentity(ctx, result.Identity, session.ID, appliance, &result.Diagnostics)
			if req.IncludeResource {
				result.Diagnostics.Append(result.Resource.Set(ctx, sessionState(session, appliance))...)
			}
		},
	}
}
