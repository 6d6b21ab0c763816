package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// streamResults is what the list resources share: it reads objects page by page
// through pages, turns each into a list result with fill, and stops asking the
// appliance for pages as soon as Terraform stops reading (push returns false) or the
// query's limit is reached. A page holds at most limit objects, so a query that wants
// fewer than a page costs one request.
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

// listDiagnostics ends a list before it starts, with diags.
func listDiagnostics(stream *list.ListResultsStream, diags diag.Diagnostics) {
	stream.Results = list.ListResultsStreamDiagnostics(diags)
}
