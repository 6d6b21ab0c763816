package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// testNow is "now" for every acceptance test, on both sides: each mock's clock
// (newTestEnvWith) and the provider's (testProvider). With one fixed instant every
// reported time and idle_seconds is exact, however long a test waits for a parallel
// slot or a loaded machine takes to answer. It lies years from the wall clock, so a
// time read from the wall clock instead shows at once.
var testNow = time.Date(2001, time.September, 9, 1, 46, 40, 0, time.UTC)

func testClock() time.Time { return testNow }

// testProvider is the provider as the tests serve it: on the test clock.
func testProvider() provider.Provider {
	process := NewProcess("test")
	if !liveTarget {
		process.now = testClock
	}
	return process.Provider()
}

// protoV6ProviderFactories serve the provider in-process to the real terraform binary.
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"accessplane": providerserver.NewProtocol6WithError(testProvider()),
}

func policyConfig(user, admin int, logout bool, timeout string) string {
	timeoutLine := ""
	if timeout != "" {
		timeoutLine = "user_inactivity_timeout = " + timeout
	}
	return fmt.Sprintf(`
resource "accessplane_cluster_user_sessions" "test" {
  user_limit                    = %d
  admin_limit                   = %d
  logout_inactive_users_enabled = %t
  %s
}
`, user, admin, logout, timeoutLine)
}

// useEnvironment points the examples' empty provider block at the mock through the
// ACCESSPLANE_* variables, as a reader of the guides would, and serves the in-process
// provider under the examples' source address, accessplane/accessplane. t.Setenv
// keeps these tests out of the parallel ones.
func (e *testEnv) useEnvironment(t *testing.T) {
	t.Setenv(resource.EnvTfAccProviderNamespace, "accessplane")
	for name, value := range e.environment() {
		t.Setenv(name, value)
	}
}

// environment is the ACCESSPLANE_* variables that point every backend at the mock,
// or live the ones that name the target, as this run was given them.
func (e *testEnv) environment() map[string]string {
	if e.mock == nil {
		live := map[string]string{}
		for _, kv := range os.Environ() {
			if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "ACCESSPLANE_") && name != "ACCESSPLANE_TEST_TARGET" {
				live[name] = value
			}
		}
		return live
	}
	return map[string]string{
		"ACCESSPLANE_ADM_ENDPOINT": e.server.URL, "ACCESSPLANE_ADM_USERNAME": "nsroot", "ACCESSPLANE_ADM_PASSWORD": "nsroot",
		"ACCESSPLANE_CLUSTER_ENDPOINT": e.server.URL, "ACCESSPLANE_CLUSTER_API_TOKEN": "mock-cluster-token",
		"ACCESSPLANE_NIMBLE_ENDPOINT": e.server.URL, "ACCESSPLANE_NIMBLE_USERNAME": "admin", "ACCESSPLANE_NIMBLE_PASSWORD": "admin",
	}
}

// checkRefreshCost asserts what the refresh of a step cost, in a step whose plan is
// empty: gets GETs by id, lists calls to the user collection (pages and count=yes),
// no writes, and at most 15 user requests in all.
func (e *testEnv) checkRefreshCost(gets, lists int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		counts := e.counts()
		total := 0
		for route, n := range counts {
			if strings.Contains(route, "/mpsuser") {
				total += n
			}
		}
		if counts[mock.RouteUserGet] != gets || counts[mock.RouteUserList] != lists || total != gets+lists || total > 15 {
			return fmt.Errorf("refresh cost %d GETs by id, %d list calls, %d user requests in all; want %d, %d and no writes: %v",
				counts[mock.RouteUserGet], counts[mock.RouteUserList], total, gets, lists, counts)
		}
		return nil
	}
}

// driftStep deletes user <prefix>-<deleted> and moves <prefix>-<edited> to the admin
// group behind Terraform's back, through NITRO, then applies config (users named
// <prefix>-<index> in accessplane_mpsuser.many): the plan creates the one and updates
// the other, the deleted user is confirmed gone with one GET by id, and no other user
// is read by id beyond the first ten reads and that confirmation.
func (e *testEnv) driftStep(t *testing.T, config, prefix string, deleted, edited int) resource.TestStep {
	deletedName, editedName := fmt.Sprintf("%s-%d", prefix, deleted), fmt.Sprintf("%s-%d", prefix, edited)
	var deletedPath string
	return resource.TestStep{
		PreConfig: func() {
			user, err := e.user(deletedName)
			if err != nil || user == nil {
				t.Fatalf("the appliance lacks %s: %v", deletedName, err)
			}
			e.deleteUser(t, deletedName)
			e.editUser(t, editedName, func(u *nitro.UserSpec) { u.Groups = &[]string{"admin"} })
			deletedPath = "/nitro/v2/config/mpsuser/" + user.ID
			e.resetCounts()
		},
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(fmt.Sprintf("accessplane_mpsuser.many[%d]", deleted), plancheck.ResourceActionCreate),
			plancheck.ExpectResourceAction(fmt.Sprintf("accessplane_mpsuser.many[%d]", edited), plancheck.ResourceActionUpdate),
		}},
		Check: func(*terraform.State) error {
			if n := e.countPath(http.MethodGet, deletedPath); n != 1 {
				return fmt.Errorf("the deleted user was read %d times by id, want 1", n)
			}
			counts := e.counts()
			if counts[mock.RouteUserGet] > 11 || counts[mock.RouteUserAdd] != 1 || counts[mock.RouteUserUpdate] != 1 {
				return fmt.Errorf("want at most 11 GETs by id, 1 POST and 1 PUT: %v", counts)
			}
			for _, name := range []string{deletedName, editedName} {
				if err := e.checkUser(name, func(u *nitro.User) error {
					if !slices.Equal(u.Groups, []string{"readonly"}) {
						return fmt.Errorf("user %s not restored: %+v", name, *u)
					}
					return nil
				})(nil); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

const userAddress = "accessplane_mpsuser.test"

// checkMockUser asserts something of the user as the mock stores it (a password, a
// seeded oddity): only tests marked mockOnly call it; the others use checkUser and
// checkPassword, which ask the appliance.
func (e *testEnv) checkMockUser(name string, check func(mock.User) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		user, found := e.mock.UserByName(name)
		if !found {
			return fmt.Errorf("user %q not found on the appliance", name)
		}
		return check(user)
	}
}

// manyUsers configures count users named prefix-N.
func manyUsers(prefix string, count int) string {
	return fmt.Sprintf(`
resource "accessplane_mpsuser" "many" {
  count    = %d
  name     = "%s-${count.index}"
  password = "Secret-${count.index}"
  groups   = ["readonly"]
}
`, count, prefix)
}

// usersNamed counts the users on the appliance whose name begins with prefix-, by
// name, listing every user through NITRO (the client drops rows a page repeats).
func (e *testEnv) usersNamed(prefix string) (map[string]int, error) {
	ctx, cancel := e.ctx()
	defer cancel()
	users, err := e.adm.ListUsers(ctx, nil, 0)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, u := range users {
		if strings.HasPrefix(u.Name, prefix+"-") {
			seen[u.Name]++
		}
	}
	return seen, nil
}

// checkUsersOnce asserts that the appliance holds each of the users exactly once.
func (e *testEnv) checkUsersOnce(prefix string, count int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		seen, err := e.usersNamed(prefix)
		if err != nil {
			return err
		}
		for i := 0; i < count; i++ {
			if n := seen[fmt.Sprintf("%s-%d", prefix, i)]; n != 1 {
				return fmt.Errorf("user %s-%d exists %d times", prefix, i, n)
			}
		}
		if len(seen) != count {
			return fmt.Errorf("%d users with prefix %s, want %d", len(seen), prefix, count)
		}
		return nil
	}
}

// checkNoUsers asserts that no user named prefix-… is left on the appliance.
func (e *testEnv) checkNoUsers(prefix string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		seen, err := e.usersNamed(prefix)
		if err != nil {
			return err
		}
		for name := range seen {
			return fmt.Errorf("user %s still exists after destroy", name)
		}
		return nil
	}
}

// buildProvider builds the provider binary into dir and returns a Terraform CLI
// configuration that runs it, for tests that need the plugin as its own process.
func buildProvider(t *testing.T, dir string) (cliConfig string) {
	t.Helper()
	plugins := filepath.Join(dir, "plugins")
	build := exec.Command("go", "build", "-o", filepath.Join(plugins, "terraform-provider-accessplane"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig = filepath.Join(dir, "terraformrc")
	writeFile(t, cliConfig, devOverrides(plugins))
	return cliConfig
}

// cliWorkdir is a working directory in which this leg's real terraform binary runs
// the provider built from this tree (dev_overrides), as users run it: for what
// terraform-plugin-testing cannot do (invoke an action, run a query that writes
// configuration, start one plugin process per provider instance).
type cliWorkdir struct {
	t      *testing.T
	binary string
	dir    string
	plugin string // the built provider binary
	env    []string
}

// newCLIWorkdir builds the provider and returns an empty working directory whose
// commands run with the machine's environment, less any ACCESSPLANE_* setting and
// CLI configuration of its own, plus settings (NAME=value).
func newCLIWorkdir(t *testing.T, settings ...string) cliWorkdir {
	t.Helper()
	dir := t.TempDir()
	cliConfig := buildProvider(t, dir)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ACCESSPLANE_") && !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			env = append(env, kv)
		}
	}
	env = append(append(env, "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1"), settings...)
	return cliWorkdir{t: t, binary: terraformBinary(t), dir: filepath.Join(dir, "work"),
		plugin: filepath.Join(dir, "plugins", "terraform-provider-accessplane"), env: env}
}

func (w cliWorkdir) run(args ...string) (string, error) {
	w.t.Helper()
	cmd := exec.Command(w.binary, args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// mustRun runs a command that has to succeed.
func (w cliWorkdir) mustRun(args ...string) string {
	w.t.Helper()
	out, err := w.run(args...)
	if err != nil {
		w.t.Fatalf("%s %s: %v\n%s", filepath.Base(w.binary), strings.Join(args, " "), err, out)
	}
	return out
}

// check runs mock checks outside a test step.
func check(t *testing.T, checks ...resource.TestCheckFunc) {
	t.Helper()
	for _, c := range checks {
		if err := c(nil); err != nil {
			t.Error(err)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// wrapped matches text however Terraform wraps it across lines.
func wrapped(text string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(text)), `\s+`)
}

// admSessionsAtDelete records how many ADM sessions name still has at the moment
// the mock deletes a user: -1 until a user is deleted. Mock-only tests use it.
func (e *testEnv) admSessionsAtDelete(name string) *atomic.Int64 {
	var left atomic.Int64
	left.Store(-1)
	e.mock.OnRequest(mock.RouteUserDelete, func() {
		adm, _, _ := e.liveSessions(name)
		left.Store(int64(adm))
	})
	return &left
}

// make test runs the acceptance tests once per leg of its compatibility matrix: the
// terraform on PATH, the oldest supported Terraform and OpenTofu. Tests of features
// that an older Terraform lacks skip there with these checks, which say which feature.
var (
	needsWriteOnly     = skipBelow(tfversion.Version1_11_0, "write-only arguments (password_wo) need Terraform 1.11")
	needsEphemeral     = skipBelow(tfversion.Version1_10_0, "ephemeral resources (accessplane_adm_login) need Terraform 1.10")
	needsImportForEach = skipBelow(tfversion.Version1_7_0, "import blocks with for_each need Terraform 1.7")
	needsIdentity      = terraformOnly(skipBelow(tfversion.Version1_12_0, "resource identity needs Terraform 1.12"), "resource identity as these tests check it (OpenTofu 1.12 imports by identity, untested here)")
	needsQuery         = terraformOnly(skipBelow(tfversion.Version1_14_0, "list resources (terraform query) need Terraform 1.14"), "list resources (no query command)")
)

// terraformOnly adds to check a skip on OpenTofu, whose version numbers say nothing of
// Terraform's features. The OpenTofu leg serves the provider under OpenTofu's registry
// host (TF_ACC_PROVIDER_HOST) and runs a binary named tofu.
func terraformOnly(check tfversion.TerraformVersionCheck, feature string) tfversion.TerraformVersionCheck {
	return openTofuSkip{check: check, feature: feature}
}

type openTofuSkip struct {
	check   tfversion.TerraformVersionCheck
	feature string
}

func (s openTofuSkip) CheckTerraformVersion(ctx context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if isOpenTofu() {
		resp.Skip = "OpenTofu: " + s.feature
		return
	}
	s.check.CheckTerraformVersion(ctx, req, resp)
}

// skipUnlessAcceptance skips a test that runs the terraform binary itself, outside
// resource.Test (which checks TF_ACC on its own), unless TF_ACC is set.
func skipUnlessAcceptance(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
}

func isOpenTofu() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" || filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")) == "tofu"
}

// skipBelow is tfversion.SkipBelow with the reason in the skip message.
func skipBelow(minimum *version.Version, reason string) tfversion.TerraformVersionCheck {
	return reasonedSkip{check: tfversion.SkipBelow(minimum), reason: reason}
}

type reasonedSkip struct {
	check  tfversion.TerraformVersionCheck
	reason string
}

func (s reasonedSkip) CheckTerraformVersion(ctx context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	s.check.CheckTerraformVersion(ctx, req, resp)
	if resp.Skip != "" {
		resp.Skip = s.reason + ": " + resp.Skip
	}
}

// terraformBinary is the binary of the current matrix leg, for tests that run it
// themselves: the one terraform-plugin-testing runs (TF_ACC_TERRAFORM_PATH), else the
// terraform on PATH.
func terraformBinary(t *testing.T) string {
	t.Helper()
	if path := os.Getenv("TF_ACC_TERRAFORM_PATH"); path != "" {
		return path
	}
	path, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("terraform not on PATH and TF_ACC_TERRAFORM_PATH not set")
	}
	return path
}

// devOverrides is a CLI configuration that runs the provider built into plugins. A
// source address without a host means registry.terraform.io to Terraform and
// registry.opentofu.org to OpenTofu, so the override names both.
func devOverrides(plugins string) string {
	var lines strings.Builder
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		lines.WriteString("    \"" + host + "/accessplane/accessplane\" = \"" + plugins + "\"\n")
	}
	return "provider_installation {\n  dev_overrides {\n" + lines.String() + "  }\n  direct {}\n}\n"
}
