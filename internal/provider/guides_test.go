package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
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

// TestAccGuideOffboarding runs the offboarding guide's example: staff are created,
// then one person leaves and a single apply deletes their ADM account after ending its
// sessions, and signs them out of the cluster and the arrays; nobody else is touched.
// The leaver signs in to ADM as a person does (the example's staff authenticate
// externally, so the test gives the account a password to sign in with first), and
// to the arrays as the test's Nimble person; a bystander's ADM session stays. Live,
// Dynatrace sessions come only from browsers: there the leaver has none.
func TestAccGuideOffboarding(t *testing.T) {
	env := newTestEnv(t, admBackend, clusterBackend, nimbleBackend)
	env.useEnvironment(t)
	example := guideExample(t, "offboarding")
	erin, frank := env.name("erin"), env.name("frank")
	nimblePerson, nimblePassword := env.nimblePerson(t)
	bystander := env.name("bystander")
	env.createUser(t, bystander, "Bystander-Secret-1")
	// Cleanup, should the test fail before its destroy.
	t.Cleanup(func() { env.removeUser(erin); env.removeUser(frank) })
	person := func(name, nimble, left string) config.Variable {
		fields := map[string]config.Variable{
			"groups":          config.ListVariable(config.StringVariable("readonly")),
			"cluster_user_id": config.StringVariable(name + "@example.com"),
			"nimble_username": config.StringVariable(nimble),
		}
		if left != "" {
			fields["left"] = config.StringVariable(left)
		}
		return config.ObjectVariable(fields)
	}
	before := config.Variables{"people": config.MapVariable(map[string]config.Variable{erin: person(erin, erin, ""), frank: person(frank, nimblePerson, "")})}
	after := config.Variables{"people": config.MapVariable(map[string]config.Variable{erin: person(erin, erin, ""), frank: person(frank, nimblePerson, "HR-4711")})}
	clusterSessions := 3
	if env.mock == nil {
		clusterSessions = 0
	}
	var leftAtDelete atomic.Int64
	leftAtDelete.Store(-1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(hookBefore(mock.RouteUserDelete, func() {
			sessions, err := env.admSessions(frank)
			if err != nil {
				t.Errorf("sessions of %s at the delete: %v", frank, err)
			}
			leftAtDelete.Store(int64(len(sessions)))
		})),
		Steps: []resource.TestStep{
			{Config: example, ConfigVariables: before},
			{
				PreConfig: func() {
					env.editUser(t, frank, func(u *nitro.UserSpec) {
						external := false
						u.ExternalAuthentication, u.Password = &external, "Frank-Secret-1"
					})
					env.signIn(t, frank, "Frank-Secret-1")
					env.signIn(t, frank, "Frank-Secret-1")
					env.signIn(t, bystander, "Bystander-Secret-1")
					if env.mock != nil {
						env.seedClusterSessions(frank+"@example.com", clusterSessions)
						env.seedClusterSessions(erin+"@example.com", 1)
					}
					env.endTokensLeftBy(t, nimblePerson)
					env.nimbleSignIn(t, nimblePerson, nimblePassword)
					env.nimbleSignIn(t, nimblePerson, nimblePassword)
					env.resetCounts()
				},
				Config:          example,
				ConfigVariables: after,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(`accessplane_mpsuser.staff["`+frank+`"]`, plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction(`accessplane_user_signout.leaver["`+frank+`"]`, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(`accessplane_mpsuser.staff["`+erin+`"]`, plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValueAtPath("signed_out", tfjsonpath.New(frank), knownvalue.StringRegexp(regexp.MustCompile(fmt.Sprintf(`^%d cluster sessions and 2 array sessions ended at \d{4}-\d\d-\d\dT`, clusterSessions)))),
					applianceCheck{
						env.checkUserGone(frank),
						userExists(env, erin),
						env.checkAfterOffboarding(frank, nimblePerson, 0, 0),
						env.checkAfterOffboarding(erin, "", 0, 1),
						env.checkAfterOffboarding(bystander, "", 1, 0),
						func(*terraform.State) error {
							if n := env.count(mock.RouteSessionDeleteV1) + env.count(mock.RouteSessionDeleteV2); n != 2 {
								return fmt.Errorf("%d ADM sessions ended, want frank's 2 (all: %v)", n, env.counts())
							}
							if n := leftAtDelete.Load(); n != 0 {
								return fmt.Errorf("frank still had %d ADM sessions when the account was deleted", n)
							}
							return nil
						},
					},
				},
			},
			{
				// The last step forgets the staff: erin's account is deleted too.
				Config:            withoutResources,
				ConfigStateChecks: []statecheck.StateCheck{applianceCheck{env.checkUserGone(erin, frank)}},
			},
		},
	})
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

// hookBefore runs hook as the provider sends a request to route, before the appliance
// receives it (env.factories(hookBefore(…))): what the appliance holds at that moment,
// read through the API, on any target.
func hookBefore(route string, hook func()) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return hookTransport{next: next, route: route, hook: hook}
	}
}

type hookTransport struct {
	next  http.RoundTripper
	route string
	hook  func()
}

func (h hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if routeOf(r) == h.route {
		h.hook()
	}
	return h.next.RoundTrip(r)
}
