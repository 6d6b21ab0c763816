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

const (
	signoutAddress = "accessplane_user_signout.test"
)

// signoutConfig signs p out of every plane p is on.
func signoutConfig(env *testEnv, p signee, ticket string) string {
	return env.providerConfig("") + fmt.Sprintf(`
resource "accessplane_user_signout" "test" {
  adm_username    = %[1]q
  cluster_user_id = %[2]q
  nimble_username = %[3]q
  triggers        = { ticket = %[4]q }
}
`, p.adm, p.cluster, p.nimble, ticket)
}

// seededSignoutConfig signs name out of the mock's three planes, where the mock-only
// tests seeded name's sessions.
func seededSignoutConfig(env *testEnv, name, ticket string) string {
	return signoutConfig(env, signee{adm: name, cluster: name + "@example.com", nimble: name}, ticket)
}

func expectCounts(adm, cluster, nimble int64) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("adm_sessions_ended"), knownvalue.Int64Exact(adm)),
		statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("cluster_sessions_ended"), knownvalue.Int64Exact(cluster)),
		statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("nimble_tokens_revoked"), knownvalue.Int64Exact(nimble)),
	}
}

// checkSignedOutAt asserts that signed_out_at is an RFC 3339 time on the provider's
// clock from from to now: exactly testNow on the mock, whose clock the provider shares.
func (e *testEnv) checkSignedOutAt(from time.Time) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		return checkTimeBetween(s.RootModule().Resources[signoutAddress].Primary.Attributes["signed_out_at"], from, e.providerNow())
	}
}

// checkNoRequests asserts that the test's provider sent no request since the last
// reset, counted at the client.
func (e *testEnv) checkNoRequests(what string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		total := 0
		for _, n := range e.counts() {
			total += n
		}
		if total != 0 {
			return fmt.Errorf("%s sent %d requests: %v", what, total, e.counts())
		}
		return nil
	}
}

// TestAccUserSignout_allThreePlanes ends exactly one person's sessions on ADM and her
// tokens on the array, and asks the cluster (where a tfacc- person has none); another
// person's sessions stay; a second apply with the same triggers sends no request at
// all; new triggers sign the person out again; destroy ends nothing.
func TestAccUserSignout_allThreePlanes(t *testing.T) {
	t.Parallel() // before holding the Nimble person, which a paused parallel test would keep
	env := newTestEnv(t, admBackend, clusterBackend, nimbleBackend)
	alice := env.newSignee(t, "alice", true)
	bob := env.newSignee(t, "bob", false)
	env.signeeSignIn(t, alice, 2, 2)
	env.signeeSignIn(t, bob, 1, 0)
	start := env.providerNow()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkSignee(bob, 1, 0)),
		Steps: []resource.TestStep{
			{
				PreConfig:         env.resetCounts,
				Config:            signoutConfig(env, alice, "SEC-1"),
				ConfigStateChecks: expectCounts(2, 0, 2),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSignedOutAt(start),
					env.checkSignee(alice, 0, 0),
					env.checkSignee(bob, 1, 0),
					env.checkCount(mock.RouteClusterSessionList, 1),
					env.checkEnded(2, 1, 2),
				),
			},
			{
				// Same triggers: nothing to do, and reading the resource calls nobody.
				PreConfig: func() {
					env.signeeSignIn(t, alice, 1, 1) // alice signs in again
					env.resetCounts()
				},
				Config: signoutConfig(env, alice, "SEC-1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: expectCounts(2, 0, 2),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkNoRequests("an unchanged sign-out"),
					env.checkSignee(alice, 1, 1),
				),
			},
			{
				// New triggers sign her out again.
				PreConfig: env.resetCounts,
				Config:    signoutConfig(env, alice, "SEC-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(signoutAddress, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: expectCounts(1, 0, 1),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSignedOutAt(start),
					env.checkSignee(alice, 0, 0),
					env.checkSignee(bob, 1, 0),
					env.checkEnded(1, 1, 1),
				),
			},
		},
	})
}

// TestAccUserSignout_allThreePlanesSeeded ends exactly one person's seeded sessions on
// ADM, the cluster and the array; another person's stay, and so does the provider's
// own session; a second apply with the same triggers sends no request at all; new
// triggers sign the person out again; destroy ends nothing.
func TestAccUserSignout_allThreePlanesSeeded(t *testing.T) {
	mockOnly(t, "Dynatrace sessions come only from browsers; the mock seeds them")
	env := newTestEnvWith(t, mock.Options{})
	env.person("alice", 2, 3, 2)
	env.person("bob", 1, 1, 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkLive("bob", 1, 1, 1)),
		Steps: []resource.TestStep{
			{
				PreConfig:         env.resetCounts,
				Config:            seededSignoutConfig(env, "alice", "SEC-1"),
				ConfigStateChecks: expectCounts(2, 3, 2),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSignedOutAt(testNow),
					env.checkLive("alice", 0, 0, 0),
					env.checkLive("bob", 1, 1, 1),
					env.checkLive("nsroot", 1, 0, 0), // the provider's own session
					env.checkCount(mock.RouteSessionDeleteV2, 2),
					env.checkCount(mock.RouteClusterSessionList, 1),
					env.checkCount(mock.RouteClusterSessionEnd, 1),
					env.checkCount(mock.RouteTokenDelete, 2),
				),
			},
			{
				// Same triggers: nothing to do, and reading the resource calls nobody.
				PreConfig: func() {
					env.person("alice", 1, 1, 1) // alice signs in again
					env.resetCounts()
				},
				Config: seededSignoutConfig(env, "alice", "SEC-1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: expectCounts(2, 3, 2),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkNoRequests("an unchanged sign-out"),
					env.checkLive("alice", 1, 1, 1),
				),
			},
			{
				// New triggers sign her out again.
				PreConfig: env.resetCounts,
				Config:    seededSignoutConfig(env, "alice", "SEC-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(signoutAddress, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: expectCounts(1, 1, 1),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkSignedOutAt(testNow),
					env.checkLive("alice", 0, 0, 0),
					env.checkLive("bob", 1, 1, 1),
					env.checkCount(mock.RouteSessionDeleteV2, 1),
					env.checkCount(mock.RouteClusterSessionEnd, 1),
					env.checkCount(mock.RouteTokenDelete, 1),
				),
			},
		},
	})
}

// TestAccUserSignout_neverTheProvidersOwn signs out the accounts the provider itself
// signs in with: every other session and token of theirs ends, the provider's own
// stay, and the apply (which keeps using them) succeeds.
func TestAccUserSignout_neverTheProvidersOwn(t *testing.T) {
	mockOnly(t, "signs out the configured admin accounts, whose other sessions and tokens on a shared appliance belong to people")
	env := newTestEnvWith(t, mock.Options{})
	env.person("nsroot", 2, 0, 0)
	env.mock.SeedTokens(mock.TokenSeed{Username: "admin", Count: 3})
	var admBefore, nimbleBefore int
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			// Every session and token there is now belongs to someone else than the
			// provider process of the apply, which signs in only when it creates.
			PreConfig: func() {
				admBefore, _, _ = env.liveSessions("nsroot")
				_, _, nimbleBefore = env.liveSessions("admin")
			},
			Config: env.providerConfig("") + `
resource "accessplane_user_signout" "test" {
  adm_username    = "nsroot"
  nimble_username = "admin"
}
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(s *terraform.State) error {
					attributes := s.RootModule().Resources[signoutAddress].Primary.Attributes
					if attributes["adm_sessions_ended"] != fmt.Sprint(admBefore) || attributes["nimble_tokens_revoked"] != fmt.Sprint(nimbleBefore) || attributes["cluster_sessions_ended"] != "0" {
						return fmt.Errorf("counts %v; want %d ADM sessions and %d tokens", attributes, admBefore, nimbleBefore)
					}
					if admBefore < 2 || nimbleBefore < 3 {
						return fmt.Errorf("seeded sessions missing: %d, %d", admBefore, nimbleBefore)
					}
					return nil
				},
				env.checkLive("nsroot", 1, 0, 0),
				env.checkLive("admin", 0, 0, 1),
				func(*terraform.State) error {
					for _, s := range env.mock.Sessions() {
						if s.Username == "nsroot" && s.ClientType != "API" {
							return fmt.Errorf("the surviving nsroot session is not the provider's: %+v", s)
						}
					}
					for _, token := range env.mock.Tokens() {
						if token.Username == "admin" && token.AppName != "terraform-provider-accessplane" {
							return fmt.Errorf("the surviving admin token is not the provider's: %+v", token)
						}
					}
					return nil
				},
			),
		}},
	})
}

// TestAccUserSignout_nobodyToSignOut: a person without sessions anywhere is a success
// with counts of 0; the cluster's 404 means "none". Another person's sessions and
// tokens stay.
func TestAccUserSignout_nobodyToSignOut(t *testing.T) {
	t.Parallel() // before holding the Nimble person, which a paused parallel test would keep
	env := newTestEnv(t, admBackend, clusterBackend, nimbleBackend)
	bob := env.newSignee(t, "bob", true)
	env.signeeSignIn(t, bob, 1, 1)
	ghost := env.name("ghost")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkSignee(bob, 1, 1)),
		Steps: []resource.TestStep{{
			PreConfig:         env.resetCounts,
			Config:            signoutConfig(env, signee{adm: ghost, cluster: ghost + "@example.com", nimble: ghost}, "SEC-3"),
			ConfigStateChecks: expectCounts(0, 0, 0),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkEnded(0, 1, 0),
				env.checkSignee(bob, 1, 1),
			),
		}},
	})
}

// TestAccUserSignout_partialFailureSavesNothing: the cluster fails to end the
// sessions; the apply fails naming what was ended and what was not, saves nothing,
// and the next apply signs the person out of the cluster.
func TestAccUserSignout_partialFailureSavesNothing(t *testing.T) {
	mockOnly(t, "injects a cluster failure (HTTP 510) while the other planes succeed, and ends seeded cluster sessions")
	env := newTestEnvWith(t, mock.Options{})
	env.person("carol", 2, 3, 2)
	config := env.providerConfig("max_retries = 0") + `
resource "accessplane_user_signout" "test" {
  adm_username    = "carol"
  cluster_user_id = "carol@example.com"
  nimble_username = "carol"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.mock.InjectFault(mock.Fault{Route: mock.RouteClusterSessionEnd, Count: mock.Persistent, Status: 510})
				},
				Config: config,
				ExpectError: regexp.MustCompile(`(?s)` + wrapped("Sign-out incomplete") + `.*` +
					wrapped(`Ended: - ADM on `+env.hostPort()+`: 2 sessions of "carol" - Nimble on `+env.hostPort()+`: 2 session tokens of "carol"`) + `.*` +
					wrapped(`Not ended: - Dynatrace cluster on `+env.hostPort()+`: sessions of "carol@example.com": cluster sessions end: HTTP 510`) + `.*` +
					wrapped("Nothing was saved to the state, so the next apply signs the person out again.")),
			},
			{
				PreConfig: func() {
					if a, c, n := env.liveSessions("carol"); a != 0 || c != 3 || n != 0 {
						t.Errorf("after the failed apply carol has %d, %d, %d sessions; want 0, 3, 0", a, c, n)
					}
					env.mock.ClearFaults()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// Nothing was saved, so the resource is created anew.
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(signoutAddress, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: expectCounts(0, 3, 0),
				Check:             env.checkLive("carol", 0, 0, 0),
			},
		},
	})
}
