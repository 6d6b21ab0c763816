package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
)

var (
	_ resource.ResourceWithConfigure      = &clusterUserSessionsResource{}
	_ resource.ResourceWithImportState    = &clusterUserSessionsResource{}
	_ resource.ResourceWithValidateConfig = &clusterUserSessionsResource{}
	_ resource.ResourceWithModifyPlan     = &clusterUserSessionsResource{}
)

const (
	clusterUserSessionsTypeName = "accessplane_cluster_user_sessions"
	// clusterPolicyID is the id of the cluster's one policy.
	clusterPolicyID = "cluster"
	// defaultInactivityTimeout is sent while automatic logout is off and no timeout is
	// configured, because the Cluster API requires a positive value in every PUT. It is
	// the seed's documented value.
	defaultInactivityTimeout = 900
)

func newClusterUserSessionsResource() resource.Resource { return &clusterUserSessionsResource{} }

type clusterUserSessionsResource struct {
	providerDataHolder
}

type clusterPolicyModel struct {
	Appliance                  types.String `tfsdk:"appliance"`
	ID                         types.String `tfsdk:"id"`
	UserLimit                  types.Int64  `tfsdk:"user_limit"`
	AdminLimit                 types.Int64  `tfsdk:"admin_limit"`
	LogoutInactiveUsersEnabled types.Bool   `tfsdk:"logout_inactive_users_enabled"`
	UserInactivityTimeout      types.Int64  `tfsdk:"user_inactivity_timeout"`
}

func (m clusterPolicyModel) policy() cluster.Policy {
	return cluster.Policy{
		UserLimit:                  m.UserLimit.ValueInt64(),
		AdminLimit:                 m.AdminLimit.ValueInt64(),
		LogoutInactiveUsersEnabled: m.LogoutInactiveUsersEnabled.ValueBool(),
		UserInactivityTimeoutSecs:  m.UserInactivityTimeout.ValueInt64(),
	}
}

// clusterPolicyModelFrom is the policy p of the appliance named appliance.
func clusterPolicyModelFrom(p *cluster.Policy, appliance types.String) clusterPolicyModel {
	return clusterPolicyModel{
		Appliance:                  appliance,
		ID:                         types.StringValue(clusterPolicyID),
		UserLimit:                  types.Int64Value(p.UserLimit),
		AdminLimit:                 types.Int64Value(p.AdminLimit),
		LogoutInactiveUsersEnabled: types.BoolValue(p.LogoutInactiveUsersEnabled),
		UserInactivityTimeout:      types.Int64Value(p.UserInactivityTimeoutSecs),
	}
}

func (r *clusterUserSessionsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cluster_user_sessions"
}

func (r *clusterUserSessionsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Dynatrace Managed cluster's user-session policy: concurrent-session limits and automatic " +
			"logout. There is one policy per cluster. Destroying this resource only stops managing the policy: the " +
			"cluster keeps its current settings, because silently lifting a session limit would weaken security.",
		// The policy updates in place, so every computed attribute has a rule for an
		// update's plan, with its reason beside it (TestPlanEveryComputedAttributeHasARule,
		// TestAccClusterUserSessions_updatePlansOnlyWhatChanges).
		Attributes: map[string]schema.Attribute{
			// Its own modifier (appliance.go) plans "default" or the configured name,
			// never unknown, and a change replaces the policy.
			applianceAttribute: applianceResourceAttribute(),
			"id": schema.StringAttribute{
				MarkdownDescription: "Always `cluster`.",
				Computed:            true,
				// One policy per cluster: no update changes it.
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_limit": schema.Int64Attribute{
				MarkdownDescription: "Concurrent sessions a regular user may have; `0` means no limit. If either limit is 0, both must be.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
			"admin_limit": schema.Int64Attribute{
				MarkdownDescription: "Concurrent sessions an admin user may have; `0` means no limit. If either limit is 0, both must be.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
			"logout_inactive_users_enabled": schema.BoolAttribute{
				MarkdownDescription: "Sign out users after `user_inactivity_timeout` seconds without activity.",
				Required:            true,
			},
			"user_inactivity_timeout": schema.Int64Attribute{
				MarkdownDescription: "Seconds of inactivity before automatic logout; greater than 0. Required when `logout_inactive_users_enabled` is true; otherwise defaults to 900.",
				Optional:            true,
				Computed:            true,
				// Left out it plans its default, known: no rule needed.
				Default:    int64default.StaticInt64(defaultInactivityTimeout),
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
		},
	}
}

func (r *clusterUserSessionsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig applies the vendor's rules that span attributes, at plan time.
func (r *clusterUserSessionsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config clusterPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	known := func(v types.Int64) bool { return !v.IsNull() && !v.IsUnknown() }
	if known(config.UserLimit) && known(config.AdminLimit) && (config.UserLimit.ValueInt64() == 0) != (config.AdminLimit.ValueInt64() == 0) {
		unlimited := path.Root("user_limit")
		if config.AdminLimit.ValueInt64() == 0 {
			unlimited = path.Root("admin_limit")
		}
		resp.Diagnostics.AddAttributeError(unlimited, "Session limits must both be set or both be unlimited",
			"The Cluster API requires that if user_limit or admin_limit is 0 (no limit), the other is 0 too.")
	}
	if config.LogoutInactiveUsersEnabled.ValueBool() && config.UserInactivityTimeout.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("user_inactivity_timeout"), "Missing user_inactivity_timeout",
			"user_inactivity_timeout is required when logout_inactive_users_enabled is true.")
	}
}

// ModifyPlan reports a missing cluster block at plan time, and warns when destroy is
// planned that the cluster keeps its policy.
func (r *clusterUserSessionsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.addForgetWarning(ctx, req.State, &resp.Diagnostics)
		return
	}
	if r.ready() {
		r.clusterClient(ctx, req.Plan, clusterUserSessionsTypeName, &resp.Diagnostics)
	}
}

func (r *clusterUserSessionsResource) put(ctx context.Context, plan clusterPolicyModel, state *tfsdk.State, diags *diag.Diagnostics) {
	client := clusterOf(r.named(applianceName(plan.Appliance), pathAppliance, diags), clusterUserSessionsTypeName, diags)
	if client == nil {
		return
	}
	if err := client.PutUserSessions(ctx, plan.policy()); err != nil {
		diags.AddError(on(client, "Could not update the cluster's user-session policy"), err.Error())
		return
	}
	// PUT answers 204 without a body, and the policy is exactly what was sent.
	plan.ID = types.StringValue(clusterPolicyID)
	diags.Append(state.Set(ctx, plan)...)
}

func (r *clusterUserSessionsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan clusterPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !resp.Diagnostics.HasError() {
		r.put(ctx, plan, &resp.State, &resp.Diagnostics)
	}
}

func (r *clusterUserSessionsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan clusterPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !resp.Diagnostics.HasError() {
		r.put(ctx, plan, &resp.State, &resp.Diagnostics)
	}
}

func (r *clusterUserSessionsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var appliance types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, pathAppliance, &appliance)...)
	client := r.clusterClient(ctx, req.State, clusterUserSessionsTypeName, &resp.Diagnostics)
	if client == nil {
		return
	}
	policy, err := client.GetUserSessions(ctx)
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not read the cluster's user-session policy"), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, clusterPolicyModelFrom(policy, types.StringValue(applianceName(appliance))))...)
}

// Delete leaves the cluster's policy as it is; Terraform only forgets it.
func (r *clusterUserSessionsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	r.addForgetWarning(ctx, req.State, &resp.Diagnostics)
}

// addForgetWarning names the cluster when its settings are configured; without them
// there is no cluster to name, and ModifyPlan reports what is missing.
func (r *clusterUserSessionsResource) addForgetWarning(ctx context.Context, state tfsdk.State, diags *diag.Diagnostics) {
	summary := "The cluster keeps its user-session policy"
	if r.ready() {
		var unnamed diag.Diagnostics
		if client := r.clusterClient(ctx, state, clusterUserSessionsTypeName, &unnamed); client != nil {
			summary = on(client, summary)
		}
	}
	diags.AddWarning(summary,
		"Destroying "+clusterUserSessionsTypeName+" only removes it from Terraform. The cluster's session limits and "+
			"automatic logout stay as they are; change them in the Cluster Management Console if you mean to.")
}

// ImportState takes the fixed id "cluster". The resource has no resource identity on
// purpose (see identity.go): a cluster has one policy, so an identity would have
// nothing to tell apart and no list resource to serve.
func (r *clusterUserSessionsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, appliance := r.importTarget(ctx, req, &resp.Diagnostics)
	if id != clusterPolicyID {
		resp.Diagnostics.AddError("Invalid import id", "A cluster has one user-session policy; import it with the id "+quote(clusterPolicyID)+
			" (or "+quote(clusterPolicyID+"@<appliance>")+" for a cluster in the provider's appliances), not "+quote(req.ID)+".")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), clusterPolicyID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathAppliance, appliance)...)
}
