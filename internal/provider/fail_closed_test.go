package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccReliability_builtInUserNeverAdopted: a create of nsroot, the appliance's
// built-in user, whose reply is lost finds nsroot by name, which proves nothing
// about the create. The provider adopts nothing and changes nothing: the apply fails
// saying the user may exist and naming the explicit import, the state stays empty
// (the next plan still creates it) and nsroot keeps its password.
func TestAccReliability_builtInUserNeverAdopted(t *testing.T) {
	mockOnly(t, "needs the create's reply lost (an injected dropped reply), and creates the appliance's built-in user nsroot, which a live run never touches")
	env := newTestEnv(t)
	config := env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name     = "nsroot"
  password = "Configured-1"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.resetCounts()
					env.mock.InjectFault(mock.Fault{Route: mock.RouteUserAdd, DropReply: true})
				},
				Config: config,
				ExpectError: regexp.MustCompile(`(?s)` + wrapped(`found is the appliance's built-in default user, which is never adopted this way`) +
					`.*` + wrapped(`If it exists, import it: terraform import accessplane_mpsuser.<name> name:nsroot`)),
			},
			{
				// Nothing was adopted: the state holds no user, so the plan creates one.
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	// The state ends empty, so the framework would skip a CheckDestroy: the appliance
	// is checked once the test case has run. nsroot's own password still signs in and
	// the configured one does not.
	check(t, env.checkCount(mock.RouteUserAdd, 1), env.checkCount(mock.RouteUserList, 1), env.checkCount(mock.RouteUserUpdate, 0),
		env.checkSignsIn("nsroot", "nsroot", "Configured-1"))
}

// TestAccUserSignout_unreadableIsSelfIsLeftAlone: one of dana's ADM sessions comes
// without is_self, so it may be the provider's own. The sign-out ends her other
// sessions, leaves that one alone and fails naming it as not ended; nobody else's
// session ends and nothing is saved.
func TestAccUserSignout_unreadableIsSelfIsLeftAlone(t *testing.T) {
	mockOnly(t, "needs a session seeded without is_self, an odd reply no appliance gives on request")
	env := newTestEnv(t)
	env.seedPerson("dana", 2, 0, 0)
	unclear := env.mock.SeedSession(mock.SessionSeed{Username: "dana", WithoutIsSelf: true})
	env.seedPerson("bob", 1, 0, 0)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: env.resetCounts,
			Config: env.providerConfig("") + `
resource "accessplane_user_signout" "test" {
  adm_username = "dana"
}
`,
			ExpectError: regexp.MustCompile(`(?s)` + wrapped("Sign-out incomplete") + `.*` +
				wrapped(`1 of 3 sessions of "dana" not ended`) + `.*` +
				wrapped(`session `+unclear+`: left alone: the appliance did not say whether it is the provider's own session (is_self)`)),
		}},
	})
	// A failed sign-out saves nothing, so the framework would skip a CheckDestroy: the
	// appliance is checked once the test case has run.
	check(t, env.checkMockLive("dana", 1, 0, 0), env.checkMockLive("bob", 1, 0, 0), env.checkCount(mock.RouteSessionDeleteV2, 2),
		func(*terraform.State) error {
			if !env.sessionAlive(unclear) {
				return fmt.Errorf("the session without is_self was ended")
			}
			return nil
		})
}
