package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// ownUsers checks the users of an accessplane_mpsusers data source that the test
// made (named prefix-…), ignoring the others a shared appliance holds: exactly want,
// each once, in any order.
type ownUsers struct {
	address, prefix string
	want            []string
}

func (c ownUsers) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	users, _, err := stateObjects(req.State, c.address, "users")
	if err != nil {
		resp.Error = err
		return
	}
	var got []string
	for _, user := range users {
		if name, _ := user["name"].(string); strings.HasPrefix(name, c.prefix+"-") {
			got = append(got, name)
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(c.want))
	if !slices.Equal(got, want) {
		resp.Error = fmt.Errorf("%s lists %v of the test's users, want %v", c.address, got, want)
	}
}

func TestAccMPSUsersDataSource_filtersAndPaging(t *testing.T) {
	env := newTestEnv(t, admBackend)
	prefix := env.name("bulk")
	var bulk []string
	for i := 1; i <= 25; i++ {
		bulk = append(bulk, fmt.Sprintf("%s-%02d", prefix, i))
		env.createUser(t, bulk[i-1], "Bulk-Secret-1")
	}
	env.editUser(t, bulk[6], func(u *nitro.UserSpec) { u.Groups = &[]string{"admin"} })
	external := true
	env.editUser(t, bulk[7], func(u *nitro.UserSpec) { u.ExternalAuthentication = &external })
	// Users are made in the appliance's own tenant: filtering by its name finds them all.
	first, err := env.user(bulk[0])
	if err != nil || first == nil {
		t.Fatalf("reading %s: %v", bulk[0], err)
	}
	checks := []statecheck.StateCheck{
		// Read ten at a time: every user the test made, once.
		ownUsers{"data.accessplane_mpsusers.all", prefix, bulk},
		ownUsers{"data.accessplane_mpsusers.by_name", prefix, bulk[2:3]},
		statecheck.ExpectKnownValue("data.accessplane_mpsusers.by_name", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
		ownUsers{"data.accessplane_mpsusers.by_group", prefix, bulk[6:7]},
		ownUsers{"data.accessplane_mpsusers.by_tenant", prefix, bulk},
		ownUsers{"data.accessplane_mpsusers.external", prefix, bulk[7:8]},
		statecheck.ExpectKnownValue("data.accessplane_mpsusers.none", tfjsonpath.New("users"), knownvalue.ListSizeExact(0)),
	}
	if !liveTarget {
		// The test's own mock holds its 25 users and nsroot, the last one made last.
		checks = append(checks,
			statecheck.ExpectKnownValue("data.accessplane_mpsusers.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(26)),
			statecheck.ExpectKnownValue("data.accessplane_mpsusers.all", tfjsonpath.New("users").AtSliceIndex(25).AtMapKey("name"), knownvalue.StringExact(bulk[24])),
			statecheck.ExpectKnownValue("data.accessplane_mpsusers.external", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCounts,
				Config: env.providerConfig("") + fmt.Sprintf(`
data "accessplane_mpsusers" "all" {
  page_size = 10
}
data "accessplane_mpsusers" "by_name" {
  name = %q
}
data "accessplane_mpsusers" "by_group" {
  group = "admin"
}
data "accessplane_mpsusers" "by_tenant" {
  tenant_name = %q
}
data "accessplane_mpsusers" "external" {
  external_authentication = true
}
data "accessplane_mpsusers" "none" {
  name = %q
}
`, bulk[2], first.TenantName, env.name("nobody")),
				ConfigStateChecks: checks,
			},
		},
	})
}
