package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// derivedFrom is the plan modifier of a computed attribute the appliance derives from
// some arguments: an update keeps its prior value in the plan unless one of those
// arguments changes. Without it the framework plans every computed attribute as
// "(known after apply)" whenever anything changes, and a reviewer cannot tell what
// will really change.
type derivedFrom []string

var (
	_ planmodifier.String = derivedFrom{}
	_ planmodifier.Bool   = derivedFrom{}
)

func (d derivedFrom) Description(context.Context) string {
	if len(d) == 0 {
		return "Keeps the prior value: the appliance never changes it."
	}
	return "Keeps the prior value unless " + strings.Join(d, " or ") + " changes."
}

func (d derivedFrom) MarkdownDescription(ctx context.Context) string { return d.Description(ctx) }

func (d derivedFrom) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.PlanValue.IsUnknown() && !req.StateValue.IsNull() && d.unchanged(req.Plan.Raw, req.State.Raw) {
		resp.PlanValue = req.StateValue
	}
}

func (d derivedFrom) PlanModifyBool(_ context.Context, req planmodifier.BoolRequest, resp *planmodifier.BoolResponse) {
	if req.PlanValue.IsUnknown() && !req.StateValue.IsNull() && d.unchanged(req.Plan.Raw, req.State.Raw) {
		resp.PlanValue = req.StateValue
	}
}

// unchanged reports whether an update (a prior state exists) plans the same value as
// the state for every argument d names. Raw values: this runs for each attribute of
// every user in a plan of hundreds.
func (d derivedFrom) unchanged(plan, state tftypes.Value) bool {
	if plan.IsNull() || state.IsNull() {
		return false
	}
	for _, name := range d {
		step := tftypes.NewAttributePath().WithAttributeName(name)
		planned, _, planErr := tftypes.WalkAttributePath(plan, step)
		prior, _, stateErr := tftypes.WalkAttributePath(state, step)
		if planErr != nil || stateErr != nil {
			return false
		}
		plannedValue, planOK := planned.(tftypes.Value)
		priorValue, stateOK := prior.(tftypes.Value)
		if !planOK || !stateOK || !plannedValue.Equal(priorValue) {
			return false
		}
	}
	return true
}

// keepString and keepBool wrap derivedFrom for a schema's PlanModifiers.
func keepString(arguments ...string) []planmodifier.String {
	return []planmodifier.String{derivedFrom(arguments)}
}

func keepBool(arguments ...string) []planmodifier.Bool {
	return []planmodifier.Bool{derivedFrom(arguments)}
}
