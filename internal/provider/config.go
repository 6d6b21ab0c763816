package provider

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/cluster"
	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

const maxRetriesLimit = 10

type providerModel struct {
	ADM            *credentialBackendModel `tfsdk:"adm"`
	Cluster        *tokenBackendModel      `tfsdk:"cluster"`
	Nimble         *credentialBackendModel `tfsdk:"nimble"`
	RequestTimeout types.String            `tfsdk:"request_timeout"`
	MaxRetries     types.Int64             `tfsdk:"max_retries"`
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

func (b backend) envList() string {
	names := []string{b.env("endpoint")}
	for _, c := range b.credentials {
		names = append(names, b.env(c))
	}
	return strings.Join(names, ", ")
}

// notConfigured is the diagnostic for a resource whose backend has no settings.
func (b backend) notConfigured(typeName string) (string, string) {
	return "Provider block \"" + b.block + "\" not configured",
		fmt.Sprintf("%s needs the provider's %q settings: set %s = { endpoint = …, %s = … } in the provider "+
			"configuration, or the environment variables %s.",
			typeName, b.block, b.block, strings.Join(b.credentials, " = …, "), b.envList())
}

// setting is a configured value, or else the environment variable's.
func setting(value types.String, env string) string {
	if !value.IsNull() && !value.IsUnknown() {
		return value.ValueString()
	}
	return os.Getenv(env)
}

// providerData is what resources and data sources receive from Configure: one client
// per configured backend, nil for the others, and the process's clock. Clients sign
// in lazily.
type providerData struct {
	adm     *nitro.Client
	cluster *cluster.Client
	nimble  *nimble.Client
	now     func() time.Time
}

func newProviderData(config providerModel, version string, now func() time.Time, diags *diag.Diagnostics) *providerData {
	rejectUnknown(config, diags)
	if diags.HasError() {
		return nil
	}
	common := commonTransport(config, version, diags)
	data := &providerData{now: now}
	if cfg, username, password, ok := credentialBackend(config.ADM, admBackend, common, diags); ok {
		client, err := nitro.New(nitro.Config{Transport: cfg, Username: username, Password: password, Now: now})
		addClientError(diags, admBackend, err)
		data.adm = client
	}
	if cfg, username, password, ok := credentialBackend(config.Nimble, nimbleBackend, common, diags); ok {
		client, err := nimble.New(nimble.Config{Transport: cfg, Username: username, Password: password})
		addClientError(diags, nimbleBackend, err)
		data.nimble = client
	}
	if cfg, token, ok := tokenBackend(config.Cluster, common, diags); ok {
		client, err := cluster.New(cluster.Config{Transport: cfg, APIToken: token})
		addClientError(diags, clusterBackend, err)
		data.cluster = client
	}
	return data
}

// rejectUnknown stops a configuration whose provider settings are known only after
// apply (say, an endpoint from another resource): guessing from the environment
// instead would plan against the wrong appliance.
func rejectUnknown(config providerModel, diags *diag.Diagnostics) {
	check := func(p path.Path, v attr.Value) {
		if v.IsUnknown() {
			diags.AddAttributeError(p, "Provider setting known only after apply",
				p.String()+" depends on a value that is known only after apply. Configure the provider with values known at plan time, or apply the resources it depends on first (terraform apply -target=…).")
		}
	}
	check(path.Root("request_timeout"), config.RequestTimeout)
	check(path.Root("max_retries"), config.MaxRetries)
	for block, model := range map[string]*credentialBackendModel{"adm": config.ADM, "nimble": config.Nimble} {
		if model != nil {
			for name, v := range map[string]attr.Value{"endpoint": model.Endpoint, "username": model.Username, "password": model.Password, "insecure_skip_verify": model.InsecureSkipVerify, "ca_certificate": model.CACertificate} {
				check(path.Root(block).AtName(name), v)
			}
		}
	}
	if model := config.Cluster; model != nil {
		for name, v := range map[string]attr.Value{"endpoint": model.Endpoint, "api_token": model.APIToken, "insecure_skip_verify": model.InsecureSkipVerify, "ca_certificate": model.CACertificate} {
			check(path.Root("cluster").AtName(name), v)
		}
	}
}

func addClientError(diags *diag.Diagnostics, b backend, err error) {
	if err != nil {
		diags.AddAttributeError(path.Root(b.block), "Invalid "+b.block+" settings", err.Error()+" (from the "+b.block+" block or "+b.envPrefix+"_* environment variables)")
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
func tlsSettings(b backend, endpoint types.String, insecure types.Bool, ca types.String, common transport.Config, diags *diag.Diagnostics) (transport.Config, bool) {
	cfg := common
	cfg.Endpoint = setting(endpoint, b.env("endpoint"))
	if cfg.Endpoint == "" {
		return cfg, false
	}
	if _, err := transport.ParseEndpoint(cfg.Endpoint); err != nil {
		diags.AddAttributeError(path.Root(b.block).AtName("endpoint"), "Invalid "+b.block+" endpoint", err.Error()+" (from "+b.block+".endpoint or "+b.env("endpoint")+")")
		return cfg, false
	}
	switch {
	case !insecure.IsNull() && !insecure.IsUnknown():
		cfg.InsecureSkipVerify = insecure.ValueBool()
	case os.Getenv(b.env("insecure")) != "":
		value, err := strconv.ParseBool(os.Getenv(b.env("insecure")))
		if err != nil {
			diags.AddAttributeError(path.Root(b.block).AtName("insecure_skip_verify"), "Invalid "+b.env("insecure"), fmt.Sprintf("%s must be true or false, got %q.", b.env("insecure"), os.Getenv(b.env("insecure"))))
		}
		cfg.InsecureSkipVerify = value
	}
	cfg.CACertificatePEM = ca.ValueString()
	return cfg, true
}

func credentialBackend(model *credentialBackendModel, b backend, common transport.Config, diags *diag.Diagnostics) (transport.Config, string, string, bool) {
	if model == nil {
		model = &credentialBackendModel{}
	}
	cfg, ok := tlsSettings(b, model.Endpoint, model.InsecureSkipVerify, model.CACertificate, common, diags)
	if !ok {
		requireEndpointIfSet(b, model.Username.IsNull() && model.Password.IsNull() && model.CACertificate.IsNull(), cfg, diags)
		return cfg, "", "", false
	}
	username := setting(model.Username, b.env("username"))
	password := setting(model.Password, b.env("password"))
	requireSetting(diags, b, "username", username)
	requireSetting(diags, b, "password", password)
	return cfg, username, password, username != "" && password != ""
}

func tokenBackend(model *tokenBackendModel, common transport.Config, diags *diag.Diagnostics) (transport.Config, string, bool) {
	if model == nil {
		model = &tokenBackendModel{}
	}
	cfg, ok := tlsSettings(clusterBackend, model.Endpoint, model.InsecureSkipVerify, model.CACertificate, common, diags)
	if !ok {
		requireEndpointIfSet(clusterBackend, model.APIToken.IsNull() && model.CACertificate.IsNull(), cfg, diags)
		return cfg, "", false
	}
	token := setting(model.APIToken, clusterBackend.env("api_token"))
	requireSetting(diags, clusterBackend, "api_token", token)
	return cfg, token, token != ""
}

// requireEndpointIfSet flags a block that sets credentials but no endpoint: without
// it the settings would be silently ignored.
func requireEndpointIfSet(b backend, blockEmpty bool, cfg transport.Config, diags *diag.Diagnostics) {
	if cfg.Endpoint == "" && !blockEmpty {
		diags.AddAttributeError(path.Root(b.block).AtName("endpoint"), "Missing "+b.block+" endpoint",
			"The "+b.block+" block sets credentials but no endpoint. Set "+b.block+".endpoint or "+b.env("endpoint")+".")
	}
}

func requireSetting(diags *diag.Diagnostics, b backend, attribute, value string) {
	if value == "" {
		diags.AddAttributeError(path.Root(b.block).AtName(attribute), "Missing "+b.block+" "+attribute,
			fmt.Sprintf("The %s endpoint is set, so %s.%s is required. Set it in the provider configuration or in %s.", b.block, b.block, attribute, b.env(attribute)))
	}
}
