package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// providerDataHolder is embedded by every resource and data source: it receives the
// provider data, from which appliance.go resolves an object's appliance to its
// clients.
type providerDataHolder struct {
	data *providerData
}

func (h *providerDataHolder) configure(raw any, diags *diag.Diagnostics) {
	if raw == nil {
		return
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider.", raw))
		return
	}
	h.data = data
}

// ready reports whether Configure has run; during validation it has not.
func (h *providerDataHolder) ready() bool { return h.data != nil }

// now is the provider's clock; use it for every time the provider reports.
func (h *providerDataHolder) now() time.Time { return h.data.now() }
