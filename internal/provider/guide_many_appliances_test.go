package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// fleetAppliance is one appliance of the many-appliances guide's fleet: the name the
// examples give it, its plane (adm, cluster or nimble) and the mock behind it.
type fleetAppliance struct {
	*testEnv
	name, plane string
	// named is set when the appliance is an entry of one provider configuration's
	// appliances, which diagnostics name it by, beside its host and port.
	named bool
}

// where is how a diagnostic names the appliance.
func (a *fleetAppliance) where() string {
	if a.named {
		return a.name + " (" + a.hostPort() + ")"
	}
	return a.hostPort()
}

// fleetSessions is how many sessions (or tokens) dana has on each appliance of a
// plane; erin has one on each and stays signed in.
var fleetSessions = map[string]int{"adm": 2, "cluster": 3, "nimble": 2}

// newFleet starts the guide's fleet (for mock-only tests: the provider runs as its own
// process, so the mocks count its requests), 2 ADM instances (one of the current generation,
// one an older MAS build), 2 Dynatrace clusters and 20 Nimble arrays, each its own
// mock, with dana and erin signed in to every one of them.
func newFleet(t *testing.T) []*fleetAppliance {
	t.Helper()
	fleet := []*fleetAppliance{
		{newTestEnv(t), "adm-1", "adm", false},
		{newTestEnvWith(t, mock.Options{ADMGeneration: mock.GenerationLegacy}), "adm-2", "adm", false},
		{newTestEnv(t), "cluster-1", "cluster", false},
		{newTestEnv(t), "cluster-2", "cluster", false},
	}
	for i := 1; i <= 20; i++ {
		fleet = append(fleet, &fleetAppliance{newTestEnv(t), fmt.Sprintf("nimble-%02d", i), "nimble", false})
	}
	for _, a := range fleet {
		a.seed("dana", fleetSessions[a.plane])
		a.seed("erin", 1)
	}
	return fleet
}

// seed signs name in n times on the appliance's plane.
func (a *fleetAppliance) seed(name string, n int) {
	switch a.plane {
	case "adm":
		a.person(name, n, 0, 0)
	case "cluster":
		a.person(name, 0, n, 0)
	default:
		a.person(name, 0, 0, n)
	}
}

// live counts name's sessions on the appliance's plane.
func (a *fleetAppliance) live(name string) int {
	adm, cluster, nimble := a.liveSessions(name)
	return adm + cluster + nimble
}

// signOutRequests checks what one sign-out of dana cost the appliance, with the
// provider's sign-in and its sign-out when Terraform stopped it: one sign-in, one
// DELETE per session of dana's (and, on an array, the provider's own token, deleted
// when it stopped), so that no session or token of the provider's was ended by the
// sign-out itself.
func (a *fleetAppliance) signOutRequests() error {
	counts := a.mock.Counts()
	var want map[string]int
	switch {
	case a.plane == "cluster":
		want = map[string]int{mock.RouteClusterSessionEnd: 1}
	case a.plane == "nimble":
		want = map[string]int{mock.RouteNimbleSignIn: 1, mock.RouteTokenDelete: fleetSessions["nimble"] + 1}
	case a.name == "adm-2": // the older MAS build: sessions at NITRO v1 only
		want = map[string]int{mock.RouteNITROLogin: 1, mock.RouteSessionDeleteV1: fleetSessions["adm"], mock.RouteNITROLogout: 1}
	default:
		want = map[string]int{mock.RouteNITROLogin: 1, mock.RouteSessionDeleteV2: fleetSessions["adm"], mock.RouteNITROLogout: 1}
	}
	for route, n := range want {
		if counts[route] != n {
			return fmt.Errorf("%s: %d requests to %s, want %d (all: %v)", a.name, counts[route], route, n, counts)
		}
	}
	return nil
}

// newFleetExample copies examples/guides/many-appliances/<name> into a working
// directory with the fleet's endpoints as variables, run by the real provider binary:
// Terraform and OpenTofu run one plugin process per provider instance, as users see,
// where the in-process provider servers of terraform-plugin-testing serve every
// instance from one server, each configuration replacing the one before, so all of the
// instances would talk to one appliance. The credentials come from the environment, as
// the guide says; no endpoint does, so each provider instance talks only to the
// appliance its configuration names.
func newFleetExample(t *testing.T, name string, variables map[string]any) cliWorkdir {
	t.Helper()
	example := newCLIWorkdir(t,
		"ACCESSPLANE_ADM_USERNAME=nsroot", "ACCESSPLANE_ADM_PASSWORD=nsroot",
		"ACCESSPLANE_CLUSTER_API_TOKEN=mock-cluster-token",
		"ACCESSPLANE_NIMBLE_USERNAME=admin", "ACCESSPLANE_NIMBLE_PASSWORD=admin")
	if err := os.CopyFS(example.dir, os.DirFS(filepath.Join("..", "..", "examples", "guides", "many-appliances", name))); err != nil {
		t.Fatal(err)
	}
	vars, err := json.Marshal(variables)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(example.dir, "fleet.auto.tfvars.json"), string(vars))
	return example
}

// signOutOfTheFleet runs the guide's promise against the fleet: one apply signs dana
// out of all 24 appliances, nobody else, and none of the provider's own sessions;
// when one appliance is down, that apply fails naming it, the other 23 are done and
// saved, and the next apply finishes the one that failed and touches no other.
// failing is the address of the failing appliance's sign-out.
func signOutOfTheFleet(t *testing.T, fleet []*fleetAppliance, example cliWorkdir, failing string) {
	down := applyWithOneDown(t, fleet, example, failing, func() error {
		if saved := strings.Fields(example.mustRun("state", "list")); len(saved) != len(fleet)-1 || strings.Contains(strings.Join(saved, " "), failing) {
			return fmt.Errorf("the state must hold the 23 sign-outs that succeeded, and not %s: %v", failing, saved)
		}
		return nil
	})
	example.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	errs := finishedOneDown(fleet, down)
	var ended map[string]int
	if err := json.Unmarshal([]byte(example.mustRun("output", "-json", "ended")), &ended); err != nil {
		errs = append(errs, err)
	}
	for _, a := range fleet {
		if ended[a.name] != fleetSessions[a.plane] {
			errs = append(errs, fmt.Errorf("output ended[%q] = %d, want %d (dana's sessions there, not the provider's own)", a.name, ended[a.name], fleetSessions[a.plane]))
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("after the apply that finished %s: %v", down.name, err)
	}

	planIsEmpty(example, fleet)
	example.mustRun("destroy", "-auto-approve", "-input=false", "-no-color")
	errs = []error{fleetAfterEachCommand(fleet)}
	if left := strings.TrimSpace(example.mustRun("state", "list")); left != "" {
		errs = append(errs, fmt.Errorf("the destroy left in the state: %s", left))
	}
	for _, a := range fleet {
		if n := a.mock.Total(); n != 0 {
			errs = append(errs, fmt.Errorf("%s received %d requests from a plan and a destroy, which only forget the sign-out: %v", a.name, n, a.mock.Counts()))
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// applyWithOneDown runs an apply with nimble-07 down and checks what the guide
// promises of it: one error, naming failing and the appliance's host and port; dana
// signed out of the other 23 appliances, each at the cost signOutRequests counts; none
// of her sessions on nimble-07 ended; erin and the provider's own sessions untouched;
// and what saved says of the state. Then it brings nimble-07 back, with every
// appliance's counts reset, and returns it.
func applyWithOneDown(t *testing.T, fleet []*fleetAppliance, example cliWorkdir, failing string, saved func() error) *fleetAppliance {
	t.Helper()
	down := fleet[slices.IndexFunc(fleet, func(a *fleetAppliance) bool { return a.name == "nimble-07" })]
	down.mock.InjectFault(mock.Fault{Status: 503, Count: mock.Persistent})
	out, err := example.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("the apply succeeded with %s down:\n%s", down.name, out)
	}
	if !strings.Contains(out, failing) || strings.Count(out, "Error: ") != 1 || !strings.Contains(out, "Sign-out incomplete") {
		t.Errorf("the failed apply must report one incomplete sign-out, naming %s:\n%s", failing, out)
	}
	if where := "Nimble on " + down.where() + ":"; !strings.Contains(out, where) {
		t.Errorf("the error must name the appliance that failed (%q):\n%s", where, out)
	}
	errs := []error{fleetAfterEachCommand(fleet)}
	for _, a := range fleet {
		if a == down {
			continue
		}
		errs = append(errs, a.signOutRequests())
		if n := a.live("dana"); n != 0 {
			errs = append(errs, fmt.Errorf("%s: dana still has %d sessions", a.name, n))
		}
	}
	if n := down.live("dana"); n != fleetSessions[down.plane] {
		errs = append(errs, fmt.Errorf("%s, which was down, lost %d of dana's sessions", down.name, fleetSessions[down.plane]-n))
	}
	if err := errors.Join(append(errs, saved())...); err != nil {
		t.Fatalf("after the apply with %s down: %v", down.name, err)
	}
	down.mock.ClearFaults()
	resetFleetCounts(fleet)
	return down
}

// resetFleetCounts starts every appliance's request counts afresh.
func resetFleetCounts(fleet []*fleetAppliance) {
	for _, a := range fleet {
		a.mock.ResetCounts()
	}
}

// planIsEmpty runs a plan, with every appliance's counts reset first, that must
// propose no change.
func planIsEmpty(example cliWorkdir, fleet []*fleetAppliance) {
	example.t.Helper()
	resetFleetCounts(fleet)
	if out, err := example.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		example.t.Fatalf("the plan after the sign-out is not empty: %v\n%s", err, out)
	}
}

// finishedOneDown checks the command that finished the appliance that was down: dana
// is signed out everywhere, the one appliance at the cost of one sign-out, and no
// other appliance received a request.
func finishedOneDown(fleet []*fleetAppliance, down *fleetAppliance) []error {
	errs := []error{down.signOutRequests(), fleetAfterEachCommand(fleet)}
	for _, a := range fleet {
		if n := a.live("dana"); n != 0 {
			errs = append(errs, fmt.Errorf("%s: dana still has %d sessions", a.name, n))
		}
		if n := a.mock.Total(); a != down && n != 0 {
			errs = append(errs, fmt.Errorf("%s, signed out of already, received %d requests: %v", a.name, n, a.mock.Counts()))
		}
	}
	return errs
}

// fleetAfterEachCommand checks what must hold after every command: erin is still
// signed in everywhere, and no appliance holds a session or token of the provider's.
func fleetAfterEachCommand(fleet []*fleetAppliance) error {
	var errs []error
	for _, a := range fleet {
		if n := a.live("erin"); n != 1 {
			errs = append(errs, fmt.Errorf("%s: erin has %d sessions, want 1", a.name, n))
		}
		if left := providerSessions(a.mock); len(left) > 0 {
			errs = append(errs, fmt.Errorf("%s: the provider left behind %s", a.name, strings.Join(left, ", ")))
		}
	}
	return errors.Join(errs...)
}

// TestAccGuideManyAppliances_opentofu runs the guide's OpenTofu example, one provider
// block with for_each over the fleet, against 24 appliances.
func TestAccGuideManyAppliances_opentofu(t *testing.T) {
	mockOnly(t, "needs 24 distinct appliances (one an older MAS build), seeded Dynatrace sessions and one array taken down (an injected fault)")
	skipUnlessAcceptance(t)
	binary := terraformBinary(t)
	if !isOpenTofu() || !terraformAtLeast(t, binary, "1.9.0") {
		t.Skip("for_each on provider blocks needs OpenTofu 1.9 or later (make testacc-opentofu); Terraform has none")
	}
	t.Parallel()
	fleet := newFleet(t)
	appliances := map[string]any{}
	for _, a := range fleet {
		appliances[a.name] = map[string]string{"plane": a.plane, "endpoint": a.server.URL}
	}
	example := newFleetExample(t, "opentofu", map[string]any{"appliances": appliances})
	signOutOfTheFleet(t, fleet, example, `accessplane_user_signout.person["nimble-07"]`)
}

// TestAccGuideManyAppliances runs the guide's example, the whole fleet in one
// provider configuration, against 24 appliances: the inventory, with the passwords a
// sensitive variable holds, goes into appliances as it is; one apply signs dana out of
// every appliance, signing in once to each and ending nobody else's session nor the
// provider's own; with one appliance down the apply fails with one error naming it,
// ends dana's sessions on the other 23 and saves no sign-out, and the next apply
// finishes that appliance; the clusters' policies, one resource per cluster through
// for_each, stay on their own appliance.
func TestAccGuideManyAppliances(t *testing.T) {
	mockOnly(t, "needs 24 distinct appliances (one an older MAS build), seeded Dynatrace sessions and one array taken down (an injected fault)")
	skipUnlessAcceptance(t)
	t.Parallel()
	fleet := newFleet(t)
	inventory := map[string]any{}
	for _, a := range fleet {
		a.named = true
		settings := map[string]string{"endpoint": a.server.URL}
		if a.plane == "nimble" {
			settings["password"] = "admin"
		}
		inventory[a.name] = map[string]any{a.plane: settings}
	}
	example := newFleetExample(t, "fleet", map[string]any{"inventory": inventory})
	down := applyWithOneDown(t, fleet, example, "accessplane_user_signout.person", func() error {
		saved := strings.Fields(example.mustRun("state", "list"))
		want := []string{`accessplane_cluster_user_sessions.policy["cluster-1"]`, `accessplane_cluster_user_sessions.policy["cluster-2"]`}
		if !slices.Equal(saved, want) {
			return fmt.Errorf("the state must hold the clusters' policies and no sign-out: %v", saved)
		}
		return nil
	})

	// The next apply signs dana out of the appliance that was down; on the others
	// there is nothing left to end.
	example.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	errs := []error{down.signOutRequests(), fleetAfterEachCommand(fleet)}
	var ended map[string]int
	if err := json.Unmarshal([]byte(example.mustRun("output", "-json", "ended")), &ended); err != nil {
		errs = append(errs, err)
	}
	for _, a := range fleet {
		if n := a.live("dana"); n != 0 {
			errs = append(errs, fmt.Errorf("%s: dana still has %d sessions", a.name, n))
		}
		want := 0
		if a == down {
			want = fleetSessions[a.plane]
		}
		if ended[a.name] != want {
			errs = append(errs, fmt.Errorf("output ended[%q] = %d, want %d", a.name, ended[a.name], want))
		}
		// On the others nothing is left to end: no ADM session is deleted, and on an
		// array only the provider's own token, at the stop. (A cluster is asked in any
		// case: its one DELETE ends all of a user's sessions, 404 when there are none.)
		ended := map[string]int{
			"adm":    a.mock.Count(mock.RouteSessionDeleteV1) + a.mock.Count(mock.RouteSessionDeleteV2),
			"nimble": a.mock.Count(mock.RouteTokenDelete) - 1,
		}[a.plane]
		if a != down && ended != 0 {
			errs = append(errs, fmt.Errorf("%s, signed out of already, had %d more sessions ended: %v", a.name, ended, a.mock.Counts()))
		}
		if policy := a.mock.ClusterPolicy(); a.plane == "cluster" && (policy.UserLimit != 5 || policy.AdminLimit != 2) {
			errs = append(errs, fmt.Errorf("%s: policy %+v, want the example's limits 5 and 2", a.name, policy))
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("after the apply that finished %s: %v", down.name, err)
	}

	// A plan reads the clusters' policies and nothing else: the sign-out is saved.
	planIsEmpty(example, fleet)
	for _, a := range fleet {
		if n := a.mock.Total(); a.plane != "cluster" && n != 0 {
			t.Errorf("%s received %d requests from a plan: %v", a.name, n, a.mock.Counts())
		}
	}
	example.mustRun("destroy", "-auto-approve", "-input=false", "-no-color")
	if err := fleetAfterEachCommand(fleet); err != nil {
		t.Fatal(err)
	}
	if left := strings.TrimSpace(example.mustRun("state", "list")); left != "" {
		t.Fatalf("the destroy left in the state: %s", left)
	}
}
