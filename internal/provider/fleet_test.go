package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// secondSite is the name of the second appliance of fleetPair.
const secondSite = "site-2"

// fleetPair is two appliances in one provider configuration: the top-level blocks
// (the appliance "default") and the entry "site-2" of appliances. On the mock each is
// its own mock with all three planes; live both name the one lab appliance (two
// entries of appliances may name the same appliance), so first and second are the
// same testEnv and what the test makes, it makes once.
type fleetPair struct {
	first, second *testEnv
	uses          []backend
}

// newFleetPair is a fleetPair whose appliances have the planes uses.
func newFleetPair(t *testing.T, uses ...backend) fleetPair {
	t.Helper()
	first := newTestEnv(t, uses...)
	if first.mock == nil {
		return fleetPair{first: first, second: first, uses: uses}
	}
	return fleetPair{first: first, second: newTestEnv(t, uses...), uses: uses}
}

// distinct reports whether the two appliances are two (the mock), not one appliance
// named twice (live).
func (p fleetPair) distinct() bool { return p.first != p.second }

// envs are the pair's appliances, each once.
func (p fleetPair) envs() []*testEnv {
	if p.distinct() {
		return []*testEnv{p.first, p.second}
	}
	return []*testEnv{p.first}
}

// name is a name for an object the test makes, the same on both appliances.
func (p fleetPair) name(suffix string) string { return p.first.name(suffix) }

// providerConfig is the provider block: the first appliance's settings at the top
// level and the second as the entry site-2. Live, the entry names only the endpoint
// of each plane it uses: its credentials come from the ACCESSPLANE_* variables, as
// the top-level blocks' settings do, and its endpoint never does.
func (p fleetPair) providerConfig() string {
	if !p.distinct() {
		var blocks []string
		for _, b := range p.uses {
			blocks = append(blocks, fmt.Sprintf("      %-7s = { endpoint = %q }", b.block, p.second.endpoint(b)))
		}
		return p.first.providerConfig(fmt.Sprintf(`
  appliances = {
    %q = {
%s
    }
  }`, secondSite, strings.Join(blocks, "\n")))
	}
	return p.first.providerConfig(fmt.Sprintf(`
  appliances = {
    %[2]q = {
      adm     = { endpoint = %[1]q, username = "nsroot", password = "nsroot" }
      cluster = { endpoint = %[1]q, api_token = "mock-cluster-token" }
      nimble  = { endpoint = %[1]q, username = "admin", password = "admin" }
    }
  }`, p.second.server.URL, secondSite))
}

// fleetPerson is a person a fleet sign-out test signs in and out, the same on both
// appliances: an ADM user the test makes (its sessions come from signing in as it,
// as a person's do), a Dynatrace user id and a Nimble user.
type fleetPerson struct {
	adm, password, cluster string
	// nimble and nimblePassword: the test's Nimble person, who signs in as a person
	// does; for a second person only the mock has a Nimble user ("" live).
	nimble, nimblePassword string
}

// newSignedInPair is a fleetPair with the persons dana and erin: on each appliance
// dana has 2 ADM sessions, 1 Dynatrace session and 3 Nimble tokens, and erin one of
// each. Live, Dynatrace sessions come only from browsers: there the persons have none
// (a sign-out of a tfacc- person with no sessions ends 0), and erin has no Nimble
// user (the test's one Nimble person is dana).
func newSignedInPair(t *testing.T) (pair fleetPair, dana, erin fleetPerson) {
	t.Helper()
	pair = newFleetPair(t, admBackend, clusterBackend, nimbleBackend)
	person := func(name string) fleetPerson {
		p := fleetPerson{adm: pair.name(name), password: "Person-Secret-1"}
		p.cluster = p.adm + "@example.com"
		for _, e := range pair.envs() {
			e.createUser(t, p.adm, p.password)
		}
		return p
	}
	dana, erin = person("dana"), person("erin")
	dana.nimble, dana.nimblePassword = pair.first.nimblePerson(t)
	if pair.distinct() {
		erin.nimble = "erin"
	}
	for _, e := range pair.envs() {
		e.signInPerson(t, dana, 2, 3)
		e.signInPerson(t, erin, 1, 1)
	}
	return pair, dana, erin
}

// signInPerson signs p in on each plane of e: adm ADM sessions, one Dynatrace session
// and nimble Nimble tokens. Dynatrace sessions, and the tokens of a Nimble user
// without a password, exist only on the mock, which seeds them; live there are none.
func (e *testEnv) signInPerson(t *testing.T, p fleetPerson, adm, nimble int) {
	const cluster = 1
	t.Helper()
	for range adm {
		e.signIn(t, p.adm, p.password)
	}
	if e.mock != nil && cluster > 0 {
		e.mock.SeedClusterSessions(mock.ClusterSessionSeed{UserID: p.cluster, Count: cluster})
	}
	switch {
	case p.nimblePassword != "":
		for range nimble {
			e.nimbleSignIn(t, p.nimble, p.nimblePassword)
		}
	case p.nimble != "" && e.mock != nil && nimble > 0:
		e.mock.SeedTokens(mock.TokenSeed{Username: p.nimble, Count: nimble})
	}
}

// checkFleetPerson asserts, through each plane's API, how many sessions p still has on
// e: ADM sessions, Dynatrace sessions and Nimble tokens. Live, what only the mock
// seeds is expected to be 0.
func (e *testEnv) checkFleetPerson(p fleetPerson, adm, cluster, nimble int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.mock == nil {
			cluster = 0
			if p.nimblePassword == "" {
				nimble = 0
			}
		}
		ctx, cancel := e.ctx()
		defer cancel()
		sessions, err := e.admSessions(p.adm)
		if err != nil {
			return err
		}
		clusterSessions, err := e.cluster.ListSessions(ctx, p.cluster)
		if err != nil {
			return err
		}
		tokens := 0
		if p.nimble != "" {
			list, err := e.nimbleTokens(p.nimble)
			if err != nil {
				return err
			}
			tokens = len(list)
		}
		if len(sessions) != adm || len(clusterSessions) != cluster || tokens != nimble {
			return fmt.Errorf("%s has %d ADM sessions, %d cluster sessions and %d Nimble tokens on %s; want %d, %d and %d",
				p.adm, len(sessions), len(clusterSessions), tokens, e.endpoint(admBackend), adm, cluster, nimble)
		}
		return nil
	}
}

// checkBoth runs a check of each appliance.
func (p fleetPair) checkBoth(check func(*testEnv) resource.TestCheckFunc) resource.TestCheckFunc {
	var checks []resource.TestCheckFunc
	for _, e := range p.envs() {
		checks = append(checks, check(e))
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

// checkGroup asserts the groups of a user on one appliance, as NITRO reports them.
func checkGroup(env *testEnv, name, group string) resource.TestCheckFunc {
	return env.checkUser(name, func(u *nitro.User) error {
		if len(u.Groups) != 1 || u.Groups[0] != group {
			return fmt.Errorf("user %s has groups %v on %s, want [%s]", name, u.Groups, env.endpoint(admBackend), group)
		}
		return nil
	})
}

// userExists asserts that a user exists on one appliance.
func userExists(env *testEnv, name string) resource.TestCheckFunc {
	return env.checkUser(name, func(*nitro.User) error { return nil })
}

// TestAccFleet_sameUserOnTwoAppliances: a user of the same name on two appliances of
// one provider configuration is two resources that never mix: each is created,
// refreshed, corrected after drift, recreated after an out-of-band delete and imported
// (by id and by name, with the "@<appliance>" suffix) on its own appliance only. null
// and "default" name the same appliance, and moving a user to another appliance
// replaces it. Live both entries name one appliance, where one name is one user: the
// second user has a name of its own, and the mover's move is a replacement there.
func TestAccFleet_sameUserOnTwoAppliances(t *testing.T) {
	pair := newFleetPair(t, admBackend)
	ops, secondOps, mover := pair.name("ops"), pair.name("ops"), pair.name("mover")
	if !pair.distinct() {
		secondOps = pair.name("ops-2")
	}
	config := func(moverAppliance string) string {
		return pair.providerConfig() + fmt.Sprintf(`
resource "accessplane_mpsuser" "first" {
  name     = %q
  password = "First-Secret-1"
  groups   = ["readonly"]
}

resource "accessplane_mpsuser" "second" {
  appliance = "site-2"
  name      = %q
  password  = "Second-Secret-2"
  groups    = ["admin"]
}

resource "accessplane_mpsuser" "mover" {
  name     = %q
  password = "Mover-Secret-3"
  %s
}
`, ops, secondOps, mover, moverAppliance)
	}
	second := "accessplane_mpsuser.second"
	groups := func() resource.TestCheckFunc {
		return resource.ComposeAggregateTestCheckFunc(checkGroup(pair.first, ops, "readonly"), checkGroup(pair.second, secondOps, "admin"))
	}
	// On two appliances, each holds the mover only where it is configured.
	moverOn := func(on, off *testEnv) resource.TestCheckFunc {
		if !pair.distinct() {
			return userExists(on, mover)
		}
		return resource.ComposeAggregateTestCheckFunc(userExists(on, mover), off.checkUserGone(mover))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: destroyCheck(t, pair.first.checkUserGone(ops, mover, secondOps),
			pair.second.checkUserGone(ops, mover, secondOps)),
		Steps: []resource.TestStep{
			{
				Config: config(`appliance = "default"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("accessplane_mpsuser.first", tfjsonpath.New("appliance"), knownvalue.StringExact("default")),
					statecheck.ExpectKnownValue(second, tfjsonpath.New("appliance"), knownvalue.StringExact(secondSite)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(groups(), moverOn(pair.first, pair.second)),
			},
			{
				// null is "default": no change.
				Config:           config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Drift on the second appliance is corrected there and nowhere else.
				PreConfig: func() {
					pair.second.editUser(t, secondOps, func(u *nitro.UserSpec) { u.Groups = &[]string{"readonly"} })
				},
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(second, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("accessplane_mpsuser.first", plancheck.ResourceActionNoop),
				}},
				Check: groups(),
			},
			{
				// Deleted on the second appliance only: created again there.
				PreConfig: func() { pair.second.deleteUser(t, secondOps) },
				Config:    config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(second, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("accessplane_mpsuser.first", plancheck.ResourceActionNoop),
				}},
				Check: groups(),
			},
			{
				Config:       config(""),
				ResourceName: second,
				ImportState:  true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources[second].Primary.ID + "@" + secondSite, nil
				},
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password"},
			},
			{
				Config:                  config(""),
				ResourceName:            second,
				ImportState:             true,
				ImportStateId:           importByNamePrefix + secondOps + "@" + secondSite,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password"},
			},
			{
				Config: config(`appliance = "site-2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("accessplane_mpsuser.mover", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: moverOn(pair.second, pair.first),
			},
		},
	})
}

// TestAccFleet_identity: the identity of an object on an entry of appliances names
// that appliance, and an import block with that identity adopts it from there; on
// the default appliance the identity's appliance is null, as before fleets.
func TestAccFleet_identity(t *testing.T) {
	pair := newFleetPair(t, admBackend)
	first, second := pair.name("ida"), pair.name("ida")
	if !pair.distinct() {
		second = pair.name("ida-2")
	}
	// The import configures no password: the user keeps the one it has.
	config := func(password string) string {
		return pair.providerConfig() + fmt.Sprintf(`
resource "accessplane_mpsuser" "first" {
  name     = %q
  password = "First-Secret-1"
}

resource "accessplane_mpsuser" "second" {
  appliance = "site-2"
  name      = %q
  %s
}
`, first, second, password)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsIdentity},
		CheckDestroy:             destroyCheck(t, pair.checkBoth(func(e *testEnv) resource.TestCheckFunc { return e.checkUserGone(first, second) })),
		Steps: []resource.TestStep{
			{
				Config: config(`password = "Second-Secret-2"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("accessplane_mpsuser.first", map[string]knownvalue.Check{"id": knownvalue.NotNull(), "appliance": knownvalue.Null()}),
					statecheck.ExpectIdentity("accessplane_mpsuser.second", map[string]knownvalue.Check{"id": knownvalue.NotNull(), "appliance": knownvalue.StringExact(secondSite)}),
					statecheck.ExpectIdentityValueMatchesState("accessplane_mpsuser.second", tfjsonpath.New("id")),
				},
			},
			{
				Config:          config(""),
				ResourceName:    "accessplane_mpsuser.second",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// fleetCounts checks a fleet sign-out's counts: each of perAppliance's appliances
// ended adm ADM sessions, cluster Dynatrace sessions and nimble Nimble tokens of the
// person (live no Dynatrace session), and the totals are their sums. When both entries name one appliance (live),
// the two sign-outs run at once on the same sessions and each may end what the other
// also ends: then each entry's counts are at most what the person had, and the totals
// at least that and at most twice.
func fleetCounts(pair fleetPair, perAppliance []string, adm, cluster, nimble int64) []statecheck.StateCheck {
	n := int64(len(perAppliance))
	if !pair.distinct() {
		cluster = 0 // live, Dynatrace sessions come only from browsers: there are none
	}
	if pair.distinct() || n == 1 {
		entry := knownvalue.ObjectExact(map[string]knownvalue.Check{
			"adm_sessions_ended": knownvalue.Int64Exact(adm), "cluster_sessions_ended": knownvalue.Int64Exact(cluster), "nimble_tokens_revoked": knownvalue.Int64Exact(nimble),
		})
		entries := map[string]knownvalue.Check{}
		for _, name := range perAppliance {
			entries[name] = entry
		}
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("adm_sessions_ended"), knownvalue.Int64Exact(n*adm)),
			statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("cluster_sessions_ended"), knownvalue.Int64Exact(n*cluster)),
			statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("nimble_tokens_revoked"), knownvalue.Int64Exact(n*nimble)),
			statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("by_appliance"), knownvalue.MapExact(entries)),
		}
	}
	between := func(low, high int64) knownvalue.Check {
		return knownvalue.Int64Func(func(v int64) error {
			if v < low || v > high {
				return fmt.Errorf("%d, want from %d to %d", v, low, high)
			}
			return nil
		})
	}
	entry := knownvalue.ObjectExact(map[string]knownvalue.Check{
		"adm_sessions_ended": between(0, adm), "cluster_sessions_ended": between(0, cluster), "nimble_tokens_revoked": between(0, nimble),
	})
	entries := map[string]knownvalue.Check{}
	for _, name := range perAppliance {
		entries[name] = entry
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("adm_sessions_ended"), between(adm, n*adm)),
		statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("cluster_sessions_ended"), between(cluster, n*cluster)),
		statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("nimble_tokens_revoked"), between(nimble, n*nimble)),
		statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("by_appliance"), knownvalue.MapExact(entries)),
	}
}

// TestAccFleet_signOut: one sign-out ends the person's sessions on every plane of both
// appliances, reports each appliance's counts beside the totals, and leaves the
// provider's own sessions and everyone else alone; appliances narrows it to the
// appliances named.
func TestAccFleet_signOut(t *testing.T) {
	pair, dana, erin := newSignedInPair(t)
	config := func(ticket, appliances string) string {
		return pair.providerConfig() + fmt.Sprintf(`
resource "accessplane_user_signout" "test" {
  adm_username    = %q
  cluster_user_id = %q
  nimble_username = %q
  triggers        = { ticket = %q }
  %s
}
`, dana.adm, dana.cluster, dana.nimble, ticket, appliances)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config("SEC-1", ""),
				ConfigStateChecks: fleetCounts(pair, []string{"default", secondSite}, 2, 1, 3),
				Check: pair.checkBoth(func(e *testEnv) resource.TestCheckFunc {
					return resource.ComposeAggregateTestCheckFunc(e.checkFleetPerson(dana, 0, 0, 0), e.checkFleetPerson(erin, 1, 1, 1), e.checkProviderSessionsKept())
				}),
			},
			{
				PreConfig: func() {
					for _, e := range pair.envs() {
						e.signInPerson(t, dana, 1, 1)
					}
				},
				Config:            config("SEC-2", `appliances = ["site-2"]`),
				ConfigStateChecks: fleetCounts(pair, []string{secondSite}, 1, 1, 1),
				Check:             pair.checkOnlySecondSignedOut(dana),
			},
		},
	})
}

// checkOnlySecondSignedOut asserts that p was signed out of the second appliance and,
// when the first is another, is still signed in there.
func (p fleetPair) checkOnlySecondSignedOut(person fleetPerson) resource.TestCheckFunc {
	if !p.distinct() {
		return p.second.checkFleetPerson(person, 0, 0, 0)
	}
	return resource.ComposeAggregateTestCheckFunc(p.first.checkFleetPerson(person, 1, 1, 1), p.second.checkFleetPerson(person, 0, 0, 0))
}

// checkProviderSessionsKept asserts that the provider's own ADM session and Nimble
// token on the mock are still live: a sign-out never ends them. Live, the provider's
// own session cannot be told from the configured admin's other sessions on a shared
// appliance, so there the sign-out's promise rests on the checks of the persons.
func (e *testEnv) checkProviderSessionsKept() resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.mock == nil {
			return nil
		}
		if left := providerSessions(e.mock); len(left) < 2 {
			return fmt.Errorf("the provider's own sessions on %s: %v, want its ADM session and Nimble token", e.server.URL, left)
		}
		return nil
	}
}

// TestAccFleet_listOnAppliance: terraform query of a list block with appliance lists
// that appliance's users only, and each result, identity and resource, names it. On
// the mock a user of the listed name is on both appliances, and the result is the
// second's.
func TestAccFleet_listOnAppliance(t *testing.T) {
	pair := newFleetPair(t, admBackend)
	name := pair.name("listed")
	var listed *nitro.User
	for _, e := range pair.envs() {
		listed = e.createUser(t, name, "Listed-Secret-1")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsQuery},
		Steps: []resource.TestStep{{
			Query: true,
			Config: pair.providerConfig() + fmt.Sprintf(`
list "accessplane_mpsuser" "site2" {
  provider         = accessplane
  include_resource = true
  config {
    appliance = "site-2"
    name      = %q
    group     = "readonly"
  }
}
`, name),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("accessplane_mpsuser.site2", 1),
				querycheck.ExpectIdentity("accessplane_mpsuser.site2", map[string]knownvalue.Check{
					"id": knownvalue.StringExact(listed.ID), "appliance": knownvalue.StringExact(secondSite),
				}),
			},
		}},
	})
}

// TestSignInOncePerApplianceUsed: a configuration of 500 appliances of which two are
// used signs in twice, and the stop signs out of those two only. The 500 entries name
// the target's ADM (live, with the credentials of the ACCESSPLANE_ADM_* variables, an
// entry's fallback); the requests are counted at the client.
func TestSignInOncePerApplianceUsed(t *testing.T) {
	env := newTestEnv(t, admBackend)
	adm := &credentialBackendModel{Endpoint: types.StringValue(env.endpoint(admBackend)), Username: types.StringNull(), Password: types.StringNull()}
	if env.mock != nil {
		adm.Username, adm.Password = types.StringValue("nsroot"), types.StringValue("nsroot")
	}
	entries := map[string]applianceModel{}
	for i := range 500 {
		entries[fmt.Sprintf("adm-%03d", i)] = applianceModel{ADM: adm}
	}
	appliances, diags := types.MapValueFrom(context.Background(), applianceObjectType(t), entries)
	if diags.HasError() {
		t.Fatal(diags)
	}
	counter := &requestCounter{counts: map[string]int{}, paths: map[string]int{}}
	process := NewProcess("test")
	process.wrapTransport = counter.wrap
	data := newProviderData(providerModel{Appliances: appliances}, process, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	process.opened(data)
	for _, name := range []string{"adm-007", "adm-420"} {
		if _, err := data.appliances[name].adm.ListUsers(context.Background(), nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := process.SignOut(context.Background()); err != nil {
		t.Fatal(err)
	}
	counts := counter.snapshot()
	in := counts[mock.RouteNITROLogin] + counts[mock.RouteNITROLoginV2]
	out := counts[mock.RouteNITROLogout] + counts[mock.RouteNITROLogoutV2]
	if in != 2 || out != 2 {
		t.Fatalf("%d sign-ins and %d sign-outs for 2 appliances used of 500 configured; want 2 and 2 (%v)", in, out, counts)
	}
}

// TestApplianceNames: an unknown name lists the configured ones, a fleet's list
// stays readable, and an import id's "@" suffix is an appliance only when it names one.
func TestApplianceNames(t *testing.T) {
	data := &providerData{appliances: map[string]*applianceClients{}}
	for _, name := range []string{defaultAppliance, "b", "a"} {
		data.appliances[name] = &applianceClients{source: entrySource(name)}
	}
	h := &providerDataHolder{data: data}
	var diags diag.Diagnostics
	if h.named("nope", pathAppliance, &diags) != nil || !diags.HasError() ||
		!regexp.MustCompile(`Configured: "default", "a", "b"\.`).MatchString(diags[0].Detail()) {
		t.Fatalf("unknown name: %v", diags)
	}
	for i := range 30 {
		data.appliances[fmt.Sprintf("n-%02d", i)] = &applianceClients{}
	}
	if list := data.namesList(); !regexp.MustCompile(`^"default", "a", "b", "n-00", .*"n-16", and 13 more$`).MatchString(list) {
		t.Errorf("names of 33 appliances: %s", list)
	}
	for id, want := range map[string][2]string{
		"abc@b":            {"abc", "b"},
		"name:dana@corp@a": {"name:dana@corp", "a"},
		"name:dana@corp":   {"name:dana@corp", defaultAppliance},
		"cluster@b":        {"cluster", "b"},
	} {
		gotID, gotAppliance := h.importTarget(context.Background(), importRequest(id), &diags)
		if gotID != want[0] || gotAppliance.ValueString() != want[1] {
			t.Errorf("import id %q: %q on %q, want %q on %q", id, gotID, gotAppliance.ValueString(), want[0], want[1])
		}
	}
}

// applianceObjectType is the type of one entry of appliances, from the provider schema.
func applianceObjectType(t *testing.T) types.ObjectType {
	var resp provider.SchemaResponse
	testProvider().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	appliances, ok := resp.Schema.Attributes["appliances"].GetType().(types.MapType)
	if !ok {
		t.Fatalf("appliances is a %T, want a map", resp.Schema.Attributes["appliances"].GetType())
	}
	entry, ok := appliances.ElemType.(types.ObjectType)
	if !ok {
		t.Fatalf("an entry of appliances is a %T, want an object", appliances.ElemType)
	}
	return entry
}

func importRequest(id string) fwresource.ImportStateRequest {
	return fwresource.ImportStateRequest{ID: id}
}

// TestApplianceSettingsFromTheEnvironment: an entry of appliances takes the
// credentials it leaves out from its plane's environment variables, and never its
// endpoint, which only the top-level blocks (the appliance "default") take from there.
// Live the variables are the target's own; on the mock the test sets them.
func TestApplianceSettingsFromTheEnvironment(t *testing.T) {
	env := newTestEnv(t, admBackend)
	if env.mock != nil {
		t.Setenv("ACCESSPLANE_ADM_ENDPOINT", env.endpoint(admBackend))
		t.Setenv("ACCESSPLANE_ADM_USERNAME", "nsroot")
		t.Setenv("ACCESSPLANE_ADM_PASSWORD", "nsroot")
	}
	endpoint := env.endpoint(admBackend)
	entries := map[string]applianceModel{
		"with-endpoint": {ADM: &credentialBackendModel{Endpoint: types.StringValue(endpoint)}},
		"nimble-only":   {Nimble: &credentialBackendModel{Endpoint: types.StringValue(endpoint), Username: types.StringValue("admin"), Password: types.StringValue("admin")}},
	}
	appliances, diags := types.MapValueFrom(context.Background(), applianceObjectType(t), entries)
	data := newProviderData(providerModel{Appliances: appliances}, NewProcess("test"), &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if data.appliances[defaultAppliance].adm == nil {
		t.Error("the default appliance did not take its ADM settings from the environment")
	}
	if data.appliances["nimble-only"].adm != nil {
		t.Error("an entry without an adm block took ACCESSPLANE_ADM_ENDPOINT: it would talk to another appliance")
	}
	client := data.appliances["with-endpoint"].adm
	if client == nil {
		t.Fatal("an entry with an ADM endpoint has no ADM client")
	}
	wantUser, wantPassword := os.Getenv("ACCESSPLANE_ADM_USERNAME"), os.Getenv("ACCESSPLANE_ADM_PASSWORD")
	if username, password := client.Credentials(); username != wantUser || password != wantPassword {
		t.Errorf("the entry's credentials are %q/%q, want them from ACCESSPLANE_ADM_USERNAME and _PASSWORD", username, password)
	}
	t.Cleanup(func() {
		ctx, cancel := env.ctx()
		defer cancel()
		_ = client.SignOut(ctx)
	})
	if _, err := client.ListUsers(context.Background(), nil, 0); err != nil {
		t.Fatalf("the entry could not sign in with the environment's credentials: %v", err)
	}
}

// TestAccFleet_signOutAction: the action, triggered by a ticket, signs the person out
// of both appliances, and of only those named in appliances once they are given; an
// unknown name there is refused when Terraform plans the invocation, before anything
// is ended.
func TestAccFleet_signOutAction(t *testing.T) {
	skipUnlessTerraform(t, actionsNeed, "action triggers")
	pair, dana, erin := newSignedInPair(t)
	config := func(ticket, appliances string) string {
		return pair.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "ticket" {
  input = %q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.accessplane_user_signout.dana]
    }
  }
}

action "accessplane_user_signout" "dana" {
  config {
    adm_username    = %q
    cluster_user_id = %q
    nimble_username = %q
    %s
  }
}
`, ticket, dana.adm, dana.cluster, dana.nimble, appliances)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("SEC-1", ""),
				Check: pair.checkBoth(func(e *testEnv) resource.TestCheckFunc {
					return resource.ComposeAggregateTestCheckFunc(e.checkFleetPerson(dana, 0, 0, 0), e.checkFleetPerson(erin, 1, 1, 1), e.checkProviderSessionsKept())
				}),
			},
			{
				PreConfig: func() {
					for _, e := range pair.envs() {
						e.signInPerson(t, dana, 1, 1)
					}
				},
				Config:      config("SEC-2", `appliances = ["site-2", "site-9"]`),
				ExpectError: regexp.MustCompile(`(?s)Unknown appliance "site-9".*Configured:\s+"default",\s+"site-2"`),
			},
			{
				// The refused invocation ended nothing: dana is still signed in.
				PreConfig: func() {
					check(t, pair.checkBoth(func(e *testEnv) resource.TestCheckFunc { return e.checkFleetPerson(dana, 1, 1, 1) }))
				},
				Config: config("SEC-3", `appliances = ["site-2"]`),
				Check:  pair.checkOnlySecondSignedOut(dana),
			},
		},
	})
}

// TestAccFleet_adoptWithQuery: terraform query of a list block with appliance writes
// that appliance into each generated resource and import block, so the generated
// configuration plans the adoption of that appliance's users and nothing else. The
// list names the test's user: on a shared appliance it adopts nobody else's. On the
// mock a user of that name is on both appliances, and the first is not even listed.
func TestAccFleet_adoptWithQuery(t *testing.T) {
	skipUnlessTerraform(t, tfversion.Version1_14_0, "list resources (terraform query)")
	t.Parallel()
	pair := newFleetPair(t, admBackend)
	name := pair.name("adopted")
	var adopted *nitro.User
	for _, e := range pair.envs() {
		adopted = e.createUser(t, name, "Adopted-Secret-1")
	}
	cli := newCLIWorkdir(t, pair.first.cliEnvironment()...)
	writeFile(t, filepath.Join(cli.dir, "main.tf"), `
terraform {
  required_providers {
    accessplane = { source = "accessplane/accessplane" }
  }
}
`+pair.providerConfig())
	writeFile(t, filepath.Join(cli.dir, "users.tfquery.hcl"), fmt.Sprintf(`
list "accessplane_mpsuser" "user" {
  provider         = accessplane
  include_resource = true
  config {
    appliance = "site-2"
    name      = %q
  }
}
`, name))
	var firstLists, secondWrites int
	if pair.distinct() {
		pair.first.mock.ResetCounts()
		pair.second.mock.ResetCounts()
	}
	cli.mustRun("query", "-generate-config-out=users.tf", "-no-color")
	if generated := readFile(t, filepath.Join(cli.dir, "users.tf")); len(regexp.MustCompile(`appliance\s+= "site-2"`).FindAllString(generated, -1)) != 2 {
		t.Errorf("the generated configuration must name site-2 in its resource and its import block:\n%s", generated)
	}
	plan := cli.mustRun("plan", "-input=false", "-no-color", "-out=tfplan")
	if want := "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."; !strings.Contains(plan, want) {
		t.Fatalf("the generated configuration does not plan %q:\n%s", want, plan)
	}
	cli.mustRun("apply", "-input=false", "-no-color", "tfplan")
	if after := cli.mustRun("plan", "-input=false", "-no-color", "-detailed-exitcode"); !strings.Contains(after, "No changes.") {
		t.Fatalf("the plan after the adoption is not empty:\n%s", after)
	}
	// The provider runs as its own process here: its requests are counted by the
	// mock, when there is one.
	if pair.distinct() {
		firstLists = pair.first.mock.Count(mock.RouteUserList)
		secondWrites = pair.second.mock.Count(mock.RouteUserAdd) + pair.second.mock.Count(mock.RouteUserUpdate)
	}
	if firstLists != 0 || secondWrites != 0 {
		t.Errorf("%d lists of the first appliance and %d writes to the second; want none", firstLists, secondWrites)
	}
	// The adoption changed nothing: the user is the one the test made.
	check(t, pair.second.checkUser(name, func(u *nitro.User) error {
		if u.ID != adopted.ID || len(u.Groups) != 1 || u.Groups[0] != "readonly" {
			return fmt.Errorf("the adopted user is %+v, was %+v", u, adopted)
		}
		return nil
	}), pair.second.checkPassword(name, "Adopted-Secret-1"))
}

// cliEnvironment is what the real binary needs besides the configuration: live the
// ACCESSPLANE_* variables (newCLIWorkdir drops them from the machine's environment),
// on the mock nothing (the configuration names it).
func (e *testEnv) cliEnvironment() []string {
	if e.mock != nil {
		return nil
	}
	var settings []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "ACCESSPLANE_") {
			settings = append(settings, kv)
		}
	}
	return settings
}

// heldFleet is 40 Nimble arrays, each with one token of dana, whose requests are held
// once maxConcurrentAppliances are in flight: a request beyond the bound can only
// arrive if the bound is broken. It would arrive at once, and gets two seconds, which
// only a broken bound can use (a correct one passes however slow the machine).
type heldFleet struct {
	holder                    *providerDataHolder
	names                     []string
	inFlight, most            atomic.Int64
	full, over, release       chan struct{}
	fullOnce, overOnce, ended sync.Once
}

func newHeldFleet(t *testing.T) *heldFleet {
	t.Helper()
	f := &heldFleet{full: make(chan struct{}), over: make(chan struct{}), release: make(chan struct{})}
	// Held requests end with the test, so that the servers can close.
	t.Cleanup(f.releaseAll)
	entries := map[string]applianceModel{}
	for i := range 40 {
		m := mock.New(mock.Options{})
		m.SeedTokens(mock.TokenSeed{Username: "dana", Count: 1})
		server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := f.inFlight.Add(1)
			defer f.inFlight.Add(-1)
			for seen := f.most.Load(); n > seen && !f.most.CompareAndSwap(seen, n); seen = f.most.Load() {
			}
			if n >= maxConcurrentAppliances {
				f.fullOnce.Do(func() { close(f.full) })
			}
			if n > maxConcurrentAppliances {
				f.overOnce.Do(func() { close(f.over) })
			}
			<-f.release
			m.ServeHTTP(w, r)
		}))
		t.Cleanup(server.Close)
		name := fmt.Sprintf("array-%02d", i)
		f.names = append(f.names, name)
		entries[name] = applianceModel{Nimble: &credentialBackendModel{
			Endpoint: types.StringValue(server.URL), Username: types.StringValue("admin"), Password: types.StringValue("admin"),
		}}
	}
	appliances, diags := types.MapValueFrom(context.Background(), applianceObjectType(t), entries)
	data := newProviderData(providerModel{Appliances: appliances}, NewProcess("test"), &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	f.holder = &providerDataHolder{data: data}
	return f
}

func (f *heldFleet) releaseAll() { f.ended.Do(func() { close(f.release) }) }

// mostAtOnce runs work over the fleet, lets the held requests go once the bound is
// reached and a request beyond it had its chance, and returns how many requests were
// in flight at most.
func (f *heldFleet) mostAtOnce(t *testing.T, work func()) int64 {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		work()
	}()
	select {
	case <-f.full:
	case <-time.After(time.Minute):
		t.Fatalf("only %d requests were in flight at once; want %d", f.most.Load(), maxConcurrentAppliances)
	}
	select {
	case <-f.over:
	case <-time.After(2 * time.Second):
	}
	f.releaseAll()
	<-done
	return f.most.Load()
}

// TestSignOutWorksAtMost32AppliancesAtOnce: a sign-out of 40 arrays has at most 32
// of them in flight.
func TestSignOutWorksAtMost32AppliancesAtOnce(t *testing.T) {
	mockOnly(t, "needs 40 distinct arrays whose requests are held until 32 are in flight")
	fleet := newHeldFleet(t)
	var result signoutResult
	most := fleet.mostAtOnce(t, func() {
		var diags diag.Diagnostics
		result = fleet.holder.signOut(context.Background(), signoutNames{NimbleUsername: types.StringValue("dana"), Appliances: types.SetNull(types.StringType)}, nil, &diags)
	})
	if most != maxConcurrentAppliances || result.total().NimbleTokensRevoked != 40 || len(result.byAppliance) != 40 {
		t.Fatalf("%d appliances at once (want %d), %d tokens ended on %d appliances (want 40 on 40)",
			most, maxConcurrentAppliances, result.total().NimbleTokensRevoked, len(result.byAppliance))
	}
}
