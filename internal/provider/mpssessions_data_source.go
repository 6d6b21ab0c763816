package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

var _ datasource.DataSourceWithConfigure = &mpssessionsDataSource{}

func newMPSSessionsDataSource() datasource.DataSource { return &mpssessionsDataSource{} }

type mpssessionsDataSource struct {
	providerDataHolder
}

type mpssessionsModel struct {
	Username   types.String      `tfsdk:"username"`
	ClientType types.String      `tfsdk:"client_type"`
	IPAddress  types.String      `tfsdk:"ip_address"`
	TenantName types.String      `tfsdk:"tenant_name"`
	IsSelf     types.Bool        `tfsdk:"is_self"`
	Sessions   []sessionWithIdle `tfsdk:"sessions"`
}

func (d *mpssessionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpssessions"
}

func (d *mpssessionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(description string) schema.Attribute {
		return schema.StringAttribute{
			MarkdownDescription: description + " Exact match.",
			Optional:            true,
			Validators:          []validator.String{charactersBetween(1, 255), filterValueValidator()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists live Citrix ADM sign-in sessions (NITRO `mpssession`), for audits and for ending sessions " +
			"with `for_each` over `accessplane_mpssession`. Session credentials are never read.",
		Attributes: map[string]schema.Attribute{
			"username":    filter("Only sessions of this user."),
			"client_type": filter("Only sessions of this client type (`API`, `browser`, …)."),
			"ip_address":  filter("Only sessions from this address."),
			"tenant_name": filter("Only sessions of this tenant."),
			"is_self": schema.BoolAttribute{
				MarkdownDescription: "Only the provider's own session (`true`) or only the others (`false`).",
				Optional:            true,
			},
			"sessions": schema.ListNestedAttribute{
				MarkdownDescription: "The matching sessions.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: sessionDataSourceAttributes()},
			},
		},
	}
}

func (d *mpssessionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *mpssessionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.admClient("data.accessplane_mpssessions", &resp.Diagnostics)
	var model mpssessionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter := nitro.Filter{}
	for property, value := range map[string]types.String{"username": model.Username, "client_type": model.ClientType, "ip_address": model.IPAddress, "tenant_name": model.TenantName} {
		if !value.IsNull() {
			filter[property] = value.ValueString()
		}
	}
	if !model.IsSelf.IsNull() {
		filter["is_self"] = model.IsSelf.String()
	}
	sessions, err := client.ListSessions(ctx, filter)
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not list ADM sessions"), err.Error())
		return
	}
	now := d.now()
	model.Sessions = make([]sessionWithIdle, 0, len(sessions))
	for i := range sessions {
		model.Sessions = append(model.Sessions, sessionWithIdleFrom(&sessions[i], now))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
