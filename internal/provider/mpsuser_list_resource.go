package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

var _ list.ListResourceWithConfigure = &mpsuserListResource{}

func newMPSUserListResource() list.ListResource { return &mpsuserListResource{} }

// mpsuserListResource lists ADM users for terraform query (Terraform 1.14 and later),
// with the filters of accessplane_mpsusers, so that existing users can be adopted in
// one command: terraform query -generate-config-out writes a resource and an import
// block for each.
type mpsuserListResource struct {
	providerDataHolder
}

func (r *mpsuserListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpsuser"
}

func (r *mpsuserListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds Citrix ADM system users (NITRO `mpsuser`) for `terraform query`, with the filters of the " +
			"`accessplane_mpsusers` data source, read page by page. Each result is named `<name> (<id>)` and identified by " +
			"the user's NITRO id; with `include_resource = true` it holds the state an import of the user would store " +
			"(no password: the appliance keeps the user's own).",
		Attributes: userFilters.listAttributes(),
	}
}

func (r *mpsuserListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *mpsuserListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	client := r.admClient("list."+mpsuserTypeName, &diags)
	filter := userFilters.read(ctx, req.Config, &diags)
	if diags.HasError() {
		listDiagnostics(stream, diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		streamResults(ctx, req, push, "Could not list ADM users",
			func(pageSize int, yield func([]nitro.User) bool) error {
				return client.UserPages(ctx, filter, pageSize, yield)
			},
			func(ctx context.Context, user *nitro.User, result *list.ListResult) {
				result.DisplayName = user.Name + " (" + user.ID + ")"
				setIDIdentity(ctx, result.Identity, user.ID, &result.Diagnostics)
				if req.IncludeResource {
					// What Read stores after an import: the appliance's user, and the
					// Terraform-only arguments at their defaults.
					result.Diagnostics.Append(result.Resource.Set(ctx, userState(user, mpsuserResourceModel{}))...)
				}
			})
	}
}
