package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccMPSUserDataSource_byIDAndName(t *testing.T) {
	env := newTestEnv(t)
	seeded := env.mock.SeedUsers("lookup", 3)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
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
