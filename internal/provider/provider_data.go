package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// providerDataHolder is embedded by every resource and data source: it receives the
// provider data and hands out the client of a backend, or a diagnostic naming the
// block and its environment variables when that backend is not configured.
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

func (h *providerDataHolder) admClient(typeName string, diags *diag.Diagnostics) *nitro.Client {
	if h.data == nil || h.data.adm == nil {
		diags.AddError(admBackend.notConfigured(typeName))
		return nil
	}
	return h.data.adm
}

func (h *providerDataHolder) clusterClient(typeName string, diags *diag.Diagnostics) *cluster.Client {
	if h.data == nil || h.data.cluster == nil {
		diags.AddError(clusterBackend.notConfigured(typeName))
		return nil
	}
	return h.data.cluster
}

func (h *providerDataHolder) nimbleClient(typeName string, diags *diag.Diagnostics) *nimble.Client {
	if h.data == nil || h.data.nimble == nil {
		diags.AddError(nimbleBackend.notConfigured(typeName))
		return nil
	}
	return h.data.nimble
}
