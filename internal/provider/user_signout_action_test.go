package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

var (
	actionsNeed        = tfversion.Version1_14_0
	destroyTriggerNeed = version.Must(version.NewVersion("1.16.0"))
)

// skipUnlessTerraform skips a test of a feature that Terraform added in minimum, on
// older Terraform and on OpenTofu (which has neither actions nor action triggers), saying
// which.
func skipUnlessTerraform(t *testing.T, minimum *version.Version, feature string) {
	t.Helper()
	skipUnlessAcceptance(t)
	if isOpenTofu() {
		t.Skipf("%s: OpenTofu has none", feature)
	}
	if !terraformAtLeast(t, terraformBinary(t), minimum.String()) {
		t.Skipf("%s need Terraform %s or later", feature, minimum)
	}
}

const signoutActionConfig = `
action "accessplane_user_signout" "dana" {
  config {
    adm_username    = "dana"
    cluster_user_id = "dana@example.com"
    nimble_username = "dana"
  }
}
`

// signoutActionFor is the action "dana" that signs p out of every plane p is on.
func signoutActionFor(p signee) string {
	return fmt.Sprintf(`
action "accessplane_user_signout" "dana" {
  config {
    adm_username    = %q
    cluster_user_id = %q
    nimble_username = %q
  }
}
`, p.adm, p.cluster, p.nimble)
}

// terraformCLI is a working directory holding mainTF, run by this leg's terraform
// binary with the built provider: the target (the mock, or live the appliances this
// run was given) through the ACCESSPLANE_* variables, no retries.
func (e *testEnv) terraformCLI(t *testing.T, mainTF string) cliWorkdir {
	t.Helper()
	settings := []string{"ACCESSPLANE_MAX_RETRIES=0"}
	for name, value := range e.targetEnvironment() {
		settings = append(settings, name+"="+value)
	}
	cli := newCLIWorkdir(t, settings...)
	writeFile(t, filepath.Join(cli.dir, "main.tf"), mainTF)
	return cli
}

// expectOutput fails the test for each line that Terraform's output lacks, however
// Terraform wrapped it.
func expectOutput(t *testing.T, out string, lines ...string) {
	t.Helper()
	for _, line := range lines {
		if !regexp.MustCompile(wrapped(line)).MatchString(out) {
			t.Errorf("the output lacks %q:\n%s", line, out)
		}
	}
}

// TestAccUserSignoutAction_invoke runs `terraform apply -invoke` with the real provider
// binary (terraform-plugin-testing cannot invoke an action): each plane reports what it
// ended, exactly dana's ADM sessions and Nimble tokens end (a tfacc- person has no
// Dynatrace sessions: 0 ended), bob's stay, nothing reaches the state, and a second
// invocation signs her out again.
func TestAccUserSignoutAction_invoke(t *testing.T) {
	skipUnlessTerraform(t, actionsNeed, "actions (terraform apply -invoke)")
	t.Parallel()
	env := newTestEnv(t, admBackend, clusterBackend, nimbleBackend)
	dana := env.newSignee(t, "dana", true)
	bob := env.newSignee(t, "bob", false)
	env.signeeSignIn(t, dana, 2, 2)
	env.signeeSignIn(t, bob, 1, 0)
	terraformRun := env.terraformCLI(t, withoutResources+`provider "accessplane" {}`+signoutActionFor(dana)).run
	invoke := []string{"apply", "-invoke=action.accessplane_user_signout.dana", "-auto-approve", "-input=false", "-no-color"}

	out, err := terraformRun(invoke...)
	if err != nil {
		t.Fatalf("terraform %s: %v\n%s", strings.Join(invoke, " "), err, out)
	}
	expectOutput(t, out, `ADM: ended 2 sessions of "`+dana.adm+`"`, `Dynatrace cluster: ended 0 sessions of "`+dana.cluster+`"`, `Nimble: ended 2 session tokens of "`+dana.nimble+`"`)
	check(t, env.checkSignee(dana, 0, 0), env.checkSignee(bob, 1, 0))
	if state, err := terraformRun("state", "list"); err != nil || strings.TrimSpace(state) != "" {
		t.Errorf("the state after an invocation holds %q (%v); want nothing", state, err)
	}

	// Nothing was kept, so the next invocation signs her out again.
	env.signeeSignIn(t, dana, 1, 1)
	if out, err = terraformRun(invoke...); err != nil {
		t.Fatalf("second invocation: %v\n%s", err, out)
	}
	expectOutput(t, out, `ADM: ended 1 session of "`+dana.adm+`"`, `Dynatrace cluster: ended 0 sessions of "`+dana.cluster+`"`, `Nimble: ended 1 session token of "`+dana.nimble+`"`)
	check(t, env.checkSignee(dana, 0, 0), env.checkSignee(bob, 1, 0))
}

// TestAccUserSignoutAction_invokeSeeded runs `terraform apply -invoke` with the real provider
// binary (terraform-plugin-testing cannot invoke an action): each plane reports what it
// ended, exactly dana's sessions end, nothing reaches the state, a second invocation
// signs her out again, the provider's own session and token are never ended, and a
// failing plane gives an error that says what was ended and what was not.
func TestAccUserSignoutAction_invokeSeeded(t *testing.T) {
	mockOnly(t, "ends seeded Dynatrace sessions (they come only from browsers), signs out the configured admin accounts, and injects a cluster failure")
	skipUnlessTerraform(t, actionsNeed, "actions (terraform apply -invoke)")
	t.Parallel()
	env := newTestEnvWith(t, mock.Options{})
	env.person("dana", 2, 3, 2)
	env.person("bob", 1, 1, 1)
	terraformRun := env.terraformCLI(t, withoutResources+`provider "accessplane" {}`+signoutActionConfig+`
action "accessplane_user_signout" "own" {
  config {
    adm_username    = "nsroot"
    nimble_username = "admin"
  }
}
`).run
	invoke := []string{"apply", "-invoke=action.accessplane_user_signout.dana", "-auto-approve", "-input=false", "-no-color"}
	danaTokens := map[string]bool{}
	for _, token := range env.mock.Tokens() {
		if token.Username == "dana" {
			danaTokens[token.ID] = true
		}
	}

	env.mock.ResetCounts()
	out, err := terraformRun(invoke...)
	if err != nil {
		t.Fatalf("terraform %s: %v\n%s", strings.Join(invoke, " "), err, out)
	}
	expectOutput(t, out, `ADM: ended 2 sessions of "dana"`, `Dynatrace cluster: ended 3 sessions of "dana@example.com"`, `Nimble: ended 2 session tokens of "dana"`)
	check(t, env.checkLive("dana", 0, 0, 0), env.checkLive("bob", 1, 1, 1),
		env.checkMockCount(mock.RouteClusterSessionList, 1),
		// dana's two tokens, and the provider's own when Terraform stopped it.
		env.checkMockEnded(2, 1, 3))
	for id := range danaTokens {
		if n := env.mock.CountPath(http.MethodDelete, "/v1/tokens/"+id); n != 1 {
			t.Errorf("dana's token %s was deleted %d times, want 1", id, n)
		}
	}
	if left := providerSessions(env.mock); len(left) > 0 {
		t.Errorf("the invocation left the provider's %s behind", strings.Join(left, ", "))
	}
	if state, err := terraformRun("state", "list"); err != nil || strings.TrimSpace(state) != "" {
		t.Errorf("the state after an invocation holds %q (%v); want nothing", state, err)
	}

	// Nothing was kept, so the next invocation signs her out again.
	env.person("dana", 1, 0, 1)
	env.mock.ResetCounts()
	if out, err = terraformRun(invoke...); err != nil {
		t.Fatalf("second invocation: %v\n%s", err, out)
	}
	expectOutput(t, out, `ADM: ended 1 session of "dana"`, `Dynatrace cluster: ended 0 sessions of "dana@example.com"`, `Nimble: ended 1 session token of "dana"`)
	check(t, env.checkLive("dana", 0, 0, 0), env.checkLive("bob", 1, 1, 1), env.checkMockEnded(1, 1, 2))

	// Signing out the accounts the provider itself uses ends everything of theirs but
	// the provider's own session and token, which it still needs while it runs.
	env.person("nsroot", 2, 0, 0)
	env.mock.SeedTokens(mock.TokenSeed{Username: "admin", Count: 3})
	if out, err = terraformRun("apply", "-invoke=action.accessplane_user_signout.own", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("signing out the provider's accounts: %v\n%s", err, out)
	}
	expectOutput(t, out, `ADM: ended 2 sessions of "nsroot"`, `Nimble: ended 3 session tokens of "admin"`)

	// The cluster fails: the others still end, and the error says so.
	env.person("dana", 1, 2, 1)
	env.mock.InjectFault(mock.Fault{Route: mock.RouteClusterSessionEnd, Count: mock.Persistent, Status: 510})
	out, err = terraformRun(invoke...)
	if err == nil {
		t.Fatalf("an invocation whose cluster plane failed succeeded:\n%s", out)
	}
	expectOutput(t, out, "Sign-out incomplete",
		`Ended: - ADM on `+env.hostPort()+`: 1 session of "dana" - Nimble on `+env.hostPort()+`: 1 session token of "dana"`,
		`Not ended: - Dynatrace cluster on `+env.hostPort()+`: sessions of "dana@example.com": cluster sessions end: HTTP 510`,
		"Invoke the action again to end the rest; what was ended stays ended.")
	check(t, env.checkLive("dana", 0, 2, 0), env.checkLive("bob", 1, 1, 1))
}

// checkEnded asserts what a step's provider ended on each plane, counted at the
// client: ADM session DELETEs (by either NITRO generation's route), cluster DELETEs
// (one per person) and Nimble token DELETEs.
func (e *testEnv) checkEnded(adm, cluster, nimble int) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(
		func(*terraform.State) error {
			if got := e.count(mock.RouteSessionDeleteV1) + e.count(mock.RouteSessionDeleteV2); got != adm {
				return fmt.Errorf("%d ADM session DELETEs, want %d (all: %v)", got, adm, e.counts())
			}
			return nil
		},
		e.checkCount(mock.RouteClusterSessionEnd, cluster), e.checkCount(mock.RouteTokenDelete, nimble))
}

// checkMockCount and checkMockEnded are checkCount and checkEnded as the mock
// counted them: for the mock-only tests whose requests come from a provider process
// of the terraform CLI's, which the test cannot count at the client.
func (e *testEnv) checkMockCount(route string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.mock.Count(route); got != want {
			return fmt.Errorf("%s: %d requests, want %d (all: %v)", route, got, want, e.mock.Counts())
		}
		return nil
	}
}

func (e *testEnv) checkMockEnded(adm, cluster, nimble int) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(e.checkMockCount(mock.RouteSessionDeleteV2, adm),
		e.checkMockCount(mock.RouteClusterSessionEnd, cluster), e.checkMockCount(mock.RouteTokenDelete, nimble))
}

// userWithSignoutOnUpdate is a user whose changes end its sessions, so that a new
// password or group takes effect at once rather than at the next sign-in.
func userWithSignoutOnUpdate(env *testEnv, dana signee, password, group string) string {
	return env.providerConfig("") + fmt.Sprintf(`
resource "accessplane_mpsuser" "dana" {
  name     = %q
  password = %q
  groups   = [%q]

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.accessplane_user_signout.dana]
    }
  }
}
`, dana.adm, password, group) + signoutActionFor(dana)
}

// TestAccUserSignoutAction_afterUpdate: creating the user ends nothing; a changed
// password, and later a changed group, ends dana's ADM sessions and Nimble tokens
// right after the update (and asks the cluster, where a tfacc- person has none); an
// unchanged user triggers nothing and costs no request; bob's sessions stay.
func TestAccUserSignoutAction_afterUpdate(t *testing.T) {
	skipUnlessTerraform(t, actionsNeed, "action triggers")
	t.Parallel() // before holding the Nimble person, which a paused parallel test would keep
	env := newTestEnv(t, admBackend, clusterBackend, nimbleBackend)
	bob := env.newSignee(t, "bob", false)
	env.signeeSignIn(t, bob, 1, 0)
	// dana's user is Terraform's; she signs in with the password it sets.
	name := env.name("dana")
	dana := signee{adm: name, admPassword: "First-Password-1", cluster: name + "@example.com"}
	dana.nimble, dana.nimblePassword = env.nimblePerson(t)
	t.Cleanup(func() { env.removeUser(name) })
	danaNow := dana
	danaNow.admPassword = "Second-Password-2"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkUserGone(dana.adm), env.checkSignee(bob, 1, 0)),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { env.signeeSignIn(t, dana, 0, 2); env.resetCounts() },
				Config:    userWithSignoutOnUpdate(env, dana, "First-Password-1", "readonly"),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkCount(mock.RouteUserAdd, 1),
					env.checkEnded(0, 0, 0),
					env.checkSignee(dana, 0, 2),
				),
			},
			{
				PreConfig: func() { env.signeeSignIn(t, dana, 2, 0); env.resetCounts() },
				Config:    userWithSignoutOnUpdate(env, dana, "Second-Password-2", "readonly"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("accessplane_mpsuser.dana", plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkCount(mock.RouteUserUpdate, 1),
					env.checkEnded(2, 1, 2),
					env.checkSignee(dana, 0, 0),
					env.checkSignee(bob, 1, 0),
				),
			},
			{
				PreConfig: func() { env.signeeSignIn(t, danaNow, 1, 1); env.resetCounts() },
				Config:    userWithSignoutOnUpdate(env, dana, "Second-Password-2", "readonly"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkEnded(0, 0, 0),
					env.checkCount(mock.RouteClusterSessionList, 0),
					env.checkCount(mock.RouteTokenList, 0),
					env.checkSignee(dana, 1, 1),
				),
			},
			{
				PreConfig: env.resetCounts,
				Config:    userWithSignoutOnUpdate(env, dana, "Second-Password-2", "auditors"),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkCount(mock.RouteUserUpdate, 1),
					env.checkEnded(1, 1, 1),
					env.checkSignee(dana, 0, 0),
					env.checkSignee(bob, 1, 0),
				),
			},
		},
	})
}

// TestAccGuideOffboardingWithActions runs the example of the offboarding guide's
// action_trigger section: creating users ends nothing; a changed group ends that
// person's sessions on every plane right after the update (after_update); a leaver is
// signed out of every plane before ADM deletes the account (before_destroy, with
// caller); nobody else is touched.
func TestAccGuideOffboardingWithActions(t *testing.T) {
	mockOnly(t, "injects a cluster failure mid-offboarding, and ends seeded Dynatrace sessions (they come only from browsers)")
	skipUnlessTerraform(t, destroyTriggerNeed, "destroy-time action triggers (before_destroy) and caller")
	env := newTestEnvWith(t, mock.Options{})
	env.useEnvironment(t)
	example := guideExample(t, "offboarding-with-actions")
	type person struct{ group, left string }
	people := func(who map[string]person) config.Variables {
		entries := map[string]config.Variable{}
		for name, p := range who {
			fields := map[string]config.Variable{
				"groups":          config.ListVariable(config.StringVariable(p.group)),
				"cluster_user_id": config.StringVariable(name + "@example.com"),
				"nimble_username": config.StringVariable(name),
			}
			if p.left != "" {
				fields["left"] = config.StringVariable(p.left)
			}
			entries[name] = config.ObjectVariable(fields)
		}
		return config.Variables{"people": config.MapVariable(entries)}
	}
	frankAtDelete := env.admSessionsAtDelete("frank")
	step := func(who map[string]person, pre func(), checks ...resource.TestCheckFunc) resource.TestStep {
		return resource.TestStep{
			PreConfig:         func() { pre(); env.resetCounts() },
			Config:            example,
			ConfigVariables:   people(who),
			ConfigStateChecks: []statecheck.StateCheck{applianceCheck(checks)},
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			step(map[string]person{"erin": {"readonly", ""}, "frank": {"readonly", ""}},
				func() { env.person("erin", 1, 1, 1); env.person("frank", 2, 3, 2); env.person("bob", 1, 1, 1) },
				env.checkCount(mock.RouteUserAdd, 2), env.checkEnded(0, 0, 0), env.checkLive("frank", 2, 3, 2)),
			// erin moves to the auditors: her sessions from before end at once.
			step(map[string]person{"erin": {"auditors", ""}, "frank": {"readonly", ""}}, func() {},
				env.checkCount(mock.RouteUserUpdate, 1), env.checkEnded(1, 1, 1),
				env.checkLive("erin", 0, 0, 0), env.checkLive("frank", 2, 3, 2), env.checkLive("bob", 1, 1, 1)),
			// frank leaves while the cluster cannot end sessions: the apply stops with
			// what was ended and what was not, and his user stays.
			{
				PreConfig: func() {
					env.mock.InjectFault(mock.Fault{Route: mock.RouteClusterSessionEnd, Count: mock.Persistent, Status: 510})
				},
				Config:          example,
				ConfigVariables: people(map[string]person{"erin": {"auditors", ""}, "frank": {"readonly", "HR-4711"}}),
				ExpectError: regexp.MustCompile(`(?s)Sign-out incomplete.*` +
					wrapped(`Not ended: - Dynatrace cluster on `+env.hostPort()+`: sessions of "frank@example.com"`)),
			},
			// The next apply finishes the job: signed out everywhere, then his user is
			// deleted.
			step(map[string]person{"erin": {"auditors", ""}, "frank": {"readonly", "HR-4711"}}, func() {
				if _, found := env.mock.UserByName("frank"); !found {
					t.Error("frank's user was deleted although his cluster sessions were not ended")
				}
				env.mock.ClearFaults()
				env.person("frank", 1, 0, 1)
				env.person("erin", 1, 1, 1)
			},
				env.checkUserGone("frank"), env.checkCount(mock.RouteUserDelete, 1), env.checkEnded(1, 1, 1),
				env.checkLive("frank", 0, 0, 0), env.checkLive("erin", 1, 1, 1), env.checkLive("bob", 1, 1, 1),
				func(*terraform.State) error {
					if n := frankAtDelete.Load(); n != 0 {
						return fmt.Errorf("frank still had %d ADM sessions when his user was deleted", n)
					}
					return nil
				}),
			// erin leaves too; the legacy state that the test framework reads before its
			// own destroy cannot hold for_each instances, so the last step empties it
			// and its checks are those of the destroy.
			step(map[string]person{"erin": {"auditors", "HR-4712"}, "frank": {"readonly", "HR-4711"}}, func() {},
				env.checkUserGone("erin"), env.checkEnded(1, 1, 1), env.checkLive("erin", 0, 0, 0), env.checkLive("bob", 1, 1, 1)),
		},
	})
}

// TestAccGuideIncidentResponse runs the incident-response guide as its reader does,
// with the real provider binary: an apply lists where the person is signed in (and
// changes nothing), `-invoke` ends all of it and nobody else's, and the next apply
// lists nothing. The person is a tfacc- ADM user and the Nimble person; a tfacc-
// person has no Dynatrace sessions.
func TestAccGuideIncidentResponse(t *testing.T) {
	skipUnlessTerraform(t, actionsNeed, "actions (terraform apply -invoke)")
	t.Parallel()
	env := newTestEnv(t, admBackend, clusterBackend, nimbleBackend)
	dana := env.newSignee(t, "dana", true)
	bob := env.newSignee(t, "bob", false)
	env.signeeSignIn(t, dana, 2, 2)
	env.signeeSignIn(t, bob, 1, 0)
	terraformRun := env.terraformCLI(t, guideExample(t, "incident-response")).run
	person := fmt.Sprintf(`-var=person={adm_username = %q, cluster_user_id = %q, nimble_username = %q}`, dana.adm, dana.cluster, dana.nimble)
	signedIn := func() []string { return guideSignedIn(t, terraformRun, person) }

	before := signedIn()
	expectSignedIn(t, before, map[string]int{"ADM: ": 2, "Nimble: ": 2})
	expectTotal(t, terraformRun, 4)
	// Listing changes nothing.
	check(t, env.checkSignee(dana, 2, 2), env.checkSignee(bob, 1, 0))

	out, err := terraformRun("apply", "-invoke=action.accessplane_user_signout.person", "-auto-approve", "-input=false", "-no-color", person)
	if err != nil {
		t.Fatalf("terraform apply -invoke: %v\n%s", err, out)
	}
	expectOutput(t, out, `ADM: ended 2 sessions of "`+dana.adm+`"`, `Dynatrace cluster: ended 0 sessions of "`+dana.cluster+`"`, `Nimble: ended 2 session tokens of "`+dana.nimble+`"`)
	check(t, env.checkSignee(dana, 0, 0), env.checkSignee(bob, 1, 0))

	if after := signedIn(); after == nil || len(after) != 0 { // [], not null
		t.Errorf("signed_in after the sign-out: %#v; want []", after)
	}
	expectTotal(t, terraformRun, 0)
}

// guideSignedIn applies the incident-response guide for person and returns its
// signed_in output: where the person is signed in.
func guideSignedIn(t *testing.T, terraformRun func(...string) (string, error), person string) []string {
	t.Helper()
	if out, err := terraformRun("apply", "-auto-approve", "-input=false", "-no-color", person); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	out, err := terraformRun("output", "-json", "signed_in")
	if err != nil {
		t.Fatalf("terraform output: %v\n%s", err, out)
	}
	var lines []string
	if err := json.Unmarshal([]byte(out), &lines); err != nil {
		t.Fatalf("signed_in is not a list of strings: %v\n%s", err, out)
	}
	return lines
}

// TestAccGuideIncidentResponse_seeded runs the incident-response guide as its reader does,
// with the real provider binary: an apply lists where the person is signed in (and
// changes nothing), `-invoke` ends all of it and nobody else's, and the next apply
// lists nothing.
func TestAccGuideIncidentResponse_seeded(t *testing.T) {
	mockOnly(t, "lists and ends seeded Dynatrace sessions, which come only from browsers")
	skipUnlessTerraform(t, actionsNeed, "actions (terraform apply -invoke)")
	t.Parallel()
	env := newTestEnvWith(t, mock.Options{})
	env.person("dana", 2, 3, 2)
	env.person("bob", 1, 1, 1)
	terraformRun := env.terraformCLI(t, guideExample(t, "incident-response")).run
	person := `-var=person={adm_username = "dana", cluster_user_id = "dana@example.com", nimble_username = "dana"}`
	signedIn := func() []string { return guideSignedIn(t, terraformRun, person) }

	before := signedIn()
	expectSignedIn(t, before, map[string]int{"ADM: ": 2, "Dynatrace: ": 3, "Nimble: ": 2})
	expectTotal(t, terraformRun, 7)
	check(t, env.checkMockCount(mock.RouteUserAdd, 0), env.checkMockEnded(0, 0, 1)) // the provider's own token, at exit

	env.mock.ResetCounts()
	out, err := terraformRun("apply", "-invoke=action.accessplane_user_signout.person", "-auto-approve", "-input=false", "-no-color", person)
	if err != nil {
		t.Fatalf("terraform apply -invoke: %v\n%s", err, out)
	}
	expectOutput(t, out, `ADM: ended 2 sessions of "dana"`, `Dynatrace cluster: ended 3 sessions of "dana@example.com"`, `Nimble: ended 2 session tokens of "dana"`)
	check(t, env.checkLive("dana", 0, 0, 0), env.checkLive("bob", 1, 1, 1), env.checkMockEnded(2, 1, 3))

	if after := signedIn(); after == nil || len(after) != 0 { // [], not null
		t.Errorf("signed_in after the sign-out: %#v; want []", after)
	}
	expectTotal(t, terraformRun, 0)
}

// expectSignedIn asserts how many of the incident-response guide's signed_in lines
// begin with each plane's prefix ("ADM: ", …), in any order: the list is newest
// first, and sessions made in one second have no order of their own.
func expectSignedIn(t *testing.T, lines []string, want map[string]int) {
	t.Helper()
	got, total := map[string]int{}, 0
	for _, line := range lines {
		for prefix := range want {
			if strings.HasPrefix(line, prefix) {
				got[prefix]++
			}
		}
	}
	for prefix, n := range want {
		total += n
		if got[prefix] != n {
			t.Errorf("signed_in has %d lines beginning %q, want %d: %q", got[prefix], prefix, n, lines)
		}
	}
	if len(lines) != total {
		t.Errorf("signed_in has %d lines, want %d: %q", len(lines), total, lines)
	}
}

// expectTotal asserts the incident-response guide's total output after the last apply.
func expectTotal(t *testing.T, terraformRun func(...string) (string, error), want int) {
	t.Helper()
	out, err := terraformRun("output", "-json", "total")
	if err != nil {
		t.Fatalf("terraform output total: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(out); got != fmt.Sprint(want) {
		t.Errorf("total = %s, want %d", got, want)
	}
}

// TestAccUserSignoutAction_planTimeChecks: the action's arguments are checked before
// anything runs, as the resource's are: an identifier is needed, each needs its
// backend, and each has the resource's rules. None sends a request.
func TestAccUserSignoutAction_planTimeChecks(t *testing.T) {
	skipUnlessTerraform(t, actionsNeed, "actions")
	env := newTestEnv(t, admBackend)
	// ADM only: live from its ACCESSPLANE_ADM_* variables, the others unset.
	for _, b := range []backend{clusterBackend, nimbleBackend} {
		for _, setting := range []string{"endpoint", "username", "password", "api_token"} {
			t.Setenv(b.env(setting), "")
		}
	}
	provider := `provider "accessplane" {}`
	if !liveTarget {
		provider = fmt.Sprintf(`
provider "accessplane" {
  adm = { endpoint = %q, username = "nsroot", password = "nsroot" }
}`, env.endpoint(admBackend))
	}
	admOnly := provider + `
resource "terraform_data" "trigger" {
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.accessplane_user_signout.test]
    }
  }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: admOnly + `
action "accessplane_user_signout" "test" {
  config {}
}
`,
				ExpectError: regexp.MustCompile(`(?s)At least one of these attributes must be configured:\s+\[adm_username,cluster_user_id,nimble_username\]`),
			},
			{
				Config: admOnly + `
action "accessplane_user_signout" "test" {
  config {
    adm_username    = "dana"
    nimble_username = "dana"
  }
}
`,
				ExpectError: regexp.MustCompile(`(?s)Provider block "nimble" not configured.*nimble_username.*ACCESSPLANE_NIMBLE`),
			},
			{
				Config: admOnly + `
action "accessplane_user_signout" "test" {
  config {
    cluster_user_id = "Dana Smith"
  }
}
`,
				ExpectError: regexp.MustCompile(`(?s)cluster_user_id.*must not contain whitespace`),
			},
			{
				Config: admOnly + fmt.Sprintf(`
action "accessplane_user_signout" "test" {
  config {
    adm_username = %q
  }
}
`, strings.Repeat("a", 129)),
				ExpectError: regexp.MustCompile(`(?s)adm_username.*` + lengthError("adm_username", "between 1 and 128")),
			},
		},
	})
	check(t, env.checkNoRequests("invalid sign-outs"))
}
