// Package provider is the Terraform glue of accessplane: schemas, plan-time checks and
// the mapping between Terraform values and the typed API clients. It builds no URL and
// no JSON payload; the clients in internal/nitro, internal/cluster and internal/nimble do.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var (
	_ provider.Provider                       = &accessplaneProvider{}
	_ provider.ProviderWithEphemeralResources = &accessplaneProvider{}
	_ provider.ProviderWithActions            = &accessplaneProvider{}
	_ provider.ProviderWithListResources      = &accessplaneProvider{}
)

// New returns a constructor for the provider at the given release version.
func New(version string) func() provider.Provider {
	return NewProcess(version).Provider
}

type accessplaneProvider struct {
	version string
	process *Process
}

func (p *accessplaneProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "accessplane"
	resp.Version = p.version
}

func backendSchema(description string, withCredentials bool, envPrefix string) schema.SingleNestedAttribute {
	attributes := map[string]schema.Attribute{
		"endpoint": schema.StringAttribute{
			MarkdownDescription: "Base URL of the API: scheme, host and optional port, no path. Falls back to `" + envPrefix + "_ENDPOINT` in the top-level block only: an entry of `appliances` names its own.",
			Optional:            true,
			Validators:          []validator.String{endpointValidator()},
		},
		"insecure_skip_verify": schema.BoolAttribute{
			MarkdownDescription: "Skip TLS certificate verification. Only for test appliances with self-signed certificates; prefer `ca_certificate`. Falls back to `" + envPrefix + "_INSECURE`.",
			Optional:            true,
		},
		"ca_certificate": schema.StringAttribute{
			MarkdownDescription: "PEM-encoded CA certificate(s) to trust instead of the system roots, for example `file(\"ca.pem\")`. Falls back to `" + envPrefix + "_CA_CERTIFICATE` (the PEM itself, not a path).",
			Optional:            true,
			Validators:          []validator.String{pemValidator()},
		},
	}
	if withCredentials {
		attributes["username"] = schema.StringAttribute{
			MarkdownDescription: "User to sign in as. Falls back to `" + envPrefix + "_USERNAME`.",
			Optional:            true,
			Validators:          []validator.String{nonEmptyValidator()},
		}
		attributes["password"] = schema.StringAttribute{
			MarkdownDescription: "Password of `username`. Falls back to `" + envPrefix + "_PASSWORD`.",
			Optional:            true,
			Sensitive:           true,
			Validators:          []validator.String{nonEmptyValidator()},
		}
	} else {
		attributes["api_token"] = schema.StringAttribute{
			MarkdownDescription: "Cluster API token with the `ServiceProviderAPI` permission. Falls back to `" + envPrefix + "_API_TOKEN`.",
			Optional:            true,
			Sensitive:           true,
			Validators:          []validator.String{nonEmptyValidator()},
		}
	}
	return schema.SingleNestedAttribute{MarkdownDescription: description, Optional: true, Attributes: attributes}
}

// applianceBlocks are one appliance's settings, the top-level blocks and each entry
// of appliances alike.
func applianceBlocks() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"adm":     backendSchema("Citrix ADM / NetScaler MAS (NITRO API). Needed by `accessplane_mpsuser`, `accessplane_mpssession` and their data sources, `accessplane_adm_login`, and `adm_username` of `accessplane_user_signout` and `accessplane_user_signins`.", true, "ACCESSPLANE_ADM"),
		"cluster": backendSchema("Dynatrace Managed cluster (Cluster API v2). Needed by `accessplane_cluster_user_sessions`, `accessplane_cluster_sessions` and `cluster_user_id` of `accessplane_user_signout` and `accessplane_user_signins`.", false, "ACCESSPLANE_CLUSTER"),
		"nimble":  backendSchema("HPE Nimble Storage array (REST API v1). Needed by `accessplane_tokens`, `accessplane_token` and `nimble_username` of `accessplane_user_signout` and `accessplane_user_signins`.", true, "ACCESSPLANE_NIMBLE"),
	}
}

func (p *accessplaneProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Governs who can sign in to management planes, and for how long: Citrix ADM / NetScaler MAS " +
			"users and sessions (NITRO API), the Dynatrace Managed cluster's user-session policy and live sessions (Cluster API v2) and " +
			"HPE Nimble Storage session tokens (REST API v1). Every backend is optional; configure the ones you use.",
		Attributes: map[string]schema.Attribute{
			"adm":     applianceBlocks()["adm"],
			"cluster": applianceBlocks()["cluster"],
			"nimble":  applianceBlocks()["nimble"],
			"appliances": schema.MapNestedAttribute{
				MarkdownDescription: "More appliances, by name (" + applianceNameRule + "; `default` is reserved: it names the " +
					"top-level `adm`, `cluster` and `nimble` blocks). Each entry holds any of `adm`, `cluster` and `nimble`, with " +
					"the attributes of the top-level blocks; resources, data sources and list resources choose one with " +
					"`appliance`. A credential an entry leaves out comes from its plane's environment variable " +
					"(`ACCESSPLANE_ADM_USERNAME`, …); an entry's endpoint never comes from the environment. `request_timeout` and " +
					"`max_retries` apply to every appliance. The provider signs in to an appliance only when something uses it.",
				Optional:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: applianceBlocks()},
				Validators: []validator.Map{mapvalidator.KeysAre(applianceNameValidator(),
					stringvalidator.NoneOf(defaultAppliance))},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Timeout of each HTTP attempt, as a Go duration (`30s`, `2m`). Defaults to `30s`. Falls back to `ACCESSPLANE_REQUEST_TIMEOUT`.",
				Optional:            true,
				Validators:          []validator.String{durationValidator()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How often a failed idempotent call (connection error, 429, 5xx) is retried, with exponential backoff and jitter. 0 to 10, default 4. Falls back to `ACCESSPLANE_MAX_RETRIES`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
		},
	}
}

func (p *accessplaneProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	rejectUnknown(req.Config.Raw, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := newProviderData(config, p.process, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	p.process.opened(data)
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

func (p *accessplaneProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newMPSUserResource,
		newClusterUserSessionsResource,
		newMPSSessionResource,
		newUserSignoutResource,
	}
}

func (p *accessplaneProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newMPSUserDataSource,
		newMPSUsersDataSource,
		newClusterUserSessionsDataSource,
		newMPSSessionDataSource,
		newMPSSessionsDataSource,
		newTokensDataSource,
		newTokenDataSource,
		newClusterSessionsDataSource,
		newUserSigninsDataSource,
	}
}

func (p *accessplaneProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		newMPSUserListResource,
		newMPSSessionListResource,
	}
}

func (p *accessplaneProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newADMLoginEphemeralResource,
	}
}

func (p *accessplaneProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		newUserSignoutAction,
	}
}
