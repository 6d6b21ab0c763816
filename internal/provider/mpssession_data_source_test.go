package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccMPSSessionDataSource reads one live session of several by id, and names the
// id of one that has ended.
func TestAccMPSSessionDataSource(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedSession(mock.SessionSeed{Username: "dave", ClientType: "API"})
	id := env.mock.SeedSession(mock.SessionSeed{Username: "erin", ClientType: "browser", IPAddress: "203.0.113.1", TenantName: "blue", IdleFor: 45 * time.Minute})
	ended := env.mock.SeedSession(mock.SessionSeed{Username: "frank"})
	env.mock.EndSession(ended)
	const one = "data.accessplane_mpssession.one"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.providerConfig("") + `data "accessplane_mpssession" "one" { id = "` + id + `" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(one, tfjsonpath.New("username"), knownvalue.StringExact("erin")),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("client_type"), knownvalue.StringExact("browser")),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("ip_address"), knownvalue.StringExact("203.0.113.1")),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("tenant_name"), knownvalue.StringExact("blue")),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("is_self"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("last_activity_time"), knownvalue.Int64Exact(testNow.Add(-45*time.Minute).Unix())),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("idle_seconds"), knownvalue.Int64Exact(2700)),
				},
			},
			{
				Config:      env.providerConfig("") + `data "accessplane_mpssession" "ended" { id = "` + ended + `" }`,
				ExpectError: regexp.MustCompile(`(?s)No such ADM session.*` + ended),
			},
		},
	})
}
