package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// appliance is the client of one appliance: a NITRO, Cluster API or Nimble client.
type appliance interface {
	// Endpoint is the appliance's host and port.
	Endpoint() string
}

// on names the appliance a diagnostic is about in its summary. Each provider block
// talks to one appliance, and a fleet has dozens (one aliased provider or for_each
// instance each), while Terraform names only the resource: without this an error
// would not say which array failed. The endpoint is host and port only; endpoints
// never carry credentials (transport.ParseEndpoint refuses them).
func on(client appliance, summary string) string {
	return summary + " on " + client.Endpoint()
}

// addWarnings turns the warnings an appliance sent with a successful NITRO write
// (HTTP 209) into Terraform warnings.
func addWarnings(diags *diag.Diagnostics, client appliance, warnings nitro.Warnings) {
	for _, w := range warnings {
		diags.AddWarning(on(client, "The appliance returned a warning"), w)
	}
}

// quote renders a name for a diagnostic summary.
func quote(s string) string { return fmt.Sprintf("%q", s) }
