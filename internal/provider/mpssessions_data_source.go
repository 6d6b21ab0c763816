package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &mpssessionsDataSource{}

func newMPSSessionsDataSource() datasource.DataSource { return &mpssessionsDataSource{} }

type mpssessionsDataSource struct {
	providerDataHolder
}

type mpssessionsModel struct {
	Appliance  types.String      `tfsdk:"appliance"`
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
	attributes := sessionFilters.dataSourceAttributes()
	attributes[applianceAttribute] = applianceDataSourceAttribute()
	attributes["sessions"] = schema.ListNestedAttribute{
		MarkdownDescription: "The matching sessions.",
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: sessionDataSourceAttributes()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists live Citrix ADM sign-in sessions (NITRO `mpssession`), for audits and for ending sessions " +
			"with `for_each` over `accessplane_mpssession`. Session credentials are never read.",
		Attributes: attributes,
	}
}

func (d *mpssessionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *mpssessionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.admClient(ctx, req.Config, "data.accessplane_mpssessions", &resp.Diagnostics)
	var model mpssessionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter := sessionFilters.read(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
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
