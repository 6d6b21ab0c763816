package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccADMLogin_opensAndClosesOneSession: each Terraform run that uses the
// ephemeral login signs in once as its user and signs that session out again.
func TestAccADMLogin_opensAndClosesOneSession(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedUsers("pipeline", 1)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{needsEphemeral},
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"accessplane": protoV6ProviderFactories["accessplane"],
			"echo":        echoprovider.NewProviderServer(),
		},
		Steps: []resource.TestStep{{
			PreConfig: env.resetCounts,
			Config: env.providerConfig("") + `
ephemeral "accessplane_adm_login" "pipeline" {
  username = "pipeline-0001"
  password = "password"
}
provider "echo" {
  data = { expires_in = ephemeral.accessplane_adm_login.pipeline.expires_in }
}
resource "echo" "login" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.login", tfjsonpath.New("data").AtMapKey("expires_in"), knownvalue.Int64Exact(1800)),
			},
			Check: func(*terraform.State) error {
				opened, closed := env.mock.SignIns("pipeline-0001"), env.count(mock.RouteNITROLogout)
				if opened == 0 || opened != closed {
					return fmt.Errorf("ephemeral login opened %d sessions and closed %d", opened, closed)
				}
				for _, s := range env.mock.Sessions() {
					if s.Username == "pipeline-0001" {
						return fmt.Errorf("session %s of the ephemeral login is still open", s.ID)
					}
				}
				return nil
			},
		}},
	})
}
