package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// identityOf checks that the resource's identity is { id, appliance } on the default
// appliance (appliance null) and holds its state's id.
func identityOf(address string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectIdentity(address, map[string]knownvalue.Check{"id": knownvalue.NotNull(), "appliance": knownvalue.Null()}),
		statecheck.ExpectIdentityValueMatchesState(address, tfjsonpath.New("id")),
	}
}

// TestAccMPSUser_identity: a created user has the identity { id }; a rename keeps
// it; an import block naming only the identity adopts the user, and with a
// configuration that has no password (the user keeps the one it has) it plans no
// change at all.
func TestAccMPSUser_identity(t *testing.T) {
	env := newTestEnv(t, admBackend)
	ida, ida2 := env.name("ida"), env.name("ida2")
	user := func(name, password string) string {
		return env.providerConfig("") + fmt.Sprintf(`
resource "accessplane_mpsuser" "test" {
  name   = %q
  groups = ["readonly"]
  %s
}
`, name, password)
	}
	sameID := statecheck.CompareValue(compare.ValuesSame())
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsIdentity},
		CheckDestroy:             destroyCheck(t, env.checkUserGone(ida, ida2)),
		Steps: []tfresource.TestStep{
			{
				Config:            user(ida, `password = "first-Secret-1"`),
				ConfigStateChecks: append(identityOf(userAddress), sameID.AddStateValue(userAddress, tfjsonpath.New("id"))),
			},
			{
				Config:            user(ida2, `password = "first-Secret-1"`),
				ConfigStateChecks: append(identityOf(userAddress), sameID.AddStateValue(userAddress, tfjsonpath.New("id"))),
			},
			{
				PreConfig:       env.resetCounts,
				Config:          user(ida2, ""),
				ResourceName:    userAddress,
				ImportState:     true,
				ImportStateKind: tfresource.ImportBlockWithResourceIdentity,
			},
			{
				// The import above planned no update: the appliance kept the password.
				Config: user(ida2, `password = "first-Secret-1"`),
				Check: tfresource.ComposeAggregateTestCheckFunc(
					env.checkPassword(ida2, "first-Secret-1"),
					env.checkCount(mock.RouteUserUpdate, 0),
				),
			},
		},
	})
}

// TestAccMPSSession_identity: an adopted session has the identity { id }, and an
// import block naming only the identity adopts it with no change.
func TestAccMPSSession_identity(t *testing.T) {
	env := newTestEnv(t, admBackend)
	ivy := env.name("ivy")
	env.createUser(t, ivy, "Ivy-Secret-1")
	id := env.signIn(t, ivy, "Ivy-Secret-1")
	config := env.providerConfig("") + `
resource "accessplane_mpssession" "test" {
  id = "` + id + `"
}
`
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsIdentity},
		Steps: []tfresource.TestStep{
			{
				Config: config,
				ConfigStateChecks: append(identityOf(sessionAddress),
					statecheck.ExpectIdentity(sessionAddress, map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "appliance": knownvalue.Null()})),
			},
			{
				Config:          config,
				ResourceName:    sessionAddress,
				ImportState:     true,
				ImportStateKind: tfresource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// TestAccMPSUser_identityAddedOnRefresh: users in a state written by the previous
// release, which had no resource identity, gain it at the next refresh with nothing
// planned. Twelve users take both refresh paths (the first ten by id, the rest from a
// listing); the unchanged ones make Read keep the prior state, and identity is set
// there too, or the framework would reject the read. One user deleted behind
// Terraform's back is dropped from the state and planned for creation, which the
// framework also rejects when the read sets no identity.
func TestAccMPSUser_identityAddedOnRefresh(t *testing.T) {
	env := newTestEnv(t, admBackend)
	before := env.name("before")
	config := env.providerConfig("") + `
resource "accessplane_mpsuser" "test" {
  count    = 12
  name     = "` + before + `-${count.index}"
  password = "Secret-${count.index}"
}
`
	checks := []statecheck.StateCheck{}
	unchanged := []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddress+"[4]", plancheck.ResourceActionCreate)}
	for i := range 12 {
		checks = append(checks, identityOf(fmt.Sprintf("%s[%d]", userAddress, i))...)
		if i != 4 {
			unchanged = append(unchanged, plancheck.ExpectResourceAction(fmt.Sprintf("%s[%d]", userAddress, i), plancheck.ResourceActionNoop))
		}
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{needsIdentity},
		CheckDestroy:           destroyCheck(t, env.checkNoUsers(before)),
		Steps: []tfresource.TestStep{
			{
				ProtoV6ProviderFactories: previousReleaseFactories,
				Config:                   config,
			},
			{
				ProtoV6ProviderFactories: env.factories(),
				PreConfig: func() {
					env.deleteUser(t, before+"-4")
					env.resetCounts()
				},
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: unchanged,
				},
				ConfigStateChecks: append(checks, applianceCheck{
					env.checkCount(mock.RouteUserUpdate, 0),
					env.checkCount(mock.RouteUserAdd, 1),
				}),
			},
		},
	})
}

// previousReleaseFactories serve the provider as the release before resource
// identity: accessplane_mpsuser declares no identity schema and writes none.
var previousReleaseFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"accessplane": providerserver.NewProtocol6WithError(withoutIdentity{testProvider()}),
}

type withoutIdentity struct{ provider.Provider }

func (p withoutIdentity) Resources(ctx context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return userBeforeIdentity{&mpsuserResource{}} }}
}

// userBeforeIdentity is accessplane_mpsuser without IdentitySchema. Its methods hand
// the resource a scratch identity and drop what it writes there, as that release did.
type userBeforeIdentity struct{ r *mpsuserResource }

func scratchIdentity(ctx context.Context) *tfsdk.ResourceIdentity {
	var resp resource.IdentitySchemaResponse
	(&mpsuserResource{}).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &resp)
	return &tfsdk.ResourceIdentity{Schema: resp.IdentitySchema, Raw: tftypes.NewValue(resp.IdentitySchema.Type().TerraformType(ctx), nil)}
}

func (u userBeforeIdentity) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	u.r.Metadata(ctx, req, resp)
}

func (u userBeforeIdentity) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	u.r.Schema(ctx, req, resp)
}

func (u userBeforeIdentity) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	u.r.Configure(ctx, req, resp)
}

func (u userBeforeIdentity) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	u.r.ModifyPlan(ctx, req, resp)
}

func (u userBeforeIdentity) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Identity = scratchIdentity(ctx)
	u.r.Create(ctx, req, resp)
	resp.Identity = nil
}

func (u userBeforeIdentity) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	resp.Identity = scratchIdentity(ctx)
	u.r.Read(ctx, req, resp)
	resp.Identity = nil
}

func (u userBeforeIdentity) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Identity = scratchIdentity(ctx)
	u.r.Update(ctx, req, resp)
	resp.Identity = nil
}

func (u userBeforeIdentity) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	u.r.Delete(ctx, req, resp)
}
