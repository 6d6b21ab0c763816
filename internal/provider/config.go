package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

const maxRetriesLimit = 10

type providerModel struct {
	applianceModel
	Appliances     types.Map    `tfsdk:"appliances"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
}

// applianceModel is one appliance's settings: the top-level blocks (the appliance
// "default") or one entry of appliances.
type applianceModel struct {
	ADM     *credentialBackendModel `tfsdk:"adm"`
	Cluster *tokenBackendModel      `tfsdk:"cluster"`
	Nimble  *credentialBackendModel `tfsdk:"nimble"`
}

type credentialBackendModel struct {
	Endpoint           types.String `tfsdk:"endpoint"`
	Username           types.String `tfsdk:"username"`
	Password           types.String `tfsdk:"password"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	CACertificate      types.String `tfsdk:"ca_certificate"`
}

type tokenBackendModel struct {
	Endpoint           types.String `tfsdk:"endpoint"`
	APIToken           types.String `tfsdk:"api_token"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	CACertificate      types.String `tfsdk:"ca_certificate"`
}

// backend names a provider block and the environment variables behind it, for
// diagnostics that tell the user exactly what to set.
type backend struct {
	block       string
	envPrefix   string
	credentials []string
}

var (
	admBackend     = backend{block: "adm", envPrefix: "ACCESSPLANE_ADM", credentials: []string{"username", "password"}}
	clusterBackend = backend{block: "cluster", envPrefix: "ACCESSPLANE_CLUSTER", credentials: []string{"api_token"}}
	nimbleBackend  = backend{block: "nimble", envPrefix: "ACCESSPLANE_NIMBLE", credentials: []string{"username", "password"}}
)

func (b backend) env(attribute string) string {
	return b.envPrefix + "_" + strings.ToUpper(attribute)
}

func (b backend) envList(withEndpoint bool) string {
	var names []string
	if withEndpoint {
		names = append(names, b.env("endpoint"))
	}
	for _, c := range b.credentials {
		names = append(names, b.env(c))
	}
	return strings.Join(names, ", ")
}

// applianceSource is where an appliance's settings live: the top-level blocks (the
// appliance "default") or appliances[name]. It says where a setting comes from in
// diagnostics, and whether the endpoint may come from the environment: an entry's
// never does, or every entry without one would silently talk to the same appliance.
type applianceSource struct {
	name string
	path path.Path
}

var defaultSource = applianceSource{name: defaultAppliance, path: path.Empty()}

func entrySource(name string) applianceSource {
	return applianceSource{name: name, path: path.Root("appliances").AtMapKey(name)}
}

func (src applianceSource) isDefault() bool { return src.name == defaultAppliance }

// block is the block of backend b as a user writes it: adm, or appliances["x"].adm.
func (src applianceSource) block(b backend) string { return src.path.AtName(b.block).String() }

// notConfigured is the diagnostic for a type used on an appliance without b's settings.
func (src applianceSource) notConfigured(b backend, typeName string) (string, string) {
	if src.isDefault() {
		return "Provider block \"" + b.block + "\" not configured",
			fmt.Sprintf("%s needs the provider's %q settings: set %s = { endpoint = …, %s = … } in the provider "+
				"configuration, or the environment variables %s.",
				typeName, b.block, b.block, strings.Join(b.credentials, " = …, "), b.envList(true))
	}
	return fmt.Sprintf("Appliance %q has no %q settings", src.name, b.block),
		fmt.Sprintf("%s needs %s = { endpoint = … } in the provider configuration (%s may come from %s).",
			typeName, src.block(b), strings.Join(b.credentials, " and "), b.envList(false))
}

// setting is a configured value, or else the environment variable's.
func setting(value types.String, env string) string {
	if !value.IsNull() && !value.IsUnknown() {
		return value.ValueString()
	}
	return os.Getenv(env)
}

// providerData is what resources and data sources receive from Configure: the
// clients of every configured appliance by name ("default" for the top-level
// blocks) and the process's clock. Clients sign in lazily, so an appliance that no
// resource uses costs no request.
type providerData struct {
	appliances map[string]*applianceClients
	now        func() time.Time
}

// applianceClients are one appliance's clients: one per configured backend, nil for
// the others.
type applianceClients struct {
	source  applianceSource
	adm     *nitro.Client
	cluster *cluster.Client
	nimble  *nimble.Client
}

func newProviderData(config providerModel, process *Process, diags *diag.Diagnostics) *providerData {
	entries := map[string]applianceModel{}
	if !config.Appliances.IsNull() {
		diags.Append(config.Appliances.ElementsAs(context.Background(), &entries, false)...)
	}
	common := commonTransport(config, process.version, diags)
	common.WrapTransport = process.wrapTransport
	now := process.now
	if diags.HasError() {
		return nil
	}
	data := &providerData{now: now, appliances: make(map[string]*applianceClients, len(entries)+1)}
	data.appliances[defaultAppliance] = newApplianceClients(config.applianceModel, defaultSource, common, now, diags)
	for name, entry := range entries {
		data.appliances[name] = newApplianceClients(entry, entrySource(name), common, now, diags)
	}
	return data
}

func newApplianceClients(model applianceModel, src applianceSource, common transport.Config, now func() time.Time, diags *diag.Diagnostics) *applianceClients {
	clients := &applianceClients{source: src}
	if !src.isDefault() {
		common.Name = src.name
	}
	if cfg, username, password, ok := credentialBackend(model.ADM, admBackend, src, common, diags); ok {
		client, err := nitro.New(nitro.Config{Transport: cfg, Username: username, Password: password, Now: now})
		addClientError(diags, src, admBackend, err)
		clients.adm = client
	}
	if cfg, username, password, ok := credentialBackend(model.Nimble, nimbleBackend, src, common, diags); ok {
		client, err := nimble.New(nimble.Config{Transport: cfg, Username: username, Password: password})
		addClientError(diags, src, nimbleBackend, err)
		clients.nimble = client
	}
	if cfg, token, ok := tokenBackend(model.Cluster, src, common, diags); ok {
		client, err := cluster.New(cluster.Config{Transport: cfg, APIToken: token})
		addClientError(diags, src, clusterBackend, err)
		clients.cluster = client
	}
	return clients
}

// rejectUnknown stops a configuration whose provider settings are known only after
// apply (say, an endpoint from another resource): guessing from the environment
// instead would plan against the wrong appliance. It walks the raw configuration, the
// top-level blocks and every entry of appliances alike, before it is decoded, and
// names the outermost setting that is unknown.
func rejectUnknown(config tftypes.Value, diags *diag.Diagnostics) {
	_ = tftypes.Walk(config, func(at *tftypes.AttributePath, value tftypes.Value) (bool, error) {
		if value.IsKnown() {
			return true, nil
		}
		p := path.Empty()
		for _, step := range at.Steps() {
			switch step := step.(type) {
			case tftypes.AttributeName:
				p = p.AtName(string(step))
			case tftypes.ElementKeyString:
				p = p.AtMapKey(string(step))
			}
		}
		diags.AddAttributeError(p, "Provider setting known only after apply",
			p.String()+" depends on a value that is known only after apply. Configure the provider with values known at plan time, or apply the resources it depends on first (terraform apply -target=…).")
		return false, nil
	})
}

func addClientError(diags *diag.Diagnostics, src applianceSource, b backend, err error) {
	if err != nil {
		from := "the " + src.block(b) + " block"
		if src.isDefault() {
			from += " or " + b.envPrefix + "_* environment variables"
		}
		diags.AddAttributeError(src.path.AtName(b.block), "Invalid "+src.block(b)+" settings", err.Error()+" (from "+from+")")
	}
}

func commonTransport(config providerModel, version string, diags *diag.Diagnostics) transport.Config {
	cfg := transport.Config{
		Timeout:    transport.DefaultTimeout,
		MaxRetries: transport.DefaultMaxRetries,
		UserAgent:  "terraform-provider-accessplane/" + version,
	}
	if raw := setting(config.RequestTimeout, "ACCESSPLANE_REQUEST_TIMEOUT"); raw != "" {
		timeout, err := parsePositiveDuration(raw)
		if err != nil {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", err.Error()+" (from request_timeout or ACCESSPLANE_REQUEST_TIMEOUT)")
		}
		cfg.Timeout = timeout
	}
	switch {
	case !config.MaxRetries.IsNull() && !config.MaxRetries.IsUnknown():
		cfg.MaxRetries = int(config.MaxRetries.ValueInt64())
	case os.Getenv("ACCESSPLANE_MAX_RETRIES") != "":
		n, err := strconv.Atoi(os.Getenv("ACCESSPLANE_MAX_RETRIES"))
		if err != nil || n < 0 || n > maxRetriesLimit {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid max_retries", fmt.Sprintf("ACCESSPLANE_MAX_RETRIES must be a whole number from 0 to %d, got %q.", maxRetriesLimit, os.Getenv("ACCESSPLANE_MAX_RETRIES")))
		}
		cfg.MaxRetries = n
	}
	return cfg
}

func parsePositiveDuration(raw string) (time.Duration, error) {
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration such as \"30s\" or \"2m\"", raw)
	}
	return d, nil
}

// tlsSettings resolves the TLS and endpoint settings shared by every backend.
func tlsSettings(b backend, src applianceSource, endpoint types.String, insecure types.Bool, ca types.String, common transport.Config, diags *diag.Diagnostics) (transport.Config, bool) {
	cfg := common
	cfg.Endpoint = endpoint.ValueString()
	if src.isDefault() {
		cfg.Endpoint = setting(endpoint, b.env("endpoint"))
	}
	if cfg.Endpoint == "" {
		return cfg, false
	}
	at := src.path.AtName(b.block)
	if _, err := transport.ParseEndpoint(cfg.Endpoint); err != nil {
		from := at.AtName("endpoint").String()
		if src.isDefault() {
			from += " or " + b.env("endpoint")
		}
		diags.AddAttributeError(at.AtName("endpoint"), "Invalid "+src.block(b)+" endpoint", err.Error()+" (from "+from+")")
		return cfg, false
	}
	switch {
	case !insecure.IsNull() && !insecure.IsUnknown():
		cfg.InsecureSkipVerify = insecure.ValueBool()
	case os.Getenv(b.env("insecure")) != "":
		value, err := strconv.ParseBool(os.Getenv(b.env("insecure")))
		if err != nil {
			diags.AddAttributeError(at.AtName("insecure_skip_verify"), "Invalid "+b.env("insecure"), fmt.Sprintf("%s must be true or false, got %q.", b.env("insecure"), os.Getenv(b.env("insecure"))))
		}
		cfg.InsecureSkipVerify = value
	}
	cfg.CACertificatePEM = setting(ca, b.env("ca_certificate"))
	return cfg, true
}

func credentialBackend(model *credentialBackendModel, b backend, src applianceSource, common transport.Config, diags *diag.Diagnostics) (transport.Config, string, string, bool) {
	if model == nil {
		model = &credentialBackendModel{}
	}
	cfg, ok := tlsSettings(b, src, model.Endpoint, model.InsecureSkipVerify, model.CACertificate, common, diags)
	if !ok {
		requireEndpointIfSet(b, src, model.Username.IsNull() && model.Password.IsNull() && model.CACertificate.IsNull(), cfg, diags)
		return cfg, "", "", false
	}
	username := setting(model.Username, b.env("username"))
	password := setting(model.Password, b.env("password"))
	requireSetting(diags, b, src, "username", username)
	requireSetting(diags, b, src, "password", password)
	return cfg, username, password, username != "" && password != ""
}

func tokenBackend(model *tokenBackendModel, src applianceSource, common transport.Config, diags *diag.Diagnostics) (transport.Config, string, bool) {
	if model == nil {
		model = &tokenBackendModel{}
	}
	cfg, ok := tlsSettings(clusterBackend, src, model.Endpoint, model.InsecureSkipVerify, model.CACertificate, common, diags)
	if !ok {
		requireEndpointIfSet(clusterBackend, src, model.APIToken.IsNull() && model.CACertificate.IsNull(), cfg, diags)
		return cfg, "", false
	}
	token := setting(model.APIToken, clusterBackend.env("api_token"))
	requireSetting(diags, clusterBackend, src, "api_token", token)
	return cfg, token, token != ""
}

// requireEndpointIfSet flags a block that sets credentials but no endpoint: without
// it the settings would be silently ignored.
func requireEndpointIfSet(b backend, src applianceSource, blockEmpty bool, cfg transport.Config, diags *diag.Diagnostics) {
	if cfg.Endpoint != "" || blockEmpty {
		return
	}
	detail := "The " + src.block(b) + " block sets credentials but no endpoint. Set " + src.block(b) + ".endpoint"
	if src.isDefault() {
		detail += " or " + b.env("endpoint")
	}
	diags.AddAttributeError(src.path.AtName(b.block).AtName("endpoint"), "Missing "+src.block(b)+" endpoint", detail+".")
}

func requireSetting(diags *diag.Diagnostics, b backend, src applianceSource, attribute, value string) {
	if value == "" {
		diags.AddAttributeError(src.path.AtName(b.block).AtName(attribute), "Missing "+src.block(b)+" "+attribute,
			fmt.Sprintf("The %s endpoint is set, so %s.%s is required. Set it in the provider configuration or in %s.", src.block(b), src.block(b), attribute, b.env(attribute)))
	}
}
