package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

func TestAccMPSUserDataSource_byIDAndName(t *testing.T) {
	env := newTestEnv(t)
	seeded := env.mock.SeedUsers("lookup", 3)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.providerConfig("") + `
data "accessplane_mpsuser" "by_id" {
  id = "` + seeded[1].ID + `"
}
data "accessplane_mpsuser" "by_name" {
  name = "lookup-0003"
}
data "accessplane_mpsuser" "root" {
  name = "nsroot"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.by_id", tfjsonpath.New("name"), knownvalue.StringExact("lookup-0002")),
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.by_name", tfjsonpath.New("id"), knownvalue.StringExact(seeded[2].ID)),
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.by_name", tfjsonpath.New("groups"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("readonly")})),
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.root", tfjsonpath.New("is_default"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.root", tfjsonpath.New("issuperuser"), knownvalue.Bool(true)),
				},
			},
			{
				Config: env.providerConfig("") + `
data "accessplane_mpsuser" "missing" {
  name = "nobody"
}
`,
				ExpectError: regexp.MustCompile(`no user with name "nobody"`),
			},
		},
	})
}

func TestAccMPSUsersDataSource_filtersAndPaging(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedUsers("bulk", 25)
	env.mock.EditUser("bulk-0007", func(u *mock.User) { u.Groups = []string{"auditors"}; u.TenantName = "blue" })
	env.mock.EditUser("bulk-0008", func(u *mock.User) { u.ExternalAuthentication = true; u.TenantName = "blue" })
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.mock.ResetCounts,
				Config: env.providerConfig("") + `
data "accessplane_mpsusers" "all" {
  page_size = 10
}
data "accessplane_mpsusers" "by_name" {
  name = "bulk-0003"
}
data "accessplane_mpsusers" "by_group" {
  group = "auditors"
}
data "accessplane_mpsusers" "by_tenant" {
  tenant_name = "blue"
}
data "accessplane_mpsusers" "external" {
  external_authentication = true
}
data "accessplane_mpsusers" "none" {
  name = "nobody"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					// 25 seeded users and nsroot, read ten at a time.
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(26)),
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.all", tfjsonpath.New("users").AtSliceIndex(25).AtMapKey("name"), knownvalue.StringExact("bulk-0025")),
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.by_name", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("bulk-0003")),
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.by_name", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.by_group", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("bulk-0007")),
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.by_group", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.by_tenant", tfjsonpath.New("users"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.external", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("bulk-0008")),
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.external", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.accessplane_mpsusers.none", tfjsonpath.New("users"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}
