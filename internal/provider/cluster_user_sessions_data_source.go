package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &clusterUserSessionsDataSource{}

func newClusterUserSessionsDataSource() datasource.DataSource {
	return &clusterUserSessionsDataSource{}
}

type clusterUserSessionsDataSource struct {
	providerDataHolder
}

func (d *clusterUserSessionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cluster_user_sessions"
}

func (d *clusterUserSessionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the Dynatrace Managed cluster's user-session policy: concurrent-session limits and automatic logout.",
		Attributes: map[string]schema.Attribute{
			applianceAttribute:              applianceDataSourceAttribute(),
			"id":                            schema.StringAttribute{MarkdownDescription: "Always `cluster`.", Computed: true},
			"user_limit":                    schema.Int64Attribute{MarkdownDescription: "Concurrent sessions a regular user may have; `0` means no limit.", Computed: true},
			"admin_limit":                   schema.Int64Attribute{MarkdownDescription: "Concurrent sessions an admin user may have; `0` means no limit.", Computed: true},
			"logout_inactive_users_enabled": schema.BoolAttribute{MarkdownDescription: "Whether inactive users are signed out automatically.", Computed: true},
			"user_inactivity_timeout":       schema.Int64Attribute{MarkdownDescription: "Seconds of inactivity before automatic logout.", Computed: true},
		},
	}
}

func (d *clusterUserSessionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *clusterUserSessionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var appliance types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathAppliance, &appliance)...)
	client := d.clusterClient(ctx, req.Config, "data."+clusterUserSessionsTypeName, &resp.Diagnostics)
	if client == nil {
		return
	}
	policy, err := client.GetUserSessions(ctx)
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not read the cluster's user-session policy"), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, clusterPolicyModelFrom(policy, appliance))...)
}
