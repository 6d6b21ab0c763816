package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

func leaverConfig(env *testEnv, name, endSessions string) string {
	return env.providerConfig("") + fmt.Sprintf(`
resource "accessplane_mpsuser" "test" {
  name     = %q
  password = %q
  %s
}
`, name, personPassword, endSessions)
}

// requestLog is what the test's provider sent, in order: "sent <route>" when a
// request leaves and "done <route>" when its reply is in. It tells, at the client and
// so on any target, whether one request was answered before another was sent.
type requestLog struct {
	mu     sync.Mutex
	events []string
}

func (l *requestLog) add(event string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, event)
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = nil
}

// checkAllDoneBefore asserts that every request to route was answered before the
// first request to next was sent, and that next was sent.
func (l *requestLog) checkAllDoneBefore(route, next string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		for i, event := range l.events {
			if event != "sent "+next {
				continue
			}
			for _, later := range l.events[i+1:] {
				if strings.HasSuffix(later, " "+route) {
					return fmt.Errorf("%s was sent before every %s was answered: %v", next, route, l.events)
				}
			}
			return nil
		}
		return fmt.Errorf("no %s was sent: %v", next, l.events)
	}
}

type loggingTransport struct {
	next http.RoundTripper
	log  *requestLog
}

func (l loggingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	route := routeOf(r)
	l.log.add("sent " + route)
	defer l.log.add("done " + route)
	return l.next.RoundTrip(r)
}

// inOrder logs the provider's requests in order (env.factories(inOrder(log))).
func inOrder(log *requestLog) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper { return loggingTransport{next: next, log: log} }
}

// TestAccMPSUser_endSessionsOnDestroy: on both ADM generations, turning
// end_sessions_on_destroy on costs no request, and destroying the user ends exactly
// its sessions before the DELETE; other users' sessions and the provider's own stay.
func TestAccMPSUser_endSessionsOnDestroy(t *testing.T) {
	for _, tc := range []struct{ generation, sessionEnd, sessionPath string }{
		{mock.GenerationCurrent, mock.RouteSessionDeleteV2, "/nitro/v2/config/mpssession/"},
		{mock.GenerationLegacy, mock.RouteSessionDeleteV1, "/nitro/v1/config/mpssession/"},
	} {
		t.Run(tc.generation, func(t *testing.T) {
			var env *testEnv
			if tc.generation == mock.GenerationLegacy {
				mockOnly(t, "the legacy MAS generation (NITRO v1 sessions) is a mock option")
				env = newTestEnvWith(t, mock.Options{ADMGeneration: tc.generation})
			} else {
				env = newTestEnv(t, admBackend)
			}
			leaver, stayer := env.name("leaver"), env.name("stayer")
			env.createUser(t, stayer, personPassword)
			other := env.signIn(t, stayer, personPassword)
			var leaverSessions []string
			log := &requestLog{}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(inOrder(log)),
				// The last step destroys the user and checks what that did; the state
				// ends empty, so a CheckDestroy would never run.
				Steps: []resource.TestStep{
					{
						Config: leaverConfig(env, leaver, ""),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("end_sessions_on_destroy"), knownvalue.Bool(false)),
						},
					},
					{
						PreConfig: env.resetCounts,
						Config:    leaverConfig(env, leaver, "end_sessions_on_destroy = true"),
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
							for range 3 {
								leaverSessions = append(leaverSessions, env.signIn(t, leaver, personPassword))
							}
							env.resetCounts()
							log.reset()
						},
						Config: env.providerConfig(""),
						Check: resource.ComposeAggregateTestCheckFunc(
							env.checkUserGone(leaver),
							env.checkSessionGone(leaverSessions...),
							func(*terraform.State) error {
								left, err := env.admSessions(leaver)
								if err != nil {
									return err
								}
								if len(left) != 0 {
									return fmt.Errorf("%s still has %d sessions", leaver, len(left))
								}
								return nil
							},
							env.checkCount(tc.sessionEnd, 3),
							env.checkCount(mock.RouteUserDelete, 1),
							// Each of the leaver's sessions was ended once, and no other.
							func(*terraform.State) error {
								for _, id := range leaverSessions {
									if n := env.countPath(http.MethodDelete, tc.sessionPath+id); n != 1 {
										return fmt.Errorf("session %s of %s: %d DELETEs, want 1", id, leaver, n)
									}
								}
								return nil
							},
							// Every session was ended before the user was deleted.
							log.checkAllDoneBefore(tc.sessionEnd, mock.RouteUserDelete),
							func(*terraform.State) error {
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
	mockOnly(t, "needs a session DELETE that fails (an injected 500)")
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
					env.seedPerson("leaver", 2, 0, 0)
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
					if adm, _, _ := env.mockSessions("leaver"); adm != 1 {
						t.Errorf("leaver has %d sessions, want the 1 that failed", adm)
					}
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}
