package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// admListResource is a list resource (terraform query, Terraform 1.14 and later) over
// one NITRO collection: the filters of the matching list data source, objects read
// page by page through the client, each turned into a result by fill. The files
// <name>_list_resource.go say what differs.
type admListResource[T any] struct {
	providerDataHolder
	typeName    string
	description string
	filters     filterSet
	// summary is the error's summary when the listing fails.
	summary string
	pages   func(client *nitro.Client, ctx context.Context, filter nitro.Filter, pageSize int, yield func([]T) bool) error
	// fill names and identifies one object, and with include_resource stores it as
	// Read would.
	fill func(ctx context.Context, req list.ListRequest, object *T, appliance types.String, result *list.ListResult)
}

var _ list.ListResourceWithConfigure = &admListResource[nitro.User]{}

func (r *admListResource[T]) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.typeName
}

func (r *admListResource[T]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attributes := r.filters.listAttributes()
	attributes[applianceAttribute] = applianceListAttribute()
	resp.Schema = listschema.Schema{MarkdownDescription: r.description, Attributes: attributes}
}

func (r *admListResource[T]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *admListResource[T]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	var configured types.String
	diags.Append(req.Config.GetAttribute(ctx, pathAppliance, &configured)...)
	appliance := types.StringValue(applianceName(configured))
	client := r.admClient(ctx, req.Config, "list."+r.typeName, &diags)
	filter := r.filters.read(ctx, req.Config, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		streamResults(ctx, req, push, on(client, r.summary),
			func(pageSize int, yield func([]T) bool) error { return r.pages(client, ctx, filter, pageSize, yield) },
			func(ctx context.Context, object *T, result *list.ListResult) {
				r.fill(ctx, req, object, appliance, result)
			})
	}
}

// streamResults reads objects page by page through pages, turns each into a list
// result with fill, and stops asking the appliance for pages as soon as Terraform
// stops reading (push returns false) or the query's limit is reached. A page holds at
// most limit objects, so a query that wants fewer than a page costs one request.
func streamResults[T any](ctx context.Context, req list.ListRequest, push func(list.ListResult) bool, summary string,
	pages func(pageSize int, yield func([]T) bool) error, fill func(context.Context, *T, *list.ListResult)) {
	pushed := int64(0)
	stopped := false
	err := pages(pageSizeFor(req.Limit), func(page []T) bool {
		for i := range page {
			result := req.NewListResult(ctx)
			fill(ctx, &page[i], &result)
			if !push(result) {
				stopped = true
				return false
			}
			pushed++
			if req.Limit > 0 && pushed >= req.Limit {
				stopped = true
				return false
			}
		}
		return true
	})
	if err != nil && !stopped {
		var diags diag.Diagnostics
		diags.AddError(summary, err.Error())
		push(list.ListResult{Diagnostics: diags})
	}
}

// pageSizeFor is the page size for a query that reads at most limit results.
func pageSizeFor(limit int64) int {
	if limit <= 0 || limit > nitro.DefaultPageSize {
		return nitro.DefaultPageSize
	}
	return int(limit)
}
