package provider

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// The people a sign-out test signs out, and the sessions they hold. On either target
// a person's sessions are made as the person makes them: ADM sessions by signing in
// as a tfacc- user the test made, Nimble tokens by signing in as the Nimble person.
// Dynatrace sessions come only from browsers, so a person's cluster_user_id
// (<name>@example.com) has none; ending real cluster sessions is proven on the mock
// only, by the mock-only tests that seed them (person).

// signee is one person to sign out, by the names each plane knows them by. An empty
// name is a plane the person is not on.
type signee struct {
	adm, admPassword       string // a tfacc- ADM user the test made
	cluster                string // a Dynatrace user id without sessions
	nimble, nimblePassword string // the Nimble person (env.nimblePerson)
}

// newSignee makes the ADM user env.name(suffix), deleted with its sessions when the
// test ends; with nimble, the person is also the Nimble person, held by the test and
// starting without tokens.
func (e *testEnv) newSignee(t *testing.T, suffix string, nimble bool) signee {
	t.Helper()
	name := e.name(suffix)
	p := signee{adm: name, admPassword: "Tfacc-Secret-" + suffix + "-1", cluster: name + "@example.com"}
	e.createUser(t, p.adm, p.admPassword)
	if nimble {
		p.nimble, p.nimblePassword = e.nimblePerson(t)
	}
	return p
}

// signeeSignIn opens adm ADM sessions and nimble Nimble tokens as the person does.
func (e *testEnv) signeeSignIn(t *testing.T, p signee, adm, nimble int) {
	t.Helper()
	for i := 0; i < adm; i++ {
		e.signIn(t, p.adm, p.admPassword)
	}
	for i := 0; i < nimble; i++ {
		e.nimbleSignIn(t, p.nimble, p.nimblePassword)
	}
}

// signeeSessions counts what the person still has on each plane, through the vendor APIs.
func (e *testEnv) signeeSessions(p signee) (adm, cluster, nimble int, err error) {
	if p.adm != "" {
		sessions, err := e.admSessions(p.adm)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("ADM sessions of %s: %w", p.adm, err)
		}
		adm = len(sessions)
	}
	if p.cluster != "" && e.cluster != nil {
		ctx, cancel := e.ctx()
		defer cancel()
		sessions, err := e.cluster.ListSessions(ctx, p.cluster)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("cluster sessions of %s: %w", p.cluster, err)
		}
		cluster = len(sessions)
	}
	if p.nimble != "" {
		tokens, err := e.nimbleTokens(p.nimble)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("Nimble tokens of %s: %w", p.nimble, err)
		}
		nimble = len(tokens)
	}
	return adm, cluster, nimble, nil
}

// checkSignee asserts what the person still has on each plane, as the appliances
// report it: a signee never has Dynatrace sessions (they come only from browsers).
func (e *testEnv) checkSignee(p signee, adm, nimble int) resource.TestCheckFunc {
	const cluster = 0
	return func(*terraform.State) error {
		a, c, n, err := e.signeeSessions(p)
		if err != nil {
			return err
		}
		if a != adm || c != cluster || n != nimble {
			return fmt.Errorf("%s has %d ADM sessions, %d cluster sessions and %d Nimble tokens (as %q); want %d, %d and %d",
				p.adm, a, c, n, p.nimble, adm, cluster, nimble)
		}
		return nil
	}
}

// providerNow is "now" on the clock of the test's provider: the test clock on the
// mock, the wall clock live.
func (e *testEnv) providerNow() time.Time {
	if e.mock != nil {
		return testNow
	}
	return time.Now()
}

// checkTimeBetween asserts that value is an RFC 3339 time from from to to, both on
// the provider's clock (to the second): exactly testNow on the mock.
func checkTimeBetween(value string, from, to time.Time) error {
	at, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return fmt.Errorf("%q is not an RFC 3339 time: %v", value, err)
	}
	if at.Before(from.Truncate(time.Second)) || at.After(to) {
		return fmt.Errorf("time %s is not between %s and %s", value, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return nil
}

// targetEnvironment is the ACCESSPLANE_* variables that point the terraform CLI at the
// target: the mock's, or live the ones this run was given.
func (e *testEnv) targetEnvironment() map[string]string {
	if e.mock != nil {
		return e.environment()
	}
	vars := map[string]string{}
	for _, b := range planes {
		for _, setting := range []string{"endpoint", "username", "password", "api_token", "insecure", "ca_certificate"} {
			name := b.env(setting)
			if value, set := os.LookupEnv(name); set {
				vars[name] = value
			}
		}
	}
	return vars
}

// --- mock-only: seeded sessions, read from the mock's memory ---
// These keep their names for the mock-only tests of other files too.

// person seeds sessions for one person on all three planes of the mock: adm ADM
// sessions, cluster Dynatrace sessions (as name@example.com) and nimble Nimble tokens.
// Only mock-only tests call it.
func (e *testEnv) person(name string, adm, cluster, nimble int) {
	for i := 0; i < adm; i++ {
		e.mock.SeedSession(mock.SessionSeed{Username: name})
	}
	if cluster > 0 {
		e.mock.SeedClusterSessions(mock.ClusterSessionSeed{UserID: name + "@example.com", Count: cluster})
	}
	if nimble > 0 {
		e.mock.SeedTokens(mock.TokenSeed{Username: name, Count: nimble})
	}
}

// liveSessions counts what name still has on each plane of the mock.
func (e *testEnv) liveSessions(name string) (adm, cluster, nimble int) {
	for _, s := range e.mock.Sessions() {
		if s.Username == name {
			adm++
		}
	}
	for _, s := range e.mock.ClusterSessions() {
		if s.UserID == name+"@example.com" {
			cluster++
		}
	}
	for _, t := range e.mock.Tokens() {
		if t.Username == name {
			nimble++
		}
	}
	return adm, cluster, nimble
}

// checkLive asserts what name still has on each plane of the mock.
func (e *testEnv) checkLive(name string, adm, cluster, nimble int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if a, c, n := e.liveSessions(name); a != adm || c != cluster || n != nimble {
			return fmt.Errorf("%s has %d ADM sessions, %d cluster sessions and %d Nimble tokens; want %d, %d and %d", name, a, c, n, adm, cluster, nimble)
		}
		return nil
	}
}

// seedPerson, mockSessions and checkMockLive are person, liveSessions and checkLive
// under names that say they read and write the mock's memory; mock-only tests only.
func (e *testEnv) seedPerson(name string, adm, cluster, nimble int) {
	e.person(name, adm, cluster, nimble)
}

func (e *testEnv) mockSessions(name string) (adm, cluster, nimble int) { return e.liveSessions(name) }

func (e *testEnv) checkMockLive(name string, adm, cluster, nimble int) resource.TestCheckFunc {
	return e.checkLive(name, adm, cluster, nimble)
}
