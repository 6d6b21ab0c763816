// Command noop is the benchmark's plugin-protocol floor: a provider on the same
// framework version with the same provider, resource and identity schemas as the real
// one, whose CRUD only copies the plan to the state (and the id to the identity). Whatever the real provider costs
// beyond this is the provider's own.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	realprovider "github.com/accessplane/terraform-provider-accessplane/internal/provider"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return &noopProvider{real: realprovider.New("noop")()} },
		providerserver.ServeOpts{Address: "registry.terraform.io/accessplane/accessplane"})
	if err != nil {
		log.Fatal(err)
	}
}

// noopProvider borrows the real provider's schemas and nothing else.
type noopProvider struct {
	real provider.Provider
}

func (p *noopProvider) Metadata(ctx context.Context, req provider.MetadataRequest, resp *provider.MetadataResponse) {
	p.real.Metadata(ctx, req, resp)
}

func (p *noopProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	p.real.Schema(ctx, req, resp)
}

func (p *noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// Resources copies every real resource, so that any of the real provider's
// configurations (the users tables' and the fleet's sign-outs alike) runs on the floor.
func (p *noopProvider) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, newReal := range p.real.Resources(ctx) {
		original := newReal()
		if withIdentity, ok := original.(resource.ResourceWithIdentity); ok {
			out = append(out, func() resource.Resource {
				return &identityCopyResource{copyResource: copyResource{real: original}, identity: withIdentity}
			})
		} else {
			out = append(out, func() resource.Resource { return &copyResource{real: original} })
		}
	}
	return out
}

// copyResource has the real resource's name and schema; its CRUD copies values.
type copyResource struct {
	real resource.Resource
}

// identityCopyResource is a copyResource of a resource with an identity.
type identityCopyResource struct {
	copyResource
	identity resource.ResourceWithIdentity
}

func (r *copyResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.real.Metadata(ctx, req, resp)
}

func (r *copyResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
}

func (r *identityCopyResource) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identity.IdentitySchema(ctx, req, resp)
}

// copyIdentity writes the state's id as the identity, which every state write of a
// resource with an identity needs.
func copyIdentity(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	var id types.String
	diags.Append(state.GetAttribute(ctx, path.Root("id"), &id)...)
	diags.Append(identity.SetAttribute(ctx, path.Root("id"), id)...)
}

// known replaces the values the real provider would learn from the appliance
// (unknown computed attributes) with zero values, as a state must hold no unknowns; a
// map is empty rather than null, as configurations iterate over them (the fleet
// example's output over the sign-out's by_appliance).
func known(raw tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(raw, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch {
		case v.Type().Is(tftypes.String):
			return tftypes.NewValue(tftypes.String, "noop"), nil
		case v.Type().Is(tftypes.Bool):
			return tftypes.NewValue(tftypes.Bool, false), nil
		case v.Type().Is(tftypes.Number):
			return tftypes.NewValue(tftypes.Number, 0), nil
		case v.Type().Is(tftypes.Map{}):
			return tftypes.NewValue(v.Type(), map[string]tftypes.Value{}), nil
		}
		return tftypes.NewValue(v.Type(), nil), nil
	})
}

func copyPlan(plan tfsdk.Plan, state *tfsdk.State) error {
	raw, err := known(plan.Raw)
	if err != nil {
		return err
	}
	state.Raw = raw
	return nil
}

func (r *copyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if err := copyPlan(req.Plan, &resp.State); err != nil {
		resp.Diagnostics.AddError("noop", err.Error())
		return
	}
	copyIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *copyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	copyIdentity(ctx, req.State, resp.Identity, &resp.Diagnostics)
}

func (r *copyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if err := copyPlan(req.Plan, &resp.State); err != nil {
		resp.Diagnostics.AddError("noop", err.Error())
		return
	}
	copyIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *copyResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
