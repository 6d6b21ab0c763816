package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

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

func (r *mpssessionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpssession"
}

func (r *mpssessionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Id of the live session to adopt, as `accessplane_mpssessions` reports it. Changing it replaces the resource.",
			Required:            true,
			Validators:          []validator.String{objectIDValidator()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
	}
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

func (r *mpssessionResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.ready() && !req.Plan.Raw.IsNull() {
		r.admClient(mpssessionTypeName, &resp.Diagnostics)
	}
}

func (r *mpssessionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client := r.admClient(mpssessionTypeName, &resp.Diagnostics)
	var id string
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("id"), &id)...)
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
	resp.Diagnostics.Append(resp.State.Set(ctx, sessionAttributesFrom(session))...)
	setIDIdentity(ctx, resp.Identity, session.ID, &resp.Diagnostics)
}

func (r *mpssessionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	client := r.admClient(mpssessionTypeName, &resp.Diagnostics)
	var id string
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	session, err := client.GetSession(ctx, id)
	if nitro.IsNotFound(err) {
		// The session ended (sign-out, expiry, or terminated elsewhere). The framework
		// wants an identity even then, which a state from before identity lacks.
		setIDIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not read ADM session "+quote(id)), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, sessionAttributesFrom(session))...)
	setIDIdentity(ctx, resp.Identity, session.ID, &resp.Diagnostics)
}

// Update is never called with a change: id forces replacement and the rest is computed.
func (r *mpssessionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var state sessionAttributes
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	setIDIdentity(ctx, resp.Identity, state.ID.ValueString(), &resp.Diagnostics)
}

// Delete terminates the session; one that has already ended is success.
func (r *mpssessionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	client := r.admClient(mpssessionTypeName, &resp.Diagnostics)
	var id string
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := client.DeleteSession(ctx, id); err != nil {
		resp.Diagnostics.AddError(on(client, "Could not terminate ADM session "+quote(id)), err.Error())
	}
}

// ImportState takes the session id, as an import id or as the identity { id }.
func (r *mpssessionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if problem := objectIDProblem(id); problem != "" {
		resp.Diagnostics.AddError("Invalid import id", "Import id "+quote(id)+" "+problem+".")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathID, id)...)
	setIDIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}
