package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

const sessionAddress = "accessplane_mpssession.test"

// volatileSessionFields change on every read, so import cannot match them.
var volatileSessionFields = []string{"last_activity_time", "expire_after"}

func TestAccMPSSession_adoptReadTerminate(t *testing.T) {
	env := newTestEnv(t)
	id := env.mock.SeedSession(mock.SessionSeed{Username: "carol", ClientType: "browser", IPAddress: "198.51.100.4", IdleFor: time.Hour})
	next := env.mock.SeedSession(mock.SessionSeed{Username: "carol", ClientType: "browser", IPAddress: "198.51.100.4"})
	adopt := func(id string) string {
		return env.providerConfig("") + `
resource "accessplane_mpssession" "test" {
  id = "` + id + `"
}
`
	}
	config := adopt(id)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		// Destroy terminates the session adopted last, and only that one.
		CheckDestroy: destroyCheck(t, func(*terraform.State) error {
			if env.sessionAlive(next) {
				return fmt.Errorf("session %s still alive after destroy", next)
			}
			return env.checkCount(mock.RouteSessionDeleteV2, 1)(nil)
		}),
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
			{
				// The failed create left the state empty; adopting another session
				// gives the destroy something to terminate.
				PreConfig: env.resetCounts,
				Config:    adopt(next),
				Check: func(*terraform.State) error {
					if !env.sessionAlive(next) {
						return fmt.Errorf("session %s ended by adopting it", next)
					}
					return nil
				},
			},
		},
	})
}

func TestAccMPSSession_missingIDFails(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.providerConfig("") + `resource "accessplane_mpssession" "test" { id = "0123456789abcdef" }`,
			ExpectError: regexp.MustCompile(`(?s)No such ADM session.*"0123456789abcdef": it has ended or never\s+existed`),
		}},
	})
}
