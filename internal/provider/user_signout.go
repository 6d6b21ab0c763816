package provider

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The sign-out exists twice, as the resource accessplane_user_signout (any Terraform,
// OpenTofu) and as the action of the same name (Terraform 1.14+), and a data source
// reads where the same person is signed in (the data source of sign-ins). All three are
// built from this file: the person's identifiers (descriptions and checks), the
// appliances they span and the backend check at plan time, the fan-out over the
// appliances (at most 32 at once); and the sign-out itself and its error.

const userSignoutTypeName = "accessplane_user_signout"

// signoutIdentifier is an argument that names the person on one plane.
type signoutIdentifier struct {
	attribute string
	backend   backend
	// whose is what the person has on the plane: "ADM user name (…) whose sessions".
	whose string
	// rule follows "whose … to end," where the value has a rule of its own to state.
	rule       string
	validators []validator.String
	// description is the argument's description on the sign-out, resource and action.
	description string
}

var signoutIdentifiers = describedFor(signoutUse, []signoutIdentifier{
	{
		attribute:  "adm_username",
		backend:    admBackend,
		whose:      "ADM user name (1 to 128 characters) whose sessions",
		validators: []validator.String{charactersBetween(1, 128), filterValueValidator()},
	},
	{
		attribute:  "cluster_user_id",
		backend:    clusterBackend,
		whose:      "Dynatrace user id whose cluster and environment sessions",
		rule:       clusterUserIDRule,
		validators: []validator.String{clusterUserIDValidator()},
	},
	{
		attribute:  "nimble_username",
		backend:    nimbleBackend,
		whose:      "Nimble user name (1 to 104 printable characters) whose session tokens",
		validators: []validator.String{charactersBetween(1, 104), printableValidator()},
	},
})

// personUse is what a type does with the person's sessions, for the identifiers'
// descriptions: the sign-out ends them, the read of where they are signed in lists them.
type personUse struct {
	verb, done, of string // "end", "Ended", "the sign-out"
}

var (
	signoutUse       = personUse{verb: "end", done: "Ended", of: "the sign-out"}
	whereSignedInUse = personUse{verb: "list", done: "Read", of: "the read"}
)

// describe is the identifier's description for a type that uses the person so.
func (i signoutIdentifier) describe(use personUse) string {
	text := i.whose + " to " + use.verb
	if i.rule != "" {
		text += ", " + i.rule
	} else {
		text += "."
	}
	return text + " " + use.done + " on every appliance of " + use.of + " that has `" + i.backend.block + "` settings; at least one must."
}

// describedFor gives each identifier its description for use.
func describedFor(use personUse, identifiers []signoutIdentifier) []signoutIdentifier {
	for i := range identifiers {
		identifiers[i].description = identifiers[i].describe(use)
	}
	return identifiers
}

// signoutIdentifierPaths are the identifiers, of which a sign-out needs at least one.
func signoutIdentifierPaths() []path.Expression {
	paths := make([]path.Expression, len(signoutIdentifiers))
	for i, identifier := range signoutIdentifiers {
		paths[i] = path.MatchRoot(identifier.attribute)
	}
	return paths
}

// signoutNames are the identifiers of one sign-out as the resource and the action read
// them, and the appliances it spans.
type signoutNames struct {
	ADMUsername    types.String `tfsdk:"adm_username"`
	ClusterUserID  types.String `tfsdk:"cluster_user_id"`
	NimbleUsername types.String `tfsdk:"nimble_username"`
	Appliances     types.Set    `tfsdk:"appliances"`
}

var pathAppliances = path.Root("appliances")

// readSignoutNames reads the identifiers and appliances of a sign-out's configuration,
// plan or state, which the resource's other attributes keep from a plain Get.
func readSignoutNames(ctx context.Context, from attributeReader, diags *diag.Diagnostics) signoutNames {
	var names signoutNames
	diags.Append(from.GetAttribute(ctx, path.Root("adm_username"), &names.ADMUsername)...)
	diags.Append(from.GetAttribute(ctx, path.Root("cluster_user_id"), &names.ClusterUserID)...)
	diags.Append(from.GetAttribute(ctx, path.Root("nimble_username"), &names.NimbleUsername)...)
	diags.Append(from.GetAttribute(ctx, pathAppliances, &names.Appliances)...)
	return names
}

// maxConcurrentAppliances bounds how many appliances one sign-out works (and how many
// listings one read of where a person is signed in sends) at once, so a fleet of hundreds
// neither opens hundreds of connections nor waits on them in turn.
const maxConcurrentAppliances = 32

// fanOut runs work(0) … work(n-1) concurrently, at most maxConcurrentAppliances at
// once, and returns when all have returned. The sign-out and the read of where a
// person is signed in both reach their appliances through it.
func fanOut(n int, work func(i int)) {
	slots := make(chan struct{}, maxConcurrentAppliances)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			work(i)
		}()
	}
	wg.Wait()
}

const appliancesDescription = "Names of the appliances to sign the person out of (entries of the provider's `appliances`, " +
	"and `default` for the top-level blocks). Defaults to every configured appliance. On each, only the planes it has " +
	"and whose identifier is set are worked."

func appliancesValidators() []validator.Set {
	return []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(applianceNameValidator())}
}

// value is the identifier of plane b, null when not given.
func (n signoutNames) value(b backend) types.String {
	switch b.block {
	case admBackend.block:
		return n.ADMUsername
	case clusterBackend.block:
		return n.ClusterUserID
	default:
		return n.NimbleUsername
	}
}

// signoutTargets are the appliances a sign-out spans: those named in appliances, or
// every configured one, "default" first. nil while the names are not known (plan
// time) or the provider is not configured; an unknown name is an error on appliances.
func (h *providerDataHolder) signoutTargets(ctx context.Context, names signoutNames, diags *diag.Diagnostics) []*applianceClients {
	if !h.ready() || names.Appliances.IsUnknown() {
		return nil
	}
	var targets []*applianceClients
	if names.Appliances.IsNull() {
		for _, name := range h.data.names() {
			targets = append(targets, h.data.appliances[name])
		}
		return targets
	}
	var chosen []string
	diags.Append(names.Appliances.ElementsAs(ctx, &chosen, false)...)
	sort.Strings(chosen)
	for _, name := range chosen {
		if clients := h.named(name, pathAppliances, diags); clients != nil {
			targets = append(targets, clients)
		}
	}
	return targets
}

// checkSignoutBackends reports, on the argument itself, an identifier that no
// appliance of the sign-out can act on: it has no settings for the identifier's plane
// on any of them. It does nothing while the appliances are not known.
func (h *providerDataHolder) checkSignoutBackends(ctx context.Context, names signoutNames, diags *diag.Diagnostics) []*applianceClients {
	return h.checkPersonBackends(ctx, userSignoutTypeName, names, diags)
}

// checkPersonBackends resolves the appliances that names span, refusing an unknown
// name on appliances, and reports, on the argument itself, an identifier that none of
// them has the plane for; typeName names the type in that error. It does nothing
// while the appliances are not known.
func (h *providerDataHolder) checkPersonBackends(ctx context.Context, typeName string, names signoutNames, diags *diag.Diagnostics) []*applianceClients {
	targets := h.signoutTargets(ctx, names, diags)
	if len(targets) == 0 {
		return nil
	}
	for _, identifier := range signoutIdentifiers {
		if names.value(identifier.backend).IsNull() {
			continue
		}
		if !slices.ContainsFunc(targets, func(a *applianceClients) bool { return a.has(identifier.backend) }) {
			summary, detail := targets[0].source.notConfigured(identifier.backend, typeName+"."+identifier.attribute)
			if len(targets) > 1 {
				summary = "No appliance with " + quote(identifier.backend.block) + " settings"
				detail = typeName + "." + identifier.attribute + " needs at least one of its appliances (" +
					h.data.namesList() + ") to have " + quote(identifier.backend.block) + " settings."
			}
			diags.AddAttributeError(path.Root(identifier.attribute), summary, detail)
		}
	}
	return targets
}

// has reports whether the appliance has settings for plane b.
func (a *applianceClients) has(b backend) bool {
	switch b.block {
	case admBackend.block:
		return a.adm != nil
	case clusterBackend.block:
		return a.cluster != nil
	default:
		return a.nimble != nil
	}
}

// planeOutcome is what one plane's sign-out did on one appliance.
type planeOutcome struct {
	appliance string // its name, "default" for the top-level blocks
	plane     string // "ADM", …
	where     string // the appliance's name and host:port, for the error a fleet reads
	noun      string // "session", "session token"
	owner     string // the identifier, quoted
	ended     int
	err       error
}

// endedText is "2 sessions of \"dana\"".
func (o planeOutcome) endedText() string {
	noun := o.noun
	if o.ended != 1 {
		noun += "s"
	}
	return strconv.Itoa(o.ended) + " " + noun + " of " + o.owner
}

// progress is the one line a plane reports when it is done.
func (o planeOutcome) progress() string {
	prefix := o.plane
	if o.appliance != defaultAppliance {
		prefix += " on " + o.where
	}
	if o.err != nil {
		return prefix + ": ended " + o.endedText() + ", but not all: " + o.err.Error()
	}
	return prefix + ": ended " + o.endedText()
}

// applianceCounts are what a sign-out ended on one appliance.
type applianceCounts struct {
	ADMSessionsEnded     int64 `tfsdk:"adm_sessions_ended"`
	ClusterSessionsEnded int64 `tfsdk:"cluster_sessions_ended"`
	NimbleTokensRevoked  int64 `tfsdk:"nimble_tokens_revoked"`
}

// signoutResult is what a sign-out did on each plane of each appliance it acted on.
type signoutResult struct {
	byAppliance map[string]applianceCounts
	outcomes    []planeOutcome
}

// total is what the sign-out ended on all its appliances.
func (r signoutResult) total() applianceCounts {
	var total applianceCounts
	for _, counts := range r.byAppliance {
		total.ADMSessionsEnded += counts.ADMSessionsEnded
		total.ClusterSessionsEnded += counts.ClusterSessionsEnded
		total.NimbleTokensRevoked += counts.NimbleTokensRevoked
	}
	return total
}

// signOut ends the person's sessions on every plane named in names of every appliance
// it spans, never the provider's own (the clients skip them), and calls done with each
// plane's outcome as soon as that plane is finished. Appliances are worked
// concurrently, at most maxConcurrentAppliances at once, and each of its planes is
// tried even when another failed: in an incident, ending what can be ended matters
// more than stopping early. An identifier that no appliance can act on adds an error
// to diags, and nothing is ended.
func (h *providerDataHolder) signOut(ctx context.Context, names signoutNames, done func(planeOutcome), diags *diag.Diagnostics) signoutResult {
	targets := h.checkSignoutBackends(ctx, names, diags)
	result := signoutResult{byAppliance: map[string]applianceCounts{}}
	if diags.HasError() {
		return result
	}
	var mu sync.Mutex
	fanOut(len(targets), func(i int) {
		target := targets[i]
		counts, outcomes := signOutOf(ctx, target, names)
		mu.Lock()
		defer mu.Unlock()
		if len(outcomes) > 0 {
			result.byAppliance[target.source.name] = counts
		}
		result.outcomes = append(result.outcomes, outcomes...)
		if done != nil {
			for _, o := range outcomes {
				done(o)
			}
		}
	})
	slices.SortFunc(result.outcomes, func(a, b planeOutcome) int {
		return cmp.Or(cmp.Compare(a.appliance, b.appliance), cmp.Compare(a.plane, b.plane))
	})
	return result
}

// signOutOf ends the person's sessions on each plane of one appliance that it has and
// whose identifier is given, one plane after another.
func signOutOf(ctx context.Context, target *applianceClients, names signoutNames) (applianceCounts, []planeOutcome) {
	var counts applianceCounts
	var outcomes []planeOutcome
	outcome := func(plane, noun string, identifier types.String, client applianceClient, ended int, err error) {
		outcomes = append(outcomes, planeOutcome{target.source.name, plane, where(client), noun, quote(identifier.ValueString()), ended, err})
	}
	if name := names.ADMUsername; !name.IsNull() && target.adm != nil {
		ended, err := target.adm.EndUserSessions(ctx, name.ValueString())
		counts.ADMSessionsEnded = int64(ended)
		outcome("ADM", "session", name, target.adm, ended, err)
	}
	if id := names.ClusterUserID; !id.IsNull() && target.cluster != nil {
		ended, err := target.cluster.EndSessions(ctx, id.ValueString())
		counts.ClusterSessionsEnded = int64(ended)
		outcome("Dynatrace cluster", "session", id, target.cluster, ended, err)
	}
	if name := names.NimbleUsername; !name.IsNull() && target.nimble != nil {
		revoked, err := target.nimble.RevokeUserTokens(ctx, name.ValueString())
		counts.NimbleTokensRevoked = int64(revoked)
		outcome("Nimble", "session token", name, target.nimble, revoked, err)
	}
	return counts, outcomes
}

// reportIncomplete adds one error listing what was ended and what was not when any
// plane failed, closed by next (what the user does about it), and reports whether one
// did.
func (r signoutResult) reportIncomplete(next string, diags *diag.Diagnostics) bool {
	var ended, notEnded []string
	for _, o := range r.outcomes {
		if o.err == nil || o.ended > 0 {
			ended = append(ended, "  - "+o.plane+" on "+o.where+": "+o.endedText())
		}
		if o.err != nil {
			notEnded = append(notEnded, "  - "+o.plane+" on "+o.where+": "+o.noun+"s of "+o.owner+": "+o.err.Error())
		}
	}
	if len(notEnded) == 0 {
		return false
	}
	detail := "Not ended:\n" + strings.Join(notEnded, "\n")
	if len(ended) > 0 {
		detail = "Ended:\n" + strings.Join(ended, "\n") + "\n\n" + detail
	}
	diags.AddError("Sign-out incomplete", detail+"\n\n"+next)
	return true
}
