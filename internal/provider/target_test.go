package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// The acceptance suite runs against one of two targets (DESIGN.md, "Testing against an
// appliance"): an in-process mock per test (make test), or the appliances that the
// provider's own ACCESSPLANE_* variables name (make testacc-live, which sets
// ACCESSPLANE_TEST_TARGET=live). A test is written once for both: it makes and checks
// objects through the vendor APIs with the project's own clients (testEnv.adm,
// .cluster, .nimble), never through the mock's memory. Only a test that needs what no
// appliance offers calls mockOnly, which skips it live with its reason.
var liveTarget = os.Getenv("ACCESSPLANE_TEST_TARGET") == "live"

// testTenantsVariable names two ADM tenants a test may put its users in, as
// "<id>,<id>": an appliance takes only tenants it has.
const testTenantsVariable = "ACCESSPLANE_TEST_ADM_TENANT_IDS"

// The Nimble person a test signs out: a second array user, never the configured admin.
const (
	nimblePersonVariable         = "ACCESSPLANE_TEST_NIMBLE_PERSON"
	nimblePersonPasswordVariable = "ACCESSPLANE_TEST_NIMBLE_PERSON_PASSWORD"
	// mockNimblePerson and its password are the person every in-process mock knows.
	mockNimblePerson         = "tfacc-nimble-person"
	mockNimblePersonPassword = "tfacc-person-Secret-1"
)

// planes are the backends a test can need, in the order diagnostics list them.
var planes = []backend{admBackend, clusterBackend, nimbleBackend}

// The tests (and subtests) that ran against the target and those marked mock-only,
// for the line TestMain prints at the end of a run.
var ranOnTarget, ranMockOnly sync.Map

func tallied(t *testing.T, tally *sync.Map) { tally.Store(t.Name(), true) }

// ranUnlessSkipped tallies t as run against the target unless it skips later (a plane
// or a test variable not set).
func ranUnlessSkipped(t *testing.T) {
	t.Cleanup(func() {
		if !t.Skipped() {
			tallied(t, &ranOnTarget)
		}
	})
}

// count is how many tests a tally holds, less those also in except.
func count(tally, except *sync.Map) int {
	n := 0
	tally.Range(func(name, _ any) bool {
		if _, excepted := except.Load(name); !excepted {
			n++
		}
		return true
	})
	return n
}

// TestMain checks a live target before any test runs, so that wrong credentials or an
// unreachable endpoint are one failure rather than one per test, and serves
// terraform-plugin-testing's sweepers (-sweep, make sweep).
func TestMain(m *testing.M) {
	if liveTarget && !sweeping() {
		if err := preflight(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "make testacc-live: "+err.Error())
			os.Exit(1)
		}
	}
	resource.TestMain(tally{m})
}

func sweeping() bool {
	return slices.ContainsFunc(os.Args, func(arg string) bool { return strings.HasPrefix(arg, "-sweep") })
}

type tally struct{ m *testing.M }

func (t tally) Run() int {
	code := t.m.Run()
	if os.Getenv("TF_ACC") != "" {
		target := "the in-process mock"
		if liveTarget {
			target = "the live target"
		}
		fmt.Printf("==> acceptance tests: %d ran against %s, %d are mock-only\n", count(&ranOnTarget, &ranMockOnly), target, count(&ranMockOnly, &sync.Map{}))
	}
	return code
}

// liveEndpoints are the planes whose endpoint variable is set.
func liveEndpoints() []backend {
	var named []backend
	for _, b := range planes {
		if os.Getenv(b.env("endpoint")) != "" {
			named = append(named, b)
		}
	}
	return named
}

// liveClients are clients of the appliances the environment names, built as the
// provider builds its own from the same variables.
func liveClients() (*applianceClients, error) {
	var diags diag.Diagnostics
	data := newProviderData(providerModel{}, NewProcess("test"), &diags)
	if diags.HasError() {
		return nil, diagsError(diags)
	}
	return data.appliances[defaultAppliance], nil
}

func diagsError(diags diag.Diagnostics) error {
	var lines []string
	for _, d := range diags.Errors() {
		lines = append(lines, d.Summary()+": "+d.Detail())
	}
	return fmt.Errorf("%s", strings.Join(lines, "; "))
}

// preflight refuses a live run that names no appliance, and signs in to each named
// plane once.
func preflight(ctx context.Context) error {
	named := liveEndpoints()
	if len(named) == 0 {
		var variables []string
		for _, b := range planes {
			variables = append(variables, b.envList(true))
		}
		return fmt.Errorf("no appliance is named. Set one plane or more: %s (and optionally the _INSECURE and _CA_CERTIFICATE ones; %s and %s for the Nimble sign-out tests)",
			strings.Join(variables, "; "), nimblePersonVariable, nimblePersonPasswordVariable)
	}
	clients, err := liveClients()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var failures []string
	if clients.adm != nil {
		if _, err := clients.adm.CountUsers(ctx, nil); err != nil {
			failures = append(failures, "ADM at "+clients.adm.Endpoint()+": "+err.Error())
		}
		_ = clients.adm.SignOut(ctx)
	}
	if clients.cluster != nil {
		if _, err := clients.cluster.GetUserSessions(ctx); err != nil {
			failures = append(failures, "cluster at "+clients.cluster.Endpoint()+": "+err.Error())
		}
	}
	if clients.nimble != nil {
		if _, err := clients.nimble.GetToken(ctx, "preflight"); err != nil && !nimble.IsNotFound(err) {
			failures = append(failures, "Nimble at "+clients.nimble.Endpoint()+": "+err.Error())
		}
		_ = clients.nimble.SignOut(ctx)
	}
	if len(failures) > 0 {
		return fmt.Errorf("the live target cannot be used, no test ran:\n  %s", strings.Join(failures, "\n  "))
	}
	return nil
}

// mockOnly marks a test that needs what no appliance offers (an injected fault or
// latency, a held reply, the mock's clock, a seeded odd reply): live, it skips with
// that reason. Call it first.
func mockOnly(t *testing.T, reason string) {
	t.Helper()
	tallied(t, &ranMockOnly)
	if liveTarget {
		t.Skip("mock-only: " + reason)
	}
}

// testEnv is the target of one test: its own in-process mock, or the live appliances.
// Every object it makes is named e.name(…), tfacc-<random>-…, so tests in parallel on
// one appliance never meet.
type testEnv struct {
	t      *testing.T
	mock   *mock.Server // nil live
	server *httptest.Server
	prefix string

	// adm, cluster and nimble are the test's own clients of the target: checks and
	// drift go through them. nil for a plane the target lacks.
	adm     *nitro.Client
	cluster *cluster.Client
	nimble  *nimble.Client

	counter *requestCounter
}

// newTestEnv is the target of a test that uses the given planes (admBackend,
// clusterBackend, nimbleBackend). Live, a plane whose endpoint is not set skips the
// test, naming the variable that would run it.
func newTestEnv(t *testing.T, uses ...backend) *testEnv {
	t.Helper()
	if liveTarget {
		return newLiveEnv(t, uses)
	}
	return newTestEnvWith(t, mock.Options{})
}

// newTestEnvWith is an in-process mock with options no appliance can be asked for;
// live it is only for tests marked mockOnly.
func newTestEnvWith(t *testing.T, opts mock.Options) *testEnv {
	t.Helper()
	if liveTarget {
		t.Fatal("newTestEnvWith builds a mock: mark the test mockOnly(t, reason) first, or use newTestEnv")
	}
	if opts.Now == nil {
		opts.Now = testClock
	}
	if opts.NimbleUsers == nil {
		opts.NimbleUsers = map[string]string{mockNimblePerson: mockNimblePersonPassword}
	}
	m := mock.New(opts)
	server := httptest.NewServer(m)
	t.Cleanup(server.Close)
	e := &testEnv{t: t, mock: m, server: server}
	credentials := func(username, password string) *credentialBackendModel {
		return &credentialBackendModel{Endpoint: types.StringValue(server.URL), Username: types.StringValue(username), Password: types.StringValue(password)}
	}
	accepted := m.Options()
	e.useClients(t, providerModel{applianceModel: applianceModel{
		ADM:     credentials(accepted.ADMUsername, accepted.ADMPassword),
		Cluster: &tokenBackendModel{Endpoint: types.StringValue(server.URL), APIToken: types.StringValue(accepted.ClusterAPIToken)},
		Nimble:  credentials(accepted.NimbleUsername, accepted.NimblePassword),
	}})
	ranUnlessSkipped(t)
	return e
}

func newLiveEnv(t *testing.T, uses []backend) *testEnv {
	t.Helper()
	if len(uses) == 0 {
		t.Fatal("a live test names the planes it uses, newTestEnv(t, admBackend, …), or is marked mockOnly(t, reason)")
	}
	for _, b := range uses {
		if os.Getenv(b.env("endpoint")) == "" {
			t.Skipf("needs the %s plane: set %s to run it live", b.block, b.envList(true))
		}
	}
	e := &testEnv{t: t}
	e.useClients(t, providerModel{})
	ranUnlessSkipped(t)
	return e
}

// useClients builds the test's own clients from a provider configuration, as the
// provider builds its clients, and ends their sign-ins when the test ends.
func (e *testEnv) useClients(t *testing.T, model providerModel) {
	t.Helper()
	var diags diag.Diagnostics
	data := newProviderData(model, NewProcess("test"), &diags)
	if diags.HasError() {
		t.Fatal(diagsError(diags))
	}
	clients := data.appliances[defaultAppliance]
	e.adm, e.cluster, e.nimble = clients.adm, clients.cluster, clients.nimble
	e.prefix = "tfacc-" + acctest.RandStringFromCharSet(8, "abcdefghijklmnopqrstuvwxyz0123456789")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if e.adm != nil {
			_ = e.adm.SignOut(ctx)
		}
		if e.nimble != nil {
			_ = e.nimble.SignOut(ctx)
		}
	})
}

// name is a name for an object the test makes: tfacc-<random>-suffix.
func (e *testEnv) name(suffix string) string { return e.prefix + "-" + suffix }

// endpoint is the base URL of plane b on the target.
func (e *testEnv) endpoint(b backend) string {
	if e.mock != nil {
		return e.server.URL
	}
	return os.Getenv(b.env("endpoint"))
}

// providerConfig is the provider block of the target: the mock's URL and credentials,
// or, live, an empty block whose settings come from the ACCESSPLANE_* variables, as
// users of the environment write it. extra is added inside the block.
func (e *testEnv) providerConfig(extra string) string {
	if e.mock == nil {
		return "\nprovider \"accessplane\" {\n  " + extra + "\n}\n"
	}
	return fmt.Sprintf(`
provider "accessplane" {
  adm = {
    endpoint = %[1]q
    username = "nsroot"
    password = "nsroot"
  }
  cluster = {
    endpoint  = %[1]q
    api_token = "mock-cluster-token"
  }
  nimble = {
    endpoint = %[1]q
    username = "admin"
    password = "admin"
  }
  %[2]s
}
`, e.server.URL, extra)
}

// ctx bounds one check or drift of the test.
func (e *testEnv) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Minute)
}

// --- ADM users and sessions, through NITRO ---

// tenants are two ADM tenants for a test's users: any ids on the mock; live the ones
// ACCESSPLANE_TEST_ADM_TENANT_IDS names, without which the test skips.
func (e *testEnv) tenants(t *testing.T) (first, second string) {
	t.Helper()
	if e.mock != nil {
		return "tenant-a", "tenant-b"
	}
	first, second, ok := strings.Cut(os.Getenv(testTenantsVariable), ",")
	if !ok || first == "" || second == "" || first == second {
		t.Skipf("moves users between two ADM tenants: set %s to two tenant ids, comma-separated", testTenantsVariable)
	}
	return first, second
}

// user reads the user called name from the appliance: nil when there is none.
func (e *testEnv) user(name string) (*nitro.User, error) {
	ctx, cancel := e.ctx()
	defer cancel()
	return e.adm.FindUserByName(ctx, name)
}

// checkUser asserts something of the user as the appliance reports it.
func (e *testEnv) checkUser(name string, check func(*nitro.User) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		user, err := e.user(name)
		if err != nil {
			return err
		}
		if user == nil {
			return fmt.Errorf("user %q not found on the appliance", name)
		}
		return check(user)
	}
}

// checkUserGone is the CheckDestroy of every mpsuser test.
func (e *testEnv) checkUserGone(names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, name := range names {
			user, err := e.user(name)
			if err != nil {
				return err
			}
			if user != nil {
				return fmt.Errorf("user %q still exists on the appliance after destroy", name)
			}
		}
		return nil
	}
}

// checkPassword asserts that name signs in with password, the one way an appliance
// tells a password: it never returns one. The session it opens is ended at once.
func (e *testEnv) checkPassword(name, password string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx, cancel := e.ctx()
		defer cancel()
		sessionID, _, err := e.adm.Login(ctx, name, password)
		if err != nil {
			return fmt.Errorf("user %q does not sign in with the configured password: %w", name, err)
		}
		return e.adm.Logout(ctx, sessionID)
	}
}

// createUser makes a user through NITRO, deleted (with its sessions) when the test ends.
func (e *testEnv) createUser(t *testing.T, name, password string) *nitro.User {
	t.Helper()
	ctx, cancel := e.ctx()
	defer cancel()
	created, err := e.adm.CreateUser(ctx, nitro.UserSpec{Name: name, Password: password, Groups: &[]string{"readonly"}})
	if err != nil {
		t.Fatalf("creating user %s: %v", name, err)
	}
	t.Cleanup(func() { e.removeUser(name) })
	return created.User
}

// removeUser deletes a user the test made, if it is still there, with its sessions.
func (e *testEnv) removeUser(name string) {
	ctx, cancel := e.ctx()
	defer cancel()
	_, _ = e.adm.EndUserSessions(ctx, name)
	if user, err := e.adm.FindUserByName(ctx, name); err == nil && user != nil {
		_, _ = e.adm.DeleteUser(ctx, user.ID)
	}
}

// editUser changes a user behind Terraform's back.
func (e *testEnv) editUser(t *testing.T, name string, edit func(*nitro.UserSpec)) {
	t.Helper()
	user, err := e.user(name)
	if err != nil || user == nil {
		t.Fatalf("user %s to change: %v", name, err)
	}
	spec := nitro.UserSpec{ID: user.ID, Name: user.Name}
	edit(&spec)
	ctx, cancel := e.ctx()
	defer cancel()
	if _, _, err := e.adm.UpdateUser(ctx, spec); err != nil {
		t.Fatalf("changing user %s: %v", name, err)
	}
}

// deleteUser deletes a user behind Terraform's back.
func (e *testEnv) deleteUser(t *testing.T, name string) {
	t.Helper()
	user, err := e.user(name)
	if err != nil || user == nil {
		t.Fatalf("user %s to delete: %v", name, err)
	}
	ctx, cancel := e.ctx()
	defer cancel()
	if _, err := e.adm.DeleteUser(ctx, user.ID); err != nil {
		t.Fatalf("deleting user %s: %v", name, err)
	}
}

// signIn opens an ADM session as a person does: a NITRO login as username. It returns
// the session's mpssession id, what an import or a sign-out acts on.
func (e *testEnv) signIn(t *testing.T, username, password string) string {
	t.Helper()
	ctx, cancel := e.ctx()
	defer cancel()
	before, err := e.adm.ListSessions(ctx, nitro.Filter{"username": username})
	if err != nil {
		t.Fatalf("sessions of %s: %v", username, err)
	}
	if _, _, err := e.adm.Login(ctx, username, password); err != nil {
		t.Fatalf("signing in as %s: %v", username, err)
	}
	after, err := e.adm.ListSessions(ctx, nitro.Filter{"username": username})
	if err != nil {
		t.Fatalf("sessions of %s: %v", username, err)
	}
	for _, s := range after {
		if !slices.ContainsFunc(before, func(b nitro.Session) bool { return b.ID == s.ID }) {
			return s.ID
		}
	}
	t.Fatalf("signed in as %s, but no new session is listed", username)
	return ""
}

// admSessions are username's ADM sessions on the appliance.
func (e *testEnv) admSessions(username string) ([]nitro.Session, error) {
	ctx, cancel := e.ctx()
	defer cancel()
	return e.adm.ListSessions(ctx, nitro.Filter{"username": username})
}

// sessionAlive reports whether the ADM session id is still on the appliance; a
// failed read fails the test.
func (e *testEnv) sessionAlive(id string) bool {
	ctx, cancel := e.ctx()
	defer cancel()
	_, err := e.adm.GetSession(ctx, id)
	if err != nil && !nitro.IsNotFound(err) {
		e.t.Fatalf("reading ADM session %s: %v", id, err)
	}
	return err == nil
}

// checkSessionGone asserts that the ADM sessions are no longer on the appliance.
func (e *testEnv) checkSessionGone(ids ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, id := range ids {
			if e.sessionAlive(id) {
				return fmt.Errorf("session %s is still on the appliance", id)
			}
		}
		return nil
	}
}

// --- the cluster's user-session policy ---

// parallelBeforeLocking makes t a parallel test, if it is not one yet, before it takes
// a lock: a serial test that took one and then called t.Parallel would hold it while
// it waits for the serial tests to end, one of which may be waiting for the lock. Such
// a test runs its case with resource.Test (resource.ParallelTest would call t.Parallel
// a second time, which panics).
func parallelBeforeLocking(t *testing.T) {
	defer func() {
		// t.Parallel panics, changing nothing, when t already is parallel, or set the
		// environment and so must stay serial: either way it never waits holding a lock.
		_ = recover()
	}()
	t.Parallel()
}

// clusterPolicyLock keeps the tests that change the cluster's one policy apart.
var clusterPolicyLock sync.Mutex

// keepClusterPolicy reads the cluster's policy, which is global, and puts it back
// exactly when the test ends, whether it passed or not. The test holds the policy
// until then.
func (e *testEnv) keepClusterPolicy(t *testing.T) {
	t.Helper()
	parallelBeforeLocking(t)
	clusterPolicyLock.Lock()
	t.Cleanup(clusterPolicyLock.Unlock)
	ctx, cancel := e.ctx()
	defer cancel()
	policy, err := e.cluster.GetUserSessions(ctx)
	if err != nil {
		t.Fatalf("reading the cluster policy: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := e.ctx()
		defer cancel()
		if err := e.cluster.PutUserSessions(ctx, *policy); err != nil {
			t.Errorf("putting the cluster policy back to %+v: %v", *policy, err)
		}
	})
}

// checkPolicy asserts the cluster's policy as the Cluster API reports it.
func (e *testEnv) checkPolicy(want cluster.Policy) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx, cancel := e.ctx()
		defer cancel()
		got, err := e.cluster.GetUserSessions(ctx)
		if err != nil {
			return err
		}
		if *got != want {
			return fmt.Errorf("cluster policy %+v, want %+v", *got, want)
		}
		return nil
	}
}

// setPolicy changes the cluster's policy behind Terraform's back.
func (e *testEnv) setPolicy(t *testing.T, policy cluster.Policy) {
	t.Helper()
	ctx, cancel := e.ctx()
	defer cancel()
	if err := e.cluster.PutUserSessions(ctx, policy); err != nil {
		t.Fatalf("changing the cluster policy: %v", err)
	}
}

// --- Nimble tokens of the test person ---

// nimblePersonLock keeps the tests that sign the one Nimble person in and out from
// ending each other's tokens.
var nimblePersonLock sync.Mutex

// nimblePerson is the array user whose tokens a test may make and end: the mock's
// person, or live the one ACCESSPLANE_TEST_NIMBLE_PERSON names (without it the test
// skips: the configured admin's own tokens are never signed out). The test holds the
// person until it ends, and starts with the person signed out: tokens an earlier,
// interrupted run left would otherwise count as the test's.
func (e *testEnv) nimblePerson(t *testing.T) (username, password string) {
	t.Helper()
	username, password = mockNimblePerson, mockNimblePersonPassword
	if e.mock == nil {
		username, password = os.Getenv(nimblePersonVariable), os.Getenv(nimblePersonPasswordVariable)
		if username == "" || password == "" {
			t.Skipf("needs a second array user to sign out: set %s and %s", nimblePersonVariable, nimblePersonPasswordVariable)
		}
	}
	parallelBeforeLocking(t)
	nimblePersonLock.Lock()
	t.Cleanup(nimblePersonLock.Unlock)
	tokens, err := e.nimbleTokens(username)
	if err != nil {
		t.Fatalf("tokens of %s: %v", username, err)
	}
	ctx, cancel := e.ctx()
	defer cancel()
	for _, token := range tokens {
		if err := e.nimble.DeleteToken(ctx, token.ID); err != nil && !nimble.IsNotFound(err) {
			t.Fatalf("ending the leftover token %s of %s: %v", token.ID, username, err)
		}
	}
	return username, password
}

// nimbleSignIn makes a token as the person does: a sign-in with their password. It
// returns the token's object id.
func (e *testEnv) nimbleSignIn(t *testing.T, username, password string) string {
	t.Helper()
	ctx, cancel := e.ctx()
	defer cancel()
	before, err := e.nimble.ListTokens(ctx, nimble.ListOptions{Username: username})
	if err != nil {
		t.Fatalf("tokens of %s: %v", username, err)
	}
	var diags diag.Diagnostics
	person := newApplianceClients(applianceModel{Nimble: &credentialBackendModel{
		Endpoint: types.StringValue(e.endpoint(nimbleBackend)), Username: types.StringValue(username), Password: types.StringValue(password),
	}}, entrySource("person"), commonTransport(providerModel{}, "test", &diags), time.Now, &diags)
	if diags.HasError() {
		t.Fatal(diagsError(diags))
	}
	// Any call signs in; the token stays, as a person's does, until it is ended.
	if _, err := person.nimble.GetToken(ctx, "sign-in"); err != nil && !nimble.IsNotFound(err) {
		t.Fatalf("signing in to the array as %s: %v", username, err)
	}
	after, err := e.nimble.ListTokens(ctx, nimble.ListOptions{Username: username})
	if err != nil {
		t.Fatalf("tokens of %s: %v", username, err)
	}
	for _, token := range after {
		if !slices.ContainsFunc(before, func(b nimble.Token) bool { return b.ID == token.ID }) {
			t.Cleanup(func() {
				ctx, cancel := e.ctx()
				defer cancel()
				_ = e.nimble.DeleteToken(ctx, token.ID)
			})
			return token.ID
		}
	}
	t.Fatalf("signed in to the array as %s, but no new token is listed", username)
	return ""
}

// nimbleTokens are username's tokens on the array.
func (e *testEnv) nimbleTokens(username string) ([]nimble.Token, error) {
	ctx, cancel := e.ctx()
	defer cancel()
	return e.nimble.ListTokens(ctx, nimble.ListOptions{Username: username})
}

// stateObjects are the objects of the list attribute of the resource or data source
// at address, as the state holds them, and all of its attribute values: for state
// checks of lists whose length the test does not know.
func stateObjects(state *tfjson.State, address, attribute string) (objects []map[string]any, values map[string]any, err error) {
	if state == nil || state.Values == nil || state.Values.RootModule == nil {
		return nil, nil, fmt.Errorf("%s: no state", address)
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address != address {
			continue
		}
		list, _ := r.AttributeValues[attribute].([]any)
		for _, element := range list {
			object, ok := element.(map[string]any)
			if !ok {
				return nil, nil, fmt.Errorf("%s: an element of %s is a %T", address, attribute, element)
			}
			objects = append(objects, object)
		}
		return objects, r.AttributeValues, nil
	}
	return nil, nil, fmt.Errorf("%s is not in the state", address)
}

// --- requests, counted at the client ---

// factories serve a provider of this test's own, whose requests the test counts and
// whose sign-ins end with the test. Tests whose promises are about requests use them;
// wraps add what else a test watches at the client (the order of requests, a hook).
func (e *testEnv) factories(wraps ...func(http.RoundTripper) http.RoundTripper) map[string]func() (tfprotov6.ProviderServer, error) {
	if e.counter == nil {
		e.counter = &requestCounter{counts: map[string]int{}, paths: map[string]int{}}
	}
	process := NewProcess("test")
	if e.mock != nil {
		process.now = testClock
	}
	process.wrapTransport = func(next http.RoundTripper) http.RoundTripper {
		for _, wrap := range wraps {
			next = wrap(next)
		}
		return e.counter.wrap(next)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = process.SignOut(ctx)
	})
	return map[string]func() (tfprotov6.ProviderServer, error){
		"accessplane": providerserver.NewProtocol6WithError(process.Provider()),
	}
}

// resetCounts forgets the requests counted so far, in a step's PreConfig.
func (e *testEnv) resetCounts() { e.requests().reset() }

// counts are the requests the test's provider sent since the last reset, by route
// (mock.Route… names).
func (e *testEnv) counts() map[string]int { return e.requests().snapshot() }

// count is the requests sent to one route since the last reset.
func (e *testEnv) count(route string) int { return e.counts()[route] }

// countPath is the requests sent with method to one exact path since the last reset.
func (e *testEnv) countPath(method, path string) int {
	counter := e.requests()
	counter.mu.Lock()
	defer counter.mu.Unlock()
	return counter.paths[method+" "+path]
}

// checkCount asserts the requests one route received during a step.
func (e *testEnv) checkCount(route string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.count(route); got != want {
			return fmt.Errorf("%s: %d requests, want %d (all: %v)", route, got, want, e.counts())
		}
		return nil
	}
}

func (e *testEnv) requests() *requestCounter {
	if e.counter == nil {
		e.t.Fatal("requests are counted only for a test case served by env.factories()")
	}
	return e.counter
}

// requestCounter counts what the provider sends, by the mock's route names and by
// method and exact path.
type requestCounter struct {
	mu     sync.Mutex
	counts map[string]int // by route
	paths  map[string]int // by method and path
}

func (c *requestCounter) wrap(next http.RoundTripper) http.RoundTripper {
	return countingTransport{next: next, counter: c}
}

func (c *requestCounter) add(r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[routeOf(r)]++
	c.paths[r.Method+" "+r.URL.EscapedPath()]++
}

func (c *requestCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.counts)
	clear(c.paths)
}

func (c *requestCounter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	snapshot := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		snapshot[k] = v
	}
	return snapshot
}

// roundTripFunc is a function as an http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type countingTransport struct {
	next    http.RoundTripper
	counter *requestCounter
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.counter.add(r)
	return c.next.RoundTrip(r)
}

// routes names a request by the vendor API's route it is sent to, as the mock counts.
var routes = func() *http.ServeMux {
	mux := http.NewServeMux()
	for _, route := range []string{
		mock.RouteNITROLogin, mock.RouteNITROLogout, mock.RouteNITROLoginV2, mock.RouteNITROLogoutV2, mock.RouteUserAdd, mock.RouteUserDeleteByArgs, mock.RouteUserList, mock.RouteUserGet,
		mock.RouteUserUpdate, mock.RouteUserDelete, mock.RouteSessionListV1, mock.RouteSessionGetV1,
		mock.RouteSessionDeleteV1, mock.RouteSessionListV2, mock.RouteSessionGetV2, mock.RouteSessionDeleteV2,
		mock.RoutePolicyGet, mock.RoutePolicyPut, mock.RouteClusterSessionList, mock.RouteClusterSessionEnd,
		mock.RouteNimbleSignIn, mock.RouteTokenList, mock.RouteTokenGet, mock.RouteTokenDelete,
	} {
		mux.HandleFunc(route, func(http.ResponseWriter, *http.Request) {})
	}
	return mux
}()

func routeOf(r *http.Request) string {
	if _, pattern := routes.Handler(r); pattern != "" {
		return pattern
	}
	return r.Method + " " + r.URL.EscapedPath()
}
