package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

func TestAccMPSUser_lifecycle(t *testing.T) {
	env := newTestEnv(t, admBackend)
	alice, alice2 := env.name("alice"), env.name("alice2")
	tenantA, tenantB := env.tenants(t)
	full := env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name                       = "` + alice + `"
  password                   = "first-Secret-1"
  groups                     = ["admin", "readonly"]
  tenant_id                  = "` + tenantA + `"
  external_group_mapping_oid = "oid-1"
  enable_session_timeout     = true
  session_timeout            = 30
  session_timeout_unit       = "Minutes"
  mpsuser_name               = "Alice A."
  unlock                     = true
}
`
	updated := func(externalAuthentication bool) string {
		return env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name                       = "` + alice2 + `"
  password                   = "second-Secret-2"
  groups                     = ["readonly"]
  tenant_id                  = "` + tenantB + `"
  external_group_mapping_oid = "oid-2"
  enable_session_timeout     = true
  session_timeout            = 2
  session_timeout_unit       = "Hours"
  mpsuser_name               = "Alice B."
  external_authentication    = ` + strconv.FormatBool(externalAuthentication) + `
}
`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkUserGone(alice, alice2)),
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCounts,
				Config:    full,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("name"), knownvalue.StringExact(alice)),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("groups"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("admin"), knownvalue.StringExact("readonly")})),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("tenant_id"), knownvalue.StringExact(tenantA)),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("session_timeout"), knownvalue.Int64Exact(30)),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("permission"), knownvalue.StringExact("admin")),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("is_default"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("id"), knownvalue.NotNull()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkCount(mock.RouteUserAdd, 1),
					env.checkUser(alice, func(u *nitro.User) error {
						if u.MPSUserName != "Alice A." || u.ExternalGroupMappingOID != "oid-1" || !bool(u.EnableSessionTimeout) || u.SessionTimeoutUnit != "Minutes" {
							return fmt.Errorf("appliance holds %+v", *u)
						}
						return nil
					}),
					env.checkPassword(alice, "first-Secret-1"),
				),
			},
			{
				Config:   full,
				PlanOnly: true,
			},
			{
				// The password is checked by signing in with it, before the next step
				// hands the account to external authentication: an appliance may then send
				// the sign-in to its authentication server.
				PreConfig: env.resetCounts,
				Config:    updated(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddress, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("name"), knownvalue.StringExact(alice2)),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("session_timeout_unit"), knownvalue.StringExact("Hours")),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("external_authentication"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("permission"), knownvalue.StringExact("readonly")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkCount(mock.RouteUserUpdate, 1),
					env.checkCount(mock.RouteUserAdd, 0),
					env.checkUser(alice2, func(u *nitro.User) error {
						if u.TenantID != tenantB || u.SessionTimeout != 2 || !slices.Equal(u.Groups, []string{"readonly"}) || u.ExternalGroupMappingOID != "oid-2" || u.MPSUserName != "Alice B." {
							return fmt.Errorf("appliance holds %+v", *u)
						}
						return nil
					}),
					env.checkPassword(alice2, "second-Secret-2"),
				),
			},
			{
				PreConfig: env.resetCounts,
				Config:    updated(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddress, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("external_authentication"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkCount(mock.RouteUserUpdate, 1),
					env.checkUser(alice2, func(u *nitro.User) error {
						if !bool(u.ExternalAuthentication) {
							return fmt.Errorf("appliance holds %+v", *u)
						}
						return nil
					}),
				),
			},
			importUserByIDStep,
			importUserByNameStep(alice2),
		},
	})
}

// importUserByIDStep imports the user by NITRO id and finds the state as it was,
// but for what the appliance never returns.
var importUserByIDStep = resource.TestStep{
	ResourceName:            userAddress,
	ImportState:             true,
	ImportStateVerify:       true,
	ImportStateVerifyIgnore: []string{"password", "unlock"},
}

// importUserByNameStep is importUserByIDStep with the import id name:<name>.
func importUserByNameStep(name string) resource.TestStep {
	step := importUserByIDStep
	step.ImportStateId = importByNamePrefix + name
	return step
}

func TestAccMPSUser_requestCounts(t *testing.T) {
	env := newTestEnv(t, admBackend)
	counted := env.name("counted")
	config := func(timeout int) string {
		return env.providerConfig("") + fmt.Sprintf(`
resource "accessplane_mpsuser" "test" {
  name                   = %q
  password               = "Secret-123"
  enable_session_timeout = true
  session_timeout        = %d
}
`, counted, timeout)
	}
	// Every terraform command below starts one provider process, which signs in once.
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkUserGone(counted)),
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCounts,
				Config:    config(10),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkCount(mock.RouteUserAdd, 1),
					env.checkCount(mock.RouteUserUpdate, 0),
				),
			},
			{
				PreConfig: env.resetCounts,
				Config:    config(20),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkCount(mock.RouteUserUpdate, 1),
					env.checkCount(mock.RouteUserAdd, 0),
					env.checkCount(mock.RouteUserDelete, 0),
				),
			},
		},
	})
}

func TestAccMPSUser_passwordWriteOnly(t *testing.T) {
	env := newTestEnv(t, admBackend)
	woUser := env.name("wo-user")
	config := func(password string, version int) string {
		return env.providerConfig("") + fmt.Sprintf(`
resource "accessplane_mpsuser" "test" {
  name                = %q
  password_wo         = %q
  password_wo_version = %d
}
`, woUser, password, version)
	}
	passwordIs := func(want string) resource.TestCheckFunc { return env.checkPassword(woUser, want) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsWriteOnly},
		CheckDestroy:             destroyCheck(t, env.checkUserGone(woUser)),
		Steps: []resource.TestStep{
			{
				Config: config("wo-First-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("password_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("password"), knownvalue.Null()),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("password_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: passwordIs("wo-First-1"),
			},
			{
				// A new value without a new version is not sent: write-only values
				// cannot be compared with what was sent before.
				Config:   config("wo-Ignored-2", 1),
				PlanOnly: true,
			},
			{
				PreConfig: env.resetCounts,
				Config:    config("wo-Second-3", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddress, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(passwordIs("wo-Second-3"), env.checkCount(mock.RouteUserUpdate, 1)),
			},
		},
	})
}

func TestAccMPSUser_externalAuthenticationNeedsNoPassword(t *testing.T) {
	env := newTestEnv(t, admBackend)
	ldapUser := env.name("ldap-user")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkUserGone(ldapUser)),
		Steps: []resource.TestStep{{
			Config: env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name                    = "` + ldapUser + `"
  external_authentication = true
  groups                  = ["readonly"]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("external_authentication"), knownvalue.Bool(true)),
			},
			Check: env.checkUser(ldapUser, func(u *nitro.User) error {
				if !bool(u.ExternalAuthentication) {
					return fmt.Errorf("appliance holds %+v", *u)
				}
				return nil
			}),
		}},
	})
}

// TestAccMPSUser_charactersNotBytes: NITRO's limits count characters, so a name of 128
// characters (the tfacc- prefix and 113 CJK characters, 354 bytes) and 128-character values of several bytes each are
// created, read back unchanged and imported by id and by name; a name with ',',
// which NITRO's filter cannot look up, is refused at import as at plan time.
func TestAccMPSUser_charactersNotBytes(t *testing.T) {
	env := newTestEnv(t, admBackend)
	name := env.name("")
	name += strings.Repeat("名", 128-utf8.RuneCountInString(name))
	password, tenant := strings.Repeat("é", 128), strings.Repeat("租", 128)
	config := env.providerConfig("") + fmt.Sprintf(`
resource "accessplane_mpsuser" "test" {
  name         = %q
  password     = %q
  tenant_id    = %q
  mpsuser_name = %q
}
`, name, password, tenant, tenant)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkUserGone(name)),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("tenant_id"), knownvalue.StringExact(tenant)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUser(name, func(u *nitro.User) error {
						if u.Name != name || utf8.RuneCountInString(u.Name) != 128 || len(u.Name) <= 128 || u.TenantID != tenant || u.MPSUserName != tenant {
							return fmt.Errorf("appliance holds %+v", *u)
						}
						return nil
					}),
					env.checkPassword(name, password),
				),
			},
			{Config: config, PlanOnly: true},
			importUserByIDStep,
			importUserByNameStep(name),
			{
				ResourceName:  userAddress,
				ImportState:   true,
				ImportStateId: "name:Doe, Jane",
				ExpectError:   regexp.MustCompile(`(?s)Invalid import id "name:Doe, Jane".*must not contain ','`),
			},
		},
	})
}

func TestAccMPSUser_drift(t *testing.T) {
	env := newTestEnv(t, admBackend)
	drifty := env.name("drifty")
	tenantA, tenantB := env.tenants(t)
	config := env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name      = "` + drifty + `"
  password  = "Secret-123"
  groups    = ["readonly"]
  tenant_id = "` + tenantA + `"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkUserGone(drifty)),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// Someone deletes the user in the console: the plan recreates it.
				PreConfig: func() { env.deleteUser(t, drifty) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddress, plancheck.ResourceActionCreate)},
				},
				Check: env.checkUser(drifty, func(*nitro.User) error { return nil }),
			},
			{
				// Someone changes groups and tenant in the console: the plan updates them back.
				PreConfig: func() {
					env.editUser(t, drifty, func(u *nitro.UserSpec) {
						u.Groups = &[]string{"admin"}
						u.TenantID = tenantB
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddress, plancheck.ResourceActionUpdate)},
				},
				Check: env.checkUser(drifty, func(u *nitro.User) error {
					if u.TenantID != tenantA || !slices.Equal(u.Groups, []string{"readonly"}) {
						return fmt.Errorf("drift not reverted: %+v", *u)
					}
					return nil
				}),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

func TestAccMPSUser_alreadyExistsSuggestsImport(t *testing.T) {
	env := newTestEnv(t, admBackend)
	taken := env.name("taken")
	env.createUser(t, taken, "Taken-Secret-1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name     = "` + taken + `"
  password = "Secret-123"
}
`,
			ExpectError: regexp.MustCompile(`(?s)already exists.*` + wrapped("terraform import accessplane_mpsuser.<name> name:"+taken)),
		}},
	})
}

// TestRefreshGivesEndSessionsOnDestroyItsDefault: a prior state without a value for
// end_sessions_on_destroy (an import, or a state from before the argument existed)
// is refreshed to the default, false, so the next plan shows no change; a value the
// state holds is kept.
func TestRefreshGivesEndSessionsOnDestroyItsDefault(t *testing.T) {
	for _, tc := range []struct {
		prior types.Bool
		want  bool
	}{{types.BoolNull(), false}, {types.BoolValue(true), true}, {types.BoolValue(false), false}} {
		got := userState(&nitro.User{ID: "u1", Name: "alice"}, mpsuserResourceModel{EndSessionsOnDestroy: tc.prior}).EndSessionsOnDestroy
		if !got.Equal(types.BoolValue(tc.want)) {
			t.Errorf("prior %v: got %v, want %v", tc.prior, got, tc.want)
		}
	}
}

// TestAccMPSUser_nullGroupsAreNoGroups: an appliance that answers "groups": null for a
// user without groups, in the create reply, reads and lists alike, gives the state of
// a configuration without groups (an empty set): no "inconsistent result", no taint,
// an empty plan, an import equal to the state, and groups = [] in the configuration
// reads the same.
func TestAccMPSUser_nullGroupsAreNoGroups(t *testing.T) {
	mockOnly(t, `needs an appliance that answers "groups": null (mock option EmptyGroupsAsNull)`)
	env := newTestEnvWith(t, mock.Options{EmptyGroupsAsNull: true})
	user := func(groups string) string {
		return env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  name     = "nogroups"
  password = "Null-Groups-1"
  ` + groups + `
}
data "accessplane_mpsusers" "all" {
  name = accessplane_mpsuser.test.name
}
`
	}
	noGroups := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(userAddress, tfjsonpath.New("groups"), knownvalue.SetExact([]knownvalue.Check{})),
		statecheck.ExpectKnownValue("data.accessplane_mpsusers.all", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("groups"), knownvalue.SetExact([]knownvalue.Check{})),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkUserGone("nogroups")),
		Steps: []resource.TestStep{
			{
				Config: user(""),
				Check: env.checkMockUser("nogroups", func(u mock.User) error {
					if len(u.Groups) != 0 {
						return fmt.Errorf("groups %v on the appliance", u.Groups)
					}
					return nil
				}),
				ConfigStateChecks: noGroups,
			},
			{Config: user(""), PlanOnly: true},
			{Config: user("groups = []"), PlanOnly: true},
			{
				ResourceName:            userAddress,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password"},
			},
		},
	})
}
