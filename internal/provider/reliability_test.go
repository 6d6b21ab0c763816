package provider

import (
	"fmt"
	"net/http"
	"regexp"
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

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccReliability_failureRateConverges: with 20% of requests answered 503, 200
// users are created exactly once each and the next plan is empty.
func TestAccReliability_failureRateConverges(t *testing.T) {
	env := newTestEnv(t)
	config := env.providerConfig(`max_retries = 10`) + manyUsers("flaky", 200)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkNoUsers("flaky"),
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
// is lost. The retry finds the user by name and adopts it: no duplicate, no orphan.
func TestAccReliability_lostCreateReply(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkUserGone("lost-0"),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.mock.InjectFault(mock.Fault{Route: mock.RouteUserAdd, DropReply: true})
			},
			Config: env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name     = "lost-0"
  password = "Secret-123"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
					if user, _ := env.mock.UserByName("lost-0"); user.ID != id {
						return fmt.Errorf("state holds id %s, the appliance %s", id, user.ID)
					}
					return nil
				})),
			},
			// One POST whose reply was lost, then adoption by name instead of a second POST.
			Check: resource.ComposeAggregateTestCheckFunc(env.checkUsersOnce("lost", 1), env.checkCount(mock.RouteUserAdd, 1)),
		}},
	})
}

// TestAccReliability_sessionExpiresMidApply: the NITRO session expires after the
// fifth create; the provider signs in again and the apply completes.
func TestAccReliability_sessionExpiresMidApply(t *testing.T) {
	env := newTestEnv(t)
	var adds, loginsAtExpiry atomic.Int32
	env.mock.OnRequest(mock.RouteUserAdd, func() {
		if adds.Add(1) == 5 {
			loginsAtExpiry.Store(int32(env.mock.Count(mock.RouteNITROLogin)))
			env.mock.ExpireSessions()
		}
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkNoUsers("expiry"),
		Steps: []resource.TestStep{{
			PreConfig: env.mock.ResetCounts,
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
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkUserGone("slow"),
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
			ExpectError: regexp.MustCompile(`(?s)mpsuser add \(POST /nitro/v2/config/mpsuser\) timed out after\s+2s.*request_timeout.*terraform import accessplane_mpsuser.<name>\s+name:slow`),
		}},
	})
}

// TestAccReliability_retryAfterHonoured: a 429 with Retry-After: 1 delays the retry
// by at least a second, and the read succeeds.
func TestAccReliability_retryAfterHonoured(t *testing.T) {
	env := newTestEnv(t)
	var started time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.mock.ResetCounts()
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
// -parallelism=50: every provider process signs in at most once.
func TestAccReliability_parallelApplySharesOneSignIn(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SetLatency(2 * time.Millisecond)
	t.Setenv("TF_CLI_ARGS_apply", "-parallelism=50")
	t.Setenv("TF_CLI_ARGS_destroy", "-parallelism=50")
	var processes atomic.Int32
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"accessplane": func() (tfprotov6.ProviderServer, error) {
			processes.Add(1)
			return providerserver.NewProtocol6WithError(testProvider())()
		},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy:             env.checkNoUsers("parallel"),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.mock.ResetCounts()
				processes.Store(0)
			},
			Config: env.providerConfig("") + manyUsers("parallel", 300),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkUsersOnce("parallel", 300),
				env.checkCount(mock.RouteUserAdd, 300),
				func(*terraform.State) error {
					if logins, started := env.mock.Count(mock.RouteNITROLogin), int(processes.Load()); logins < 1 || logins > started {
						return fmt.Errorf("%d sign-ins for %d provider processes", logins, started)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccReliability_persistentFaults: an appliance that answers every create with
// 429 gets exactly 1 + max_retries POSTs and no look-ups (a 429 is a refusal, never
// "may have succeeded"), and the error says it is rate limiting and what to do. One
// that answers every create with 503 gets as many POSTs, with one look-up by name
// before each retry, and the error says the user may exist.
func TestAccReliability_persistentFaults(t *testing.T) {
	for _, tc := range []struct {
		status               int
		expect               string
		posts, lookUpsWanted int
	}{
		{http.StatusTooManyRequests, `(?s)rate limiting.*HTTP 429.*-parallelism.*max_retries`, 4, 0},
		{http.StatusServiceUnavailable, `(?s)HTTP 503.*may have created the user`, 4, 3},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			env := newTestEnv(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig: func() {
						env.mock.ResetCounts()
						env.mock.InjectFault(mock.Fault{Route: mock.RouteUserAdd, Count: mock.Persistent, Status: tc.status})
					},
					Config:      env.providerConfig("max_retries = 3") + manyUsers("refused", 1),
					ExpectError: regexp.MustCompile(tc.expect),
				}},
				CheckDestroy: func(*terraform.State) error {
					if posts, lookUps := env.mock.Count(mock.RouteUserAdd), env.mock.Count(mock.RouteUserList); posts != tc.posts || lookUps != tc.lookUpsWanted {
						return fmt.Errorf("%d POSTs and %d look-ups; want %d and %d", posts, lookUps, tc.posts, tc.lookUpsWanted)
					}
					return nil
				},
			})
		})
	}
}
