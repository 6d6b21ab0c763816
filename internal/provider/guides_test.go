package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// guideExample is the configuration a guide in docs/guides shows, exactly as
// examples/guides/<name>/main.tf holds it, so the documented recipe is the tested one.
func guideExample(t *testing.T, name string) string {
	return readFile(t, filepath.Join("..", "..", "examples", "guides", name, "main.tf"))
}

// applianceCheck runs checks of the mock that ignore Terraform's state as a
// statecheck: the legacy state that Check functions receive cannot hold for_each
// instances.
type applianceCheck []resource.TestCheckFunc

func (c applianceCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, check := range c {
		if err := check(nil); err != nil {
			resp.Error = errors.Join(resp.Error, err)
		}
	}
}

// withoutResources is an examples-style configuration with nothing in it: the last
// step of a guide test applies it, because the legacy state the test framework reads
// before its own destroy cannot hold for_each instances.
const withoutResources = `
terraform {
  required_providers {
    accessplane = { source = "accessplane/accessplane" }
  }
}
`

// TestAccGuideAdoptingExistingUsers runs the adoption guide's example against an
// appliance that already has 200 users: one apply imports all of them with import
// blocks and for_each, the appliance sees no create, update or delete, and the next
// plan is empty.
func TestAccGuideAdoptingExistingUsers(t *testing.T) {
	mockOnly(t, "the guide adopts every user of the appliance (200 seeded): live that is users the test did not make, and its last step, which forgets them, would delete them")
	env := newTestEnv(t)
	env.useEnvironment(t)
	env.mock.SeedUsers("staff", 200)
	env.mock.EditUser("staff-0007", func(u *mock.User) { u.ExternalAuthentication, u.Password = true, "" })
	env.mock.EditUser("staff-0008", func(u *mock.User) {
		u.Groups, u.EnableSessionTimeout, u.SessionTimeout, u.SessionTimeoutUnit = []string{"admin", "auditors"}, true, 2, "Hours"
	})
	env.mock.EditUser("staff-0009", func(u *mock.User) { u.TenantID, u.MPSUserName = "tenant-b", "Staff Nine" })
	users := len(env.mock.Users())
	example := guideExample(t, "adopting-existing-users")
	unchanged := func(name string) plancheck.PlanCheck {
		return plancheck.ExpectResourceAction(`accessplane_mpsuser.user["`+name+`"]`, plancheck.ResourceActionNoop)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsImportForEach},
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCounts,
				Config:    example,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{unchanged("staff-0001"), unchanged("staff-0007"), unchanged("staff-0008"), unchanged("staff-0009"), unchanged("staff-0200")},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("adopted", knownvalue.Int64Exact(200)),
					statecheck.ExpectKnownValue(`accessplane_mpsuser.user["staff-0008"]`, tfjsonpath.New("session_timeout_unit"), knownvalue.StringExact("Hours")),
					statecheck.ExpectKnownValue(`accessplane_mpsuser.user["staff-0009"]`, tfjsonpath.New("tenant_id"), knownvalue.StringExact("tenant-b")),
					statecheck.ExpectKnownValue(`accessplane_mpsuser.user["staff-0001"]`, tfjsonpath.New("end_sessions_on_destroy"), knownvalue.Bool(false)),
					applianceCheck{
						env.checkCount(mock.RouteUserAdd, 0),
						env.checkCount(mock.RouteUserUpdate, 0),
						env.checkCount(mock.RouteUserDelete, 0),
						func(*terraform.State) error {
							if now := len(env.mock.Users()); now != users {
								return fmt.Errorf("the appliance has %d users, had %d", now, users)
							}
							if u, _ := env.mock.UserByName("staff-0001"); u.Password != "password" {
								return fmt.Errorf("the adoption changed a user's password")
							}
							return nil
						},
					},
				},
			},
			{
				Config:   example,
				PlanOnly: true,
			},
			{Config: withoutResources},
		},
	})
}

// TestAccGuideAdoptingWithQuery runs the guide's Terraform 1.14 recipe with the real
// binary against an appliance that has 200 users besides nsroot: terraform query
// -generate-config-out writes the configuration, whose plan imports every user and
// changes nothing, the apply sends no write to the appliance, and the plan after it is
// empty. Users with external authentication, a session timeout, a tenant and a
// display name of their own prove that the generated arguments match.
func TestAccGuideAdoptingWithQuery(t *testing.T) {
	mockOnly(t, "the guide adopts every user of the appliance (200 seeded): live that is users the test did not make, whose number other tests change under it")
	skipUnlessTerraform(t, tfversion.Version1_14_0, "list resources (terraform query)")
	t.Parallel()
	env := newTestEnv(t)
	env.mock.SeedUsers("staff", 200)
	env.mock.EditUser("staff-0007", func(u *mock.User) { u.ExternalAuthentication, u.Password = true, "" })
	env.mock.EditUser("staff-0008", func(u *mock.User) {
		u.Groups, u.EnableSessionTimeout, u.SessionTimeout, u.SessionTimeoutUnit = []string{"admin", "auditors"}, true, 2, "Hours"
	})
	env.mock.EditUser("staff-0009", func(u *mock.User) {
		u.TenantID, u.MPSUserName, u.ExternalGroupMappingOID = "tenant-b", "Staff Nine", "oid-9"
	})
	users := len(env.mock.Users())

	cli := newCLIWorkdir(t, "ACCESSPLANE_ADM_ENDPOINT="+env.server.URL, "ACCESSPLANE_ADM_USERNAME=nsroot", "ACCESSPLANE_ADM_PASSWORD=nsroot")
	example := filepath.Join("..", "..", "examples", "guides", "adopting-existing-users", "query")
	for _, name := range []string{"main.tf", "users.tfquery.hcl"} {
		writeFile(t, filepath.Join(cli.dir, name), readFile(t, filepath.Join(example, name)))
	}
	run := cli.mustRun
	run("query", "-generate-config-out=users.tf", "-no-color")
	// The provider runs as its own process here: the mock counts what it receives.
	env.mock.ResetCounts()
	plan := run("plan", "-input=false", "-no-color", "-out=tfplan")
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", users); !strings.Contains(plan, want) {
		t.Fatalf("the generated configuration does not plan %q:\n%s\n\nusers.tf:\n%s", want, plan, readFile(t, filepath.Join(cli.dir, "users.tf")))
	}
	run("apply", "-input=false", "-no-color", "tfplan")
	if after := run("plan", "-input=false", "-no-color", "-detailed-exitcode"); !strings.Contains(after, "No changes.") {
		t.Fatalf("the plan after the adoption is not empty:\n%s", after)
	}
	check(t, env.checkMockCount(mock.RouteUserAdd, 0), env.checkMockCount(mock.RouteUserUpdate, 0), env.checkMockCount(mock.RouteUserDelete, 0))
	if u, _ := env.mock.UserByName("staff-0001"); u.Password != "password" {
		t.Error("the adoption changed a user's password")
	}
}

// TestAccGuideOffboarding runs the offboarding guide's example as its reader does, with
// the terraform CLI and the provider built from the tree (the example's "stays out"
// step is a local module, which a configuration string cannot carry and
// terraform-plugin-testing's ConfigDirectory does not copy): staff are created, then
// one person leaves and a single apply deletes their ADM account after ending its
// sessions, and signs them out of the cluster and the arrays; nobody else is touched.
// The leaver's "stays out" check passes after that apply; when they sign in again the
// next plan warns with that check failed and changes nothing; a new ticket signs them
// out again and the check passes. The leaver signs in to ADM as a person does (the
// example's staff authenticate externally, so the test gives the account a password to
// sign in with first), and to the arrays as the test's Nimble person; a bystander's
// ADM session stays. Live, Dynatrace sessions come only from browsers: there the
// leaver has none.
func TestAccGuideOffboarding(t *testing.T) {
	env := newTestEnv(t, admBackend, clusterBackend, nimbleBackend)
	erin, frank := env.name("erin"), env.name("frank")
	nimblePerson, nimblePassword := env.nimblePerson(t)
	bystander := env.name("bystander")
	env.createUser(t, bystander, "Bystander-Secret-1")
	// Cleanup, should the test fail before its destroy.
	t.Cleanup(func() { env.removeUser(erin); env.removeUser(frank) })
	cli := env.guideCLI(t, "offboarding")
	cli.mustRun("get", "-no-color") // the stays-out module
	people := func(frankLeft string) {
		person := func(name, nimble, left string) map[string]any {
			p := map[string]any{"groups": []string{"readonly"}, "cluster_user_id": name + "@example.com", "nimble_username": nimble}
			if left != "" {
				p["left"] = left
			}
			return p
		}
		vars, err := json.Marshal(map[string]any{"people": map[string]any{erin: person(erin, erin, ""), frank: person(frank, nimblePerson, frankLeft)}})
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(cli.dir, "people.auto.tfvars.json"), string(vars))
	}
	stayedOut := `module.stays_out["` + frank + `"].check.stays_out`
	clusterSessions := 3
	if env.mock == nil {
		clusterSessions = 0
	}

	// Staff are created.
	people("")
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	check(t, userExists(env, erin), userExists(env, frank))

	// frank leaves.
	env.editUser(t, frank, func(u *nitro.UserSpec) {
		external := false
		u.ExternalAuthentication, u.Password = &external, "Frank-Secret-1"
	})
	env.signIn(t, frank, "Frank-Secret-1")
	env.signIn(t, frank, "Frank-Secret-1")
	env.signIn(t, bystander, "Bystander-Secret-1")
	env.nimbleSignIn(t, nimblePerson, nimblePassword)
	env.nimbleSignIn(t, nimblePerson, nimblePassword)
	// frank's ADM sessions end before his account is deleted. The provider runs as the
	// CLI's own process, so that moment is observed at the appliance: on the mock a hook
	// after the DELETE reads frank's sessions through NITRO (the mock, as ADM, keeps the
	// sessions of a deleted user, so any left at the DELETE would still be listed). Live
	// no appliance offers that moment: there the test asserts only that no session of
	// frank's is left after the apply.
	leftAtDelete := atomic.Int64{}
	leftAtDelete.Store(-1)
	if env.mock != nil {
		env.seedClusterSessions(frank+"@example.com", clusterSessions)
		env.seedClusterSessions(erin+"@example.com", 1)
		env.mock.OnRequest(mock.RouteUserDelete, func() {
			sessions, err := env.admSessions(frank)
			if err != nil {
				t.Errorf("sessions of %s at the delete: %v", frank, err)
			}
			leftAtDelete.CompareAndSwap(-1, int64(len(sessions)))
		})
		env.mock.ResetCounts()
	}
	people("HR-4711")
	plan := cli.plan()
	plan.expectActions(t, map[string]string{
		`accessplane_mpsuser.staff["` + frank + `"]`:       "delete",
		`accessplane_user_signout.leaver["` + frank + `"]`: "create",
		`accessplane_mpsuser.staff["` + erin + `"]`:        "no-op",
	})
	cli.mustRun("apply", "-input=false", "-no-color", "tfplan")
	var signedOut map[string]string
	cli.outputJSON("signed_out", &signedOut)
	if want := regexp.MustCompile(fmt.Sprintf(`^%d cluster sessions and 2 array sessions ended at \d{4}-\d\d-\d\dT`, clusterSessions)); !want.MatchString(signedOut[frank]) {
		t.Errorf("signed_out[%s] = %q, want %s", frank, signedOut[frank], want)
	}
	check(t,
		env.checkUserGone(frank),
		userExists(env, erin),
		env.checkAfterOffboarding(frank, nimblePerson, 0, 0),
		env.checkAfterOffboarding(erin, "", 0, 1),
		env.checkAfterOffboarding(bystander, "", 1, 0))
	if env.mock != nil {
		if n := env.mock.Count(mock.RouteSessionDeleteV1) + env.mock.Count(mock.RouteSessionDeleteV2); n != 2 {
			t.Errorf("%d ADM sessions ended, want frank's 2 (all: %v)", n, env.mock.Counts())
		}
		if n := leftAtDelete.Load(); n != 0 {
			t.Errorf("frank still had %d ADM sessions when the account was deleted (-1: never deleted)", n)
		}
	}
	cli.state().expectCheck(t, stayedOut, "pass")

	// frank signs in again with a token minted elsewhere: the next plan warns, and
	// changes nothing.
	env.nimbleSignIn(t, nimblePerson, nimblePassword)
	plan = cli.plan()
	plan.expectCheck(t, stayedOut, "fail")
	plan.expectNoResourceChange(t)
	expectOutput(t, plan.out, "Warning: Check block assertion failed", frank+" left, and is signed in again: nimble on")

	// A new ticket signs him out again, and the check passes.
	people("HR-4712")
	plan = cli.plan()
	plan.expectActions(t, map[string]string{`accessplane_user_signout.leaver["` + frank + `"]`: "delete,create"})
	cli.mustRun("apply", "-input=false", "-no-color", "tfplan")
	cli.state().expectCheck(t, stayedOut, "pass")
	check(t, env.checkAfterOffboarding(frank, nimblePerson, 0, 0), env.checkAfterOffboarding(bystander, "", 1, 0))

	// The check reads ADM too: an account of frank's that the directory missed, signed
	// in to, fails it (the leaver's sign-out has no ADM name: his account was deleted).
	env.createUser(t, frank, "Frank-Secret-2")
	env.signIn(t, frank, "Frank-Secret-2")
	plan = cli.plan()
	plan.expectCheck(t, stayedOut, "fail")
	plan.expectNoResourceChange(t)
	expectOutput(t, plan.out, frank+" left, and is signed in again: adm on")
	env.removeUser(frank)

	// Forgetting the staff deletes erin's account too.
	cli.mustRun("destroy", "-auto-approve", "-input=false", "-no-color")
	check(t, env.checkUserGone(erin, frank))
}

// guideCLI is a working directory holding examples/guides/<name> with its modules, run
// by this leg's terraform binary with the provider built from the tree, pointed at the
// target (the mock, or live the appliances this run was given) by the ACCESSPLANE_*
// variables, as the guides say.
func (e *testEnv) guideCLI(t *testing.T, name string) guideWorkdir {
	t.Helper()
	var settings []string
	for name, value := range e.targetEnvironment() {
		settings = append(settings, name+"="+value)
	}
	cli := newCLIWorkdir(t, settings...)
	if err := os.CopyFS(cli.dir, os.DirFS(filepath.Join("..", "..", "examples", "guides", name))); err != nil {
		t.Fatal(err)
	}
	return guideWorkdir{cli}
}

type guideWorkdir struct{ cliWorkdir }

// plan saves a plan to tfplan and returns it as `terraform show -json` reads it.
func (w guideWorkdir) plan() terraformJSON {
	w.t.Helper()
	out := w.mustRun("plan", "-input=false", "-no-color", "-out=tfplan")
	shown := w.show("tfplan")
	shown.out = out
	return shown
}

// state is the state as `terraform show -json` reads it, with the checks' status of the
// last apply.
func (w guideWorkdir) state() terraformJSON {
	w.t.Helper()
	return w.show()
}

func (w guideWorkdir) show(args ...string) terraformJSON {
	w.t.Helper()
	out := w.mustRun(append([]string{"show", "-json", "-no-color"}, args...)...)
	var shown terraformJSON
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		w.t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	shown.raw = out
	return shown
}

// outputJSON decodes an output of the state into value.
func (w guideWorkdir) outputJSON(name string, value any) {
	w.t.Helper()
	out := w.mustRun("output", "-json", name)
	if err := json.Unmarshal([]byte(out), value); err != nil {
		w.t.Fatalf("output %s: %v\n%s", name, err, out)
	}
}

// terraformJSON is what these tests read of a plan or a state in Terraform's JSON
// output: the resource changes (a plan's) and the check results.
type terraformJSON struct {
	ResourceChanges []resourceChange `json:"resource_changes"`
	Checks          []struct {
		Instances []struct {
			Address struct {
				ToDisplay string `json:"to_display"`
			} `json:"address"`
			Status string `json:"status"`
		} `json:"instances"`
	} `json:"checks"`
	out, raw string // the plan's human output; the JSON
}

type resourceChange struct {
	Address string `json:"address"`
	Mode    string `json:"mode"`
	Change  struct {
		Actions []string `json:"actions"`
	} `json:"change"`
}

// expectCheck asserts the status ("pass", "fail", "error", "unknown") of one check
// instance, by its address.
func (j terraformJSON) expectCheck(t *testing.T, address, status string) {
	t.Helper()
	for _, c := range j.Checks {
		for _, instance := range c.Instances {
			if instance.Address.ToDisplay == address {
				if instance.Status != status {
					t.Errorf("check %s: %s, want %s\n%s%s", address, instance.Status, status, j.out, j.raw)
				}
				return
			}
		}
	}
	t.Errorf("no check %s in:\n%s", address, j.raw)
}

// expectActions asserts the planned actions ("create", "delete,create", "no-op", …) of
// resources, by address.
func (j terraformJSON) expectActions(t *testing.T, want map[string]string) {
	t.Helper()
	for address, actions := range want {
		i := slices.IndexFunc(j.ResourceChanges, func(c resourceChange) bool { return c.Address == address })
		if i < 0 {
			t.Errorf("the plan has no change for %s:\n%s", address, j.out)
		} else if got := strings.Join(j.ResourceChanges[i].Change.Actions, ","); got != actions {
			t.Errorf("%s: planned %s, want %s:\n%s", address, got, actions, j.out)
		}
	}
}

// expectNoResourceChange asserts that the plan changes no managed resource.
func (j terraformJSON) expectNoResourceChange(t *testing.T) {
	t.Helper()
	for _, c := range j.ResourceChanges {
		if actions := strings.Join(c.Change.Actions, ","); c.Mode == "managed" && actions != "no-op" {
			t.Errorf("the plan would %s %s; want no change:\n%s", actions, c.Address, j.out)
		}
	}
}

// checkAfterOffboarding asserts, through the APIs, that the ADM user name has adm
// sessions and its Dynatrace user id (name@example.com) cluster sessions (live none:
// they come only from browsers), and, with nimble, that the Nimble user has no token.
func (e *testEnv) checkAfterOffboarding(name, nimble string, adm, cluster int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.mock == nil {
			cluster = 0
		}
		sessions, err := e.admSessions(name)
		if err != nil {
			return err
		}
		ctx, cancel := e.ctx()
		defer cancel()
		clusterSessions, err := e.cluster.ListSessions(ctx, name+"@example.com")
		if err != nil {
			return err
		}
		tokens := 0
		if nimble != "" {
			list, err := e.nimbleTokens(nimble)
			if err != nil {
				return err
			}
			tokens = len(list)
		}
		if len(sessions) != adm || len(clusterSessions) != cluster || tokens != 0 {
			return fmt.Errorf("%s has %d ADM sessions, %d cluster sessions and %d Nimble tokens; want %d, %d and 0", name, len(sessions), len(clusterSessions), tokens, adm, cluster)
		}
		return nil
	}
}

// seedClusterSessions gives a Dynatrace user id sessions on the mock, the one target
// that has them without browsers.
func (e *testEnv) seedClusterSessions(userID string, n int) {
	e.mock.SeedClusterSessions(mock.ClusterSessionSeed{UserID: userID, Count: n})
}
