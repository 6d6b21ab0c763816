package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// computedAttributes are the attributes of r that the appliance may report: every
// computed one, read from the schema.
func computedAttributes(r resource.Resource) []string {
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	var names []string
	for name, attribute := range resp.Schema.Attributes {
		if attribute.IsComputed() {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// updatePlanShows checks that an update of the resource at address (of type r) plans
// exactly the computed attributes in unknown as "(known after apply)" and every other
// one with a known value.
func updatePlanShows(address string, r resource.Resource, unknown []string) []plancheck.PlanCheck {
	return []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
		plannedUnknown{address: address, computed: computedAttributes(r), want: unknown},
	}
}

// plannedUnknown is the plan check of updatePlanShows. A failure lists each computed
// attribute planned otherwise, as Terraform's plan shows it.
type plannedUnknown struct {
	address  string
	computed []string
	want     []string
}

func (p plannedUnknown) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, change := range req.Plan.ResourceChanges {
		if change.Address != p.address {
			continue
		}
		before, _ := change.Change.Before.(map[string]any)
		after, _ := change.Change.After.(map[string]any)
		afterUnknown, _ := change.Change.AfterUnknown.(map[string]any)
		var problems []error
		for _, name := range p.computed {
			unknown, wanted := afterUnknown[name] == true, slices.Contains(p.want, name)
			switch {
			case unknown && !wanted:
				problems = append(problems, fmt.Errorf("~ %s = %s -> (known after apply), though nothing it is derived from changes", name, jsonOf(before[name])))
			case !unknown && wanted:
				problems = append(problems, fmt.Errorf("%s planned as %s, want (known after apply)", name, jsonOf(after[name])))
			case !unknown && after[name] == nil:
				problems = append(problems, fmt.Errorf("%s planned as null", name))
			}
		}
		resp.Error = errors.Join(problems...)
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", p.address)
}

func jsonOf(value any) string {
	out, err := json.Marshal(value)
	if err != nil {
		return fmt.Sprint(value)
	}
	return string(out)
}

// planStep is one step of an update plan test: the arguments it changes (name → HCL
// value; none for a no-op step, whose plan must be empty) and the computed attributes
// its plan may show as "(known after apply)".
type planStep struct {
	change  map[string]string
	unknown []string
}

// planVariant is the configuration an update plan test starts from: "arguments set"
// writes every optional argument, "arguments left out" only those a step changes,
// from that step on, as most users write a resource.
type planVariant struct {
	name      string
	arguments map[string]string
}

// updatePlanSteps are the test steps of steps for the resource at address (of type
// r), starting from arguments; the first step creates the resource.
func updatePlanSteps(env *testEnv, address string, r resource.Resource, arguments map[string]string, steps []planStep) []tfresource.TestStep {
	arguments = maps.Clone(arguments)
	typeName, _, _ := strings.Cut(address, ".")
	var out []tfresource.TestStep
	for i, step := range steps {
		maps.Copy(arguments, step.change)
		config := env.providerConfig("") + resourceConfig(address, typeName, arguments)
		switch {
		case i == 0:
			out = append(out, tfresource.TestStep{Config: config})
		case step.change == nil:
			out = append(out, tfresource.TestStep{
				Config:           config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			})
		default:
			out = append(out, tfresource.TestStep{
				Config:           config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: updatePlanShows(address, r, step.unknown)},
			})
		}
	}
	return out
}

// resourceConfig is the resource at address with arguments (name → HCL value), in a
// stable order.
func resourceConfig(address, typeName string, arguments map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nresource %q %q {\n", typeName, strings.TrimPrefix(address, typeName+"."))
	for _, name := range slices.Sorted(maps.Keys(arguments)) {
		fmt.Fprintf(&b, "  %s = %s\n", name, arguments[name])
	}
	b.WriteString("}\n")
	return b.String()
}

// TestAccMPSUser_updatePlansOnlyWhatChanges: an update plans a computed attribute as
// unknown only when an argument the appliance derives it from changes; every other
// one keeps its state value, so a reviewer sees what will really change. The steps
// change one argument at a time and meet each rule of the schema (groups →
// permission and issuperuser; the password → force_change_password and encrypted;
// tenant_id → tenant_name; nothing for a session timeout or a display name). They run
// twice over: with every optional argument set, and with each left out until a step
// changes it, as most users write a user (no tenant_id, no display name). Each apply
// then agrees with its plan (Terraform fails a step whose result differs from a
// known planned value).
func TestAccMPSUser_updatePlansOnlyWhatChanges(t *testing.T) {
	steps := func(otherTenant string) []planStep {
		return []planStep{
			{},
			{},
			{change: map[string]string{"groups": `["admin"]`}, unknown: []string{"permission", "issuperuser"}},
			{change: map[string]string{"enable_session_timeout": "true", "session_timeout": "45"}},
			{change: map[string]string{"mpsuser_name": `"Planned User"`}},
			{change: map[string]string{"password": `"Secret-2"`}, unknown: []string{"force_change_password", "encrypted"}},
			{change: map[string]string{"tenant_id": fmt.Sprintf("%q", otherTenant)}, unknown: []string{"tenant_name"}},
			{},
		}
	}
	for _, variant := range []planVariant{
		{"arguments set", map[string]string{
			"password":                   `"Secret-1"`,
			"groups":                     `["readonly"]`,
			"tenant_id":                  "", // the test's first tenant
			"external_authentication":    "false",
			"external_group_mapping_oid": `"oid-1"`,
			"enable_session_timeout":     "true",
			"session_timeout":            "30",
			"session_timeout_unit":       `"Minutes"`,
			"mpsuser_name":               `"Planned"`,
			"end_sessions_on_destroy":    "false",
			"appliance":                  `"default"`,
		}},
		// A user cannot be created without a password.
		{"arguments left out", map[string]string{"password": `"Secret-1"`}},
	} {
		t.Run(variant.name, func(t *testing.T) {
			env := newTestEnv(t, admBackend)
			tenant, otherTenant := env.tenants(t)
			arguments := maps.Clone(variant.arguments)
			arguments["name"] = fmt.Sprintf("%q", env.name("planned"))
			if _, set := arguments["tenant_id"]; set {
				arguments["tenant_id"] = fmt.Sprintf("%q", tenant)
			}
			testSteps := updatePlanSteps(env, userAddress, &mpsuserResource{}, arguments, steps(otherTenant))
			// The applied groups reach the state's permission.
			testSteps[2].ConfigStateChecks = []statecheck.StateCheck{
				statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("permission"), knownvalue.StringExact("admin")),
			}
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    testSteps,
			})
		})
	}
}

// TestAccClusterUserSessions_updatePlansOnlyWhatChanges: the cluster's policy updates
// in place, and no update plans a computed attribute (id, appliance,
// user_inactivity_timeout) as unknown, whether the optional arguments are set or
// left out.
//
// The policy is the cluster's one: the test holds it (keepClusterPolicy) for both
// variants, which run one after the other. It takes it only once running in
// parallel, so that it never holds the policy while paused for the tests that run
// sequentially.
func TestAccClusterUserSessions_updatePlansOnlyWhatChanges(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, clusterBackend)
	env.keepClusterPolicy(t)
	steps := []planStep{
		{},
		{},
		{change: map[string]string{"user_limit": "3"}},
		{change: map[string]string{"admin_limit": "6"}},
		{change: map[string]string{"logout_inactive_users_enabled": "true", "user_inactivity_timeout": "1200"}},
		{},
	}
	for _, variant := range []planVariant{
		{"arguments set", map[string]string{
			"user_limit":                    "2",
			"admin_limit":                   "5",
			"logout_inactive_users_enabled": "true",
			"user_inactivity_timeout":       "600",
			"appliance":                     `"default"`,
		}},
		{"arguments left out", map[string]string{
			"user_limit":                    "2",
			"admin_limit":                   "5",
			"logout_inactive_users_enabled": "false",
		}},
	} {
		t.Run(variant.name, func(t *testing.T) {
			tfresource.Test(t, tfresource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    updatePlanSteps(env, policyAddress, &clusterUserSessionsResource{}, variant.arguments, steps),
			})
		})
	}
}

// TestPlanDerivedFromArgumentLeftOut: derivedFrom keeps the state's value while the
// argument it names is unchanged, and an optional and computed argument left out of
// the configuration is unchanged although the plan it reads holds it unknown (its
// own UseStateForUnknown has not run yet when derivedFrom reads it).
func TestPlanDerivedFromArgumentLeftOut(t *testing.T) {
	objectType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"tenant_id": tftypes.String, "tenant_name": tftypes.String}}
	object := func(tenantID tftypes.Value) tftypes.Value {
		return tftypes.NewValue(objectType, map[string]tftypes.Value{
			"tenant_id":   tenantID,
			"tenant_name": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		})
	}
	str := func(value string) tftypes.Value { return tftypes.NewValue(tftypes.String, value) }
	null := tftypes.NewValue(tftypes.String, nil)
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	for _, tc := range []struct {
		name                string
		config, plan, state tftypes.Value
		priorName           types.String
		wantKept            bool
	}{
		{name: "left out", config: object(null), plan: object(unknown), state: object(str("owner-tenant")), priorName: types.StringValue("Owner"), wantKept: true},
		{name: "set, unchanged", config: object(str("a")), plan: object(str("a")), state: object(str("a")), priorName: types.StringValue("A"), wantKept: true},
		{name: "changed", config: object(str("b")), plan: object(str("b")), state: object(str("a")), priorName: types.StringValue("A")},
		{name: "set from a value known after apply", config: object(unknown), plan: object(unknown), state: object(str("a")), priorName: types.StringValue("A")},
		{name: "create", config: object(null), plan: object(unknown), state: tftypes.NewValue(objectType, nil), priorName: types.StringNull()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			modifier := derivedFrom{"tenant_id"}
			stringReq := planmodifier.StringRequest{
				Config: tfsdk.Config{Raw: tc.config}, Plan: tfsdk.Plan{Raw: tc.plan}, State: tfsdk.State{Raw: tc.state},
				PlanValue: types.StringUnknown(), StateValue: tc.priorName,
			}
			stringResp := planmodifier.StringResponse{PlanValue: stringReq.PlanValue}
			modifier.PlanModifyString(ctx, stringReq, &stringResp)
			want := types.StringUnknown()
			if tc.wantKept {
				want = tc.priorName
			}
			if !stringResp.PlanValue.Equal(want) {
				t.Errorf("string: planned %s, want %s", stringResp.PlanValue, want)
			}
			priorBool := types.BoolValue(true)
			if tc.priorName.IsNull() {
				priorBool = types.BoolNull()
			}
			boolReq := planmodifier.BoolRequest{
				Config: stringReq.Config, Plan: stringReq.Plan, State: stringReq.State,
				PlanValue: types.BoolUnknown(), StateValue: priorBool,
			}
			boolResp := planmodifier.BoolResponse{PlanValue: boolReq.PlanValue}
			modifier.PlanModifyBool(ctx, boolReq, &boolResp)
			if got := !boolResp.PlanValue.IsUnknown(); got != tc.wantKept {
				t.Errorf("bool: planned %s, want the state's value kept: %t", boolResp.PlanValue, tc.wantKept)
			}
		})
	}
}

// TestPlanEveryComputedAttributeHasARule is the audit of the resources' computed
// attributes. In a resource with an update path, each computed attribute has a plan
// modifier or a default, or an update would plan it as "(known after apply)"; a
// resource every argument of which replaces it needs none, since it is only ever
// created or left as it is. And every argument a derivedFrom names is an argument
// that, when optional and computed, keeps its state's value when left out
// (UseStateForUnknown) or has a default: derivedFrom counts such an argument left
// out as unchanged.
func TestPlanEveryComputedAttributeHasARule(t *testing.T) {
	ctx := context.Background()
	for _, newResource := range testProvider().Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "accessplane"}, &meta)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		attributes := resp.Schema.Attributes
		replacedByEveryArgument := true
		for _, attribute := range attributes {
			if isArgument(attribute) && !slices.ContainsFunc(planRules(t, attribute), replaces) {
				replacedByEveryArgument = false
			}
		}
		for name, attribute := range attributes {
			rules := planRules(t, attribute)
			if attribute.IsComputed() && !replacedByEveryArgument && !hasDefault(attribute) && len(rules) == 0 {
				t.Errorf("%s.%s is computed with neither a plan modifier nor a default: every update would plan it unknown", meta.TypeName, name)
			}
			for _, rule := range rules {
				derived, ok := rule.(derivedFrom)
				if !ok {
					continue
				}
				for _, argumentName := range derived {
					argument, declared := attributes[argumentName]
					switch {
					case !declared:
						t.Errorf("%s.%s is derived from %s, which the schema does not declare", meta.TypeName, name, argumentName)
					case !isArgument(argument):
						t.Errorf("%s.%s is derived from %s, which is not an argument", meta.TypeName, name, argumentName)
					case argument.IsOptional() && argument.IsComputed() && !hasDefault(argument) && !slices.ContainsFunc(planRules(t, argument), keepsState):
						t.Errorf("%s.%s is derived from %s, which is optional and computed without UseStateForUnknown or a default: left out, derivedFrom would count it unchanged though it may not be", meta.TypeName, name, argumentName)
					}
				}
			}
		}
	}
}

func isArgument(attribute schema.Attribute) bool {
	return attribute.IsRequired() || attribute.IsOptional()
}

// planRules are the plan modifiers of attribute.
func planRules(t *testing.T, attribute schema.Attribute) []planmodifier.Describer {
	t.Helper()
	switch a := attribute.(type) {
	case schema.StringAttribute:
		return describers(a.PlanModifiers)
	case schema.BoolAttribute:
		return describers(a.PlanModifiers)
	case schema.Int64Attribute:
		return describers(a.PlanModifiers)
	case schema.SetAttribute:
		return describers(a.PlanModifiers)
	case schema.MapAttribute:
		return describers(a.PlanModifiers)
	case schema.MapNestedAttribute:
		return describers(a.PlanModifiers)
	}
	t.Fatalf("no plan rules read for a %T: add its case", attribute)
	return nil
}

func describers[M planmodifier.Describer](modifiers []M) []planmodifier.Describer {
	out := make([]planmodifier.Describer, 0, len(modifiers))
	for _, m := range modifiers {
		out = append(out, m)
	}
	return out
}

func hasDefault(attribute schema.Attribute) bool {
	switch a := attribute.(type) {
	case schema.StringAttribute:
		return a.Default != nil
	case schema.BoolAttribute:
		return a.Default != nil
	case schema.Int64Attribute:
		return a.Default != nil
	case schema.SetAttribute:
		return a.Default != nil
	case schema.MapAttribute:
		return a.Default != nil
	case schema.MapNestedAttribute:
		return a.Default != nil
	}
	return false
}

// replaces reports whether rule replaces the resource whenever its attribute changes.
func replaces(rule planmodifier.Describer) bool {
	if _, ok := rule.(appliancePlanModifier); ok {
		return true
	}
	return rule.Description(context.Background()) == stringplanmodifier.RequiresReplace().Description(context.Background())
}

// keepsState reports whether rule is UseStateForUnknown, of any type.
func keepsState(rule planmodifier.Describer) bool {
	for _, keep := range []any{
		stringplanmodifier.UseStateForUnknown(), boolplanmodifier.UseStateForUnknown(),
		int64planmodifier.UseStateForUnknown(), setplanmodifier.UseStateForUnknown(),
	} {
		if reflect.TypeOf(rule) == reflect.TypeOf(keep) {
			return true
		}
	}
	return false
}
