package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// addWarnings turns the warnings an appliance sent with a successful NITRO write
// (HTTP 209) into Terraform warnings.
func addWarnings(diags *diag.Diagnostics, warnings nitro.Warnings) {
	for _, w := range warnings {
		diags.AddWarning("The appliance returned a warning", w)
	}
}

// quote renders a name for a diagnostic summary.
func quote(s string) string { return fmt.Sprintf("%q", s) }
