package provider

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// A fleet is many appliances in one provider configuration (DESIGN.md "Fleets"):
// the top-level blocks are the appliance "default", and appliances holds the others
// by name. Every type takes the argument `appliance`, declared and resolved here
// once: its description and name rule, its attribute in each schema package, and the
// one resolver from a name to the appliance's clients.

const (
	defaultAppliance   = "default"
	applianceAttribute = "appliance"
)

var pathAppliance = path.Root(applianceAttribute)

// applianceNamePattern is the rule for appliance names: short, and safe in an import
// id's "@<appliance>" suffix and in a for_each key.
var applianceNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

const applianceNameRule = "1 to 63 characters of a-z, 0-9, `-`, `_` and `.`, starting with a letter or digit"

func applianceNameValidator() validator.String {
	return stringvalidator.RegexMatches(applianceNamePattern, "must be an appliance name: "+strings.ReplaceAll(applianceNameRule, "`", ""))
}

const applianceDescription = "Name of the appliance to use: an entry of the provider's `appliances`, or `default` " +
	"(the provider's top-level `adm`, `cluster` and `nimble` blocks), which is also what leaving it out means."

// applianceResourceAttribute is `appliance` on a resource. It is computed so that the
// state always names the appliance ("default" when the configuration leaves it
// out), and a change of appliance replaces the object: it is another object on
// another appliance.
func applianceResourceAttribute() rschema.StringAttribute {
	return rschema.StringAttribute{
		MarkdownDescription: applianceDescription + " Changing it replaces the resource; `null` and `\"default\"` are the same appliance.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{applianceNameValidator()},
		PlanModifiers:       []planmodifier.String{appliancePlanModifier{}},
	}
}

func applianceDataSourceAttribute() dschema.StringAttribute {
	return dschema.StringAttribute{MarkdownDescription: applianceDescription, Optional: true, Validators: []validator.String{applianceNameValidator()}}
}

func applianceEphemeralAttribute() eschema.StringAttribute {
	return eschema.StringAttribute{MarkdownDescription: applianceDescription, Optional: true, Validators: []validator.String{applianceNameValidator()}}
}

func applianceListAttribute() listschema.StringAttribute {
	return listschema.StringAttribute{MarkdownDescription: applianceDescription, Optional: true, Validators: []validator.String{applianceNameValidator()}}
}

// appliancePlanModifier plans "default" for an appliance left out of the
// configuration, and replacement when the appliance changes. A state without the
// attribute (written before fleets) is on the default appliance.
type appliancePlanModifier struct{}

func (appliancePlanModifier) Description(context.Context) string {
	return "Defaults to \"default\"; changing the appliance replaces the resource."
}

func (m appliancePlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (appliancePlanModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = types.StringValue(defaultAppliance)
	}
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || resp.PlanValue.IsUnknown() {
		return
	}
	resp.RequiresReplace = resp.PlanValue.ValueString() != applianceName(req.StateValue)
}

// applianceName is the appliance an `appliance` value names: null means "default".
func applianceName(value types.String) string {
	if value.IsNull() || value.ValueString() == "" {
		return defaultAppliance
	}
	return value.ValueString()
}

// attributeReader is a configuration, plan or state: whatever holds `appliance`.
type attributeReader interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

// appliance resolves the `appliance` of from to that appliance's clients; nil means
// the name is not known yet (plan time).
func (h *providerDataHolder) appliance(ctx context.Context, from attributeReader, diags *diag.Diagnostics) *applianceClients {
	var value types.String
	diags.Append(from.GetAttribute(ctx, pathAppliance, &value)...)
	if diags.HasError() || value.IsUnknown() {
		return nil
	}
	return h.named(applianceName(value), pathAppliance, diags)
}

// named is the appliance of that name. An unknown name is an error on the argument at
// p that lists the names configured. Before the provider is configured, every name
// has no planes, so each client asked for reports the missing settings.
func (h *providerDataHolder) named(name string, p path.Path, diags *diag.Diagnostics) *applianceClients {
	if h.data == nil {
		return &applianceClients{source: defaultSource}
	}
	if clients, ok := h.data.appliances[name]; ok {
		return clients
	}
	diags.AddAttributeError(p, "Unknown appliance "+quote(name),
		"The provider configuration has no appliance named "+quote(name)+". Configured: "+h.data.namesList()+
			". Add it to the provider's appliances, or correct the name.")
	return nil
}

// names are the configured appliances' names, sorted, "default" first.
func (d *providerData) names() []string {
	names := make([]string, 0, len(d.appliances))
	for name := range d.appliances {
		if name != defaultAppliance {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return append([]string{defaultAppliance}, names...)
}

// namesListLimit keeps an error about a fleet of hundreds readable.
const namesListLimit = 20

func (d *providerData) namesList() string {
	names := d.names()
	quoted := make([]string, 0, namesListLimit+1)
	for i, name := range names {
		if i == namesListLimit {
			quoted = append(quoted, "and "+strconv.Itoa(len(names)-namesListLimit)+" more")
			break
		}
		quoted = append(quoted, quote(name))
	}
	return strings.Join(quoted, ", ")
}

// planeClient is the client of backend b on appliance clients, or an error naming
// the settings to add. nil without an error while the appliance is not known yet.
func planeClient[C any](clients *applianceClients, b backend, typeName string, pick func(*applianceClients) *C, diags *diag.Diagnostics) *C {
	if clients == nil {
		return nil
	}
	client := pick(clients)
	if client == nil {
		diags.AddError(clients.source.notConfigured(b, typeName))
	}
	return client
}

func admOf(clients *applianceClients, typeName string, diags *diag.Diagnostics) *nitro.Client {
	return planeClient(clients, admBackend, typeName, func(a *applianceClients) *nitro.Client { return a.adm }, diags)
}

func clusterOf(clients *applianceClients, typeName string, diags *diag.Diagnostics) *cluster.Client {
	return planeClient(clients, clusterBackend, typeName, func(a *applianceClients) *cluster.Client { return a.cluster }, diags)
}

func nimbleOf(clients *applianceClients, typeName string, diags *diag.Diagnostics) *nimble.Client {
	return planeClient(clients, nimbleBackend, typeName, func(a *applianceClients) *nimble.Client { return a.nimble }, diags)
}

// admClient is the NITRO client of the appliance that from names.
func (h *providerDataHolder) admClient(ctx context.Context, from attributeReader, typeName string, diags *diag.Diagnostics) *nitro.Client {
	return admOf(h.appliance(ctx, from, diags), typeName, diags)
}

// clusterClient is the Cluster API client of the appliance that from names.
func (h *providerDataHolder) clusterClient(ctx context.Context, from attributeReader, typeName string, diags *diag.Diagnostics) *cluster.Client {
	return clusterOf(h.appliance(ctx, from, diags), typeName, diags)
}

// nimbleClient is the Nimble client of the appliance that from names.
func (h *providerDataHolder) nimbleClient(ctx context.Context, from attributeReader, typeName string, diags *diag.Diagnostics) *nimble.Client {
	return nimbleOf(h.appliance(ctx, from, diags), typeName, diags)
}
