package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

var _ datasource.DataSourceWithConfigure = &mpsusersDataSource{}

func newMPSUsersDataSource() datasource.DataSource { return &mpsusersDataSource{} }

type mpsusersDataSource struct {
	providerDataHolder
}

type mpsusersModel struct {
	Name                   types.String `tfsdk:"name"`
	TenantName             types.String `tfsdk:"tenant_name"`
	Group                  types.String `tfsdk:"group"`
	ExternalAuthentication types.Bool   `tfsdk:"external_authentication"`
	PageSize               types.Int64  `tfsdk:"page_size"`
	Users                  types.List   `tfsdk:"users"`
}

func (d *mpsusersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpsusers"
}

func (d *mpsusersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filterString := func(description string) schema.Attribute {
		return schema.StringAttribute{
			MarkdownDescription: description + " Exact match, applied by the appliance (`filter=`).",
			Optional:            true,
			Validators:          []validator.String{charactersBetween(1, 128), filterValueValidator()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists Citrix ADM system users (NITRO `mpsuser`), filtered on the appliance and read page by page. No password material is read.",
		Attributes: map[string]schema.Attribute{
			"name":        filterString("Only the user with this name."),
			"tenant_name": filterString("Only users of this tenant."),
			"group":       filterString("Only users in this group."),
			"external_authentication": schema.BoolAttribute{
				MarkdownDescription: "Only users that do (`true`) or do not (`false`) authenticate externally.",
				Optional:            true,
			},
			"page_size": schema.Int64Attribute{
				MarkdownDescription: "Users per request, 1 to 10000. Defaults to 1000.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 10000)},
			},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The matching users, in the appliance's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: userDataSourceAttributes()},
			},
		},
	}
}

func (d *mpsusersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *mpsusersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.admClient("data.accessplane_mpsusers", &resp.Diagnostics)
	var model mpsusersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter := nitro.Filter{}
	for property, value := range map[string]types.String{"name": model.Name, "tenant_name": model.TenantName, "groups": model.Group} {
		if !value.IsNull() {
			filter[property] = value.ValueString()
		}
	}
	if !model.ExternalAuthentication.IsNull() {
		filter["external_authentication"] = model.ExternalAuthentication.String()
	}
	users, err := client.ListUsers(ctx, filter, int(model.PageSize.ValueInt64()))
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not list ADM users"), err.Error())
		return
	}
	setComputedList(&resp.State, req.Config, "users", userObjectType, len(users), func(i int) userModel { return userModelFrom(&users[i]) }, &resp.Diagnostics)
}
