package provider

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccMPSSessions_filtersAndForEachTermination ends every session of one user and
// no other session.
func TestAccMPSSessions_filtersAndForEachTermination(t *testing.T) {
	env := newTestEnv(t)
	departed := []string{
		env.mock.SeedSession(mock.SessionSeed{Username: "dave", ClientType: "browser", IPAddress: "203.0.113.1", IdleFor: 2 * time.Hour}),
		env.mock.SeedSession(mock.SessionSeed{Username: "dave", ClientType: "API", IPAddress: "203.0.113.2", TenantName: "blue"}),
	}
	sort.Strings(departed)
	keep := env.mock.SeedSession(mock.SessionSeed{Username: "erin", ClientType: "browser", IPAddress: "203.0.113.1"})
	lists := env.providerConfig("") + `
data "accessplane_mpssessions" "dave"    { username = "dave" }
data "accessplane_mpssessions" "browser" { client_type = "browser" }
data "accessplane_mpssessions" "by_ip"   { ip_address = "203.0.113.1" }
data "accessplane_mpssessions" "blue"    { tenant_name = "blue" }
data "accessplane_mpssessions" "mine"    { is_self = true }
`
	terminate := `
resource "accessplane_mpssession" "departed" {
  for_each = { for s in data.accessplane_mpssessions.dave.sessions : s.id => s }
  id       = each.key
}
`
	size := func(name string, n int) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.accessplane_mpssessions."+name, tfjsonpath.New("sessions"), knownvalue.ListSizeExact(n))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: lists + terminate,
				ConfigStateChecks: []statecheck.StateCheck{
					size("dave", 2), size("browser", 2), size("by_ip", 2), size("blue", 1), size("mine", 1),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.mine", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("username"), knownvalue.StringExact("nsroot")),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.mine", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("client_type"), knownvalue.StringExact("API")),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.dave", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(departed[0])),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.blue", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("idle_seconds"), knownvalue.Int64Exact(0)),
				},
			},
			{
				// Dropping the resources terminates exactly the adopted sessions.
				Config: lists,
				Check: func(*terraform.State) error {
					for _, id := range departed {
						if env.sessionAlive(id) {
							return fmt.Errorf("session %s of dave survived", id)
						}
					}
					if !env.sessionAlive(keep) {
						return fmt.Errorf("erin's session %s was ended too", keep)
					}
					return nil
				},
			},
		},
	})
}

// TestAccMPSSessions_idleSeconds: idle_seconds is now − last_activity_time, exactly,
// since the provider and the mock share the test clock.
func TestAccMPSSessions_idleSeconds(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedSession(mock.SessionSeed{Username: "idler", IdleFor: 90 * time.Minute})
	idle := tfjsonpath.New("sessions").AtSliceIndex(0)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerConfig("") + `data "accessplane_mpssessions" "idle" { username = "idler" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.accessplane_mpssessions.idle", idle.AtMapKey("last_activity_time"), knownvalue.Int64Exact(testNow.Add(-90*time.Minute).Unix())),
				statecheck.ExpectKnownValue("data.accessplane_mpssessions.idle", idle.AtMapKey("idle_seconds"), knownvalue.Int64Exact(5400)),
			},
		}},
	})
}

// TestAccMPSSessions_bothGenerations: on a current ADM the session list uses NITRO v2
// with the filter on the appliance and pages through more sessions than one page
// holds; on a legacy MAS, whose v1 ignores every query parameter and returns all 1,214
// sessions, the provider filters them itself. Both give exactly user1's 3 sessions,
// and adopting and terminating one works on both.
func TestAccMPSSessions_bothGenerations(t *testing.T) {
	for _, tc := range []struct {
		generation, listRoute, deleteRoute string
	}{
		{mock.GenerationCurrent, mock.RouteSessionListV2, mock.RouteSessionDeleteV2},
		{mock.GenerationLegacy, mock.RouteSessionListV1, mock.RouteSessionDeleteV1},
	} {
		t.Run(tc.generation, func(t *testing.T) {
			env := newTestEnvWith(t, mock.Options{ADMGeneration: tc.generation})
			var mine []string
			for i := 0; i < 3; i++ {
				mine = append(mine, env.mock.SeedSession(mock.SessionSeed{Username: "user1", ClientType: "browser"}))
			}
			for i := 0; i < 1210; i++ {
				env.mock.SeedSession(mock.SessionSeed{Username: fmt.Sprintf("user%d", 2+i%10)})
			}
			sort.Strings(mine)
			config := env.providerConfig("") + `
data "accessplane_mpssessions" "user1" { username = "user1" }
data "accessplane_mpssessions" "all" {}
resource "accessplane_mpssession" "adopted" { id = "` + mine[0] + `" }
`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				CheckDestroy: destroyCheck(t, func(*terraform.State) error {
					if env.sessionAlive(mine[0]) {
						return fmt.Errorf("the adopted session %s survived destroy", mine[0])
					}
					if !env.sessionAlive(mine[1]) || !env.sessionAlive(mine[2]) {
						return fmt.Errorf("destroy ended more than the adopted session")
					}
					if n := env.count(tc.deleteRoute); n != 1 {
						return fmt.Errorf("%d calls to %s, want 1", n, tc.deleteRoute)
					}
					return nil
				}),
				Steps: []resource.TestStep{
					{
						PreConfig: env.resetCounts,
						Config:    config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.accessplane_mpssessions.user1", tfjsonpath.New("sessions"), knownvalue.ListExact([]knownvalue.Check{
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(mine[0]), "username": knownvalue.StringExact("user1")}),
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(mine[1]), "username": knownvalue.StringExact("user1")}),
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(mine[2]), "username": knownvalue.StringExact("user1")}),
							})),
							// 1,213 seeded sessions and the provider's own.
							statecheck.ExpectKnownValue("data.accessplane_mpssessions.all", tfjsonpath.New("sessions"), knownvalue.ListSizeExact(1214)),
							statecheck.ExpectKnownValue("accessplane_mpssession.adopted", tfjsonpath.New("username"), knownvalue.StringExact("user1")),
						},
						Check: func(*terraform.State) error {
							if env.count(tc.listRoute) == 0 {
								return fmt.Errorf("no call to %s: %v", tc.listRoute, env.counts())
							}
							return nil
						},
					},
					{Config: config, PlanOnly: true},
					{
						ResourceName:            "accessplane_mpssession.adopted",
						ImportState:             true,
						ImportStateVerify:       true,
						ImportStateVerifyIgnore: volatileSessionFields,
					},
				},
			})
		})
	}
}
