package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
)

var (
	_ datasource.DataSourceWithConfigure = &tokensDataSource{}
	_ datasource.DataSourceWithConfigure = &tokenDataSource{}
)

// tokenObjectType is one element of accessplane_tokens.tokens.
var tokenObjectType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"id": tftypes.String, "username": tftypes.String, "app_name": tftypes.String,
	"source_ip": tftypes.String, "creation_time": tftypes.Number, "last_modified": tftypes.Number,
}}

// tokenValue is a token as Terraform sees it: one element of accessplane_tokens.tokens
// and the whole state of accessplane_token. session_token has no field in
// nimble.Token, so it cannot reach the state.
func tokenValue(t *nimble.Token) tftypes.Value {
	return tftypes.NewValue(tokenObjectType, map[string]tftypes.Value{
		"id":            tftypes.NewValue(tftypes.String, t.ID),
		"username":      tftypes.NewValue(tftypes.String, t.Username),
		"app_name":      tftypes.NewValue(tftypes.String, t.AppName),
		"source_ip":     tftypes.NewValue(tftypes.String, t.SourceIP),
		"creation_time": tftypes.NewValue(tftypes.Number, t.CreationTime),
		"last_modified": tftypes.NewValue(tftypes.Number, t.LastModified),
	})
}

func tokenAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":            schema.StringAttribute{MarkdownDescription: "Object id of the token, 42 hexadecimal digits.", Computed: true},
		"username":      schema.StringAttribute{MarkdownDescription: "User the session belongs to.", Computed: true},
		"app_name":      schema.StringAttribute{MarkdownDescription: "Application that signed in (`GUI`, a script's name, …).", Computed: true},
		"source_ip":     schema.StringAttribute{MarkdownDescription: "IP address the session comes from.", Computed: true},
		"creation_time": schema.Int64Attribute{MarkdownDescription: "When the token was created, in seconds since the Unix epoch.", Computed: true},
		"last_modified": schema.Int64Attribute{MarkdownDescription: "When the token was last used, in seconds since the Unix epoch.", Computed: true},
	}
}

func newTokensDataSource() datasource.DataSource { return &tokensDataSource{} }

type tokensDataSource struct {
	providerDataHolder
}

type tokensModel struct {
	Username types.String `tfsdk:"username"`
	AppName  types.String `tfsdk:"app_name"`
	SourceIP types.String `tfsdk:"source_ip"`
	Tokens   types.List   `tfsdk:"tokens"`
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
			"username":  filter("Only tokens of this user.", stringvalidator.LengthBetween(1, 104)),
			"app_name":  filter("Only tokens of this application.", stringvalidator.LengthBetween(0, 255)),
			"source_ip": filter("Only tokens from this IPv4 address.", ipv4Validator()),
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
	client := d.nimbleClient("data.accessplane_tokens", &resp.Diagnostics)
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
		resp.Diagnostics.AddError("Could not list Nimble session tokens", err.Error())
		return
	}
	elements := make([]tftypes.Value, len(tokens))
	for i := range tokens {
		elements[i] = tokenValue(&tokens[i])
	}
	setComputedList(&resp.State, req.Config, "tokens", tftypes.List{ElementType: tokenObjectType}, elements, &resp.Diagnostics)
}

func newTokenDataSource() datasource.DataSource { return &tokenDataSource{} }

type tokenDataSource struct {
	providerDataHolder
}

func (d *tokenDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_token"
}

func (d *tokenDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := tokenAttributes()
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
	client := d.nimbleClient("data.accessplane_token", &resp.Diagnostics)
	var id string
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathID, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	token, err := client.GetToken(ctx, id)
	if nimble.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(pathID, "Nimble session token not found", "The array has no session token with id "+quote(id)+"; it may have expired or been signed out.")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read Nimble session token "+quote(id), err.Error())
		return
	}
	resp.State.Raw = tokenValue(token)
}
