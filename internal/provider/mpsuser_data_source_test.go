package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccMPSUserDataSource_byIDAndName looks up users the test made by id and by name,
// and nsroot, the default superuser every ADM has; a name no user has is an error.
func TestAccMPSUserDataSource_byIDAndName(t *testing.T) {
	env := newTestEnv(t, admBackend)
	var made [3]string
	ids := make([]string, 3)
	for i := range made {
		made[i] = env.name(fmt.Sprintf("lookup-%d", i+1))
		ids[i] = env.createUser(t, made[i], "Lookup-Secret-1").ID
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.providerConfig("") + `
data "accessplane_mpsuser" "by_id" {
  id = "` + ids[1] + `"
}
data "accessplane_mpsuser" "by_name" {
  name = "` + made[2] + `"
}
data "accessplane_mpsuser" "root" {
  name = "nsroot"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.by_id", tfjsonpath.New("name"), knownvalue.StringExact(made[1])),
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.by_name", tfjsonpath.New("id"), knownvalue.StringExact(ids[2])),
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.by_name", tfjsonpath.New("groups"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("readonly")})),
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.root", tfjsonpath.New("is_default"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.accessplane_mpsuser.root", tfjsonpath.New("issuperuser"), knownvalue.Bool(true)),
				},
			},
			{
				Config: env.providerConfig("") + `
data "accessplane_mpsuser" "missing" {
  name = "` + env.name("nobody") + `"
}
`,
				ExpectError: regexp.MustCompile(`no user with name "` + regexp.QuoteMeta(env.name("nobody")) + `"`),
			},
		},
	})
}
