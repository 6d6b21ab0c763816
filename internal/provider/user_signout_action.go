package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ action.ActionWithConfigure        = &userSignoutAction{}
	_ action.ActionWithConfigValidators = &userSignoutAction{}
	_ action.ActionWithModifyPlan       = &userSignoutAction{}
)

func newUserSignoutAction() action.Action { return &userSignoutAction{} }

// userSignoutAction is the sign-out of accessplane_user_signout as what it is, an
// event: run from `terraform apply -invoke` or another resource's action_trigger, it
// keeps nothing in the state. It has no `triggers`: an action runs each time it is
// invoked or triggered, so there is nothing to change to run it again.
type userSignoutAction struct {
	providerDataHolder
}

func (a *userSignoutAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_signout"
}

func (a *userSignoutAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		"appliances": schema.SetAttribute{MarkdownDescription: appliancesDescription, Optional: true, ElementType: types.StringType, Validators: appliancesValidators()},
	}
	for _, identifier := range signoutIdentifiers {
		attributes[identifier.attribute] = schema.StringAttribute{
			MarkdownDescription: identifier.description,
			Optional:            true,
			Validators:          identifier.validators,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Ends every live session of one person on Citrix ADM, the Dynatrace Managed cluster and HPE " +
			"Nimble Storage arrays, on every appliance of the provider configuration (or those in `appliances`), for incident response (`terraform apply -invoke`) and offboarding (an `action_trigger` " +
			"of `accessplane_mpsuser`, after an update so a new password or group takes effect, or before destroy). It reports " +
			"one line per plane as it finishes (`ADM: ended 2 sessions of \"dana\"`). The provider's own ADM session and Nimble " +
			"token are never ended. Every plane is tried even when another fails; then the action fails with an error that " +
			"says what was ended and what was not. Nothing is kept in the state. Needs Terraform 1.14 or later (destroy-time " +
			"triggers 1.16); the resource `accessplane_user_signout` does the same on older Terraform and OpenTofu.",
		Attributes: attributes,
	}
}

func (a *userSignoutAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.configure(req.ProviderData, &resp.Diagnostics)
}

func (a *userSignoutAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{actionvalidator.AtLeastOneOf(signoutIdentifierPaths()...)}
}

// ModifyPlan reports an identifier whose backend is not configured when Terraform
// plans the invocation, before anything is ended.
func (a *userSignoutAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	a.checkSignoutBackends(ctx, readSignoutNames(ctx, req.Config, &resp.Diagnostics), &resp.Diagnostics)
}

func (a *userSignoutAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	names := readSignoutNames(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	result := a.signOut(ctx, names, func(o planeOutcome) {
		resp.SendProgress(action.InvokeProgressEvent{Message: o.progress()})
	}, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		result.reportIncomplete("Invoke the action again to end the rest; what was ended stays ended.", &resp.Diagnostics)
	}
}
