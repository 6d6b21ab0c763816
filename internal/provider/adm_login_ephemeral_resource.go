package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ ephemeral.EphemeralResourceWithConfigure = &admLoginEphemeralResource{}
	_ ephemeral.EphemeralResourceWithClose     = &admLoginEphemeralResource{}
)

const (
	admLoginTypeName = "accessplane_adm_login"
	// privateSessionKey holds the session id between Open and Close. Terraform keeps
	// private data in memory only; it never reaches plan or state.
	privateSessionKey = "session"
)

func newADMLoginEphemeralResource() ephemeral.EphemeralResource {
	return &admLoginEphemeralResource{}
}

type admLoginEphemeralResource struct {
	providerDataHolder
}

type admLoginModel struct {
	Appliance types.String `tfsdk:"appliance"`
	Username  types.String `tfsdk:"username"`
	Password  types.String `tfsdk:"password"`
	SessionID types.String `tfsdk:"session_id"`
	ExpiresIn types.Int64  `tfsdk:"expires_in"`
}

type admLoginPrivate struct {
	SessionID string `json:"session_id"`
	Appliance string `json:"appliance"`
}

func (e *admLoginEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_adm_login"
}

func (e *admLoginEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A short-lived NITRO session for a pipeline step: signs in to ADM when Terraform opens it and " +
			"signs out when Terraform closes it. Nothing of it is written to plan or state. Needs Terraform 1.10 or later.",
		Attributes: map[string]schema.Attribute{
			applianceAttribute: applianceEphemeralAttribute(),
			"username": schema.StringAttribute{
				MarkdownDescription: "User to sign in as; defaults to the `adm.username` of the appliance's settings. Set together with `password`.",
				Optional:            true,
				Validators: []validator.String{
					charactersBetween(1, 128),
					stringvalidator.AlsoRequires(path.MatchRoot("password")),
				},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username`.",
				Optional:            true,
				Sensitive:           true,
				Validators: []validator.String{
					charactersBetween(1, 128),
					stringvalidator.AlsoRequires(path.MatchRoot("username")),
				},
			},
			"session_id": schema.StringAttribute{
				MarkdownDescription: "The NITRO session id, for the `Cookie: NITRO_AUTH_TOKEN=<session_id>` header.",
				Computed:            true,
				Sensitive:           true,
			},
			"expires_in": schema.Int64Attribute{
				MarkdownDescription: "Seconds the session lives without activity, as ADM reports it.",
				Computed:            true,
			},
		},
	}
}

func (e *admLoginEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.configure(req.ProviderData, &resp.Diagnostics)
}

func (e *admLoginEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	client := e.admClient(ctx, req.Config, admLoginTypeName, &resp.Diagnostics)
	var model admLoginModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	username, password := client.Credentials()
	if !model.Username.IsNull() {
		username, password = model.Username.ValueString(), model.Password.ValueString()
	}
	sessionID, expiresIn, err := client.Login(ctx, username, password)
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not sign in to ADM as "+quote(username)), err.Error())
		return
	}
	private, err := json.Marshal(admLoginPrivate{SessionID: sessionID, Appliance: applianceName(model.Appliance)})
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not keep the ADM session for sign-out"), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateSessionKey, private)...)
	model.SessionID = types.StringValue(sessionID)
	model.ExpiresIn = types.Int64Value(expiresIn)
	resp.Diagnostics.Append(resp.Result.Set(ctx, model)...)
}

func (e *admLoginEphemeralResource) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	raw, diags := req.Private.GetKey(ctx, privateSessionKey)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || raw == nil {
		return
	}
	var private admLoginPrivate
	if err := json.Unmarshal(raw, &private); err != nil {
		resp.Diagnostics.AddError("Could not sign out of ADM", "The session kept for sign-out is unreadable: "+err.Error())
		return
	}
	client := admOf(e.named(private.Appliance, pathAppliance, &resp.Diagnostics), admLoginTypeName, &resp.Diagnostics)
	if client == nil {
		return
	}
	if err := client.Logout(ctx, private.SessionID); err != nil {
		resp.Diagnostics.AddError(on(client, "Could not sign out of ADM"), err.Error())
	}
}
