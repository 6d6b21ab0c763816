package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// TestAccReliability_failureRateConverges: with 20% of requests answered 503, 200
// users are created exactly once each and the next plan is empty.
func TestAccReliability_failureRateConverges(t *testing.T) {
	mockOnly(t, "needs 20% of requests answered 503 (an injected failure rate)")
	env := newTestEnv(t)
	config := env.providerConfig(`max_retries = 10`) + manyUsers("flaky", 200)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkNoUsers("flaky")),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { env.mock.SetFailureRate(0.2, 42) },
				Config:    config,
				Check:     env.checkUsersOnce("flaky", 200),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// TestAccReliability_lostCreateReply: the appliance stores the user, then the reply
// is lost. The look-up finds the user by name and adopts it, no duplicate and no
// orphan, and one PUT makes sure it is the configured user, with a warning that says
// so; the next plan is empty.
func TestAccReliability_lostCreateReply(t *testing.T) {
	mockOnly(t, "needs a create whose reply is lost after the appliance stored the user (an injected fault)")
	env := newTestEnv(t)
	warnings := &applyWarnings{}
	config := env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name     = "lost-0"
  password = "Secret-123"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: warnings.factories(env),
		CheckDestroy:             destroyCheck(t, env.checkUserGone("lost-0")),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.resetCounts()
					env.mock.InjectFault(mock.Fault{Route: mock.RouteUserAdd, DropReply: true})
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
						if user, _ := env.mock.UserByName("lost-0"); user.ID != id {
							return fmt.Errorf("state holds id %s, the appliance %s", id, user.ID)
						}
						return nil
					})),
				},
				// One POST whose reply was lost, then adoption by name instead of a second POST.
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUsersOnce("lost", 1),
					env.checkAdoption(warnings, "lost-0", "Secret-123", ""),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// TestAccReliability_ambiguousCreateAppliesTheConfiguration: a create whose reply is
// lost, or comes back from a proxy as an HTML page, finds someone's existing account
// of that name (a reply cut short is tried on a new user: the appliance refuses to add
// an existing one, and a 409 says so whatever its body). The same apply adopts the
// user and brings it to the configuration with one PUT: the configured password
// (password or password_wo) signs in, the account's old one no longer does, its groups
// are the configured ones, a warning says an existing user was adopted, and the next
// plan is empty.
func TestAccReliability_ambiguousCreateAppliesTheConfiguration(t *testing.T) {
	mockOnly(t, "needs a create reply that is lost, an HTML page or cut short (injected faults), and a seeded existing account")
	for _, tc := range []struct {
		name     string
		fault    mock.Fault
		password string
		existing bool
	}{
		{"lost reply", mock.Fault{Route: mock.RouteUserAdd, DropReply: true}, `
  password_wo         = "Configured-1"
  password_wo_version = 1`, true},
		{"HTML page", mock.Fault{Route: mock.RouteUserAdd, Rewrite: mock.RewriteHTML}, `
  password = "Configured-1"`, true},
		{"truncated reply", mock.Fault{Route: mock.RouteUserAdd, Rewrite: mock.RewriteTruncate}, `
  password = "Configured-1"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t)
			oldPassword := ""
			if tc.existing {
				env.mock.SeedUsers("taken", 1) // taken-0001: password "password", group readonly
				oldPassword = "password"
			}
			warnings := &applyWarnings{}
			config := env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name   = "taken-0001"
  groups = ["admin"]` + tc.password + `
}
`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: warnings.factories(env),
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsWriteOnly},
				CheckDestroy:             destroyCheck(t, env.checkUserGone("taken-0001")),
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							env.resetCounts()
							env.mock.InjectFault(tc.fault)
						},
						Config: config,
						Check: resource.ComposeAggregateTestCheckFunc(
							func(*terraform.State) error {
								if users := env.mock.Users(); len(users) != 2 {
									return fmt.Errorf("%d users, want nsroot and taken-0001", len(users))
								}
								return nil
							},
							env.checkAdoption(warnings, "taken-0001", "Configured-1", oldPassword),
							env.checkMockUser("taken-0001", func(u mock.User) error {
								if len(u.Groups) != 1 || u.Groups[0] != "admin" {
									return fmt.Errorf("groups %v, want [admin]", u.Groups)
								}
								return nil
							}),
						),
					},
					{Config: config, PlanOnly: true},
				},
			})
		})
	}
}

// TestAccReliability_unsettledCreateSuggestsImport: when the look-up after an
// ambiguous create fails, the provider cannot tell what the create did. It claims no
// user (nothing in state), and the error says the user may exist and how to import
// it; the import it names then brings the user under management and to the
// configuration.
func TestAccReliability_unsettledCreateSuggestsImport(t *testing.T) {
	mockOnly(t, "needs an ambiguous create reply and a failing look-up (injected faults)")
	lookUpFails := mock.Fault{Route: mock.RouteUserList, Status: http.StatusBadRequest, Count: mock.Persistent}
	for _, tc := range []struct {
		name   string
		create mock.Fault
		expect string
		posts  int
	}{
		// The create is sent again and refused: the first attempt stored the user.
		{"lost reply", mock.Fault{Route: mock.RouteUserAdd, DropReply: true},
			`(?s)already exists.*terraform\s+import\s+accessplane_mpsuser.<name>\s+name:unsettled`, 2},
		{"HTML page", mock.Fault{Route: mock.RouteUserAdd, Rewrite: mock.RewriteHTML},
			`(?s)not NITRO JSON.*may have\s+created\s+the\s+user.*terraform\s+import\s+accessplane_mpsuser.<name>\s+name:unsettled`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t)
			user := `
resource "accessplane_mpsuser" "test" {
  name     = "unsettled"
  password = "Configured-1"
}
`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				CheckDestroy:             destroyCheck(t, env.checkUserGone("unsettled")),
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							env.resetCounts()
							env.mock.InjectFault(tc.create)
							env.mock.InjectFault(lookUpFails)
						},
						Config:      env.providerConfig("") + user,
						ExpectError: regexp.MustCompile(tc.expect),
					},
					{
						PreConfig: func() {
							if posts, lookUps, puts := env.count(mock.RouteUserAdd), env.count(mock.RouteUserList), env.count(mock.RouteUserUpdate); posts != tc.posts || lookUps != 1 || puts != 0 {
								t.Errorf("%d POSTs, %d look-ups, %d PUTs; want %d, 1, 0", posts, lookUps, puts, tc.posts)
							}
							env.mock.ClearFaults()
							env.resetCounts()
						},
						// The import the error names; the state held no user, so the
						// plan imports it and sends the configured password.
						Config: env.providerConfig("") + user + `
import {
  to = accessplane_mpsuser.test
  id = "name:unsettled"
}
`,
						Check: resource.ComposeAggregateTestCheckFunc(
							env.checkCount(mock.RouteUserAdd, 0),
							env.checkCount(mock.RouteUserUpdate, 1),
							env.checkSignsIn("unsettled", "Configured-1", ""),
						),
					},
				},
			})
		})
	}
}

// TestAccReliability_sessionExpiresMidApply: the NITRO session expires after the
// fifth create; the provider signs in again and the apply completes.
func TestAccReliability_sessionExpiresMidApply(t *testing.T) {
	mockOnly(t, "needs the NITRO session expired at the fifth create (the mock's hook on a route)")
	env := newTestEnv(t)
	var adds, loginsAtExpiry atomic.Int32
	env.mock.OnRequest(mock.RouteUserAdd, func() {
		if adds.Add(1) == 5 {
			loginsAtExpiry.Store(int32(env.count(mock.RouteNITROLogin)))
			env.mock.ExpireSessions()
		}
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkNoUsers("expiry")),
		Steps: []resource.TestStep{{
			PreConfig: env.resetCounts,
			Config:    env.providerConfig("") + manyUsers("expiry", 20),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkUsersOnce("expiry", 20),
				func(*terraform.State) error {
					if loginsAtExpiry.Load() != 1 {
						return fmt.Errorf("%d sign-ins before the expiry, want the apply's one", loginsAtExpiry.Load())
					}
					return nil
				},
			),
		}},
	})
}

// TestAccReliability_timeoutNamesTheCall: an appliance slower than request_timeout
// fails the call with an error that names it and says how to recover. The create is
// never answered and request_timeout leaves the other calls ample time, so the
// outcome does not depend on the machine's speed.
func TestAccReliability_timeoutNamesTheCall(t *testing.T) {
	mockOnly(t, "needs a create that is never answered (an injected delay)")
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.mock.InjectFault(mock.Fault{Route: mock.RouteUserAdd, Delay: time.Hour, Count: 5})
			},
			Config: env.providerConfig(`
  request_timeout = "2s"
  max_retries     = 0
`) + `
resource "accessplane_mpsuser" "test" {
  name     = "slow"
  password = "Secret-123"
}
`,
			ExpectError: regexp.MustCompile(`(?s)mpsuser add \(POST /nitro/v2/config/mpsuser\) timed out after\s+2s.*request_timeout.*terraform\s+import\s+accessplane_mpsuser.<name>\s+name:slow`),
		}},
	})
	// The failed create leaves the state empty, so the framework would skip a
	// CheckDestroy: with max_retries = 0 the create was sent once.
	check(t, env.checkCount(mock.RouteUserAdd, 1))
}

// TestAccReliability_retryAfterHonoured: a 429 with Retry-After: 1 delays the retry
// by at least a second, and the read succeeds.
func TestAccReliability_retryAfterHonoured(t *testing.T) {
	mockOnly(t, "needs a 429 with Retry-After: 1 (an injected fault)")
	env := newTestEnv(t)
	var started time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.resetCounts()
				env.mock.InjectFault(mock.Fault{Route: mock.RouteUserList, Status: http.StatusTooManyRequests, RetryAfter: "1"})
				started = time.Now()
			},
			Config: env.providerConfig("") + `data "accessplane_mpsusers" "all" {}`,
			Check: func(*terraform.State) error {
				if elapsed := time.Since(started); elapsed < time.Second {
					return fmt.Errorf("finished %s after a Retry-After of 1s", elapsed)
				}
				return nil
			},
		}},
	})
}

// TestAccReliability_parallelApplySharesOneSignIn applies 300 users at
// -parallelism=50: every provider process signs in at most once. Each provider
// process counts its own requests at the client.
func TestAccReliability_parallelApplySharesOneSignIn(t *testing.T) {
	env := newTestEnv(t, admBackend)
	prefix := env.name("parallel")
	t.Setenv("TF_CLI_ARGS_apply", "-parallelism=50")
	t.Setenv("TF_CLI_ARGS_destroy", "-parallelism=50")
	var processes atomic.Int32
	counter := &requestCounter{counts: map[string]int{}, paths: map[string]int{}}
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"accessplane": func() (tfprotov6.ProviderServer, error) {
			processes.Add(1)
			process := NewProcess("test")
			if env.mock != nil {
				process.now = testClock
			}
			process.wrapTransport = counter.wrap
			t.Cleanup(func() {
				ctx, cancel := env.ctx()
				defer cancel()
				_ = process.SignOut(ctx)
			})
			return providerserver.NewProtocol6WithError(process.Provider())()
		},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy:             destroyCheck(t, env.checkUsersNamedThroughAPI(prefix, 0)),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				counter.reset()
				processes.Store(0)
			},
			Config: env.providerConfig("") + manyUsers(prefix, 300),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkUsersNamedThroughAPI(prefix, 300),
				func(*terraform.State) error {
					counts := counter.snapshot()
					if adds := counts[mock.RouteUserAdd]; adds != 300 {
						return fmt.Errorf("%d creates, want 300", adds)
					}
					if logins, started := counts[mock.RouteNITROLogin]+counts[mock.RouteNITROLoginV2], int(processes.Load()); logins < 1 || logins > started {
						return fmt.Errorf("%d sign-ins for %d provider processes", logins, started)
					}
					return nil
				},
			),
		}},
	})
}

// checkUsersNamedThroughAPI asserts, as NITRO lists the users, that the appliance holds
// each of the users prefix-0 … prefix-<count-1> exactly once, and no other user named
// prefix-….
func (e *testEnv) checkUsersNamedThroughAPI(prefix string, count int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx, cancel := e.ctx()
		defer cancel()
		users, err := e.adm.ListUsers(ctx, nil, 0)
		if err != nil {
			return err
		}
		seen := map[string]int{}
		for _, u := range users {
			if strings.HasPrefix(u.Name, prefix+"-") {
				seen[u.Name]++
			}
		}
		for i := range count {
			if n := seen[fmt.Sprintf("%s-%d", prefix, i)]; n != 1 {
				return fmt.Errorf("user %s-%d exists %d times", prefix, i, n)
			}
		}
		if len(seen) != count {
			return fmt.Errorf("%d users named %s-…, want %d", len(seen), prefix, count)
		}
		return nil
	}
}

// TestAccReliability_persistentFaults: an appliance that answers every create with
// 429 gets exactly 1 + max_retries POSTs and no look-ups (a 429 is a refusal, never
// "may have succeeded"), and the error says it is rate limiting and what to do. One
// that answers every create with 503 gets as many POSTs, with one look-up by name
// before each retry, and the error says the user may exist.
func TestAccReliability_persistentFaults(t *testing.T) {
	mockOnly(t, "needs every create answered 429 or 503 (injected faults)")
	for _, tc := range []struct {
		status         int
		expect         string
		posts, lookUps int
	}{
		{http.StatusTooManyRequests, `(?s)rate limiting.*HTTP 429.*-parallelism.*max_retries`, 4, 0},
		{http.StatusServiceUnavailable, `(?s)HTTP 503.*may have created the user`, 4, 3},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			env := newTestEnv(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					PreConfig: func() {
						env.resetCounts()
						env.mock.InjectFault(mock.Fault{Route: mock.RouteUserAdd, Count: mock.Persistent, Status: tc.status})
					},
					Config:      env.providerConfig("max_retries = 3") + manyUsers("refused", 1),
					ExpectError: regexp.MustCompile(tc.expect),
				}},
			})
			// The failed create leaves the state empty, so the framework would skip a
			// CheckDestroy: the counts are checked once the test case has run.
			check(t, env.checkCount(mock.RouteUserAdd, tc.posts), env.checkCount(mock.RouteUserList, tc.lookUps))
		})
	}
}

// applyWarnings records the warnings the provider returns from applies, which
// terraform-plugin-testing does not show a test.
type applyWarnings struct {
	mu   sync.Mutex
	list []string
}

// factories serve the test's provider (env.factories: its requests counted at the
// client), recording its apply warnings.
func (w *applyWarnings) factories(env *testEnv) map[string]func() (tfprotov6.ProviderServer, error) {
	counted := env.factories()["accessplane"]
	return map[string]func() (tfprotov6.ProviderServer, error){
		"accessplane": func() (tfprotov6.ProviderServer, error) {
			server, err := counted()
			return warningRecorder{ProviderServer: server, into: w}, err
		},
	}
}

func (w *applyWarnings) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.list)
}

type warningRecorder struct {
	tfprotov6.ProviderServer
	into *applyWarnings
}

func (r warningRecorder) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := r.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		r.into.mu.Lock()
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityWarning {
				r.into.list = append(r.into.list, d.Summary+": "+d.Detail)
			}
		}
		r.into.mu.Unlock()
	}
	return resp, err
}

// checkAdoption asserts what adopting a user after an ambiguous create costs and
// shows: one POST, one look-up, one PUT, one warning naming the user, and the
// configured password signing in (and the account's old one, when given, not).
func (e *testEnv) checkAdoption(warnings *applyWarnings, name, password, oldPassword string) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(
		e.checkCount(mock.RouteUserAdd, 1),
		e.checkCount(mock.RouteUserList, 1),
		e.checkCount(mock.RouteUserUpdate, 1),
		func(*terraform.State) error {
			got := warnings.all()
			if len(got) != 1 || !strings.Contains(got[0], "adopted") || !strings.Contains(got[0], strconv.Quote(name)) {
				return fmt.Errorf("warnings %q, want one that says the existing user %q was adopted", got, name)
			}
			return nil
		},
		e.checkSignsIn(name, password, oldPassword),
	)
}

// checkSignsIn signs in to the mock as name: password must work and oldPassword, when
// given, must not.
func (e *testEnv) checkSignsIn(name, password, oldPassword string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		client, err := nitro.New(nitro.Config{Transport: transport.Config{Endpoint: e.server.URL, MaxRetries: 0}})
		if err != nil {
			return err
		}
		if _, _, err := client.Login(context.Background(), name, password); err != nil {
			return fmt.Errorf("the configured password does not sign in: %v", err)
		}
		if _, _, err := client.Login(context.Background(), name, oldPassword); oldPassword != "" && err == nil {
			return fmt.Errorf("the account's old password still signs in")
		}
		return nil
	}
}
