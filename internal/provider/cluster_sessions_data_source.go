package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
)

var _ datasource.DataSourceWithConfigure = &clusterSessionsDataSource{}

const clusterSessionsTypeName = "data.accessplane_cluster_sessions"

type clusterSessionsModel struct {
	Appliance types.String          `tfsdk:"appliance"`
	UserID    types.String          `tfsdk:"user_id"`
	Sessions  []clusterSessionModel `tfsdk:"sessions"`
}

// clusterSessionModel is one live session. cluster.Session has no sessionId field, so
// the session's credential cannot reach the state.
type clusterSessionModel struct {
	UserID       types.String `tfsdk:"user_id"`
	NodeID       types.Int64  `tfsdk:"node_id"`
	TenantUUID   types.String `tfsdk:"tenant_uuid"`
	LoginType    types.String `tfsdk:"login_type"`
	Device       types.String `tfsdk:"device"`
	IP           types.String `tfsdk:"ip"`
	CreationTime types.String `tfsdk:"creation_time"`
	LastAccessed types.String `tfsdk:"last_accessed"`
	IdleSeconds  types.Int64  `tfsdk:"idle_seconds"`
}

func clusterSessionModelFrom(s *cluster.Session, now time.Time) clusterSessionModel {
	lastAccessed := time.UnixMilli(s.LastAccessed)
	return clusterSessionModel{
		UserID:       types.StringValue(s.UserID),
		NodeID:       types.Int64Value(s.NodeID),
		TenantUUID:   types.StringValue(s.TenantUUID),
		LoginType:    types.StringValue(s.LoginType),
		Device:       types.StringValue(s.Device),
		IP:           types.StringValue(s.IP),
		CreationTime: types.StringValue(time.UnixMilli(s.CreationTime).UTC().Format(time.RFC3339)),
		LastAccessed: types.StringValue(lastAccessed.UTC().Format(time.RFC3339)),
		IdleSeconds:  types.Int64Value(max(int64(now.Sub(lastAccessed).Seconds()), 0)),
	}
}

func newClusterSessionsDataSource() datasource.DataSource { return &clusterSessionsDataSource{} }

type clusterSessionsDataSource struct {
	providerDataHolder
}

func (d *clusterSessionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cluster_sessions"
}

func (d *clusterSessionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the live sign-in sessions of a Dynatrace Managed cluster and its environments " +
			"(Cluster API v2 `userSessions`): who is signed in, how, from where, and for how long they have been idle. " +
			"The API's session id is a credential and is never read into the state.",
		Attributes: map[string]schema.Attribute{
			applianceAttribute: applianceDataSourceAttribute(),
			"user_id": schema.StringAttribute{
				MarkdownDescription: "Only sessions of this Dynatrace user id. " + clusterUserIDRule,
				Optional:            true,
				Validators:          []validator.String{clusterUserIDValidator()},
			},
			"sessions": schema.ListNestedAttribute{
				MarkdownDescription: "The live sessions, in the cluster's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"user_id":       computed("Dynatrace user id the session belongs to."),
					"node_id":       schema.Int64Attribute{MarkdownDescription: "Cluster node that holds the session.", Computed: true},
					"tenant_uuid":   computed("Environment signed in to, or the cluster's UUID for the Cluster Management Console."),
					"login_type":    computed("How the user signed in: `LOCAL`, `LDAP`, `SSO_MANAGED` or `DEVOPSTOKEN`."),
					"device":        computed("Device the user signed in on."),
					"ip":            computed("IP address the user signed in from."),
					"creation_time": computed("When the session began (RFC 3339, UTC)."),
					"last_accessed": computed("When the session was last used (RFC 3339, UTC)."),
					"idle_seconds":  schema.Int64Attribute{MarkdownDescription: "Seconds since the session was last used.", Computed: true},
				}},
			},
		},
	}
}

func (d *clusterSessionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *clusterSessionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.clusterClient(ctx, req.Config, clusterSessionsTypeName, &resp.Diagnostics)
	var model clusterSessionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sessions, err := client.ListSessions(ctx, model.UserID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError(on(client, "Could not list the cluster's live sessions"), err.Error())
		return
	}
	now := d.now()
	model.Sessions = make([]clusterSessionModel, len(sessions))
	for i := range sessions {
		model.Sessions[i] = clusterSessionModelFrom(&sessions[i], now)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
