package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

var _ datasource.DataSourceWithConfigure = &mpsuserDataSource{}

func newMPSUserDataSource() datasource.DataSource { return &mpsuserDataSource{} }

type mpsuserDataSource struct {
	providerDataHolder
}

// userDataSourceModel is one user as the data source stores it, beside the appliance
// it was read from.
type userDataSourceModel struct {
	Appliance types.String `tfsdk:"appliance"`
	userModel
}

func (d *mpsuserDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mpsuser"
}

func (d *mpsuserDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := userDataSourceAttributes()
	attributes[applianceAttribute] = applianceDataSourceAttribute()
	lookup := []validator.String{stringvalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "NITRO id of the user to read. Exactly one of `id` and `name` is required.",
		Optional:            true,
		Computed:            true,
		Validators:          append(lookup, objectIDValidator()),
	}
	attributes["name"] = schema.StringAttribute{
		MarkdownDescription: "Name of the user to read, 1 to 128 characters. Exactly one of `id` and `name` is required.",
		Optional:            true,
		Computed:            true,
		Validators:          append(lookup, charactersBetween(1, 128), filterValueValidator()),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Citrix ADM system user (NITRO `mpsuser`) by id or by name. No password material is read.",
		Attributes:          attributes,
	}
}

func (d *mpsuserDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *mpsuserDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.admClient(ctx, req.Config, "data.accessplane_mpsuser", &resp.Diagnostics)
	var config userDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var user *nitro.User
	var err error
	lookup := "id " + quote(config.ID.ValueString())
	if config.ID.IsNull() {
		lookup = "name " + quote(config.Name.ValueString())
		user, err = client.FindUserByName(ctx, config.Name.ValueString())
	} else {
		user, err = client.GetUser(ctx, config.ID.ValueString())
	}
	if nitro.IsNotFound(err) || (err == nil && user == nil) {
		resp.Diagnostics.AddError(on(client, "ADM user not found"), "The appliance has no user with "+lookup+".")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not read ADM user with "+lookup), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, userDataSourceModel{Appliance: config.Appliance, userModel: userModelFrom(user)})...)
}
