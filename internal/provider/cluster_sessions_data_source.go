package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
)

var _ datasource.DataSourceWithConfigure = &clusterSessionsDataSource{}

const clusterSessionsTypeName = "data.accessplane_cluster_sessions"

// clusterSessionObjectType is one element of accessplane_cluster_sessions.sessions.
var clusterSessionObjectType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"user_id": tftypes.String, "node_id": tftypes.Number, "tenant_uuid": tftypes.String, "login_type": tftypes.String,
	"device": tftypes.String, "ip": tftypes.String, "creation_time": tftypes.String, "last_accessed": tftypes.String,
	"idle_seconds": tftypes.Number,
}}

// clusterSessionValue maps one live session. cluster.Session has no sessionId field,
// so the session's credential cannot reach the state.
func clusterSessionValue(s *cluster.Session, now time.Time) tftypes.Value {
	str := func(v string) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	lastAccessed := time.UnixMilli(s.LastAccessed)
	return tftypes.NewValue(clusterSessionObjectType, map[string]tftypes.Value{
		"user_id":       str(s.UserID),
		"node_id":       tftypes.NewValue(tftypes.Number, s.NodeID),
		"tenant_uuid":   str(s.TenantUUID),
		"login_type":    str(s.LoginType),
		"device":        str(s.Device),
		"ip":            str(s.IP),
		"creation_time": str(time.UnixMilli(s.CreationTime).UTC().Format(time.RFC3339)),
		"last_accessed": str(lastAccessed.UTC().Format(time.RFC3339)),
		"idle_seconds":  tftypes.NewValue(tftypes.Number, max(int64(now.Sub(lastAccessed).Seconds()), 0)),
	})
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
	client := d.clusterClient(clusterSessionsTypeName, &resp.Diagnostics)
	var userID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("user_id"), &userID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sessions, err := client.ListSessions(ctx, userID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Could not list the cluster's live sessions", err.Error())
		return
	}
	now := time.Now()
	elements := make([]tftypes.Value, len(sessions))
	for i := range sessions {
		elements[i] = clusterSessionValue(&sessions[i], now)
	}
	setComputedList(&resp.State, req.Config, "sessions", tftypes.List{ElementType: clusterSessionObjectType}, elements, &resp.Diagnostics)
}
