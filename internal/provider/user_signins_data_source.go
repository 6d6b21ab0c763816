package provider

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// accessplane_user_signins answers the first question of an incident, "where is this
// person signed in right now", across every appliance and plane of the provider
// configuration, and the last one of an offboarding, "do they stay out", in a check
// block. It takes the sign-out's person and appliances (user_signout.go) and reaches
// the appliances through the sign-out's fan-out, with one listing per appliance and
// plane, filtered by the person.

const userSigninsTypeName = "data.accessplane_user_signins"

var (
	_ datasource.DataSourceWithConfigure        = &userSigninsDataSource{}
	_ datasource.DataSourceWithConfigValidators = &userSigninsDataSource{}
)

func newUserSigninsDataSource() datasource.DataSource { return &userSigninsDataSource{} }

type userSigninsDataSource struct {
	providerDataHolder
}

type userSigninsModel struct {
	signoutNames
	AllowUnreachable types.Bool                  `tfsdk:"allow_unreachable"`
	Signins          []signinModel               `tfsdk:"signins"`
	Total            types.Int64                 `tfsdk:"total"`
	ByAppliance      map[string]applianceSignins `tfsdk:"by_appliance"`
	Unreachable      []unreachableModel          `tfsdk:"unreachable"`
}

// signinModel is one live session or token of the person. No field can hold a
// credential: nitro.Session, cluster.Session and nimble.Token have none.
type signinModel struct {
	Appliance     types.String `tfsdk:"appliance"`
	Plane         types.String `tfsdk:"plane"`
	Host          types.String `tfsdk:"host"`
	ID            types.String `tfsdk:"id"`
	Started       types.String `tfsdk:"started"`
	LastActive    types.String `tfsdk:"last_active"`
	FromIP        types.String `tfsdk:"from_ip"`
	Client        types.String `tfsdk:"client"`
	MaybeProvider types.Bool   `tfsdk:"maybe_provider"`
}

// applianceSignins counts the person's sign-ins on one appliance, by plane; null for a
// plane that was not read (the appliance lacks it, its identifier is not set, or the
// read failed): an unread plane is never a count of zero.
type applianceSignins struct {
	ADMSessions     types.Int64 `tfsdk:"adm_sessions"`
	ClusterSessions types.Int64 `tfsdk:"cluster_sessions"`
	NimbleTokens    types.Int64 `tfsdk:"nimble_tokens"`
}

type unreachableModel struct {
	Appliance types.String `tfsdk:"appliance"`
	Plane     types.String `tfsdk:"plane"`
	Error     types.String `tfsdk:"error"`
}

func (d *userSigninsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_signins"
}

func (d *userSigninsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	count := func(plane string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: "The person's " + plane + " on this appliance; null when that plane was not read (the appliance has no such plane, its identifier is not set, or it could not be read).", Computed: true}
	}
	attributes := map[string]schema.Attribute{
		"appliances": schema.SetAttribute{
			MarkdownDescription: "Names of the appliances to read (entries of the provider's `appliances`, and `default` for the " +
				"top-level blocks). Defaults to every configured appliance. On each, only the planes it has and whose identifier " +
				"is set are read. An unknown name is an error when Terraform plans.",
			Optional:    true,
			ElementType: types.StringType,
			Validators:  appliancesValidators(),
		},
		"allow_unreachable": schema.BoolAttribute{
			MarkdownDescription: "What to do when an appliance cannot be read. `false` (the default): the read fails with one " +
				"error naming each appliance that failed and what was read elsewhere, as \"signed in nowhere\" would be a lie. " +
				"`true`: one warning instead, each listed in `unreachable`, `total` null, and the rest of the answer now.",
			Optional: true,
		},
		"signins": schema.ListNestedAttribute{
			MarkdownDescription: "Every live session and session token of the person, newest first. The provider's own ADM " +
				"session and Nimble token are never listed.",
			Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"appliance": computed("Name of the appliance (`default` for the top-level blocks)."),
				"plane":     computed("`adm`, `cluster` or `nimble`."),
				"host":      computed("Host and port of the appliance's API."),
				"id": computed("What a sign-out or an import acts on: the ADM session id (as `accessplane_mpssession` takes it) or the " +
					"Nimble token's object id; null for Dynatrace, whose session id is a credential and is never read."),
				"started":     computed("When the session began (RFC 3339, UTC); null when the appliance does not say."),
				"last_active": computed("When the session was last used (RFC 3339, UTC); null when the appliance does not say."),
				"from_ip":     computed("IP address the person signed in from."),
				"client":      computed("How the person signed in: ADM's client type (`browser`, `API`, …), Dynatrace's login type (`LOCAL`, `LDAP`, `SSO_MANAGED`, `DEVOPSTOKEN`) or the Nimble application name (`GUI`, a script's name, …)."),
				"maybe_provider": schema.BoolAttribute{
					MarkdownDescription: "True for an ADM session whose `is_self` the appliance left unreadable: it may be the " +
						"provider's own session, and it is listed rather than dropped. False otherwise.",
					Computed: true,
				},
			}},
		},
		"total": schema.Int64Attribute{
			MarkdownDescription: "How many sign-ins `signins` holds; null when an appliance could not be read (with " +
				"`allow_unreachable`), so that a `check` of `total == 0` never passes on a partial answer.",
			Computed: true,
		},
		"by_appliance": schema.MapNestedAttribute{
			MarkdownDescription: "The person's sign-ins on each appliance read, by appliance name, per plane.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"adm_sessions":     count("ADM sessions"),
				"cluster_sessions": count("Dynatrace sessions"),
				"nimble_tokens":    count("Nimble session tokens"),
			}},
		},
		"unreachable": schema.ListNestedAttribute{
			MarkdownDescription: "The appliances and planes that could not be read (only with `allow_unreachable = true`; " +
				"otherwise the read fails); empty when every one was read.",
			Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"appliance": computed("Name of the appliance."),
				"plane":     computed("`adm`, `cluster` or `nimble`."),
				"error":     computed("Why it could not be read, with the appliance's host and port."),
			}},
		},
	}
	for _, identifier := range signoutIdentifiers {
		attributes[identifier.attribute] = schema.StringAttribute{
			MarkdownDescription: identifier.describe(whereSignedInUse),
			Optional:            true,
			Validators:          identifier.validators,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Where one person is signed in right now: every live ADM session, Dynatrace session and Nimble " +
			"session token of theirs, on every appliance of the provider configuration (or those in `appliances`), in one list, " +
			"newest first. The appliances and planes are read concurrently (at most 32 listings at once), one listing each, " +
			"filtered by the person; nothing is changed and no session credential is read. The provider's own ADM session and " +
			"Nimble token are never listed. An appliance that cannot be read is never counted as \"signed in nowhere\": the " +
			"read fails, or with `allow_unreachable` warns and lists it. In a `check` block (Terraform 1.5+, OpenTofu 1.6+) " +
			"it warns on every plan when an offboarded person signs in again.",
		Attributes: attributes,
	}
}

func (d *userSigninsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *userSigninsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.AtLeastOneOf(signoutIdentifierPaths()...)}
}

func (d *userSigninsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model userSigninsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !d.ready() {
		// Without the provider's appliances there is nothing to read, and nothing read
		// must never pass for "signed in nowhere".
		resp.Diagnostics.AddError("Provider not configured", userSigninsTypeName+" was read before the provider was configured. This is a bug in the provider.")
		return
	}
	reads := d.readSignins(ctx, model.signoutNames, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !reads.report(model.AllowUnreachable.ValueBool(), &resp.Diagnostics) {
		return
	}
	model.Signins, model.ByAppliance, model.Unreachable = reads.models()
	model.Total = types.Int64Null()
	if len(model.Unreachable) == 0 {
		model.Total = types.Int64Value(int64(len(model.Signins)))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// planeRead is the listing of the person's sign-ins on one plane of one appliance.
type planeRead struct {
	target  *applianceClients
	backend backend
	person  string
	client  applianceClient
	signins []signin
	err     error
}

// signin is one sign-in as read, with its times for the order.
type signin struct {
	model               signinModel
	started, lastActive time.Time
}

// signinReads are every listing of one read, by appliance and plane.
type signinReads []*planeRead

// readSignins lists the person's sign-ins on each plane of each appliance that names
// spans, where the appliance has the plane and the identifier is set: concurrently,
// through the sign-out's fan-out. An unknown appliance name, or an identifier that no
// appliance has the plane for, adds an error to diags, and nothing is read.
func (h *providerDataHolder) readSignins(ctx context.Context, names signoutNames, diags *diag.Diagnostics) signinReads {
	targets := h.checkPersonBackends(ctx, userSigninsTypeName, names, diags)
	if diags.HasError() {
		return nil
	}
	var reads signinReads
	for _, target := range targets {
		for _, identifier := range signoutIdentifiers {
			if person := names.value(identifier.backend); !person.IsNull() && target.has(identifier.backend) {
				reads = append(reads, &planeRead{target: target, backend: identifier.backend, person: person.ValueString()})
			}
		}
	}
	fanOut(len(reads), func(i int) { reads[i].read(ctx) })
	return reads
}

// read lists the person's sign-ins on the plane, less the provider's own.
func (r *planeRead) read(ctx context.Context) {
	switch r.backend.block {
	case admBackend.block:
		client := r.target.adm
		r.client = client
		sessions, err := client.ListSessions(ctx, nitro.Filter{"username": r.person})
		r.err = err
		for i := range sessions {
			s := &sessions[i]
			if s.IsSelf && !s.SelfUnclear() {
				continue // the provider's own session
			}
			r.add(types.StringValue(s.ID), unixTime(int64(s.LoginTime), time.Second), unixTime(int64(s.LastActivityTime), time.Second), s.IPAddress, s.ClientType, s.SelfUnclear())
		}
	case clusterBackend.block:
		client := r.target.cluster
		r.client = client
		sessions, err := client.ListSessions(ctx, r.person)
		r.err = err
		for i := range sessions {
			s := &sessions[i]
			r.add(types.StringNull(), unixTime(s.CreationTime, time.Millisecond), unixTime(s.LastAccessed, time.Millisecond), s.IP, s.LoginType, false)
		}
	default:
		client := r.target.nimble
		r.client = client
		tokens, err := client.ListTokens(ctx, nimble.ListOptions{Username: r.person})
		r.err = err
		for i := range tokens {
			token := &tokens[i]
			if client.IsOwnToken(token.ID) {
				continue // the provider's own token
			}
			r.add(types.StringValue(token.ID), unixTime(token.CreationTime, time.Second), unixTime(token.LastModified, time.Second), token.SourceIP, token.AppName, false)
		}
	}
}

func (r *planeRead) add(id types.String, started, lastActive time.Time, fromIP, client string, maybeProvider bool) {
	r.signins = append(r.signins, signin{
		model: signinModel{
			Appliance: types.StringValue(r.target.source.name), Plane: types.StringValue(r.backend.block),
			Host: types.StringValue(r.client.Endpoint()), ID: id, Started: rfc3339(started), LastActive: rfc3339(lastActive),
			FromIP: types.StringValue(fromIP), Client: types.StringValue(client), MaybeProvider: types.BoolValue(maybeProvider),
		},
		started: started, lastActive: lastActive,
	})
}

// unixTime is n units since the Unix epoch; the zero time when the appliance sent 0.
func unixTime(n int64, unit time.Duration) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, 0).Add(time.Duration(n) * unit)
}

// rfc3339 is t in RFC 3339, UTC, or null for the zero time.
func rfc3339(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// outcome is the read in the words the sign-out's messages use: "ADM on site-2
// (host:port)", "2 sessions of \"dana\"".
func (r *planeRead) outcome() planeOutcome {
	titles := map[string][2]string{
		admBackend.block:     {"ADM", "session"},
		clusterBackend.block: {"Dynatrace cluster", "session"},
		nimbleBackend.block:  {"Nimble", "session token"},
	}
	title := titles[r.backend.block]
	return planeOutcome{
		appliance: r.target.source.name, plane: title[0], where: r.target.source.name + " (" + r.client.Endpoint() + ")",
		noun: title[1], owner: quote(r.person), ended: len(r.signins), err: r.err,
	}
}

// report adds, when a listing failed, one diagnostic naming each appliance and plane
// that failed (name, host and port, reason) and what was read on the others: an error,
// or with allowUnreachable a warning. It reports whether the read may go on.
func (reads signinReads) report(allowUnreachable bool, diags *diag.Diagnostics) bool {
	var read, failed []string
	for _, r := range reads {
		o := r.outcome()
		if r.err != nil {
			failed = append(failed, "  - "+o.plane+" on "+o.where+": "+r.err.Error())
		} else {
			read = append(read, "  - "+o.plane+" on "+o.where+": "+o.endedText())
		}
	}
	if len(failed) == 0 {
		return true
	}
	detail := "Not read:\n" + strings.Join(failed, "\n")
	if len(read) > 0 {
		detail += "\n\nRead:\n" + strings.Join(read, "\n")
	}
	if !allowUnreachable {
		diags.AddError("Could not read where the person is signed in",
			detail+"\n\nAn appliance that cannot be read is not counted as one the person is signed out of. Set "+
				"allow_unreachable = true to have the rest of the answer now, with this as a warning.")
		return false
	}
	diags.AddWarning("Not every appliance could be read",
		detail+"\n\nThese are listed in unreachable, and total is null: the person may be signed in there.")
	return true
}

// models are the read's sign-ins (newest first), its counts by appliance and its
// unreachable planes.
func (reads signinReads) models() ([]signinModel, map[string]applianceSignins, []unreachableModel) {
	var all []signin
	byAppliance := map[string]applianceSignins{}
	unreachable := []unreachableModel{}
	for _, r := range reads {
		name := r.target.source.name
		if r.err != nil {
			unreachable = append(unreachable, unreachableModel{
				Appliance: types.StringValue(name), Plane: types.StringValue(r.backend.block),
				Error: types.StringValue(r.err.Error() + " (" + r.client.Endpoint() + ")"),
			})
			continue
		}
		counts, seen := byAppliance[name]
		if !seen {
			counts = applianceSignins{types.Int64Null(), types.Int64Null(), types.Int64Null()}
		}
		n := types.Int64Value(int64(len(r.signins)))
		switch r.backend.block {
		case admBackend.block:
			counts.ADMSessions = n
		case clusterBackend.block:
			counts.ClusterSessions = n
		default:
			counts.NimbleTokens = n
		}
		byAppliance[name] = counts
		all = append(all, r.signins...)
	}
	slices.SortStableFunc(all, func(a, b signin) int {
		return cmp.Or(b.started.Compare(a.started), b.lastActive.Compare(a.lastActive),
			cmp.Compare(a.model.Appliance.ValueString(), b.model.Appliance.ValueString()),
			cmp.Compare(a.model.Plane.ValueString(), b.model.Plane.ValueString()),
			cmp.Compare(a.model.ID.ValueString(), b.model.ID.ValueString()))
	})
	slices.SortFunc(unreachable, func(a, b unreachableModel) int {
		return cmp.Or(cmp.Compare(a.Appliance.ValueString(), b.Appliance.ValueString()), cmp.Compare(a.Plane.ValueString(), b.Plane.ValueString()))
	})
	signins := make([]signinModel, len(all))
	for i := range all {
		signins[i] = all[i].model
	}
	return signins, byAppliance, unreachable
}
