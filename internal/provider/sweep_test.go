package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// testObjectPrefix begins the name of every object a test makes (testEnv.name), and
// of nothing else: the sweepers remove what carries it and leave the rest.
const testObjectPrefix = "tfacc-"

// make sweep runs these (terraform-plugin-testing's -sweep) against the appliances
// the ACCESSPLANE_* variables name, after a live run that was interrupted or failed.
func init() {
	resource.AddTestSweepers("accessplane_mpsuser", &resource.Sweeper{
		Name: "accessplane_mpsuser",
		F:    func(string) error { return sweepLive(sweepADM) },
	})
	resource.AddTestSweepers("accessplane_nimble_person_tokens", &resource.Sweeper{
		Name: "accessplane_nimble_person_tokens",
		F:    func(string) error { return sweepLive(sweepNimble) },
	})
}

// sweepLive runs one sweeper on the live appliances, reporting on standard output.
func sweepLive(sweep func(context.Context, *applianceClients, string, func(string)) error) error {
	clients, err := liveClients()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	defer func() {
		if clients.adm != nil {
			_ = clients.adm.SignOut(ctx)
		}
		if clients.nimble != nil {
			_ = clients.nimble.SignOut(ctx)
		}
	}()
	return sweep(ctx, clients, os.Getenv(nimblePersonVariable), func(line string) { fmt.Println("sweep: " + line) })
}

// sweepADM deletes every tfacc- user with its sessions, and nothing else. A person's
// sessions are ended first: deleting a user need not end them on every ADM build.
func sweepADM(ctx context.Context, clients *applianceClients, _ string, report func(string)) error {
	if clients.adm == nil {
		report("no ADM named (" + admBackend.envList(true) + "): nothing to sweep")
		return nil
	}
	users, err := clients.adm.ListUsers(ctx, nil, 0)
	if err != nil {
		return err
	}
	var errs []error
	removed := 0
	for _, user := range users {
		if !strings.HasPrefix(user.Name, testObjectPrefix) {
			continue
		}
		ended, err := clients.adm.EndUserSessions(ctx, user.Name)
		if err == nil {
			_, err = clients.adm.DeleteUser(ctx, user.ID)
		}
		if err != nil && !nitro.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("user %s: %w", user.Name, err))
			continue
		}
		removed++
		report(fmt.Sprintf("removed ADM user %s and %d of its sessions from %s", user.Name, ended, clients.adm.Endpoint()))
	}
	report(fmt.Sprintf("%d tfacc- users removed from ADM %s", removed, clients.adm.Endpoint()))
	return errors.Join(errs...)
}

// sweepNimble ends the tokens of the test person (ACCESSPLANE_TEST_NIMBLE_PERSON),
// never those of the configured admin or anyone else.
func sweepNimble(ctx context.Context, clients *applianceClients, person string, report func(string)) error {
	switch {
	case clients.nimble == nil:
		report("no Nimble array named (" + nimbleBackend.envList(true) + "): nothing to sweep")
		return nil
	case person == "":
		report("no test person named (" + nimblePersonVariable + "): no Nimble token swept")
		return nil
	}
	ended, err := clients.nimble.RevokeUserTokens(ctx, person)
	report(fmt.Sprintf("ended %d tokens of the test person %s on %s", ended, person, clients.nimble.Endpoint()))
	return err
}

// TestSweepersRemoveOnlyTestObjects: the sweepers remove the tfacc- users with their
// sessions and the test person's tokens, and leave every other user, session and
// token, the admin's own among them.
func TestSweepersRemoveOnlyTestObjects(t *testing.T) {
	mockOnly(t, "a sweeper removes every tfacc- object on the appliance, those of the tests running beside it too")
	env := newTestEnv(t, admBackend, nimbleBackend)
	leftover, other := env.name("left-over"), "someone-else"
	env.createUser(t, leftover, "Leftover-Secret-1")
	env.createUser(t, other, "Other-Secret-1")
	leftoverSession := env.signIn(t, leftover, "Leftover-Secret-1")
	otherSession := env.signIn(t, other, "Other-Secret-1")
	person, password := env.nimblePerson(t)
	env.nimbleSignIn(t, person, password)
	env.nimbleSignIn(t, person, password)
	adminTokens, err := env.nimbleTokens(env.mock.Options().NimbleUsername)
	if err != nil || len(adminTokens) == 0 {
		t.Fatalf("the admin's tokens: %v, %v", adminTokens, err)
	}

	var report []string
	clients := &applianceClients{adm: env.adm, nimble: env.nimble}
	for _, sweep := range []func(context.Context, *applianceClients, string, func(string)) error{sweepADM, sweepNimble} {
		if err := sweep(context.Background(), clients, person, func(line string) { report = append(report, line) }); err != nil {
			t.Fatal(err)
		}
	}

	check(t, env.checkUserGone(leftover), env.checkSessionGone(leftoverSession))
	if user, err := env.user(other); err != nil || user == nil {
		t.Errorf("the sweeper removed user %s (%v)", other, err)
	}
	if !env.sessionAlive(otherSession) {
		t.Errorf("the sweeper ended %s's session", other)
	}
	if tokens, err := env.nimbleTokens(person); err != nil || len(tokens) != 0 {
		t.Errorf("the person still has tokens %v (%v)", tokens, err)
	}
	after, err := env.nimbleTokens(env.mock.Options().NimbleUsername)
	if err != nil || len(after) != len(adminTokens) {
		t.Errorf("the admin had %d tokens and has %d (%v)", len(adminTokens), len(after), err)
	}
	for _, want := range []string{"removed ADM user " + leftover, "1 tfacc- users removed", "ended 2 tokens of the test person " + person} {
		if !slices.ContainsFunc(report, func(line string) bool { return strings.Contains(line, want) }) {
			t.Errorf("the report %q does not say %q", report, want)
		}
	}
}
