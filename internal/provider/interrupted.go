package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// warnIfStopped warns that Terraform stopped the provider (Ctrl-C, a cancelled CI job)
// while what, a write already sent, was under way. The transport settled it (it awaits
// a write it has sent, or looks a create up; DESIGN.md, "Interruption"), so the caller
// saves its outcome; the warning tells why the apply ends there.
func warnIfStopped(ctx context.Context, what string, diags *diag.Diagnostics) {
	if ctx.Err() == nil {
		return
	}
	diags.AddWarning("The apply was interrupted",
		what+" had already been sent to the appliance when Terraform was asked to stop. The provider waited for the "+
			"appliance's answer and saved the outcome in the state, so nothing was left behind; run terraform apply again "+
			"to finish the changes that were not made.")
}
