package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

func TestAccMPSUsersDataSource_filtersAndPaging(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedUsers("bulk", 25)
	env.mock.EditUser("bulk-0007", func(u *mock.User) { u.Groups = []string{"auditors"}; u.TenantName = "blue" })
	env.mock.EditUser("bulk-0008", func(u *mock.User) { u.ExternalAuthentication = true; u.TenantName = "blue" })
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCounts,
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
