package provider

import (
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
)

// TestAccClusterUserSessionsDataSource reads the cluster's user-session policy as the
// Cluster API holds it. The policy is global: the test sets it through the API, and
// puts the one it found back at the end.
func TestAccClusterUserSessionsDataSource(t *testing.T) {
	t.Parallel() // before holding the policy, which a paused parallel test would keep
	env := newTestEnv(t, clusterBackend)
	env.keepClusterPolicy(t)
	env.setPolicy(t, cluster.Policy{UserLimit: 2, AdminLimit: 5, LogoutInactiveUsersEnabled: true, UserInactivityTimeoutSecs: 900})
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []tfresource.TestStep{{
			Config: env.providerConfig("") + `data "accessplane_cluster_user_sessions" "current" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.accessplane_cluster_user_sessions.current", tfjsonpath.New("user_limit"), knownvalue.Int64Exact(2)),
				statecheck.ExpectKnownValue("data.accessplane_cluster_user_sessions.current", tfjsonpath.New("admin_limit"), knownvalue.Int64Exact(5)),
				statecheck.ExpectKnownValue("data.accessplane_cluster_user_sessions.current", tfjsonpath.New("logout_inactive_users_enabled"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.accessplane_cluster_user_sessions.current", tfjsonpath.New("user_inactivity_timeout"), knownvalue.Int64Exact(900)),
			},
		}},
	})
}
