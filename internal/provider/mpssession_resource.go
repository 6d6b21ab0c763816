package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

var (
	_ resource.ResourceWithConfigure   = &mpssessionResource{}
	_ resource.ResourceWithImportState = &mpssessionResource{}
	_ resource.ResourceWithModifyPlan  = &mpssessionResource{}
	_ resource.ResourceWithIdentity    = &mpssessionResource{}
)

const mpssessionTypeName = "accessplane_mpssession"

func newMPSSessionResource() resource.Resource { return &mpssessionResource{} }

type mpssessionResource struct {
	providerDataHolder
}

// mpssessionResourceModel is a session as the resource stores it: on its appliance.
type mpssessionResourceModel struct {
	Appliance types.String `tfsdk:"appliance"`
	sessionAttributes
}

func sessionState(s *nitro.Session, appliance types.String) mpssessionResourceModel {
	return mpssessionResourceModel{Appliance: types.StringValue(applianceName(appliance)), sessionAttributes: sessionAttributesFrom(s)}
}

func (r *mpssessionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpssession"
}

func (r *mpssessionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		applianceAttribute: applianceResourceAttribute(),
		"id": schema.StringAttribute{
			MarkdownDescription: "Id of the live session to adopt, as `accessplane_mpssessions` reports it. Changing it replaces the resource.",
			Required:            true,
			Validators:          []validator.String{objectIDValidator()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
	}
	// The session's attributes have no plan modifiers, and need none: every argument
	// (id, appliance) replaces the resource, so no plan updates a session in place.
	// A replacement adopts another session, whose every attribute is new, and a plan
	// without a change keeps the state as it is (TestPlanEveryComputedAttributeHasARule
	// holds every argument to replacing).
	for name, description := range sessionAttributeDescriptions {
		attributes[name] = computedSessionAttribute(name, description)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A live Citrix ADM sign-in session (NITRO `mpssession`). Sessions are created by signing in, so " +
			"this resource adopts an existing one by `id`; destroying it terminates the session. A session that ends on " +
			"its own is removed from the state at the next refresh. The session's credentials are never read or stored.",
		Attributes: attributes,
	}
}

func computedSessionAttribute(name, description string) schema.Attribute {
	switch sessionFieldKind[name] {
	case "number":
		return schema.Int64Attribute{MarkdownDescription: description, Computed: true}
	case "bool":
		return schema.BoolAttribute{MarkdownDescription: description, Computed: true}
	default:
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
}

func (r *mpssessionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	idIdentitySchema(resp, "session")
}

func (r *mpssessionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *mpssessionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.ready() && !req.Plan.Raw.IsNull() {
		r.admClient(ctx, req.Plan, mpssessionTypeName, &resp.Diagnostics)
	}
}

func (r *mpssessionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client := r.admClient(ctx, req.Plan, mpssessionTypeName, &resp.Diagnostics)
	var id string
	var appliance types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, pathAppliance, &appliance)...)
	if resp.Diagnostics.HasError() {
		return
	}
	session, err := client.GetSession(ctx, id)
	if nitro.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(pathID, on(client, "No such ADM session"),
			"ADM has no live session with id "+quote(id)+": it has ended or never existed. This resource adopts sessions "+
				"that already exist; list them with the accessplane_mpssessions data source.")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not read ADM session "+quote(id)), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, sessionState(session, appliance))...)
	setIDIdentity(ctx, resp.Identity, session.ID, appliance, &resp.Diagnostics)
}

func (r *mpssessionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	client := r.admClient(ctx, req.State, mpssessionTypeName, &resp.Diagnostics)
	var id string
	var appliance types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, pathAppliance, &appliance)...)
	if resp.Diagnostics.HasError() {
		return
	}
	session, err := client.GetSession(ctx, id)
	if nitro.IsNotFound(err) {
		// The session ended (sign-out, expiry, or terminated elsewhere). The framework
		// wants an identity even then, which a state from before identity lacks.
		setIDIdentity(ctx, resp.Identity, id, appliance, &resp.Diagnostics)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not read ADM session "+quote(id)), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, sessionState(session, appliance))...)
	setIDIdentity(ctx, resp.Identity, session.ID, appliance, &resp.Diagnostics)
}

// Update is never called with a change: id forces replacement and the rest is computed.
func (r *mpssessionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var planned mpssessionResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &planned)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, planned)...)
	setIDIdentity(ctx, resp.Identity, planned.ID.ValueString(), planned.Appliance, &resp.Diagnostics)
}

// Delete terminates the session; one that has already ended is success.
func (r *mpssessionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	client := r.admClient(ctx, req.State, mpssessionTypeName, &resp.Diagnostics)
	var id string
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := client.DeleteSession(ctx, id); err != nil {
		resp.Diagnostics.AddError(on(client, "Could not terminate ADM session "+quote(id)), err.Error())
	}
}

// ImportState takes the session id, with "@<appliance>" for a session on an entry of
// the provider's appliances, or the identity { id, appliance }.
func (r *mpssessionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, appliance := r.importTarget(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if problem := objectIDProblem(id); problem != "" {
		resp.Diagnostics.AddError("Invalid import id", "Import id "+quote(id)+" "+problem+".")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathID, id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathAppliance, appliance)...)
	setIDIdentity(ctx, resp.Identity, id, appliance, &resp.Diagnostics)
}
