package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.ResourceWithConfigure        = &userSignoutResource{}
	_ resource.ResourceWithConfigValidators = &userSignoutResource{}
	_ resource.ResourceWithModifyPlan       = &userSignoutResource{}
)

func newUserSignoutResource() resource.Resource { return &userSignoutResource{} }

type userSignoutResource struct {
	providerDataHolder
}

type userSignoutModel struct {
	ID types.String `tfsdk:"id"`
	signoutNames
	Triggers             types.Map    `tfsdk:"triggers"`
	ADMSessionsEnded     types.Int64  `tfsdk:"adm_sessions_ended"`
	ClusterSessionsEnded types.Int64  `tfsdk:"cluster_sessions_ended"`
	NimbleTokensRevoked  types.Int64  `tfsdk:"nimble_tokens_revoked"`
	ByAppliance          types.Map    `tfsdk:"by_appliance"`
	SignedOutAt          types.String `tfsdk:"signed_out_at"`
}

func (r *userSignoutResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_signout"
}

func (r *userSignoutResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// The computed attributes (id, the counts, by_appliance, signed_out_at) have no plan
	// modifiers, and need none: every argument replaces the resource, so no plan updates
	// it in place. A replacement is a new sign-out, whose every attribute is new, and a
	// plan without a change keeps the state as it is (TestPlanEveryComputedAttributeHasARule
	// holds every argument to replacing).
	count := func(description string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: description, Computed: true}
	}
	attributes := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "When the person was signed out, as `signed_out_at` with nanoseconds; new with every sign-out.",
			Computed:            true,
		},
		"triggers": schema.MapAttribute{
			MarkdownDescription: "Any values; changing them signs the person out again (the resource is replaced). For example a ticket number, or `timestamp()` to sign out on every apply.",
			ElementType:         types.StringType,
			Optional:            true,
			PlanModifiers:       []planmodifier.Map{mapplanmodifier.RequiresReplace()},
		},
		"adm_sessions_ended":     count("ADM sessions ended; 0 when `adm_username` is not set."),
		"cluster_sessions_ended": count("Dynatrace sessions ended; 0 when `cluster_user_id` is not set."),
		"nimble_tokens_revoked":  count("Nimble session tokens ended; 0 when `nimble_username` is not set."),
		"appliances": schema.SetAttribute{
			MarkdownDescription: appliancesDescription + " Changing it replaces the resource, which signs the person out again.",
			Optional:            true,
			ElementType:         types.StringType,
			Validators:          appliancesValidators(),
			PlanModifiers:       []planmodifier.Set{setplanmodifier.RequiresReplace()},
		},
		"by_appliance": schema.MapNestedAttribute{
			MarkdownDescription: "What was ended on each appliance worked, by appliance name (`default` for the top-level blocks); the counts above are their totals.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"adm_sessions_ended":     count("ADM sessions ended on this appliance."),
				"cluster_sessions_ended": count("Dynatrace sessions ended on this appliance."),
				"nimble_tokens_revoked":  count("Nimble session tokens ended on this appliance."),
			}},
		},
		"signed_out_at": schema.StringAttribute{
			MarkdownDescription: "When the sign-out completed (RFC 3339, UTC).",
			Computed:            true,
		},
	}
	for _, identifier := range signoutIdentifiers {
		attributes[identifier.attribute] = schema.StringAttribute{
			MarkdownDescription: identifier.description,
			Optional:            true,
			Validators:          identifier.validators,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Ends every live session of one person on Citrix ADM, the Dynatrace Managed cluster and HPE " +
			"Nimble Storage arrays in one apply, for offboarding and incident response: on every appliance of the provider " +
			"configuration (or those in `appliances`), at most 32 at once. Creating the resource signs the " +
			"person out; change `triggers` to sign them out again. The provider's own ADM session and Nimble token are never " +
			"ended. If any plane fails, the apply fails with an error that says what was ended and what was not, and nothing " +
			"is saved, so the next apply tries again. Reading the resource makes no calls; destroying it only removes it from " +
			"the state. On Terraform 1.14 and later, the action `accessplane_user_signout` does the same sign-out from " +
			"`terraform apply -invoke` or another resource's `action_trigger`, without keeping anything in the state.",
		Attributes: attributes,
	}
}

// applianceCountsType is the element type of by_appliance.
var applianceCountsType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"adm_sessions_ended": types.Int64Type, "cluster_sessions_ended": types.Int64Type, "nimble_tokens_revoked": types.Int64Type,
}}

func (r *userSignoutResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *userSignoutResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.AtLeastOneOf(signoutIdentifierPaths()...)}
}

// ModifyPlan reports, at plan time and on the argument itself, an identifier whose
// backend is not configured.
func (r *userSignoutResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	r.checkSignoutBackends(ctx, readSignoutNames(ctx, req.Config, &resp.Diagnostics), &resp.Diagnostics)
}

func (r *userSignoutResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userSignoutModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	result := r.signOut(ctx, plan.signoutNames, nil, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || result.reportIncomplete("Nothing was saved to the state, so the next apply signs the person out again.", &resp.Diagnostics) {
		return
	}
	total := result.total()
	plan.ADMSessionsEnded = types.Int64Value(total.ADMSessionsEnded)
	plan.ClusterSessionsEnded = types.Int64Value(total.ClusterSessionsEnded)
	plan.NimbleTokensRevoked = types.Int64Value(total.NimbleTokensRevoked)
	byAppliance, diags := types.MapValueFrom(ctx, applianceCountsType, result.byAppliance)
	resp.Diagnostics.Append(diags...)
	plan.ByAppliance = byAppliance
	now := r.now().UTC()
	plan.ID = types.StringValue(now.Format(time.RFC3339Nano))
	plan.SignedOutAt = types.StringValue(now.Format(time.RFC3339))
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Read keeps the state: the sign-out is an event, and a person who signs in again
// afterwards does not undo it. Change triggers to sign them out again.
func (r *userSignoutResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update is never called with a change: every argument replaces the resource, and
// the framework's response already holds the prior state.
func (r *userSignoutResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {
}

// Delete only forgets the sign-out; there is nothing to undo.
func (r *userSignoutResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}
