package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
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

// admUsername is the ADM user the provider signs in as.
func (e *testEnv) admUsername() string {
	if e.mock != nil {
		return e.mock.Options().ADMUsername
	}
	return os.Getenv(admBackend.env("username"))
}

// sessionsCheck is a state check of the sessions a data source listed, as JSON
// values: for a configuration with for_each, which the legacy Check cannot read.
type sessionsCheck struct {
	address string
	check   func(sessions []map[string]any) error
}

func (c sessionsCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	sessions, _, err := stateObjects(req.State, c.address, "sessions")
	if err == nil {
		err = c.check(sessions)
		if err != nil {
			err = fmt.Errorf("%s: %w", c.address, err)
		}
	}
	resp.Error = err
}

// sessionsInclude asserts that a session list holds every one of ids, and that each
// session it holds has field set to value: a filter's result on an appliance others
// share, where the list may hold sessions the test did not make.
func sessionsInclude(address string, ids []string, field, value string) statecheck.StateCheck {
	return sessionsCheck{address, func(sessions []map[string]any) error {
		listed := map[any]bool{}
		for i, session := range sessions {
			listed[session["id"]] = true
			if got := session[field]; got != value {
				return fmt.Errorf("session %d has %s %v, want only %q", i, field, got, value)
			}
		}
		for _, id := range ids {
			if !listed[id] {
				return fmt.Errorf("session %s not listed", id)
			}
		}
		return nil
	}}
}

// firstIdleSeconds asserts the idle_seconds of the first session listed, as
// checkIdleSeconds does.
func (e *testEnv) firstIdleSeconds(address string, lastActivity int64) statecheck.StateCheck {
	return sessionsCheck{address, func(sessions []map[string]any) error {
		if len(sessions) == 0 {
			return fmt.Errorf("no session listed")
		}
		// A JSON number, as json.Number or float64: idle seconds are small either way.
		return e.idleSecondsWithin(fmt.Sprint(sessions[0]["idle_seconds"]), lastActivity)
	}}
}

// TestAccMPSSessions_filtersAndForEachTermination ends every session of one user and
// no other session.
func TestAccMPSSessions_filtersAndForEachTermination(t *testing.T) {
	env := newTestEnv(t, admBackend)
	dave, erin := env.name("dave"), env.name("erin")
	env.createUser(t, dave, personPassword)
	env.createUser(t, erin, personPassword)
	departed := []string{env.signIn(t, dave, personPassword), env.signIn(t, dave, personPassword)}
	sort.Strings(departed)
	keep := env.signIn(t, erin, personPassword)
	ours := append(slices.Clone(departed), keep)
	reported := env.session(t, departed[0])
	lists := env.providerConfig("") + fmt.Sprintf(`
data "accessplane_mpssessions" "dave"    { username = %[1]q }
data "accessplane_mpssessions" "client"  { client_type = %[2]q }
data "accessplane_mpssessions" "by_ip"   { ip_address = %[3]q }
data "accessplane_mpssessions" "tenant"  {
  username    = %[1]q
  tenant_name = %[4]q
}
data "accessplane_mpssessions" "elsewhere" {
  username    = %[1]q
  tenant_name = "tfacc-no-such-tenant"
}
data "accessplane_mpssessions" "mine"    { is_self = true }
`, dave, reported.ClientType, reported.IPAddress, reported.TenantName)
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
					size("dave", 2), size("tenant", 2), size("elsewhere", 0), size("mine", 1),
					// The provider's own session, the one it reads with.
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.mine", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("username"), knownvalue.StringExact(env.admUsername())),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.mine", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("client_type"), knownvalue.StringExact(reported.ClientType)),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.mine", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("is_self"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.dave", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(departed[0])),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.tenant", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(departed[0])),
					sessionsInclude("data.accessplane_mpssessions.client", ours, "client_type", reported.ClientType),
					sessionsInclude("data.accessplane_mpssessions.by_ip", ours, "ip_address", reported.IPAddress),
					sessionsInclude("data.accessplane_mpssessions.tenant", departed, "username", dave),
					env.firstIdleSeconds("data.accessplane_mpssessions.tenant", int64(reported.LastActivityTime)),
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
	mockOnly(t, "exact idle_seconds of a session idle for 90 minutes needs the mock's clock and a session seeded with that last activity")
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
			mockOnly(t, "needs 1,214 sessions of ten users seeded at once and asserts the appliance's whole session count; the legacy MAS generation (NITRO v1) is a mock option")
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
