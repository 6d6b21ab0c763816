package provider

import (
	"context"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The sign-out exists twice, as the resource accessplane_user_signout (any Terraform,
// OpenTofu) and as the action of the same name (Terraform 1.14+). Both are built from
// this file: the identifiers' descriptions and checks, the backend check at plan time,
// the sign-out itself and its error.

const userSignoutTypeName = "accessplane_user_signout"

// signoutIdentifier is an argument that names the person on one plane.
type signoutIdentifier struct {
	attribute   string
	backend     backend
	description string
	validators  []validator.String
}

var signoutIdentifiers = []signoutIdentifier{
	{
		attribute:   "adm_username",
		backend:     admBackend,
		description: "ADM user name (1 to 128 characters) whose sessions to end. Needs the provider's `adm` block.",
		validators:  []validator.String{charactersBetween(1, 128), filterValueValidator()},
	},
	{
		attribute:   "cluster_user_id",
		backend:     clusterBackend,
		description: "Dynatrace user id whose cluster and environment sessions to end, " + clusterUserIDRule + " Needs the provider's `cluster` block.",
		validators:  []validator.String{clusterUserIDValidator()},
	},
	{
		attribute:   "nimble_username",
		backend:     nimbleBackend,
		description: "Nimble user name (1 to 104 printable characters) whose session tokens to end. Needs the provider's `nimble` block.",
		validators:  []validator.String{charactersBetween(1, 104), printableValidator()},
	},
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
// them.
type signoutNames struct {
	ADMUsername    types.String `tfsdk:"adm_username"`
	ClusterUserID  types.String `tfsdk:"cluster_user_id"`
	NimbleUsername types.String `tfsdk:"nimble_username"`
}

// checkSignoutBackends reports, at plan time and on the argument itself, an identifier
// whose backend is not configured. It does nothing before the provider is configured.
func (h *providerDataHolder) checkSignoutBackends(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	if !h.ready() {
		return
	}
	configured := map[string]bool{"adm": h.data.adm != nil, "cluster": h.data.cluster != nil, "nimble": h.data.nimble != nil}
	for _, identifier := range signoutIdentifiers {
		var value types.String
		diags.Append(config.GetAttribute(ctx, path.Root(identifier.attribute), &value)...)
		if !value.IsNull() && !configured[identifier.backend.block] {
			summary, detail := identifier.backend.notConfigured(userSignoutTypeName + "." + identifier.attribute)
			diags.AddAttributeError(path.Root(identifier.attribute), summary, detail)
		}
	}
}

// planeOutcome is what one plane's sign-out did.
type planeOutcome struct {
	plane string // "ADM", …
	where string // the appliance's host and port, for the error a fleet reads
	noun  string // "session", "session token"
	owner string // the identifier, quoted
	ended int
	err   error
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
	if o.err != nil {
		return o.plane + ": ended " + o.endedText() + ", but not all: " + o.err.Error()
	}
	return o.plane + ": ended " + o.endedText()
}

// signoutResult is what a sign-out did on each plane it was asked to act on.
type signoutResult struct {
	admEnded, clusterEnded, nimbleEnded int
	outcomes                            []planeOutcome
}

// signOut ends the person's sessions on every plane named in names, never the
// provider's own (the clients skip them), and calls done with each plane's outcome as
// soon as that plane is finished. Every plane is tried even when an earlier one
// failed: in an incident, ending what can be ended matters more than stopping early.
// A backend that is not configured adds an error to diags.
func (h *providerDataHolder) signOut(ctx context.Context, names signoutNames, done func(planeOutcome), diags *diag.Diagnostics) signoutResult {
	var result signoutResult
	record := func(o planeOutcome) {
		result.outcomes = append(result.outcomes, o)
		if done != nil {
			done(o)
		}
	}
	if name := names.ADMUsername; !name.IsNull() {
		if client := h.admClient(userSignoutTypeName, diags); client != nil {
			ended, err := client.EndUserSessions(ctx, name.ValueString())
			result.admEnded = ended
			record(planeOutcome{"ADM", client.Endpoint(), "session", quote(name.ValueString()), ended, err})
		}
	}
	if id := names.ClusterUserID; !id.IsNull() {
		if client := h.clusterClient(userSignoutTypeName, diags); client != nil {
			ended, err := client.EndSessions(ctx, id.ValueString())
			result.clusterEnded = ended
			record(planeOutcome{"Dynatrace cluster", client.Endpoint(), "session", quote(id.ValueString()), ended, err})
		}
	}
	if name := names.NimbleUsername; !name.IsNull() {
		if client := h.nimbleClient(userSignoutTypeName, diags); client != nil {
			revoked, err := client.RevokeUserTokens(ctx, name.ValueString())
			result.nimbleEnded = revoked
			record(planeOutcome{"Nimble", client.Endpoint(), "session token", quote(name.ValueString()), revoked, err})
		}
	}
	return result
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
