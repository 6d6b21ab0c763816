package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
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
)

// secondSite is the name of the second appliance of fleetPair.
const secondSite = "site-2"

// fleetPair is two appliances in one provider configuration: the top-level blocks
// (the appliance "default") on one mock, and the entry "site-2" of appliances on
// another, each with all three planes.
type fleetPair struct {
	first, second *testEnv
}

func newFleetPair(t *testing.T) fleetPair {
	t.Helper()
	return fleetPair{first: newTestEnv(t), second: newTestEnv(t)}
}

func (p fleetPair) providerConfig() string {
	return p.first.providerConfig(fmt.Sprintf(`
  appliances = {
    %[2]q = {
      adm     = { endpoint = %[1]q, username = "nsroot", password = "nsroot" }
      cluster = { endpoint = %[1]q, api_token = "mock-cluster-token" }
      nimble  = { endpoint = %[1]q, username = "admin", password = "admin" }
    }
  }`, p.second.server.URL, secondSite))
}

// newSignedInPair is a fleetPair where, on each appliance, dana has 2 ADM sessions, 1
// Dynatrace session and 3 Nimble tokens, and erin one of each.
func newSignedInPair(t *testing.T) fleetPair {
	t.Helper()
	pair := newFleetPair(t)
	for _, e := range []*testEnv{pair.first, pair.second} {
		e.person("dana", 2, 1, 3)
		e.person("erin", 1, 1, 1)
	}
	return pair
}

// checkBoth runs a check of each appliance's mock.
func (p fleetPair) checkBoth(check func(*testEnv) resource.TestCheckFunc) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(check(p.first), check(p.second))
}

// checkOpsGroup asserts the groups of the user ops on one appliance.
func checkOpsGroup(env *testEnv, group string) resource.TestCheckFunc {
	return env.checkMockUser("ops", func(u mock.User) error {
		if len(u.Groups) != 1 || u.Groups[0] != group {
			return fmt.Errorf("user ops has groups %v on %s, want [%s]", u.Groups, env.server.URL, group)
		}
		return nil
	})
}

// TestAccFleet_sameUserOnTwoAppliances: a user of the same name on two appliances of
// one provider configuration is two resources that never mix: each is created,
// refreshed, corrected after drift, recreated after an out-of-band delete and imported
// (by id and by name, with the "@<appliance>" suffix) on its own appliance only. null
// and "default" name the same appliance, and moving a user to another appliance
// replaces it.
func TestAccFleet_sameUserOnTwoAppliances(t *testing.T) {
	pair := newFleetPair(t)
	config := func(mover string) string {
		return pair.providerConfig() + `
resource "accessplane_mpsuser" "first" {
  name     = "ops"
  password = "First-Secret-1"
  groups   = ["readonly"]
}

resource "accessplane_mpsuser" "second" {
  appliance = "site-2"
  name      = "ops"
  password  = "Second-Secret-2"
  groups    = ["admin"]
}

resource "accessplane_mpsuser" "mover" {
  name     = "mover"
  password = "Mover-Secret-3"
  ` + mover + `
}
`
	}
	second := "accessplane_mpsuser.second"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             destroyCheck(t, pair.checkBoth(func(e *testEnv) resource.TestCheckFunc { return e.checkUserGone("ops", "mover") })),
		Steps: []resource.TestStep{
			{
				Config: config(`appliance = "default"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("accessplane_mpsuser.first", tfjsonpath.New("appliance"), knownvalue.StringExact("default")),
					statecheck.ExpectKnownValue(second, tfjsonpath.New("appliance"), knownvalue.StringExact(secondSite)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkOpsGroup(pair.first, "readonly"),
					checkOpsGroup(pair.second, "admin"),
					pair.first.checkMockUser("mover", func(mock.User) error { return nil }),
					pair.second.checkUserGone("mover"),
				),
			},
			{
				// null is "default": no change.
				Config:           config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Drift on the second appliance is corrected there and nowhere else.
				PreConfig: func() {
					pair.second.mock.EditUser("ops", func(u *mock.User) { u.Groups = []string{"readonly"} })
				},
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(second, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("accessplane_mpsuser.first", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(checkOpsGroup(pair.first, "readonly"), checkOpsGroup(pair.second, "admin")),
			},
			{
				// Deleted on the second appliance only: created again there.
				PreConfig: func() { pair.second.mock.DeleteUser("ops") },
				Config:    config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(second, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("accessplane_mpsuser.first", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(checkOpsGroup(pair.first, "readonly"), checkOpsGroup(pair.second, "admin")),
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
				ImportStateId:           importByNamePrefix + "ops@" + secondSite,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password"},
			},
			{
				Config: config(`appliance = "site-2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("accessplane_mpsuser.mover", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					pair.first.checkUserGone("mover"),
					pair.second.checkMockUser("mover", func(mock.User) error { return nil }),
				),
			},
		},
	})
}

// TestAccFleet_identity: the identity of an object on an entry of appliances names
// that appliance, and an import block with that identity adopts it from there; on
// the default appliance the identity's appliance is null, as before fleets.
func TestAccFleet_identity(t *testing.T) {
	pair := newFleetPair(t)
	// The import configures no password: the user keeps the one it has.
	config := func(password string) string {
		return pair.providerConfig() + `
resource "accessplane_mpsuser" "first" {
  name     = "ida"
  password = "First-Secret-1"
}

resource "accessplane_mpsuser" "second" {
  appliance = "site-2"
  name      = "ida"
  ` + password + `
}
`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsIdentity},
		CheckDestroy:             destroyCheck(t, pair.checkBoth(func(e *testEnv) resource.TestCheckFunc { return e.checkUserGone("ida") })),
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

// TestAccFleet_signOut: one sign-out ends the person's sessions on every plane of both
// appliances, reports each appliance's counts beside the totals, and leaves the
// provider's own sessions and everyone else alone; appliances narrows it to the
// appliances named.
func TestAccFleet_signOut(t *testing.T) {
	pair := newSignedInPair(t)
	config := func(ticket, appliances string) string {
		return pair.providerConfig() + `
resource "accessplane_user_signout" "test" {
  adm_username    = "dana"
  cluster_user_id = "dana@example.com"
  nimble_username = "dana"
  triggers        = { ticket = "` + ticket + `" }
  ` + appliances + `
}
`
	}
	counts := func(adm, cluster, nimble int64) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"adm_sessions_ended": knownvalue.Int64Exact(adm), "cluster_sessions_ended": knownvalue.Int64Exact(cluster), "nimble_tokens_revoked": knownvalue.Int64Exact(nimble),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("SEC-1", ""),
				ConfigStateChecks: append(expectCounts(4, 2, 6), statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("by_appliance"),
					knownvalue.MapExact(map[string]knownvalue.Check{"default": counts(2, 1, 3), secondSite: counts(2, 1, 3)}))),
				Check: pair.checkBoth(func(e *testEnv) resource.TestCheckFunc {
					return resource.ComposeAggregateTestCheckFunc(e.checkLive("dana", 0, 0, 0), e.checkLive("erin", 1, 1, 1), e.checkProviderSessionsKept())
				}),
			},
			{
				PreConfig: func() {
					pair.first.person("dana", 1, 1, 1)
					pair.second.person("dana", 1, 1, 1)
				},
				Config: config("SEC-2", `appliances = ["site-2"]`),
				ConfigStateChecks: append(expectCounts(1, 1, 1), statecheck.ExpectKnownValue(signoutAddress, tfjsonpath.New("by_appliance"),
					knownvalue.MapExact(map[string]knownvalue.Check{secondSite: counts(1, 1, 1)}))),
				Check: resource.ComposeAggregateTestCheckFunc(pair.first.checkLive("dana", 1, 1, 1), pair.second.checkLive("dana", 0, 0, 0)),
			},
		},
	})
}

// checkProviderSessionsKept asserts that the provider's own ADM session and Nimble
// token on the mock are still live: a sign-out never ends them.
func (e *testEnv) checkProviderSessionsKept() resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := providerSessions(e.mock); len(left) < 2 {
			return fmt.Errorf("the provider's own sessions on %s: %v, want its ADM session and Nimble token", e.server.URL, left)
		}
		return nil
	}
}

// TestAccFleet_listOnAppliance: terraform query of a list block with appliance lists
// that appliance's users only, and each result, identity and resource, names it.
func TestAccFleet_listOnAppliance(t *testing.T) {
	pair := newFleetPair(t)
	pair.first.mock.SeedUsers("first", 3)
	seeded := pair.second.mock.SeedUsers("second", 2)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsQuery},
		Steps: []resource.TestStep{{
			Query: true,
			Config: pair.providerConfig() + `
list "accessplane_mpsuser" "site2" {
  provider         = accessplane
  include_resource = true
  config {
    appliance = "site-2"
    group     = "readonly"
  }
}
`,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("accessplane_mpsuser.site2", 2),
				querycheck.ExpectIdentity("accessplane_mpsuser.site2", map[string]knownvalue.Check{
					"id": knownvalue.StringExact(seeded[0].ID), "appliance": knownvalue.StringExact(secondSite),
				}),
			},
		}},
	})
}

// TestSignInOncePerApplianceUsed: a configuration of 500 appliances of which two are
// used signs in twice, and the stop signs out of those two only.
func TestSignInOncePerApplianceUsed(t *testing.T) {
	m := mock.New(mock.Options{})
	server := httptest.NewServer(m)
	defer server.Close()
	entries := map[string]applianceModel{}
	for i := range 500 {
		entries[fmt.Sprintf("adm-%03d", i)] = applianceModel{ADM: &credentialBackendModel{
			Endpoint: types.StringValue(server.URL), Username: types.StringValue("nsroot"), Password: types.StringValue("nsroot"),
		}}
	}
	appliances, diags := types.MapValueFrom(context.Background(), applianceObjectType(t), entries)
	if diags.HasError() {
		t.Fatal(diags)
	}
	data := newProviderData(providerModel{Appliances: appliances}, NewProcess("test"), &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	process := NewProcess("test")
	process.opened(data)
	for _, name := range []string{"adm-007", "adm-420"} {
		if _, err := data.appliances[name].adm.ListUsers(context.Background(), nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := process.SignOut(context.Background()); err != nil {
		t.Fatal(err)
	}
	if in, out := m.Count(mock.RouteNITROLogin), m.Count(mock.RouteNITROLogout); in != 2 || out != 2 {
		t.Fatalf("%d sign-ins and %d sign-outs for 2 appliances used of 500 configured; want 2 and 2", in, out)
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
func TestApplianceSettingsFromTheEnvironment(t *testing.T) {
	m := mock.New(mock.Options{})
	server := httptest.NewServer(m)
	defer server.Close()
	t.Setenv("ACCESSPLANE_ADM_ENDPOINT", server.URL)
	t.Setenv("ACCESSPLANE_ADM_USERNAME", "nsroot")
	t.Setenv("ACCESSPLANE_ADM_PASSWORD", "nsroot")
	entries := map[string]applianceModel{
		"with-endpoint": {ADM: &credentialBackendModel{Endpoint: types.StringValue(server.URL)}},
		"nimble-only":   {Nimble: &credentialBackendModel{Endpoint: types.StringValue(server.URL), Username: types.StringValue("admin"), Password: types.StringValue("admin")}},
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
	if username, password := client.Credentials(); username != "nsroot" || password != "nsroot" {
		t.Errorf("the entry's credentials are %q/%q, want them from ACCESSPLANE_ADM_USERNAME and _PASSWORD", username, password)
	}
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
	pair := newSignedInPair(t)
	config := func(ticket, appliances string) string {
		return pair.providerConfig() + `
resource "terraform_data" "ticket" {
  input = "` + ticket + `"
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.accessplane_user_signout.dana]
    }
  }
}

action "accessplane_user_signout" "dana" {
  config {
    adm_username    = "dana"
    cluster_user_id = "dana@example.com"
    nimble_username = "dana"
    ` + appliances + `
  }
}
`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("SEC-1", ""),
				Check: pair.checkBoth(func(e *testEnv) resource.TestCheckFunc {
					return resource.ComposeAggregateTestCheckFunc(e.checkLive("dana", 0, 0, 0), e.checkLive("erin", 1, 1, 1), e.checkProviderSessionsKept())
				}),
			},
			{
				PreConfig: func() {
					pair.first.person("dana", 1, 1, 1)
					pair.second.person("dana", 1, 1, 1)
				},
				Config:      config("SEC-2", `appliances = ["site-2", "site-9"]`),
				ExpectError: regexp.MustCompile(`(?s)Unknown appliance "site-9".*Configured:\s+"default",\s+"site-2"`),
			},
			{
				Config: config("SEC-3", `appliances = ["site-2"]`),
				Check:  resource.ComposeAggregateTestCheckFunc(pair.first.checkLive("dana", 1, 1, 1), pair.second.checkLive("dana", 0, 0, 0)),
			},
		},
	})
}

// TestAccFleet_adoptWithQuery: terraform query of a list block with appliance writes
// that appliance into each generated resource and import block, so the generated
// configuration plans the adoption of that appliance's users and nothing else.
func TestAccFleet_adoptWithQuery(t *testing.T) {
	skipUnlessTerraform(t, tfversion.Version1_14_0, "list resources (terraform query)")
	t.Parallel()
	pair := newFleetPair(t)
	pair.first.mock.SeedUsers("first", 4)
	pair.second.mock.SeedUsers("second", 3)
	cli := newCLIWorkdir(t)
	writeFile(t, filepath.Join(cli.dir, "main.tf"), `
terraform {
  required_providers {
    accessplane = { source = "accessplane/accessplane" }
  }
}
`+pair.providerConfig())
	writeFile(t, filepath.Join(cli.dir, "users.tfquery.hcl"), `
list "accessplane_mpsuser" "user" {
  provider         = accessplane
  include_resource = true
  config {
    appliance = "site-2"
  }
}
`)
	cli.mustRun("query", "-generate-config-out=users.tf", "-no-color")
	if generated := readFile(t, filepath.Join(cli.dir, "users.tf")); len(regexp.MustCompile(`appliance\s+= "site-2"`).FindAllString(generated, -1)) != 8 {
		t.Errorf("the generated configuration must name site-2 in each of its 4 resource and 4 import blocks:\n%s", generated)
	}
	plan := cli.mustRun("plan", "-input=false", "-no-color", "-out=tfplan")
	if want := "Plan: 4 to import, 0 to add, 0 to change, 0 to destroy."; !strings.Contains(plan, want) {
		t.Fatalf("the generated configuration does not plan %q:\n%s", want, plan)
	}
	cli.mustRun("apply", "-input=false", "-no-color", "tfplan")
	if after := cli.mustRun("plan", "-input=false", "-no-color", "-detailed-exitcode"); !strings.Contains(after, "No changes.") {
		t.Fatalf("the plan after the adoption is not empty:\n%s", after)
	}
	check(t, pair.first.checkCount(mock.RouteUserList, 0), pair.second.checkCount(mock.RouteUserAdd, 0), pair.second.checkCount(mock.RouteUserUpdate, 0))
}

// TestSignOutWorksAtMost32AppliancesAtOnce: a sign-out of 40 arrays has at most 32
// of them in flight. Every request is held once 32 are, so a 33rd can only arrive if
// the bound is broken; it would arrive at once, and the test gives it two seconds,
// which only a broken bound can use (a correct one passes however slow the machine).
func TestSignOutWorksAtMost32AppliancesAtOnce(t *testing.T) {
	var inFlight, most atomic.Int64
	full, over, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var fullOnce, overOnce sync.Once
	entries := map[string]applianceModel{}
	for i := range 40 {
		m := mock.New(mock.Options{})
		m.SeedTokens(mock.TokenSeed{Username: "dana", Count: 1})
		held := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for seen := most.Load(); n > seen && !most.CompareAndSwap(seen, n); seen = most.Load() {
			}
			if n >= maxConcurrentAppliances {
				fullOnce.Do(func() { close(full) })
			}
			if n > maxConcurrentAppliances {
				overOnce.Do(func() { close(over) })
			}
			<-release
			m.ServeHTTP(w, r)
		})
		server := httptest.NewServer(held)
		t.Cleanup(server.Close)
		entries[fmt.Sprintf("array-%02d", i)] = applianceModel{Nimble: &credentialBackendModel{
			Endpoint: types.StringValue(server.URL), Username: types.StringValue("admin"), Password: types.StringValue("admin"),
		}}
	}
	appliances, diags := types.MapValueFrom(context.Background(), applianceObjectType(t), entries)
	data := newProviderData(providerModel{Appliances: appliances}, NewProcess("test"), &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	h := &providerDataHolder{data: data}
	done := make(chan signoutResult)
	go func() {
		var diags diag.Diagnostics
		done <- h.signOut(context.Background(), signoutNames{NimbleUsername: types.StringValue("dana"), Appliances: types.SetNull(types.StringType)}, nil, &diags)
	}()
	select {
	case <-full:
	case <-time.After(time.Minute):
		t.Fatalf("only %d appliances were worked at once; want %d", most.Load(), maxConcurrentAppliances)
	}
	select {
	case <-over:
	case <-time.After(2 * time.Second):
	}
	close(release)
	result := <-done
	if most.Load() != maxConcurrentAppliances || result.total().NimbleTokensRevoked != 40 || len(result.byAppliance) != 40 {
		t.Fatalf("%d appliances at once (want %d), %d tokens ended on %d appliances (want 40 on 40)",
			most.Load(), maxConcurrentAppliances, result.total().NimbleTokensRevoked, len(result.byAppliance))
	}
}
