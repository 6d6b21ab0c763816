package provider

import (
	"fmt"
	"net/url"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// hostPort is the ADM plane's host and port (the mock's, or the live endpoint's), as
// diagnostics name an appliance.
func (e *testEnv) hostPort() string {
	u, err := url.Parse(e.endpoint(admBackend))
	if err != nil {
		panic(err)
	}
	return u.Host
}

// TestAccDiagnosticsNameTheAppliance: each backend at its own mock, each failing its
// list with HTTP 400; every error names the host and port of the appliance that
// failed, so that in a fleet an error says which appliance it is about.
func TestAccDiagnosticsNameTheAppliance(t *testing.T) {
	mockOnly(t, "needs an injected fault (HTTP 400 on every list) and one appliance per plane on its own port")
	adm, cluster, nimble := newTestEnvWith(t, mock.Options{}), newTestEnvWith(t, mock.Options{}), newTestEnvWith(t, mock.Options{})
	config := fmt.Sprintf(`
provider "accessplane" {
  adm     = { endpoint = %q, username = "nsroot", password = "nsroot" }
  cluster = { endpoint = %q, api_token = "mock-cluster-token" }
  nimble  = { endpoint = %q, username = "admin", password = "admin" }
  max_retries = 0
}
`, adm.server.URL, cluster.server.URL, nimble.server.URL)
	fault := func(env *testEnv, route string) func() {
		return func() { env.mock.InjectFault(mock.Fault{Route: route, Count: mock.Persistent, Status: 400}) }
	}
	// The three mocks listen on three ports, so the right port is the right appliance.
	names := func(summary string, env *testEnv) *regexp.Regexp {
		return regexp.MustCompile(wrapped(summary + " on " + env.hostPort()))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: nimble.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig:   fault(adm, mock.RouteUserList),
				Config:      config + `data "accessplane_mpsusers" "all" {}`,
				ExpectError: names("Could not list ADM users", adm),
			},
			{
				PreConfig:   fault(cluster, mock.RoutePolicyGet),
				Config:      config + `data "accessplane_cluster_user_sessions" "policy" {}`,
				ExpectError: names("Could not read the cluster's user-session policy", cluster),
			},
			{
				PreConfig:   fault(nimble, mock.RouteTokenList),
				Config:      config + `data "accessplane_tokens" "all" {}`,
				ExpectError: names("Could not list Nimble session tokens", nimble),
			},
		},
	})
}
