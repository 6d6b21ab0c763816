package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

var _ datasource.DataSourceWithConfigure = &mpssessionDataSource{}

func newMPSSessionDataSource() datasource.DataSource { return &mpssessionDataSource{} }

type mpssessionDataSource struct {
	providerDataHolder
}

// sessionDataSourceModel is one session as the data source stores it, beside the
// appliance it was read from.
type sessionDataSourceModel struct {
	Appliance types.String `tfsdk:"appliance"`
	sessionWithIdle
}

func (d *mpssessionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpssession"
}

func (d *mpssessionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := sessionDataSourceAttributes()
	attributes[applianceAttribute] = applianceDataSourceAttribute()
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "Id of the live session to read.",
		Required:            true,
		Validators:          []validator.String{objectIDValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one live Citrix ADM sign-in session (NITRO `mpssession`) by id. Its credentials are never read.",
		Attributes:          attributes,
	}
}

func (d *mpssessionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *mpssessionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.admClient(ctx, req.Config, "data.accessplane_mpssession", &resp.Diagnostics)
	var config sessionDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := config.ID.ValueString()
	session, err := client.GetSession(ctx, id)
	if nitro.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(pathID, on(client, "No such ADM session"), "ADM has no live session with id "+quote(id)+".")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not read ADM session "+quote(id)), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, sessionDataSourceModel{Appliance: config.Appliance, sessionWithIdle: sessionWithIdleFrom(session, d.now())})...)
}
