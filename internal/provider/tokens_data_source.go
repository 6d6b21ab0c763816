package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
)

var _ datasource.DataSourceWithConfigure = &tokensDataSource{}

func newTokensDataSource() datasource.DataSource { return &tokensDataSource{} }

type tokensDataSource struct {
	providerDataHolder
}

type tokensModel struct {
	Appliance types.String `tfsdk:"appliance"`
	Username  types.String `tfsdk:"username"`
	AppName   types.String `tfsdk:"app_name"`
	SourceIP  types.String `tfsdk:"source_ip"`
	Tokens    types.List   `tfsdk:"tokens"`
}

func (d *tokensDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tokens"
}

func (d *tokensDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(description string, validators ...validator.String) schema.Attribute {
		return schema.StringAttribute{
			MarkdownDescription: description + " Exact match, applied by the array.",
			Optional:            true,
			Validators:          validators,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the user session tokens of an HPE Nimble Storage array (who holds a session, from which " +
			"application and address, since when), read page by page. The tokens themselves are never read or stored.",
		Attributes: map[string]schema.Attribute{
			applianceAttribute: applianceDataSourceAttribute(),
			"username":         filter("Only tokens of this user.", charactersBetween(1, 104)),
			"app_name":         filter("Only tokens of this application.", charactersBetween(0, 255)),
			"source_ip":        filter("Only tokens from this IPv4 address.", ipv4Validator()),
			"tokens": schema.ListNestedAttribute{
				MarkdownDescription: "The matching tokens, oldest first.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: tokenAttributes()},
			},
		},
	}
}

func (d *tokensDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *tokensDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.nimbleClient(ctx, req.Config, "data.accessplane_tokens", &resp.Diagnostics)
	var model tokensModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tokens, err := client.ListTokens(ctx, nimble.ListOptions{
		Username: model.Username.ValueString(),
		AppName:  model.AppName.ValueString(),
		SourceIP: model.SourceIP.ValueString(),
		SortBy:   "creation_time",
	})
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not list Nimble session tokens"), err.Error())
		return
	}
	setComputedList(&resp.State, req.Config, "tokens", tokenObjectType, len(tokens), func(i int) tokenModel { return tokenModelFrom(&tokens[i]) }, &resp.Diagnostics)
}
