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
	if req.PlanValue.IsUnknown() && !req.StateValue.IsNull() && d.unchanged(req.Config.Raw, req.Plan.Raw, req.State.Raw) {
		resp.PlanValue = req.StateValue
	}
}

func (d derivedFrom) PlanModifyBool(_ context.Context, req planmodifier.BoolRequest, resp *planmodifier.BoolResponse) {
	if req.PlanValue.IsUnknown() && !req.StateValue.IsNull() && d.unchanged(req.Config.Raw, req.Plan.Raw, req.State.Raw) {
		resp.PlanValue = req.StateValue
	}
}

// unchanged reports whether an update (a prior state exists) leaves every argument d
// names as the state has it. Raw values: this runs for each attribute of every user
// in a plan of hundreds.
//
// The plan an attribute's modifier reads is the plan before any modifier ran (the
// framework hands each attribute the same one), so an optional and computed argument
// the configuration leaves out is still unknown there, even when its own modifier
// will plan its state value. Such an argument counts as unchanged: null in the
// configuration means "keep what the appliance has", and the argument's own
// UseStateForUnknown plans exactly that (an argument with a default is known in the
// plan already). TestPlanEveryComputedAttributeHasARule holds every argument a
// derivedFrom names to one of the two.
func (d derivedFrom) unchanged(config, plan, state tftypes.Value) bool {
	if plan.IsNull() || state.IsNull() {
		return false
	}
	for _, name := range d {
		step := tftypes.NewAttributePath().WithAttributeName(name)
		planned, planOK := valueAt(plan, step)
		prior, stateOK := valueAt(state, step)
		if !planOK || !stateOK {
			return false
		}
		if planned.Equal(prior) {
			continue
		}
		if configured, ok := valueAt(config, step); ok && configured.IsNull() && !planned.IsKnown() {
			continue // left out: its UseStateForUnknown keeps the state's value
		}
		return false
	}
	return true
}

// valueAt is the value at step of value, and whether there is one.
func valueAt(value tftypes.Value, step *tftypes.AttributePath) (tftypes.Value, bool) {
	if value.IsNull() || !value.IsKnown() {
		return tftypes.Value{}, false
	}
	found, _, err := tftypes.WalkAttributePath(value, step)
	if err != nil {
		return tftypes.Value{}, false
	}
	at, ok := found.(tftypes.Value)
	return at, ok
}

// keepString and keepBool wrap derivedFrom for a schema's PlanModifiers.
func keepString(arguments ...string) []planmodifier.String {
	return []planmodifier.String{derivedFrom(arguments)}
}

func keepBool(arguments ...string) []planmodifier.Bool {
	return []planmodifier.Bool{derivedFrom(arguments)}
}
