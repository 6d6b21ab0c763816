package provider

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.ResourceWithConfigure        = &userSignoutResource{}
	_ resource.ResourceWithConfigValidators = &userSignoutResource{}
	_ resource.ResourceWithModifyPlan       = &userSignoutResource{}
)

const userSignoutTypeName = "accessplane_user_signout"

func newUserSignoutResource() resource.Resource { return &userSignoutResource{} }

type userSignoutResource struct {
	providerDataHolder
}

type userSignoutModel struct {
	ID                   types.String `tfsdk:"id"`
	ADMUsername          types.String `tfsdk:"adm_username"`
	ClusterUserID        types.String `tfsdk:"cluster_user_id"`
	NimbleUsername       types.String `tfsdk:"nimble_username"`
	Triggers             types.Map    `tfsdk:"triggers"`
	ADMSessionsEnded     types.Int64  `tfsdk:"adm_sessions_ended"`
	ClusterSessionsEnded types.Int64  `tfsdk:"cluster_sessions_ended"`
	NimbleTokensRevoked  types.Int64  `tfsdk:"nimble_tokens_revoked"`
	SignedOutAt          types.String `tfsdk:"signed_out_at"`
}

// signoutIdentifiers are the arguments that name the person on each plane, with the
// backend each one needs.
var signoutIdentifiers = []struct {
	attribute string
	backend   backend
}{
	{"adm_username", admBackend},
	{"cluster_user_id", clusterBackend},
	{"nimble_username", nimbleBackend},
}

func (r *userSignoutResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_signout"
}

func (r *userSignoutResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	count := func(description string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Ends every live session of one person on Citrix ADM, the Dynatrace Managed cluster and HPE " +
			"Nimble Storage arrays in one apply, for offboarding and incident response. Creating the resource signs the " +
			"person out; change `triggers` to sign them out again. The provider's own ADM session and Nimble token are never " +
			"ended. If any plane fails, the apply fails with an error that says what was ended and what was not, and nothing " +
			"is saved, so the next apply tries again. Reading the resource makes no calls; destroying it only removes it from " +
			"the state.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "When the person was signed out, as `signed_out_at` with nanoseconds; new with every sign-out.",
				Computed:            true,
			},
			"adm_username": schema.StringAttribute{
				MarkdownDescription: "ADM user name (1 to 128 characters) whose sessions to end. Needs the provider's `adm` block.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 128), filterValueValidator()},
				PlanModifiers:       replace,
			},
			"cluster_user_id": schema.StringAttribute{
				MarkdownDescription: "Dynatrace user id whose cluster and environment sessions to end, " + clusterUserIDRule + " Needs the provider's `cluster` block.",
				Optional:            true,
				Validators:          []validator.String{clusterUserIDValidator()},
				PlanModifiers:       replace,
			},
			"nimble_username": schema.StringAttribute{
				MarkdownDescription: "Nimble user name (1 to 104 printable characters) whose session tokens to end. Needs the provider's `nimble` block.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 104), printableValidator()},
				PlanModifiers:       replace,
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
			"signed_out_at": schema.StringAttribute{
				MarkdownDescription: "When the sign-out completed (RFC 3339, UTC).",
				Computed:            true,
			},
		},
	}
}

func (r *userSignoutResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *userSignoutResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.AtLeastOneOf(
		path.MatchRoot("adm_username"), path.MatchRoot("cluster_user_id"), path.MatchRoot("nimble_username"),
	)}
}

// ModifyPlan reports, at plan time and on the argument itself, an identifier whose
// backend is not configured.
func (r *userSignoutResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !r.ready() || req.Plan.Raw.IsNull() {
		return
	}
	configured := map[string]bool{"adm": r.data.adm != nil, "cluster": r.data.cluster != nil, "nimble": r.data.nimble != nil}
	for _, identifier := range signoutIdentifiers {
		var value types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(identifier.attribute), &value)...)
		if !value.IsNull() && !configured[identifier.backend.block] {
			summary, detail := identifier.backend.notConfigured(userSignoutTypeName + "." + identifier.attribute)
			resp.Diagnostics.AddAttributeError(path.Root(identifier.attribute), summary, detail)
		}
	}
}

// planeOutcome is what one plane's sign-out did.
type planeOutcome struct {
	plane string // "ADM", …
	what  string // "sessions of \"alice\"", …
	ended int
	err   error
}

func (r *userSignoutResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userSignoutModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var outcomes []planeOutcome
	plan.ADMSessionsEnded, plan.ClusterSessionsEnded, plan.NimbleTokensRevoked = types.Int64Value(0), types.Int64Value(0), types.Int64Value(0)
	// Every plane is tried even when an earlier one failed: in an incident, ending
	// what can be ended matters more than stopping early.
	if name := plan.ADMUsername; !name.IsNull() {
		if client := r.admClient(userSignoutTypeName, &resp.Diagnostics); client != nil {
			ended, err := client.EndUserSessions(ctx, name.ValueString())
			outcomes = append(outcomes, planeOutcome{on(client, "ADM"), "sessions of " + quote(name.ValueString()), ended, err})
			plan.ADMSessionsEnded = types.Int64Value(int64(ended))
		}
	}
	if id := plan.ClusterUserID; !id.IsNull() {
		if client := r.clusterClient(userSignoutTypeName, &resp.Diagnostics); client != nil {
			ended, err := client.EndSessions(ctx, id.ValueString())
			outcomes = append(outcomes, planeOutcome{on(client, "Dynatrace cluster"), "sessions of " + quote(id.ValueString()), ended, err})
			plan.ClusterSessionsEnded = types.Int64Value(int64(ended))
		}
	}
	if name := plan.NimbleUsername; !name.IsNull() {
		if client := r.nimbleClient(userSignoutTypeName, &resp.Diagnostics); client != nil {
			revoked, err := client.RevokeUserTokens(ctx, name.ValueString())
			outcomes = append(outcomes, planeOutcome{on(client, "Nimble"), "session tokens of " + quote(name.ValueString()), revoked, err})
			plan.NimbleTokensRevoked = types.Int64Value(int64(revoked))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if failed := reportIncompleteSignout(outcomes, &resp.Diagnostics); failed {
		return
	}
	now := time.Now().UTC()
	plan.ID = types.StringValue(now.Format(time.RFC3339Nano))
	plan.SignedOutAt = types.StringValue(now.Format(time.RFC3339))
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// reportIncompleteSignout adds one error listing what was ended and what was not when
// any plane failed, and reports whether one did.
func reportIncompleteSignout(outcomes []planeOutcome, diags *diag.Diagnostics) bool {
	var ended, notEnded []string
	for _, o := range outcomes {
		if o.err == nil || o.ended > 0 {
			ended = append(ended, "  - "+o.plane+": "+strconv.Itoa(o.ended)+" "+o.what)
		}
		if o.err != nil {
			notEnded = append(notEnded, "  - "+o.plane+": "+o.what+": "+o.err.Error())
		}
	}
	if len(notEnded) == 0 {
		return false
	}
	detail := "Not ended:\n" + strings.Join(notEnded, "\n")
	if len(ended) > 0 {
		detail = "Ended:\n" + strings.Join(ended, "\n") + "\n\n" + detail
	}
	diags.AddError("Sign-out incomplete", detail+"\n\nNothing was saved to the state, so the next apply signs the person out again.")
	return true
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
