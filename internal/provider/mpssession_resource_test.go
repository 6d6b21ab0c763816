package provider

import (
	"fmt"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

const sessionAddress = "accessplane_mpssession.test"

// volatileSessionFields change on every read, so import cannot match them.
var volatileSessionFields = []string{"last_activity_time", "expire_after"}

func (e *testEnv) sessionAlive(id string) bool {
	for _, s := range e.mock.Sessions() {
		if s.ID == id {
			return true
		}
	}
	return false
}

func TestAccMPSSession_adoptReadTerminate(t *testing.T) {
	env := newTestEnv(t)
	id := env.mock.SeedSession(mock.SessionSeed{Username: "carol", ClientType: "browser", IPAddress: "198.51.100.4", IdleFor: time.Hour})
	config := env.providerConfig("") + `
resource "accessplane_mpssession" "test" {
  id = "` + id + `"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if env.sessionAlive(id) {
				return fmt.Errorf("session %s still alive after destroy", id)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(sessionAddress, tfjsonpath.New("username"), knownvalue.StringExact("carol")),
					statecheck.ExpectKnownValue(sessionAddress, tfjsonpath.New("client_type"), knownvalue.StringExact("browser")),
					statecheck.ExpectKnownValue(sessionAddress, tfjsonpath.New("ip_address"), knownvalue.StringExact("198.51.100.4")),
					statecheck.ExpectKnownValue(sessionAddress, tfjsonpath.New("is_self"), knownvalue.Bool(false)),
				},
			},
			{Config: config, PlanOnly: true},
			{
				ResourceName:            sessionAddress,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: volatileSessionFields,
			},
			{
				// The user signs out: refresh drops the session and the plan adopts it again,
				// which fails with a clear message because it no longer exists.
				PreConfig: func() { env.mock.EndSession(id) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(sessionAddress, plancheck.ResourceActionCreate)},
				},
				ExpectError: regexp.MustCompile(`(?s)No such ADM session.*has\s+ended\s+or\s+never\s+existed`),
			},
		},
	})
}

func TestAccMPSSession_missingIDFails(t *testing.T) {
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.providerConfig("") + `resource "accessplane_mpssession" "test" { id = "0123456789abcdef" }`,
			ExpectError: regexp.MustCompile(`(?s)No such ADM session.*"0123456789abcdef": it has ended or never\s+existed`),
		}},
	})
}

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
data "accessplane_mpssession" "one"      { id = "` + keep + `" }
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
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lists + terminate,
				ConfigStateChecks: []statecheck.StateCheck{
					size("dave", 2), size("browser", 2), size("by_ip", 2), size("blue", 1), size("mine", 1),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.mine", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("username"), knownvalue.StringExact("nsroot")),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.mine", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("client_type"), knownvalue.StringExact("API")),
					statecheck.ExpectKnownValue("data.accessplane_mpssession.one", tfjsonpath.New("username"), knownvalue.StringExact("erin")),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.dave", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(departed[0])),
					statecheck.ExpectKnownValue("data.accessplane_mpssessions.blue", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("idle_seconds"), knownvalue.Int64Func(func(v int64) error {
						if v > 60 {
							return fmt.Errorf("a fresh session idle for %ds", v)
						}
						return nil
					})),
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

func TestAccMPSSessions_idleSeconds(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedSession(mock.SessionSeed{Username: "idler", IdleFor: 90 * time.Minute})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerConfig("") + `data "accessplane_mpssessions" "idle" { username = "idler" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.accessplane_mpssessions.idle", tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("idle_seconds"), knownvalue.Int64Func(func(v int64) error {
					if v < 5400 || v > 5460 {
						return fmt.Errorf("idle_seconds %d, want about 5400", v)
					}
					return nil
				})),
			},
		}},
	})
}

// TestAccADMLogin_opensAndClosesOneSession: each Terraform run that uses the
// ephemeral login signs in once as its user and signs that session out again.
func TestAccADMLogin_opensAndClosesOneSession(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedUsers("pipeline", 1)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{needsEphemeral},
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"accessplane": protoV6ProviderFactories["accessplane"],
			"echo":        echoprovider.NewProviderServer(),
		},
		Steps: []resource.TestStep{{
			PreConfig: env.mock.ResetCounts,
			Config: env.providerConfig("") + `
ephemeral "accessplane_adm_login" "pipeline" {
  username = "pipeline-0001"
  password = "password"
}
provider "echo" {
  data = { expires_in = ephemeral.accessplane_adm_login.pipeline.expires_in }
}
resource "echo" "login" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.login", tfjsonpath.New("data").AtMapKey("expires_in"), knownvalue.Int64Exact(1800)),
			},
			Check: func(*terraform.State) error {
				opened, closed := env.mock.SignIns("pipeline-0001"), env.mock.Count("POST /nitro/v1/config/logout")
				if opened == 0 || opened != closed {
					return fmt.Errorf("ephemeral login opened %d sessions and closed %d", opened, closed)
				}
				for _, s := range env.mock.Sessions() {
					if s.Username == "pipeline-0001" {
						return fmt.Errorf("session %s of the ephemeral login is still open", s.ID)
					}
				}
				return nil
			},
		}},
	})
}

const (
	routeSessionListV1   = "GET /nitro/v1/config/mpssession"
	routeSessionListV2   = "GET /nitro/v2/config/mpssession"
	routeSessionDeleteV1 = "DELETE /nitro/v1/config/mpssession/{id}"
	routeSessionDeleteV2 = "DELETE /nitro/v2/config/mpssession/{id}"
)

// TestAccMPSSessions_bothGenerations: on a current ADM the session list uses NITRO v2
// with the filter on the appliance and pages through more sessions than one page
// holds; on a legacy MAS, whose v1 ignores every query parameter and returns all 1,214
// sessions, the provider filters them itself. Both give exactly user1's 3 sessions,
// and adopting and terminating one works on both.
func TestAccMPSSessions_bothGenerations(t *testing.T) {
	for _, tc := range []struct {
		generation, listRoute, deleteRoute string
	}{
		{mock.GenerationCurrent, routeSessionListV2, routeSessionDeleteV2},
		{mock.GenerationLegacy, routeSessionListV1, routeSessionDeleteV1},
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
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					if env.sessionAlive(mine[0]) {
						return fmt.Errorf("the adopted session %s survived destroy", mine[0])
					}
					if !env.sessionAlive(mine[1]) || !env.sessionAlive(mine[2]) {
						return fmt.Errorf("destroy ended more than the adopted session")
					}
					if n := env.mock.Count(tc.deleteRoute); n != 1 {
						return fmt.Errorf("%d calls to %s, want 1", n, tc.deleteRoute)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{
						PreConfig: env.mock.ResetCounts,
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
							if env.mock.Count(tc.listRoute) == 0 {
								return fmt.Errorf("no call to %s: %v", tc.listRoute, env.mock.Counts())
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
