package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &mpsusersDataSource{}

func newMPSUsersDataSource() datasource.DataSource { return &mpsusersDataSource{} }

type mpsusersDataSource struct {
	providerDataHolder
}

func (d *mpsusersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpsusers"
}

func (d *mpsusersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := userFilters.dataSourceAttributes()
	attributes[applianceAttribute] = applianceDataSourceAttribute()
	attributes["page_size"] = schema.Int64Attribute{
		MarkdownDescription: "Users per request, 1 to 10000. Defaults to 1000.",
		Optional:            true,
		Validators:          []validator.Int64{int64validator.Between(1, 10000)},
	}
	attributes["users"] = schema.ListNestedAttribute{
		MarkdownDescription: "The matching users, in the appliance's order.",
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: userDataSourceAttributes()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists Citrix ADM system users (NITRO `mpsuser`), filtered on the appliance and read page by page. No password material is read.",
		Attributes:          attributes,
	}
}

func (d *mpsusersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *mpsusersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.admClient(ctx, req.Config, "data.accessplane_mpsusers", &resp.Diagnostics)
	var pageSize types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("page_size"), &pageSize)...)
	filter := userFilters.read(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	users, err := client.ListUsers(ctx, filter, int(pageSize.ValueInt64()))
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not list ADM users"), err.Error())
		return
	}
	setComputedList(&resp.State, req.Config, "users", userObjectType, len(users), func(i int) userModel { return userModelFrom(&users[i]) }, &resp.Diagnostics)
}
