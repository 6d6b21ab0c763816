package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

var _ list.ListResourceWithConfigure = &mpssessionListResource{}

func newMPSSessionListResource() list.ListResource { return &mpssessionListResource{} }

// mpssessionListResource lists live ADM sessions for terraform query, with the
// filters of accessplane_mpssessions: who is signed in from where, and a resource
// block for each session to end it by destroying it.
type mpssessionListResource struct {
	providerDataHolder
}

func (r *mpssessionListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpssession"
}

func (r *mpssessionListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds live Citrix ADM sign-in sessions (NITRO `mpssession`) for `terraform query`, with the " +
			"filters of the `accessplane_mpssessions` data source. Each result is named `<username>@<ip_address> (<id>)`, " +
			"who signed in from where, and identified by the session id. Session credentials are never read.",
		Attributes: sessionFilters.listAttributes(),
	}
}

func (r *mpssessionListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *mpssessionListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	client := r.admClient("list."+mpssessionTypeName, &diags)
	filter := sessionFilters.read(ctx, req.Config, &diags)
	if diags.HasError() {
		listDiagnostics(stream, diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		streamResults(ctx, req, push, "Could not list ADM sessions",
			func(pageSize int, yield func([]nitro.Session) bool) error {
				return client.SessionPages(ctx, filter, pageSize, yield)
			},
			func(ctx context.Context, session *nitro.Session, result *list.ListResult) {
				result.DisplayName = session.Username + "@" + session.IPAddress + " (" + session.ID + ")"
				setIDIdentity(ctx, result.Identity, session.ID, &result.Diagnostics)
				if req.IncludeResource {
					result.Diagnostics.Append(result.Resource.Set(ctx, sessionAttributesFrom(session))...)
				}
			})
	}
}
