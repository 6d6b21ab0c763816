package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

func leaverConfig(env *testEnv, endSessions string) string {
	return env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name     = "leaver"
  password = "Secret-123"
  ` + endSessions + `
}
`
}

// TestAccMPSUser_endSessionsOnDestroy: on both ADM generations, turning
// end_sessions_on_destroy on costs no request, and destroying the user ends exactly
// its sessions before the DELETE; other users' sessions and the provider's own stay.
func TestAccMPSUser_endSessionsOnDestroy(t *testing.T) {
	for generation, sessionEnd := range map[string]string{mock.GenerationCurrent: mock.RouteSessionDeleteV2, mock.GenerationLegacy: mock.RouteSessionDeleteV1} {
		t.Run(generation, func(t *testing.T) {
			env := newTestEnvWith(t, mock.Options{ADMGeneration: generation})
			other := env.mock.SeedSession(mock.SessionSeed{Username: "stayer"})
			leftAtDelete := env.admSessionsAtDelete("leaver")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				// The last step destroys the user and checks what that did; the state
				// ends empty, so a CheckDestroy would never run.
				Steps: []resource.TestStep{
					{
						Config: leaverConfig(env, ""),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("end_sessions_on_destroy"), knownvalue.Bool(false)),
						},
					},
					{
						PreConfig: env.resetCounts,
						Config:    leaverConfig(env, "end_sessions_on_destroy = true"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(userAddress, plancheck.ResourceActionUpdate),
								// Only the flag changes; what the appliance reports stays known.
								plancheck.ExpectKnownValue(userAddress, tfjsonpath.New("permission"), knownvalue.StringExact("readonly")),
							},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("end_sessions_on_destroy"), knownvalue.Bool(true)),
						},
						Check: env.checkCount(mock.RouteUserUpdate, 0),
					},
					{
						PreConfig: func() {
							env.person("leaver", 3, 0, 0)
							env.resetCounts()
						},
						Config: env.providerConfig(""),
						Check: resource.ComposeAggregateTestCheckFunc(
							env.checkUserGone("leaver"),
							env.checkLive("leaver", 0, 0, 0),
							env.checkCount(sessionEnd, 3),
							env.checkCount(mock.RouteUserDelete, 1),
							func(*terraform.State) error {
								if n := leftAtDelete.Load(); n != 0 {
									return fmt.Errorf("the user still had %d sessions when it was deleted", n)
								}
								if !env.sessionAlive(other) {
									return fmt.Errorf("another user's session was ended")
								}
								return nil
							},
						),
					},
				},
			})
		})
	}
}

// TestAccMPSUser_endSessionsFailureKeepsTheUser: a session that cannot be ended fails
// the destroy before the DELETE, so the user and the flag stay for the next destroy.
func TestAccMPSUser_endSessionsFailureKeepsTheUser(t *testing.T) {
	env := newTestEnv(t)
	config := env.providerConfig("max_retries = 0") + `
resource "accessplane_mpsuser" "test" {
  name                    = "leaver"
  password                = "Secret-123"
  end_sessions_on_destroy = true
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkUserGone("leaver")),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.person("leaver", 2, 0, 0)
					env.mock.InjectFault(mock.Fault{Route: mock.RouteSessionDeleteV2, Status: 500})
				},
				Config:  config,
				Destroy: true,
				ExpectError: regexp.MustCompile(`(?s)` + wrapped(`Could not end the sessions of ADM user "leaver"`) + `.*` +
					wrapped(`Ended 1 sessions; 1 of 2 sessions of "leaver" not ended`) + `.*` + wrapped("The user was not deleted")),
			},
			{
				// The user is still there and still managed, with one session left.
				PreConfig: func() {
					if _, found := env.mock.UserByName("leaver"); !found {
						t.Error("the user was deleted although a session survived")
					}
					if adm, _, _ := env.liveSessions("leaver"); adm != 1 {
						t.Errorf("leaver has %d sessions, want the 1 that failed", adm)
					}
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}
