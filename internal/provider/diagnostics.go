package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// applianceClient is the client of one appliance: a NITRO, Cluster API or Nimble client.
type applianceClient interface {
	// Name is the appliance's name in the provider configuration, empty for the default.
	Name() string
	// Endpoint is the appliance's host and port.
	Endpoint() string
}

// on names the appliance a diagnostic is about in its summary. A fleet has dozens of
// appliances while Terraform names only the resource: without this an error would
// not say which array failed.
func on(client applianceClient, summary string) string {
	return summary + " on " + where(client)
}

// where names an appliance: its name, where it is not the default, and its host and
// port. The endpoint is host and port only; endpoints never carry credentials
// (transport.ParseEndpoint refuses them).
func where(client applianceClient) string {
	if client.Name() == "" {
		return client.Endpoint()
	}
	return client.Name() + " (" + client.Endpoint() + ")"
}

// addWarnings turns the warnings an appliance sent with a successful NITRO write
// (HTTP 209) into Terraform warnings.
func addWarnings(diags *diag.Diagnostics, client applianceClient, warnings nitro.Warnings) {
	for _, w := range warnings {
		diags.AddWarning(on(client, "The appliance returned a warning"), w)
	}
}

// quote renders a name for a diagnostic summary.
func quote(s string) string { return fmt.Sprintf("%q", s) }
