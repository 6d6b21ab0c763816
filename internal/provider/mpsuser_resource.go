package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

var (
	_ resource.ResourceWithConfigure      = &mpsuserResource{}
	_ resource.ResourceWithImportState    = &mpsuserResource{}
	_ resource.ResourceWithValidateConfig = &mpsuserResource{}
	_ resource.ResourceWithModifyPlan     = &mpsuserResource{}
	_ resource.ResourceWithIdentity       = &mpsuserResource{}
)

const mpsuserTypeName = "accessplane_mpsuser"

// importByNamePrefix marks an import id that is a user name rather than a NITRO id.
const importByNamePrefix = "name:"

// endSessionsOnDestroy is the one argument that concerns only Terraform's destroy: it
// never reaches the appliance's user object.
const endSessionsOnDestroy = "end_sessions_on_destroy"

func newMPSUserResource() resource.Resource { return &mpsuserResource{} }

type mpsuserResource struct {
	providerDataHolder
}

type mpsuserResourceModel struct {
	Appliance types.String `tfsdk:"appliance"`
	userModel
	Password             types.String `tfsdk:"password"`
	PasswordWO           types.String `tfsdk:"password_wo"`
	PasswordWOVersion    types.Int64  `tfsdk:"password_wo_version"`
	Unlock               types.Bool   `tfsdk:"unlock"`
	EndSessionsOnDestroy types.Bool   `tfsdk:"end_sessions_on_destroy"`
}

func (r *mpsuserResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpsuser"
}

func (r *mpsuserResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// Every computed attribute has a rule for an update's plan, with its reason beside
	// it (TestPlanEveryComputedAttributeHasARule): a default, keep, or derivedFrom
	// (keepString, keepBool). keep plans the state's value whenever the configuration
	// does not set one: for an optional argument left out, "keep what the appliance
	// has". derivedFrom counts such an argument as unchanged, so an argument it names
	// must have keep or a default.
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Citrix ADM / NetScaler MAS system user (NITRO `mpsuser`). Passwords are write-mostly: " +
			"the provider sends the configured password and never reads one back, and the password hashes the " +
			"appliance returns are never stored.",
		Attributes: map[string]schema.Attribute{
			// Its own modifier (appliance.go) plans "default" or the configured name,
			// never unknown, and a change replaces the user.
			applianceAttribute: applianceResourceAttribute(),
			"id": schema.StringAttribute{
				MarkdownDescription: "The NITRO id of the user, assigned by the appliance.",
				Computed:            true,
				// Assigned at create; an update keeps it, a rename included.
				PlanModifiers: keep,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "User name, 1 to 128 characters, without `,` (NITRO cannot look such a name up, so it could be neither imported by name nor found again after a lost create reply). Renaming updates the user in place.",
				Required:            true,
				Validators:          []validator.String{charactersBetween(1, 128), userNameValidator()},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password, 1 to 128 characters. Stored in state (sensitive); prefer `password_wo` on Terraform 1.11 and later. Conflicts with `password_wo`. Creating a user needs one of the two unless `external_authentication = true`; an imported user without either keeps the password it has on the appliance.",
				Optional:            true,
				Sensitive:           true,
				Validators: []validator.String{
					charactersBetween(1, 128),
					stringvalidator.ConflictsWith(path.MatchRoot("password_wo")),
				},
			},
			"password_wo": schema.StringAttribute{
				MarkdownDescription: "Write-only password, 1 to 128 characters: sent to the appliance, never written to plan or state. Needs Terraform 1.11 or later and `password_wo_version`; change the version to send a new password.",
				Optional:            true,
				Sensitive:           true,
				WriteOnly:           true,
				Validators: []validator.String{
					charactersBetween(1, 128),
					stringvalidator.AlsoRequires(path.MatchRoot("password_wo_version")),
				},
			},
			"password_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; changing it sends `password_wo` to the appliance again. Required with `password_wo`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("password_wo"))},
			},
			"groups": schema.SetAttribute{
				MarkdownDescription: "Groups the user belongs to. Defaults to none.",
				ElementType:         types.StringType,
				Optional:            true,
				Computed:            true,
				// Left out it plans its default, known: no rule needed.
				Default:    setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
				Validators: []validator.Set{setvalidator.ValueStringsAre(charactersBetween(1, 128))},
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "Tenant id, 1 to 128 characters. When not set, the appliance assigns the default tenant.",
				Optional:            true,
				Computed:            true,
				// Left out, the user stays in the tenant the appliance assigned.
				PlanModifiers: keep,
				Validators:    []validator.String{charactersBetween(1, 128)},
			},
			"external_authentication": schema.BoolAttribute{
				MarkdownDescription: "Authenticate the user externally (LDAP, RADIUS, TACACS). When true, no password is needed. Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				// Left out it plans its default, known: no rule needed.
				Default: booldefault.StaticBool(false),
			},
			"external_group_mapping_oid": schema.StringAttribute{
				MarkdownDescription: "External group id the user is mapped from.",
				Optional:            true,
				Computed:            true,
				// Left out, the appliance keeps the mapping it has.
				PlanModifiers: keep,
			},
			"enable_session_timeout": schema.BoolAttribute{
				MarkdownDescription: "Enable a session timeout for the user. Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				// Left out it plans its default, known: no rule needed.
				Default: booldefault.StaticBool(false),
			},
			"session_timeout": schema.Int64Attribute{
				MarkdownDescription: "Session timeout, in `session_timeout_unit`: at least 1 with `enable_session_timeout = true`, and 0 (what the appliance reports for a user without a timeout) otherwise.",
				Optional:            true,
				Computed:            true,
				// Left out, the appliance keeps the timeout it has (0 without one).
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				Validators:    []validator.Int64{int64validator.AtLeast(0)},
			},
			"session_timeout_unit": schema.StringAttribute{
				MarkdownDescription: "Unit of `session_timeout`: `Minutes` or `Hours`. The appliance defaults to `Minutes`.",
				Optional:            true,
				Computed:            true,
				// Left out, the appliance keeps the unit it has.
				PlanModifiers: keep,
				Validators:    []validator.String{stringvalidator.OneOf("Minutes", "Hours")},
			},
			"mpsuser_name": schema.StringAttribute{
				MarkdownDescription: "Display name of the user, at most 128 characters.",
				Optional:            true,
				Computed:            true,
				// Left out, the appliance keeps the display name it has.
				PlanModifiers: keep,
				Validators:    []validator.String{charactersAtMost(128)},
			},
			"unlock": schema.BoolAttribute{
				MarkdownDescription: "Set to `true` to unlock a user locked out after failed sign-ins; sent with every create and update while true. Never read back from the appliance.",
				Optional:            true,
			},
			endSessionsOnDestroy: schema.BoolAttribute{
				MarkdownDescription: "Destroying the user first ends the user's live ADM sessions (never the provider's own), then deletes the user: ADM does not end the sessions of a user it deletes. If a session cannot be ended, the user is not deleted and destroy fails, so the next destroy tries again. Defaults to `false`; changing it makes no call to the appliance.",
				Optional:            true,
				Computed:            true,
				// Left out it plans its default, known: no rule needed.
				Default: booldefault.StaticBool(false),
			},
			"permission": schema.StringAttribute{
				MarkdownDescription: "Permission the appliance derives from the user's groups.",
				Computed:            true,
				// ADM derives it from the groups, and from nothing else a user sets.
				PlanModifiers: keepString("groups"),
			},
			"tenant_name": schema.StringAttribute{
				MarkdownDescription: "Name of the user's tenant.",
				Computed:            true,
				// The name of the tenant tenant_id names.
				PlanModifiers: keepString("tenant_id"),
			},
			"is_default": schema.BoolAttribute{
				MarkdownDescription: "Whether this is a built-in user.",
				Computed:            true,
				// Built-in users are the appliance's own: no argument makes or unmakes one.
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"issuperuser": schema.BoolAttribute{
				MarkdownDescription: "Whether the user is a superuser.",
				Computed:            true,
				// Superuser rights come with a group, as the permission does.
				PlanModifiers: keepBool("groups"),
			},
			"nsroot_user": schema.StringAttribute{
				MarkdownDescription: "Whether the user is the nsroot user, as the appliance reports it.",
				Computed:            true,
				// The appliance's own account: no argument changes it.
				PlanModifiers: keep,
			},
			"force_change_password": schema.BoolAttribute{
				MarkdownDescription: "Whether the appliance will make the user change the password at the next sign-in.",
				Computed:            true,
				// A password set by an administrator may have to be changed at the next
				// sign-in; nothing else a user sets touches it.
				PlanModifiers: keepBool("password", "password_wo_version"),
			},
			"encrypted": schema.BoolAttribute{
				MarkdownDescription: "Whether the appliance stores the password encrypted.",
				Computed:            true,
				// How the password is stored: it changes only with the password, or with
				// external authentication, under which ADM may keep none.
				PlanModifiers: keepBool("password", "password_wo_version", "external_authentication"),
			},
		},
	}
}

func (r *mpsuserResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	idIdentitySchema(resp, "user")
}

func (r *mpsuserResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks the rules that span attributes, at plan time.
func (r *mpsuserResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// Attributes are read one by one: this runs for every user in every plan, and
	// reading the whole model through reflection costs more than the checks.
	var enabled types.Bool
	var sessionTimeout types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("enable_session_timeout"), &enabled)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("session_timeout"), &sessionTimeout)...)
	if resp.Diagnostics.HasError() || sessionTimeout.IsNull() || sessionTimeout.IsUnknown() || enabled.IsUnknown() {
		return
	}
	// 0 is what the appliance reports for a user without a timeout, so a configuration
	// generated from an existing user (terraform query) holds it.
	switch timeout := sessionTimeout.ValueInt64(); {
	case enabled.ValueBool() && timeout == 0:
		resp.Diagnostics.AddAttributeError(path.Root("session_timeout"), "session_timeout must be at least 1",
			"With enable_session_timeout = true, session_timeout is the timeout in session_timeout_unit: at least 1.")
	case !enabled.ValueBool() && timeout > 0:
		resp.Diagnostics.AddAttributeError(path.Root("session_timeout"), "session_timeout needs enable_session_timeout",
			"session_timeout only takes effect with enable_session_timeout = true; set it, or remove session_timeout.")
	}
}

// requirePasswordToCreate reports, at plan time, a user to be created without a
// password. Only a create needs one: an imported or adopted user keeps the password
// it has on the appliance, which is never read back, so its configuration may
// leave both passwords out and plan no change.
func requirePasswordToCreate(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	var password, passwordWO types.String
	var externalAuth types.Bool
	diags.Append(config.GetAttribute(ctx, path.Root("password"), &password)...)
	diags.Append(config.GetAttribute(ctx, path.Root("password_wo"), &passwordWO)...)
	diags.Append(config.GetAttribute(ctx, path.Root("external_authentication"), &externalAuth)...)
	if diags.HasError() {
		return
	}
	if password.IsNull() && passwordWO.IsNull() && !externalAuth.IsUnknown() && !externalAuth.ValueBool() {
		diags.AddAttributeError(path.Root("password"), "Missing password",
			"Creating a user needs a password unless external_authentication = true: set password, or password_wo with password_wo_version. "+
				"(A user imported from the appliance keeps its password and needs neither.)")
	}
}

// ModifyPlan reports a missing adm block and a user to be created without a password
// at plan time rather than at apply, and plans a change of end_sessions_on_destroy
// alone as exactly that, with every value the appliance reports kept as it is.
func (r *mpsuserResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if r.ready() {
		r.admClient(ctx, req.Plan, mpsuserTypeName, &resp.Diagnostics)
	}
	if req.State.Raw.IsNull() {
		requirePasswordToCreate(ctx, req.Config, &resp.Diagnostics)
	}
	if !onlyDestroyFlagChanged(req.Plan.Raw, req.State.Raw, &resp.Diagnostics) {
		return
	}
	var prior mpsuserResourceModel
	var endSessions types.Bool
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(endSessionsOnDestroy), &endSessions)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior.EndSessionsOnDestroy = endSessions
	resp.Diagnostics.Append(resp.Plan.Set(ctx, prior)...)
}

// userArguments are the names of the resource's arguments, read from its schema.
var userArguments = sync.OnceValue(func() []string {
	var resp resource.SchemaResponse
	(&mpsuserResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	var names []string
	for name, attribute := range resp.Schema.Attributes {
		if attribute.IsRequired() || attribute.IsOptional() {
			names = append(names, name)
		}
	}
	return names
})

// onlyDestroyFlagChanged reports whether plan differs from state in
// end_sessions_on_destroy alone: such a change needs no call to the appliance. It
// compares every argument the schema declares, so a new argument needs no change here.
func onlyDestroyFlagChanged(plan, state tftypes.Value, diags *diag.Diagnostics) bool {
	if state.IsNull() {
		return false
	}
	planned, prior := map[string]tftypes.Value{}, map[string]tftypes.Value{}
	if err := plan.As(&planned); err != nil {
		diags.AddError("Could not read the planned user", err.Error())
		return false
	}
	if err := state.As(&prior); err != nil {
		diags.AddError("Could not read the prior user", err.Error())
		return false
	}
	if planned[endSessionsOnDestroy].Equal(prior[endSessionsOnDestroy]) {
		return false
	}
	for _, name := range userArguments() {
		if name != endSessionsOnDestroy && !planned[name].Equal(prior[name]) {
			return false
		}
	}
	return true
}

func (r *mpsuserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client := r.admClient(ctx, req.Plan, mpsuserTypeName, &resp.Diagnostics)
	var plan mpsuserResourceModel
	var passwordWO types.String // write-only: only the configuration holds it
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("password_wo"), &passwordWO)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spec, diags := plan.userSpec(ctx)
	resp.Diagnostics.Append(diags...)
	spec.Password = firstKnown(plan.Password, passwordWO)
	spec.Unlock = trueOrNil(plan.Unlock)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := client.CreateUser(ctx, spec)
	addWarnings(&resp.Diagnostics, client, created.Warnings)
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not create ADM user "+quote(spec.Name)), createErrorDetail(err, spec.Name))
		return
	}
	warnIfStopped(ctx, "The create of ADM user "+quote(spec.Name), &resp.Diagnostics)
	if created.Adopted {
		resp.Diagnostics.AddWarning(on(client, "Adopted the existing ADM user "+quote(spec.Name)),
			"The reply to the create was lost or could not be read, and the appliance holds a user named "+quote(spec.Name)+
				": the one this create stored, or one that existed before it. Terraform adopted that user and updated it to this "+
				"configuration, password included; it now manages the user and deletes it on destroy. If the account belonged to "+
				"someone else, remove it from the state (terraform state rm) and tell its owner that its password changed.")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, userState(created.User, plan))...)
	setIDIdentity(ctx, resp.Identity, created.User.ID, plan.Appliance, &resp.Diagnostics)
}

func createErrorDetail(err error, name string) string {
	hint := ""
	switch {
	case nitro.IsAlreadyExists(err):
		hint = "\n\nA user of that name already exists. To manage it with Terraform, import it: terraform import " + mpsuserTypeName + ".<name> " + importByNamePrefix + name
	case nitro.MayHaveSucceeded(err):
		hint = "\n\nThe appliance may have created the user although its reply was lost or unreadable. If it exists, import it: terraform import " + mpsuserTypeName + ".<name> " + importByNamePrefix + name
	}
	return err.Error() + hint
}

func (r *mpsuserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	client := r.admClient(ctx, req.State, mpsuserTypeName, &resp.Diagnostics)
	var state mpsuserResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user, err := client.RefreshUser(ctx, state.ID.ValueString())
	if nitro.IsNotFound(err) {
		// Deleted outside Terraform: forget it so the next plan creates it again. The
		// framework wants an identity even then, which a state from before identity
		// (or from Terraform before 1.12) lacks.
		setIDIdentity(ctx, resp.Identity, state.ID.ValueString(), state.Appliance, &resp.Diagnostics)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not read ADM user "+quote(state.Name.ValueString())), err.Error())
		return
	}
	setIDIdentity(ctx, resp.Identity, user.ID, state.Appliance, &resp.Diagnostics)
	refreshed := userState(user, state)
	if reflect.DeepEqual(refreshed, state) {
		// resp.State starts as the prior state: a user that has not changed, what most
		// refreshed users are, needs no write (State.Set reflects over every field).
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, refreshed)...)
}

func (r *mpsuserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if onlyDestroyFlagChanged(req.Plan.Raw, req.State.Raw, &resp.Diagnostics) {
		// The plan is the prior state with the new flag (ModifyPlan): nothing to send.
		var planned mpsuserResourceModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &planned)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, planned)...)
		setIDIdentity(ctx, resp.Identity, planned.ID.ValueString(), planned.Appliance, &resp.Diagnostics)
		return
	}
	client := r.admClient(ctx, req.Plan, mpsuserTypeName, &resp.Diagnostics)
	var plan, state mpsuserResourceModel
	var passwordWO types.String // write-only: only the configuration holds it
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("password_wo"), &passwordWO)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spec, diags := plan.userSpec(ctx)
	resp.Diagnostics.Append(diags...)
	spec.ID = state.ID.ValueString()
	// A password goes on the wire only when it changed: the sensitive one when its
	// value differs, the write-only one when its version does.
	if !plan.Password.Equal(state.Password) {
		spec.Password = plan.Password.ValueString()
	}
	if !plan.PasswordWOVersion.Equal(state.PasswordWOVersion) {
		spec.Password = passwordWO.ValueString()
	}
	spec.Unlock = trueOrNil(plan.Unlock)
	if resp.Diagnostics.HasError() {
		return
	}
	user, warnings, err := client.UpdateUser(ctx, spec)
	addWarnings(&resp.Diagnostics, client, warnings)
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not update ADM user "+quote(spec.Name)), err.Error())
		return
	}
	warnIfStopped(ctx, "The update of ADM user "+quote(spec.Name), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, userState(user, plan))...)
	setIDIdentity(ctx, resp.Identity, user.ID, plan.Appliance, &resp.Diagnostics)
}

func (r *mpsuserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	client := r.admClient(ctx, req.State, mpsuserTypeName, &resp.Diagnostics)
	var id, name types.String
	var endSessions types.Bool
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, pathID, &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(endSessionsOnDestroy), &endSessions)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Sessions first: ADM keeps a deleted user's sessions alive, and once the user is
	// gone a failed attempt could not be retried by the next destroy.
	if endSessions.ValueBool() {
		ended, err := client.EndUserSessions(ctx, name.ValueString())
		if err != nil {
			resp.Diagnostics.AddError(on(client, "Could not end the sessions of ADM user "+quote(name.ValueString())),
				fmt.Sprintf("Ended %d sessions; %v\n\nThe user was not deleted, so the next destroy tries again (end_sessions_on_destroy = true).", ended, err))
			return
		}
		tflog.Info(ctx, "ended the ADM user's sessions before deleting it", map[string]any{"user": name.ValueString(), "sessions_ended": ended})
	}
	warnings, err := client.DeleteUser(ctx, id.ValueString())
	addWarnings(&resp.Diagnostics, client, warnings)
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not delete ADM user "+quote(name.ValueString())), err.Error())
		return
	}
	warnIfStopped(ctx, "The delete of ADM user "+quote(name.ValueString()), &resp.Diagnostics)
}

// ImportState takes a NITRO id, or name:<user name> which is looked up once, either
// with "@<appliance>" for a user on an entry of the provider's appliances; or the
// identity { id, appliance }.
func (r *mpsuserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, appliance := r.importTarget(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if name, byName := strings.CutPrefix(id, importByNamePrefix); byName {
		if problem := commaProblem(name); problem != "" {
			resp.Diagnostics.AddError("Invalid import id "+quote(id), "The user name "+problem+
				"; the provider cannot look such a user up and refuses the name in configuration too. Rename the user on the appliance, or leave it out of Terraform.")
			return
		}
		client := admOf(r.named(appliance.ValueString(), pathAppliance, &resp.Diagnostics), mpsuserTypeName, &resp.Diagnostics)
		if client == nil {
			return
		}
		user, err := client.FindUserByName(ctx, name)
		switch {
		case err != nil:
			resp.Diagnostics.AddError(on(client, "Could not look up ADM user "+quote(name)), err.Error())
			return
		case user == nil:
			resp.Diagnostics.AddError(on(client, "No ADM user "+quote(name)), "The appliance has no user named "+quote(name)+". Check the name, or import by NITRO id.")
			return
		}
		id = user.ID
	} else if problem := objectIDProblem(id); problem != "" {
		resp.Diagnostics.AddError("Invalid import id", "Import id "+quote(id)+" "+problem+". Use the user's NITRO id, or "+importByNamePrefix+"<user name>.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathAppliance, appliance)...)
	setIDIdentity(ctx, resp.Identity, id, appliance, &resp.Diagnostics)
}

// userState is the resource's state once the appliance has answered with user: the
// appliance's view of the user, and what it never reports (the configured password,
// the write-only password's version, unlock, end_sessions_on_destroy) kept from the
// plan or the prior state. A write-only value is never stored.
func userState(user *nitro.User, kept mpsuserResourceModel) mpsuserResourceModel {
	endSessions := kept.EndSessionsOnDestroy
	// An import, or a state written before the argument existed, holds no value: take
	// the default, so that neither plans a change of a Terraform-only argument.
	if endSessions.IsNull() {
		endSessions = types.BoolValue(false)
	}
	return mpsuserResourceModel{
		Appliance:            types.StringValue(applianceName(kept.Appliance)),
		userModel:            userModelFrom(user),
		Password:             kept.Password,
		PasswordWO:           types.StringNull(),
		PasswordWOVersion:    kept.PasswordWOVersion,
		Unlock:               kept.Unlock,
		EndSessionsOnDestroy: endSessions,
	}
}
