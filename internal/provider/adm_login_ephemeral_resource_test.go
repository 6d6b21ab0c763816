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
	env := newTestEnv(t, admBackend)
	pipeline := env.name("pipeline")
	env.createUser(t, pipeline, personPassword)
	// What a sign-in as the user reports as its lifetime, asked of NITRO directly.
	ctx, cancel := env.ctx()
	defer cancel()
	sessionID, expiresIn, err := env.adm.Login(ctx, pipeline, personPassword)
	if err != nil {
		t.Fatalf("signing in as %s: %v", pipeline, err)
	}
	if err := env.adm.Logout(ctx, sessionID); err != nil {
		t.Fatalf("signing out %s: %v", pipeline, err)
	}
	factories := env.factories()
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{needsEphemeral},
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"accessplane": factories["accessplane"],
			"echo":        echoprovider.NewProviderServer(),
		},
		Steps: []resource.TestStep{{
			PreConfig: env.resetCounts,
			Config: env.providerConfig("") + fmt.Sprintf(`
ephemeral "accessplane_adm_login" "pipeline" {
  username = %q
  password = %q
}
provider "echo" {
  data = { expires_in = ephemeral.accessplane_adm_login.pipeline.expires_in }
}
resource "echo" "login" {}
`, pipeline, personPassword),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.login", tfjsonpath.New("data").AtMapKey("expires_in"), knownvalue.Int64Exact(expiresIn)),
			},
			Check: func(*terraform.State) error {
				// The provider signs in as nobody else here: every sign-in is the login's.
				opened, closed := env.count(mock.RouteNITROLogin), env.count(mock.RouteNITROLogout)
				if opened == 0 || opened != closed {
					return fmt.Errorf("ephemeral login opened %d sessions and closed %d (all: %v)", opened, closed, env.counts())
				}
				sessions, err := env.admSessions(pipeline)
				if err != nil {
					return err
				}
				for _, s := range sessions {
					return fmt.Errorf("session %s of the ephemeral login is still open", s.ID)
				}
				return nil
			},
		}},
	})
}
