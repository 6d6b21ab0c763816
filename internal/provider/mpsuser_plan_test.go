package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// userComputedAttributes are the attributes of accessplane_mpsuser that the appliance
// may report: every computed one, read from the schema.
func userComputedAttributes() []string {
	var resp resource.SchemaResponse
	(&mpsuserResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	var names []string
	for name, attribute := range resp.Schema.Attributes {
		if attribute.IsComputed() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// planShows checks that an update of the user plans exactly the computed attributes
// in unknown as "(known after apply)" and every other one with a known value.
func planShows(unknown ...string) []plancheck.PlanCheck {
	checks := []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddress, plancheck.ResourceActionUpdate)}
	for _, name := range userComputedAttributes() {
		if slices.Contains(unknown, name) {
			checks = append(checks, plancheck.ExpectUnknownValue(userAddress, tfjsonpath.New(name)))
		} else {
			checks = append(checks, plancheck.ExpectKnownValue(userAddress, tfjsonpath.New(name), knownvalue.NotNull()))
		}
	}
	return checks
}

// TestAccMPSUser_updatePlansOnlyWhatChanges: an update plans a computed attribute as
// unknown only when an argument the appliance derives it from changes; every other
// one keeps its state value, so a reviewer sees what will really change. Each apply
// then agrees with its plan (Terraform fails a step whose result differs from a
// known planned value).
func TestAccMPSUser_updatePlansOnlyWhatChanges(t *testing.T) {
	env := newTestEnv(t)
	config := func(password, groups, tenant string, timeout int) string {
		return env.providerConfig("") + fmt.Sprintf(`
resource "accessplane_mpsuser" "test" {
  name                   = "planned"
  password               = %q
  groups                 = %s
  tenant_id              = %q
  enable_session_timeout = true
  session_timeout        = %d
}
`, password, groups, tenant, timeout)
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{Config: config("Secret-1", `["readonly"]`, "tenant-a", 30)},
			{
				// A no-op refresh plans nothing.
				Config:           config("Secret-1", `["readonly"]`, "tenant-a", 30),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config:           config("Secret-1", `["admin"]`, "tenant-a", 30),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: planShows("permission", "issuperuser")},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("permission"), knownvalue.StringExact("admin")),
				},
			},
			{
				Config:           config("Secret-1", `["admin"]`, "tenant-a", 45),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: planShows()},
			},
			{
				Config:           config("Secret-2", `["admin"]`, "tenant-a", 45),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: planShows("force_change_password", "encrypted")},
			},
			{
				Config:           config("Secret-2", `["admin"]`, "tenant-b", 45),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: planShows("tenant_name")},
			},
			{
				Config:           config("Secret-2", `["admin"]`, "tenant-b", 45),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}
