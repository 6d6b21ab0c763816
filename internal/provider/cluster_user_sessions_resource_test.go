package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

const (
	policyAddress = "accessplane_cluster_user_sessions.test"
)

func TestAccClusterUserSessions_lifecycle(t *testing.T) {
	env := newTestEnv(t, clusterBackend)
	env.keepClusterPolicy(t) // parallel from here: the case runs with Test
	cfg := func(user, admin int, logout bool, timeout string) string {
		return env.providerConfig("") + policyConfig(user, admin, logout, timeout)
	}
	final := cluster.Policy{UserLimit: 4, AdminLimit: 6, LogoutInactiveUsersEnabled: false, UserInactivityTimeoutSecs: 600}
	update := func(config string, want cluster.Policy) tfresource.TestStep {
		return tfresource.TestStep{
			PreConfig: env.resetCounts,
			Config:    config,
			ConfigPlanChecks: tfresource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate)},
			},
			Check: tfresource.ComposeAggregateTestCheckFunc(env.checkPolicy(want), env.checkCount(mock.RoutePolicyPut, 1)),
		}
	}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		// Destroy forgets the policy: the cluster keeps the last one applied.
		CheckDestroy: destroyCheck(t, env.checkPolicy(final)),
		Steps: []tfresource.TestStep{
			{
				PreConfig: env.resetCounts,
				Config:    cfg(2, 5, true, "900"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("id"), knownvalue.StringExact("cluster")),
					statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("user_limit"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("admin_limit"), knownvalue.Int64Exact(5)),
				},
				Check: tfresource.ComposeAggregateTestCheckFunc(
					env.checkPolicy(cluster.Policy{UserLimit: 2, AdminLimit: 5, LogoutInactiveUsersEnabled: true, UserInactivityTimeoutSecs: 900}),
					env.checkCount(mock.RoutePolicyPut, 1),
				),
			},
			{Config: cfg(2, 5, true, "900"), PlanOnly: true},
			update(cfg(3, 5, true, "900"), cluster.Policy{UserLimit: 3, AdminLimit: 5, LogoutInactiveUsersEnabled: true, UserInactivityTimeoutSecs: 900}),
			update(cfg(3, 6, true, "900"), cluster.Policy{UserLimit: 3, AdminLimit: 6, LogoutInactiveUsersEnabled: true, UserInactivityTimeoutSecs: 900}),
			update(cfg(3, 6, true, "600"), cluster.Policy{UserLimit: 3, AdminLimit: 6, LogoutInactiveUsersEnabled: true, UserInactivityTimeoutSecs: 600}),
			update(cfg(3, 6, false, "600"), cluster.Policy{UserLimit: 3, AdminLimit: 6, LogoutInactiveUsersEnabled: false, UserInactivityTimeoutSecs: 600}),
			{
				// A console click lifts the limits: the plan puts them back.
				PreConfig: func() {
					env.setPolicy(t, cluster.Policy{UserInactivityTimeoutSecs: 600})
					env.resetCounts()
				},
				Config: cfg(4, 6, false, "600"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(policyAddress, tfjsonpath.New("admin_limit"), knownvalue.Int64Exact(6)),
						// The one computed attribute keeps its value: an update plans only what changes.
						plancheck.ExpectKnownValue(policyAddress, tfjsonpath.New("id"), knownvalue.StringExact("cluster")),
					},
				},
				Check: tfresource.ComposeAggregateTestCheckFunc(env.checkPolicy(final), env.checkCount(mock.RoutePolicyPut, 1), env.checkCount(mock.RoutePolicyGet, 1)),
			},
			{
				ResourceName:      policyAddress,
				ImportState:       true,
				ImportStateId:     "cluster",
				ImportStateVerify: true,
			},
			{
				ResourceName:  policyAddress,
				ImportState:   true,
				ImportStateId: "policy",
				ExpectError:   regexp.MustCompile(`import it with the id "cluster"`),
			},
		},
	})
}

func TestAccClusterUserSessions_tokenWithoutPermission(t *testing.T) {
	mockOnly(t, "needs a valid token that lacks the ServiceProviderAPI permission, which the mock issues")
	t.Parallel() // once for both runs below, which share one mock
	env := newTestEnv(t)
	for _, token := range []string{"mock-token-without-scope", "not-a-token"} {
		tfresource.Test(t, tfresource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []tfresource.TestStep{{
				Config: fmt.Sprintf(`
provider "accessplane" {
  cluster = {
    endpoint  = %q
    api_token = %q
  }
}
`, env.server.URL, token) + policyConfig(1, 1, true, "900"),
				ExpectError: regexp.MustCompile(`(?s)HTTP 40[13].*api_token must be valid and have\s+the\s+ServiceProviderAPI\s+permission`),
			}},
		})
	}
	check(t, env.checkPolicy(cluster.Policy{UserLimit: 1, AdminLimit: 1, LogoutInactiveUsersEnabled: true, UserInactivityTimeoutSecs: 900}))
}

// TestClusterUserSessionsDeleteWarns: destroy makes no call and says why.
func TestClusterUserSessionsDeleteWarns(t *testing.T) {
	var resp resource.DeleteResponse
	(&clusterUserSessionsResource{}).Delete(context.Background(), resource.DeleteRequest{}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(resp.Diagnostics.Warnings()[0].Detail(), "stay as they are") {
		t.Fatalf("diagnostics %v, want one warning that the policy stays", resp.Diagnostics)
	}
}
