package provider

import (
	"context"
	"fmt"
	"net"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

const signinsAddress = "data.accessplane_user_signins.test"

// signinEntry is one element of signins as the state holds it (JSON values: strings,
// nil for null, bool).
type signinEntry map[string]any

// key is the entry in one line, for comparing lists as multisets.
func (e signinEntry) key() string {
	names := make([]string, 0, len(e))
	for name := range e {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		fmt.Fprintf(&b, "%s=%v ", name, e[name])
	}
	return b.String()
}

// signinsState runs check on the signins, and the whole attribute map, of a data
// source in the state.
type signinsState struct {
	address string
	check   func(signins []signinEntry, attributes map[string]any) error
}

func (c signinsState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	objects, values, err := stateObjects(req.State, c.address, "signins")
	if err != nil {
		resp.Error = err
		return
	}
	signins := make([]signinEntry, 0, len(objects))
	for _, object := range objects {
		signins = append(signins, object)
	}
	resp.Error = c.check(signins, values)
}

// sameSignins asserts that got holds exactly want, in any order, and is newest first.
func sameSignins(got, want []signinEntry) error {
	gotKeys, wantKeys := make([]string, len(got)), make([]string, len(want))
	for i := range got {
		gotKeys[i] = got[i].key()
	}
	for i := range want {
		wantKeys[i] = want[i].key()
	}
	sort.Strings(gotKeys)
	sort.Strings(wantKeys)
	if !slices.Equal(gotKeys, wantKeys) {
		return fmt.Errorf("signins:\n  %s\nwant, as the appliances' APIs list them:\n  %s", strings.Join(gotKeys, "\n  "), strings.Join(wantKeys, "\n  "))
	}
	return newestFirst(got)
}

// newestFirst asserts that each sign-in started no earlier than the next.
func newestFirst(signins []signinEntry) error {
	for i := 1; i < len(signins); i++ {
		before, _ := signins[i-1]["started"].(string)
		after, _ := signins[i]["started"].(string)
		if before < after { // RFC 3339 in UTC sorts as text
			return fmt.Errorf("sign-in %d started at %s, after sign-in %d (%s): the list is not newest first", i, after, i-1, before)
		}
	}
	return nil
}

// unixText is a time of the APIs as the data source reports it.
func unixText(n int64, unit time.Duration) any {
	if n == 0 {
		return nil
	}
	return time.Unix(0, 0).Add(time.Duration(n) * unit).UTC().Format(time.RFC3339)
}

// apiSignins are the person's sign-ins on e, listed through each plane's API with the
// test's own clients, as the data source must report them under the name appliance.
// A name that is "" is not read.
func (e *testEnv) apiSignins(appliance, admUser, clusterUser, nimbleUser string) ([]signinEntry, error) {
	ctx, cancel := e.ctx()
	defer cancel()
	var entries []signinEntry
	entry := func(plane, host string, id any, started, lastActive any, ip, client string) signinEntry {
		return signinEntry{"appliance": appliance, "plane": plane, "host": host, "id": id, "started": started,
			"last_active": lastActive, "from_ip": ip, "client": client, "maybe_provider": false}
	}
	if admUser != "" {
		sessions, err := e.adm.ListSessions(ctx, nitro.Filter{"username": admUser})
		if err != nil {
			return nil, err
		}
		for _, s := range sessions {
			entries = append(entries, entry("adm", e.adm.Endpoint(), s.ID, unixText(int64(s.LoginTime), time.Second), unixText(int64(s.LastActivityTime), time.Second), s.IPAddress, s.ClientType))
		}
	}
	if clusterUser != "" {
		sessions, err := e.cluster.ListSessions(ctx, clusterUser)
		if err != nil {
			return nil, err
		}
		for _, s := range sessions {
			entries = append(entries, entry("cluster", e.cluster.Endpoint(), nil, unixText(s.CreationTime, time.Millisecond), unixText(s.LastAccessed, time.Millisecond), s.IP, s.LoginType))
		}
	}
	if nimbleUser != "" {
		tokens, err := e.nimble.ListTokens(ctx, nimble.ListOptions{Username: nimbleUser})
		if err != nil {
			return nil, err
		}
		for _, token := range tokens {
			entries = append(entries, entry("nimble", e.nimble.Endpoint(), token.ID, unixText(token.CreationTime, time.Second), unixText(token.LastModified, time.Second), token.SourceIP, token.AppName))
		}
	}
	return entries, nil
}

// checkBlock asserts the status of a check block ("pass", "fail", "unknown") in a
// plan or in the state after an apply.
type checkBlock struct {
	name, want string
}

func (c checkBlock) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan == nil {
		resp.Error = fmt.Errorf("no plan")
		return
	}
	resp.Error = c.status(req.Plan.Checks, "in the plan")
}

func (c checkBlock) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	resp.Error = c.status(req.State.Checks, "after the apply")
}

// status finds the check among results, which are a plan's or a state's.
func (c checkBlock) status(results []tfjson.CheckResultStatic, where string) error {
	for _, result := range results {
		if result.Address.Kind == "check" && result.Address.Name == c.name {
			if string(result.Status) != c.want {
				return fmt.Errorf("check %s is %s %s, want %s", c.name, result.Status, where, c.want)
			}
			return nil
		}
	}
	return fmt.Errorf("no result of check %s %s", c.name, where)
}

// TestAccUserSignins_fleetOf24: a person signed in on some of 24 appliances and not on
// others, with another person's sessions beside theirs everywhere: one read lists
// exactly the person's sessions and tokens, each with its appliance and host, newest
// first (each appliance's clock is a minute behind the one before), counts them by
// appliance and plane, and sends one listing per appliance and plane.
func TestAccUserSignins_fleetOf24(t *testing.T) {
	mockOnly(t, "needs 24 distinct appliances, each on a clock of its own")
	const erinPassword = "Erin-Secret-1"
	envs := make([]*testEnv, 24)
	names := make([]string, 24)
	for i := range envs {
		envs[i] = newTestEnvWith(t, mock.Options{
			Now:         func() time.Time { return testNow.Add(-time.Duration(i) * time.Minute) },
			NimbleUsers: map[string]string{mockNimblePerson: mockNimblePersonPassword, "tfacc-erin": erinPassword},
		})
		names[i] = fmt.Sprintf("site-%02d", i)
	}
	names[0] = defaultAppliance
	dana, erin := envs[0].name("dana"), envs[0].name("erin")
	danaCluster, erinCluster := dana+"@example.com", erin+"@example.com"
	// Each mock knows the person; none is shared, so the person is not held.
	danaNimble, danaNimblePassword := mockNimblePerson, mockNimblePersonPassword
	var entries []string
	for i, e := range envs {
		e.createUser(t, dana, "Dana-Secret-1")
		e.createUser(t, erin, "Erin-Secret-1")
		e.signIn(t, erin, "Erin-Secret-1")
		e.nimbleSignIn(t, "tfacc-erin", erinPassword)
		e.mock.SeedClusterSessions(mock.ClusterSessionSeed{UserID: erinCluster}) // Dynatrace sessions come only from browsers
		if i%2 == 0 {
			e.signIn(t, dana, "Dana-Secret-1")
		}
		if i%4 == 0 {
			e.signIn(t, dana, "Dana-Secret-1")
		}
		if i%3 == 0 {
			e.nimbleSignIn(t, danaNimble, danaNimblePassword)
		}
		if i%5 == 0 {
			e.mock.SeedClusterSessions(mock.ClusterSessionSeed{UserID: danaCluster, Count: 2, LoginType: "SSO_MANAGED"})
		}
		if i > 0 {
			entries = append(entries, fmt.Sprintf(`    %q = {
      adm     = { endpoint = %[2]q, username = "nsroot", password = "nsroot" }
      cluster = { endpoint = %[2]q, api_token = "mock-cluster-token" }
      nimble  = { endpoint = %[2]q, username = "admin", password = "admin" }
    }`, names[i], e.server.URL))
		}
	}
	config := envs[0].providerConfig("appliances = {\n"+strings.Join(entries, "\n")+"\n  }") + fmt.Sprintf(`
data "accessplane_user_signins" "test" {
  adm_username    = %q
  cluster_user_id = %q
  nimble_username = %q
}
`, dana, danaCluster, danaNimble)
	byAppliance := map[string]knownvalue.Check{}
	for i, name := range names {
		adm := 0
		if i%2 == 0 {
			adm++
		}
		if i%4 == 0 {
			adm++
		}
		byAppliance[name] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"adm_sessions":     knownvalue.Int64Exact(int64(adm)),
			"cluster_sessions": knownvalue.Int64Exact(int64(map[bool]int{true: 2}[i%5 == 0])),
			"nimble_tokens":    knownvalue.Int64Exact(int64(map[bool]int{true: 1}[i%3 == 0])),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				for _, e := range envs {
					e.mock.ResetCounts()
				}
			},
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(signinsAddress, tfjsonpath.New("by_appliance"), knownvalue.MapExact(byAppliance)),
				// 12 × 1 + 6 × 1 ADM sessions, 8 tokens, 5 × 2 Dynatrace sessions.
				statecheck.ExpectKnownValue(signinsAddress, tfjsonpath.New("total"), knownvalue.Int64Exact(18+8+10)),
				statecheck.ExpectKnownValue(signinsAddress, tfjsonpath.New("unreachable"), knownvalue.ListExact([]knownvalue.Check{})),
				signinsState{signinsAddress, func(signins []signinEntry, _ map[string]any) error {
					var want []signinEntry
					for i, e := range envs {
						listed, err := e.apiSignins(names[i], dana, danaCluster, danaNimble)
						if err != nil {
							return err
						}
						want = append(want, listed...)
					}
					if len(want) != 36 {
						return fmt.Errorf("the appliances list %d sign-ins of dana, want 36", len(want))
					}
					// Newest first across the appliances: default's clock is the newest.
					if len(signins) == 0 || signins[0]["appliance"] != defaultAppliance {
						return fmt.Errorf("the newest sign-in is not on default, whose clock is ahead of the others: %v", signins)
					}
					return sameSignins(signins, want)
				}},
				applianceCheck{func(*terraform.State) error {
					// One listing per appliance and plane in each read.
					reads := envs[0].mock.Count(mock.RouteTokenList)
					for i, e := range envs {
						if tokens, cluster := e.mock.Count(mock.RouteTokenList), e.mock.Count(mock.RouteClusterSessionList); reads == 0 || tokens != reads || cluster != reads {
							return fmt.Errorf("%s had %d token listings and %d Dynatrace listings; want %d each, as every other appliance", names[i], tokens, cluster, reads)
						}
					}
					return nil
				}},
			},
		}},
	})
}

// TestAccUserSignins_fleetPair: on two appliances of one provider configuration, the
// read lists the person's sessions and tokens on each (live both entries name the
// one lab appliance, so each sign-in is listed under both names) and none of erin's
// beside them, and counts them per appliance and plane.
func TestAccUserSignins_fleetPair(t *testing.T) {
	t.Parallel() // before holding the Nimble person, which a paused parallel test would keep
	pair, dana, _ := newSignedInPair(t)
	config := pair.providerConfig() + fmt.Sprintf(`
data "accessplane_user_signins" "test" {
  adm_username    = %q
  cluster_user_id = %q
  nimble_username = %q
}
`, dana.adm, dana.cluster, dana.nimble)
	clusterSessions := int64(1)
	if !pair.distinct() {
		clusterSessions = 0 // live, Dynatrace sessions come only from browsers
	}
	counts := knownvalue.ObjectExact(map[string]knownvalue.Check{
		"adm_sessions": knownvalue.Int64Exact(2), "cluster_sessions": knownvalue.Int64Exact(clusterSessions), "nimble_tokens": knownvalue.Int64Exact(3),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(signinsAddress, tfjsonpath.New("by_appliance"), knownvalue.MapExact(map[string]knownvalue.Check{defaultAppliance: counts, secondSite: counts})),
				statecheck.ExpectKnownValue(signinsAddress, tfjsonpath.New("total"), knownvalue.Int64Exact(2*(5+clusterSessions))),
				signinsState{signinsAddress, func(signins []signinEntry, _ map[string]any) error {
					first, err := pair.first.apiSignins(defaultAppliance, dana.adm, dana.cluster, dana.nimble)
					if err != nil {
						return err
					}
					second, err := pair.second.apiSignins(secondSite, dana.adm, dana.cluster, dana.nimble)
					if err != nil {
						return err
					}
					// Exactly dana's: erin's sessions beside hers are not listed.
					return sameSignins(signins, append(first, second...))
				}},
			},
		}},
	})
}

// TestAccUserSignins_neverTheProvidersOwn reads where the accounts the provider signs
// in with are signed in: every other session and token of theirs is listed, among
// them one the test opens as a person would, and never the provider's own, which
// accessplane_mpssessions (is_self) and accessplane_tokens read by the same provider
// process name.
func TestAccUserSignins_neverTheProvidersOwn(t *testing.T) {
	env := newTestEnv(t, admBackend, nimbleBackend)
	admUser, admPassword, nimbleUser, nimblePassword := "nsroot", "nsroot", "admin", "admin"
	if env.mock == nil {
		admUser, admPassword = os.Getenv("ACCESSPLANE_ADM_USERNAME"), os.Getenv("ACCESSPLANE_ADM_PASSWORD")
		nimbleUser, nimblePassword = os.Getenv("ACCESSPLANE_NIMBLE_USERNAME"), os.Getenv("ACCESSPLANE_NIMBLE_PASSWORD")
	}
	session := env.signIn(t, admUser, admPassword)
	t.Cleanup(func() {
		ctx, cancel := env.ctx()
		defer cancel()
		_ = env.adm.DeleteSession(ctx, session)
	})
	token := env.nimbleSignIn(t, nimbleUser, nimblePassword)
	config := env.providerConfig("") + fmt.Sprintf(`
data "accessplane_user_signins" "test" {
  adm_username    = %[1]q
  nimble_username = %[2]q
}

data "accessplane_mpssessions" "own" {
  username = %[1]q
  is_self  = true
}

data "accessplane_tokens" "own" {
  username = %[2]q
  app_name = %[3]q
}
`, admUser, nimbleUser, nimble.AppName)
	ids := func(attributes map[string]any, list string) []string {
		var out []string
		elements, _ := attributes[list].([]any)
		for _, element := range elements {
			if object, ok := element.(map[string]any); ok {
				out = append(out, fmt.Sprint(object["id"]))
			}
		}
		return out
	}
	var ownSessions, providerTokens []string
	collect := func(list string, into *[]string) signinsState {
		address := "data.accessplane_mpssessions.own"
		if list == "tokens" {
			address = "data.accessplane_tokens.own"
		}
		return signinsState{address, func(_ []signinEntry, attributes map[string]any) error {
			*into = ids(attributes, list)
			return nil
		}}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				collect("sessions", &ownSessions),
				collect("tokens", &providerTokens),
				signinsState{signinsAddress, func(signins []signinEntry, attributes map[string]any) error {
					listed := ids(attributes, "signins")
					if len(ownSessions) != 1 {
						return fmt.Errorf("the provider's own ADM sessions as accessplane_mpssessions reads them: %v, want one", ownSessions)
					}
					if slices.Contains(listed, ownSessions[0]) {
						return fmt.Errorf("the provider's own ADM session %s is listed: %v", ownSessions[0], signins)
					}
					if !slices.Contains(listed, session) || !slices.Contains(listed, token) {
						return fmt.Errorf("the session %s and the token %s the test opened as %s and %s are not both listed: %v", session, token, admUser, nimbleUser, listed)
					}
					// Every token of the provider's application name is listed but one,
					// the provider's own; live, other runs' tokens come and go meanwhile.
					var unlisted []string
					for _, id := range providerTokens {
						if !slices.Contains(listed, id) {
							unlisted = append(unlisted, id)
						}
					}
					if len(unlisted) == 0 || (env.mock != nil && len(unlisted) != 1) {
						return fmt.Errorf("tokens of %s not listed: %v (of %v), want the provider's own only", nimbleUser, unlisted, providerTokens)
					}
					for _, s := range signins {
						if s["maybe_provider"] != false {
							return fmt.Errorf("a sign-in whose is_self was read is listed as maybe the provider's: %v", s)
						}
					}
					return nil
				}},
			},
		}},
	})
}

// TestAccUserSignins_isSelfUnreadable: a session whose is_self the appliance leaves
// out may be the provider's own; it is listed, not dropped, with maybe_provider.
func TestAccUserSignins_isSelfUnreadable(t *testing.T) {
	mockOnly(t, "a session whose is_self the appliance leaves out is a seeded odd reply")
	env := newTestEnvWith(t, mock.Options{})
	dana := env.name("dana")
	env.createUser(t, dana, "Dana-Secret-1")
	clearSelf := env.signIn(t, dana, "Dana-Secret-1")
	unclear := env.mock.SeedSession(mock.SessionSeed{Username: dana, ClientType: "browser", WithoutIsSelf: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerConfig("") + fmt.Sprintf(`
data "accessplane_user_signins" "test" {
  adm_username = %q
}
`, dana),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(signinsAddress, tfjsonpath.New("total"), knownvalue.Int64Exact(2)),
				signinsState{signinsAddress, func(signins []signinEntry, _ map[string]any) error {
					maybe := map[any]any{}
					for _, s := range signins {
						maybe[s["id"]] = s["maybe_provider"]
					}
					if len(maybe) != 2 || maybe[clearSelf] != false || maybe[unclear] != true {
						return fmt.Errorf("maybe_provider by session: %v; want %s false and %s true", maybe, clearSelf, unclear)
					}
					return nil
				}},
			},
		}},
	})
}

// downEndpoint is the URL of an appliance that is down: nothing listens there.
func downEndpoint(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + listener.Addr().String()
	if err := listener.Close(); err != nil {
		t.Fatal(err)
	}
	return endpoint
}

// TestAccUserSignins_applianceDown: an appliance that cannot be read is never read as
// "signed in nowhere". By default the read fails with one error naming it (name,
// host:port, the reason) and what was read on the others; with allow_unreachable it
// warns, lists it in unreachable, leaves total null and reports the rest.
func TestAccUserSignins_applianceDown(t *testing.T) {
	mockOnly(t, "needs an appliance that is down")
	first, second := newTestEnvWith(t, mock.Options{}), newTestEnvWith(t, mock.Options{})
	down := downEndpoint(t)
	downHost := strings.TrimPrefix(down, "http://")
	dana := first.name("dana")
	person, password := mockNimblePerson, mockNimblePersonPassword // on mocks of this test's own
	for _, e := range []*testEnv{first, second} {
		e.createUser(t, dana, "Dana-Secret-1")
		e.signIn(t, dana, "Dana-Secret-1")
		e.nimbleSignIn(t, person, password)
	}
	config := func(allow string) string {
		return first.providerConfig(fmt.Sprintf(`max_retries = 0
  appliances = {
    "site-2" = {
      adm    = { endpoint = %[1]q, username = "nsroot", password = "nsroot" }
      nimble = { endpoint = %[1]q, username = "admin", password = "admin" }
    }
    "site-3" = {
      adm    = { endpoint = %[2]q, username = "nsroot", password = "nsroot" }
      nimble = { endpoint = %[2]q, username = "admin", password = "admin" }
    }
  }`, second.server.URL, down)) + fmt.Sprintf(`
data "accessplane_user_signins" "test" {
  adm_username    = %q
  nimble_username = %q
  %s
}
`, dana, person, allow)
	}
	one := knownvalue.ObjectExact(map[string]knownvalue.Check{
		"adm_sessions": knownvalue.Int64Exact(1), "cluster_sessions": knownvalue.Null(), "nimble_tokens": knownvalue.Int64Exact(1),
	})
	unreachable := func(plane string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"appliance": knownvalue.StringExact("site-3"), "plane": knownvalue.StringExact(plane),
			"error": knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(downHost))),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ExpectError: regexp.MustCompile(`(?s)` + wrapped("Could not read where the person is signed in") + `.*` +
					wrapped("Not read: - ADM on site-3 ("+downHost+"):") + `.*` + wrapped("- Nimble on site-3 ("+downHost+"):") + `.*` +
					wrapped("Read: - ADM on default ("+first.hostPort()+`): 1 session of "`+dana+`"`) + `.*` +
					wrapped("- Nimble on site-2 ("+second.hostPort()+`): 1 session token of "`+person+`"`) + `.*` +
					wrapped("allow_unreachable = true")),
			},
			{
				Config: config("allow_unreachable = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(signinsAddress, tfjsonpath.New("total"), knownvalue.Null()),
					statecheck.ExpectKnownValue(signinsAddress, tfjsonpath.New("unreachable"), knownvalue.ListExact([]knownvalue.Check{unreachable("adm"), unreachable("nimble")})),
					statecheck.ExpectKnownValue(signinsAddress, tfjsonpath.New("by_appliance"), knownvalue.MapExact(map[string]knownvalue.Check{defaultAppliance: one, secondSite: one})),
					signinsState{signinsAddress, func(signins []signinEntry, _ map[string]any) error {
						a, err := first.apiSignins(defaultAppliance, dana, "", person)
						if err != nil {
							return err
						}
						b, err := second.apiSignins(secondSite, dana, "", person)
						if err != nil {
							return err
						}
						return sameSignins(signins, append(a, b...))
					}},
				},
			},
		},
	})
}

// TestAccUserSignins_checkStaysOut is the offboarding guide's "stays out": a check
// block over the person's sign-ins passes after the sign-out, warns on the next plan
// once the person has signed in again (and the plan changes nothing), and passes
// again after a new sign-out. Terraform plans every data source of a check block to
// be read again during apply, so no plan with one is empty: each step expects that.
func TestAccUserSignins_checkStaysOut(t *testing.T) {
	env := newTestEnv(t, admBackend)
	dana := env.name("dana")
	env.createUser(t, dana, "Dana-Secret-1")
	env.signIn(t, dana, "Dana-Secret-1")
	config := func(ticket string) string {
		return env.providerConfig("") + fmt.Sprintf(`
resource "accessplane_user_signout" "dana" {
  adm_username = %[1]q
  triggers     = { ticket = %[2]q }
}

check "dana_stays_out" {
  data "accessplane_user_signins" "dana" {
    adm_username = %[1]q
    depends_on   = [accessplane_user_signout.dana]
  }

  assert {
    condition     = data.accessplane_user_signins.dana.total == 0
    error_message = "dana signed in again after the sign-out: ${jsonencode(data.accessplane_user_signins.dana.signins)}"
  }
}
`, dana, ticket)
	}
	signedIn := func(want int) func(*terraform.State) error {
		return func(*terraform.State) error {
			sessions, err := env.admSessions(dana)
			if err != nil {
				return err
			}
			if len(sessions) != want {
				return fmt.Errorf("dana has %d ADM sessions, want %d", len(sessions), want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The sign-out and, after it, the check: it passes.
				Config: config("HR-1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{checkBlock{"dana_stays_out", "unknown"}},
				},
				ConfigStateChecks:  []statecheck.StateCheck{checkBlock{"dana_stays_out", "pass"}},
				Check:              signedIn(0),
				ExpectNonEmptyPlan: true,
			},
			{
				// dana signs in again: the plan warns, and changes nothing.
				PreConfig: func() { env.signIn(t, dana, "Dana-Secret-1") },
				Config:    config("HR-1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("accessplane_user_signout.dana", plancheck.ResourceActionNoop),
						checkBlock{"dana_stays_out", "fail"},
					},
				},
				Check:              signedIn(1),
				ExpectNonEmptyPlan: true,
			},
			{
				// A new ticket signs her out again, and the check is quiet.
				Config:             config("HR-2"),
				ConfigStateChecks:  []statecheck.StateCheck{checkBlock{"dana_stays_out", "pass"}},
				Check:              signedIn(0),
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccUserSignins_planTimeChecks: an unknown appliance name, or no identifier, is
// refused when Terraform plans, before any request; on the mock also an identifier
// whose plane no appliance has.
func TestAccUserSignins_planTimeChecks(t *testing.T) {
	env := newTestEnv(t, admBackend)
	steps := []resource.TestStep{
		{
			Config: env.providerConfig("") + `
data "accessplane_user_signins" "test" {
  adm_username = "dana"
  appliances   = ["default", "site-9"]
}
`,
			ExpectError: regexp.MustCompile(`(?s)Unknown appliance "site-9".*Configured:\s+"default"\.`),
		},
		{
			Config: env.providerConfig("") + `
data "accessplane_user_signins" "test" {
  appliances = ["default"]
}
`,
			ExpectError: regexp.MustCompile(`(?s)At least one of these attributes must be configured:\s+\[adm_username,cluster_user_id,nimble_username\]`),
		},
	}
	if env.mock != nil {
		steps = append(steps, resource.TestStep{
			Config: fmt.Sprintf(`
provider "accessplane" {
  adm = { endpoint = %q, username = "nsroot", password = "nsroot" }
}
data "accessplane_user_signins" "test" {
  adm_username    = "dana"
  nimble_username = "dana"
}
`, env.server.URL),
			ExpectError: regexp.MustCompile(`(?s)Provider block "nimble" not configured.*data.accessplane_user_signins.nimble_username`),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps:                    steps,
	})
	if counts := env.counts(); len(counts) != 0 {
		t.Errorf("refused reads sent requests: %v", counts)
	}
}

// TestAccUserSignins_atMost32AppliancesAtOnce: a read over 40 arrays has at most 32
// listings in flight, through the sign-out's fan-out (heldFleet).
func TestAccUserSignins_atMost32AppliancesAtOnce(t *testing.T) {
	mockOnly(t, "needs 40 distinct arrays whose requests are held until 32 are in flight")
	fleet := newHeldFleet(t)
	chosen, diags := types.SetValueFrom(context.Background(), types.StringType, fleet.names)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var reads signinReads
	most := fleet.mostAtOnce(t, func() {
		var diags diag.Diagnostics
		reads = fleet.holder.readSignins(context.Background(), signoutNames{NimbleUsername: types.StringValue("dana"), Appliances: chosen}, &diags)
	})
	signins, byAppliance, unreachable := reads.models()
	if most != maxConcurrentAppliances || len(signins) != 40 || len(byAppliance) != 40 || len(unreachable) != 0 {
		t.Fatalf("%d requests at once (want %d); %d sign-ins on %d appliances, %d unreachable (want 40 on 40, none)",
			most, maxConcurrentAppliances, len(signins), len(byAppliance), len(unreachable))
	}
}
