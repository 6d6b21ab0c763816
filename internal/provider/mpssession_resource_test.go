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
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

const sessionAddress = "accessplane_mpssession.test"

// volatileSessionFields change on every read, so import cannot match them.
var volatileSessionFields = []string{"last_activity_time", "expire_after"}

// personPassword is the password of the tfacc- people the session tests make and
// sign in as.
const personPassword = "Tfacc-Secret-123"

// session reads one ADM session through NITRO, as the appliance reports it: what a
// session's client_type, ip_address and tenant_name are depends on the appliance and
// on where the test runs, so the tests compare with this rather than with constants.
func (e *testEnv) session(t *testing.T, id string) *nitro.Session {
	t.Helper()
	ctx, cancel := e.ctx()
	defer cancel()
	session, err := e.adm.GetSession(ctx, id)
	if err != nil {
		t.Fatalf("reading ADM session %s: %v", id, err)
	}
	return session
}

// endSession ends one ADM session of a test's person through NITRO, behind
// Terraform's back, as the person signing out does.
func (e *testEnv) endSession(t *testing.T, id string) {
	t.Helper()
	ctx, cancel := e.ctx()
	defer cancel()
	if err := e.adm.DeleteSession(ctx, id); err != nil {
		t.Fatalf("ending ADM session %s: %v", id, err)
	}
	if e.sessionAlive(id) {
		t.Fatalf("ADM session %s is still listed after it was ended", id)
	}
}

func TestAccMPSSession_adoptReadTerminate(t *testing.T) {
	env := newTestEnv(t, admBackend)
	carol := env.name("carol")
	env.createUser(t, carol, personPassword)
	id := env.signIn(t, carol, personPassword)
	next := env.signIn(t, carol, personPassword)
	reported := env.session(t, id)
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
					statecheck.ExpectKnownValue(sessionAddress, tfjsonpath.New("username"), knownvalue.StringExact(carol)),
					statecheck.ExpectKnownValue(sessionAddress, tfjsonpath.New("client_type"), knownvalue.StringExact(reported.ClientType)),
					statecheck.ExpectKnownValue(sessionAddress, tfjsonpath.New("ip_address"), knownvalue.StringExact(reported.IPAddress)),
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
				PreConfig: func() { env.endSession(t, id) },
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
	env := newTestEnv(t, admBackend)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.providerConfig("") + `resource "accessplane_mpssession" "test" { id = "0123456789abcdef" }`,
			ExpectError: regexp.MustCompile(`(?s)No such ADM session.*"0123456789abcdef": it has ended or never\s+existed`),
		}},
	})
}
