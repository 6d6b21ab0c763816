package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
)

var _ datasource.DataSourceWithConfigure = &tokenDataSource{}

func newTokenDataSource() datasource.DataSource { return &tokenDataSource{} }

type tokenDataSource struct {
	providerDataHolder
}

// tokenDataSourceModel is one token as the data source stores it, beside the
// appliance it was read from.
type tokenDataSourceModel struct {
	Appliance types.String `tfsdk:"appliance"`
	tokenModel
}

func (d *tokenDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_token"
}

func (d *tokenDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := tokenAttributes()
	attributes[applianceAttribute] = applianceDataSourceAttribute()
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "Object id of the token to read, 42 hexadecimal digits.",
		Required:            true,
		Validators:          []validator.String{objectIDValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one HPE Nimble Storage user session token by id. The token itself is never read or stored.",
		Attributes:          attributes,
	}
}

func (d *tokenDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *tokenDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.nimbleClient(ctx, req.Config, "data.accessplane_token", &resp.Diagnostics)
	var id string
	var appliance types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathID, &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathAppliance, &appliance)...)
	if resp.Diagnostics.HasError() {
		return
	}
	token, err := client.GetToken(ctx, id)
	if nimble.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(pathID, on(client, "Nimble session token not found"), "The array has no session token with id "+quote(id)+"; it may have expired or been signed out.")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not read Nimble session token "+quote(id)), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, tokenDataSourceModel{Appliance: appliance, tokenModel: tokenModelFrom(token)})...)
}
