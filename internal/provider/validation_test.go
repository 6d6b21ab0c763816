package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// invalidConfig is a configuration that must fail at plan time with a diagnostic
// naming the attribute, before any request reaches an appliance.
type invalidConfig struct {
	name string
	// provider, when set, replaces the settings inside the provider block.
	provider string
	config   string
	expect   string
}

const validUser = `
resource "accessplane_mpsuser" "test" {
  name     = "valid"
  password = "Secret-123"
}
`

func userWith(attributes string) string {
	return "resource \"accessplane_mpsuser\" \"test\" {\n" + attributes + "\n}\n"
}

var long129 = strings.Repeat("x", 129)

// lengthError is the diagnostic of a length limit, which counts characters, however
// Terraform wraps it.
func lengthError(attribute, limit string) string {
	return wrapped("Attribute " + attribute + " UTF-8 character count must be " + limit)
}

var invalidConfigs = []invalidConfig{
	// accessplane_mpsuser
	{name: "empty name", config: userWith(`name = ""` + "\n" + `password = "p"`), expect: lengthError("name", "between 1 and 128")},
	{name: "long name", config: userWith(`name = "` + long129 + `"` + "\n" + `password = "p"`), expect: lengthError("name", "between 1 and 128, got: 129")},
	{name: "long CJK name", config: userWith(`name = "` + strings.Repeat("名", 129) + `"` + "\n" + `password = "p"`), expect: lengthError("name", "between 1 and 128, got: 129")},
	{name: "name with comma", config: userWith(`name = "Doe, Jane"` + "\n" + `password = "p"`), expect: `(?s)Invalid user name.*name: must not contain ','.*import them by name`},
	{name: "empty password", config: userWith(`name = "u"` + "\n" + `password = ""`), expect: lengthError("password", "between 1 and 128")},
	{name: "long password", config: userWith(`name = "u"` + "\n" + `password = "` + long129 + `"`), expect: lengthError("password", "between 1 and 128, got: 129")},
	{name: "long accented password", config: userWith(`name = "u"` + "\n" + `password = "` + strings.Repeat("é", 129) + `"`), expect: lengthError("password", "between 1 and 128, got: 129")},
	{name: "no password", config: userWith(`name = "u"`), expect: `(?s)Missing password.*password_wo`},
	{name: "no password, external auth false", config: userWith(`name = "u"` + "\n" + `external_authentication = false`), expect: `(?s)Missing password.*external_authentication = true`},
	{name: "version without password_wo", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `password_wo_version = 1`), expect: `Attribute "password_wo" must be specified when "password_wo_version" is\s+specified`},
	{name: "empty tenant_id", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `tenant_id = ""`), expect: lengthError("tenant_id", "between 1 and 128")},
	{name: "long tenant_id", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `tenant_id = "` + long129 + `"`), expect: lengthError("tenant_id", "between 1 and 128, got: 129")},
	{name: "long CJK mpsuser_name", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `mpsuser_name = "` + strings.Repeat("名", 129) + `"`), expect: lengthError("mpsuser_name", "at most 128, got: 129")},
	{name: "long mpsuser_name", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `mpsuser_name = "` + long129 + `"`), expect: lengthError("mpsuser_name", "at most 128, got: 129")},
	{name: "session_timeout without enable", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `session_timeout = 10`), expect: `session_timeout needs enable_session_timeout`},
	{name: "session_timeout zero", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `enable_session_timeout = true` + "\n" + `session_timeout = 0`), expect: `session_timeout must be at least 1`},
	{name: "session_timeout negative", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `enable_session_timeout = true` + "\n" + `session_timeout = -5`), expect: `Attribute session_timeout value must be at least 0, got: -5`},
	{name: "unknown session_timeout_unit", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `session_timeout_unit = "Days"`), expect: `Attribute session_timeout_unit value must be one of`},
	{name: "empty group", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `groups = [""]`), expect: lengthError(`groups[Value("")]`, "between 1 and 128")},
	{name: "unknown argument", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `role = "admin"`), expect: `An argument named "role" is not expected here`},
	// accessplane_mpsuser and accessplane_mpsusers data sources
	{name: "user lookup without id or name", config: `data "accessplane_mpsuser" "x" {}`, expect: `No attribute specified when one \(and only one\) of \[id,name\] is required`},
	{name: "user lookup with id and name", config: `data "accessplane_mpsuser" "x" {
  id   = "abc"
  name = "u"
}`, expect: `2 attributes specified when one \(and only one\) of \[id,name\] is required`},
	{name: "user id with slash", config: `data "accessplane_mpsuser" "x" { id = "a/b" }`, expect: `(?s)Invalid id.*id: must not contain '/'`},
	{name: "user id with question mark", config: `data "accessplane_mpsuser" "x" { id = "a?b" }`, expect: `(?s)Invalid id.*id: must not contain '\?'`},
	{name: "user id with percent", config: `data "accessplane_mpsuser" "x" { id = "a%25b" }`, expect: `(?s)Invalid id.*id: must not contain '%'`},
	{name: "user id with space", config: `data "accessplane_mpsuser" "x" { id = "a b" }`, expect: `(?s)Invalid id.*id: must not contain whitespace`},
	{name: "user name with comma", config: `data "accessplane_mpsuser" "x" { name = "a,b" }`, expect: `(?s)Invalid filter value.*name: must not contain ','`},
	{name: "users page_size zero", config: `data "accessplane_mpsusers" "x" { page_size = 0 }`, expect: `Attribute page_size value must be between 1 and 10000, got: 0`},
	{name: "users group with comma", config: `data "accessplane_mpsusers" "x" { group = "a,b" }`, expect: `(?s)Invalid filter value.*group: must not contain ','`},
	// accessplane_cluster_user_sessions
	{name: "negative user_limit", config: policyConfig(-1, 1, true, "900"), expect: `Attribute user_limit value must be at least 0, got: -1`},
	{name: "negative admin_limit", config: policyConfig(1, -2, true, "900"), expect: `Attribute admin_limit value must be at least 0, got: -2`},
	{name: "one limit unlimited", config: policyConfig(0, 5, true, "900"), expect: `(?s)Session limits must both be set or both be unlimited.*user_limit`},
	{name: "other limit unlimited", config: policyConfig(3, 0, true, "900"), expect: `(?s)Session limits must both be set or both be unlimited.*admin_limit`},
	{name: "logout without timeout", config: policyConfig(1, 1, true, ""), expect: `user_inactivity_timeout is required when logout_inactive_users_enabled is\s+true`},
	{name: "zero timeout", config: policyConfig(1, 1, true, "0"), expect: `Attribute user_inactivity_timeout value must be at least 1, got: 0`},
	{name: "cluster not configured", provider: `adm = { endpoint = "https://adm.example.net", username = "u", password = "p" }`, config: policyConfig(1, 1, true, "900"), expect: `(?s)Provider block "cluster" not configured.*ACCESSPLANE_CLUSTER_API_TOKEN`},
	// accessplane_tokens and accessplane_token
	{name: "token source_ip", config: `data "accessplane_tokens" "x" { source_ip = "300.1.1.1" }`, expect: `(?s)Invalid IP address.*source_ip: "300.1.1.1" is not an IPv4 address`},
	{name: "token username empty", config: `data "accessplane_tokens" "x" { username = "" }`, expect: lengthError("username", "between 1 and 104")},
	{name: "token id with slash", config: `data "accessplane_token" "x" { id = "../v1/arrays" }`, expect: `(?s)Invalid id.*id: must not contain '/'`},
	{name: "token id missing", config: `data "accessplane_token" "x" {}`, expect: `The argument "id" is required`},
	// accessplane_mpssession, accessplane_mpssessions
	{name: "session id with space", config: `resource "accessplane_mpssession" "x" { id = "a b" }`, expect: `(?s)Invalid id.*id: must not contain whitespace`},
	{name: "session id with slash", config: `resource "accessplane_mpssession" "x" { id = "../mpsuser" }`, expect: `(?s)Invalid id.*id: must not contain '/'`},
	{name: "session id empty", config: `resource "accessplane_mpssession" "x" { id = "" }`, expect: `(?s)Invalid id.*id: must not be empty`},
	{name: "session lookup id with percent", config: `data "accessplane_mpssession" "x" { id = "%2e%2e" }`, expect: `(?s)Invalid id.*id: must not contain '%'`},
	{name: "sessions filter with comma", config: `data "accessplane_mpssessions" "x" { username = "a,b" }`, expect: `(?s)Invalid filter value.*username: must not contain ','`},
	{name: "sessions filter empty", config: `data "accessplane_mpssessions" "x" { ip_address = "" }`, expect: lengthError("ip_address", "between 1 and 255")},
	// accessplane_user_signout and accessplane_cluster_sessions
	{name: "signout without identifier", config: `resource "accessplane_user_signout" "x" {}`, expect: `(?s)Missing Attribute Configuration.*At least one of these attributes must be configured:\s+\[adm_username,cluster_user_id,nimble_username\]`},
	{name: "signout with only triggers", config: `resource "accessplane_user_signout" "x" { triggers = { ticket = "SEC-1" } }`, expect: `(?s)At least one of these attributes must be configured:\s+\[adm_username,cluster_user_id,nimble_username\]`},
	{name: "signout adm without adm block", provider: `nimble = { endpoint = "https://array.example.net", username = "u", password = "p" }`, config: `resource "accessplane_user_signout" "x" { adm_username = "alice" }`, expect: `(?s)Provider block "adm" not configured.*accessplane_user_signout.adm_username needs the\s+provider's "adm" settings.*ACCESSPLANE_ADM_PASSWORD`},
	{name: "signout cluster without cluster block", provider: `adm = { endpoint = "https://adm.example.net", username = "u", password = "p" }`, config: `resource "accessplane_user_signout" "x" {
  adm_username    = "alice"
  cluster_user_id = "alice"
}`, expect: `(?s)Provider block "cluster" not configured.*cluster_user_id = "alice".*accessplane_user_signout.cluster_user_id needs.*ACCESSPLANE_CLUSTER_API_TOKEN`},
	{name: "signout nimble without nimble block", provider: `adm = { endpoint = "https://adm.example.net", username = "u", password = "p" }`, config: `resource "accessplane_user_signout" "x" { nimble_username = "alice" }`, expect: `(?s)Provider block "nimble" not configured.*accessplane_user_signout.nimble_username.*ACCESSPLANE_NIMBLE_ENDPOINT`},
	{name: "signout empty adm_username", config: `resource "accessplane_user_signout" "x" { adm_username = "" }`, expect: lengthError("adm_username", "between 1 and 128, got: 0")},
	{name: "signout long adm_username", config: `resource "accessplane_user_signout" "x" { adm_username = "` + long129 + `" }`, expect: lengthError("adm_username", "between 1 and 128, got: 129")},
	{name: "signout adm_username with comma", config: `resource "accessplane_user_signout" "x" { adm_username = "a,b" }`, expect: `(?s)Invalid filter value.*adm_username: must not contain ','`},
	{name: "signout empty nimble_username", config: `resource "accessplane_user_signout" "x" { nimble_username = "" }`, expect: lengthError("nimble_username", "between 1 and 104, got: 0")},
	{name: "signout long CJK nimble_username", config: `resource "accessplane_user_signout" "x" { nimble_username = "` + strings.Repeat("名", 105) + `" }`, expect: lengthError("nimble_username", "between 1 and 104, got: 105")},
	{name: "signout long nimble_username", config: `resource "accessplane_user_signout" "x" { nimble_username = "` + strings.Repeat("n", 105) + `" }`, expect: lengthError("nimble_username", "between 1 and 104, got: 105")},
	{name: "signout nimble_username with tab", config: `resource "accessplane_user_signout" "x" { nimble_username = "a\tb" }`, expect: `(?s)Invalid user name.*nimble_username: must hold printable characters only, not '\\t'`},
	{name: "signout empty cluster_user_id", config: `resource "accessplane_user_signout" "x" { cluster_user_id = "" }`, expect: `(?s)Invalid user id.*cluster_user_id: must not be empty`},
	{name: "signout long cluster_user_id", config: `resource "accessplane_user_signout" "x" { cluster_user_id = "` + strings.Repeat("u", 256) + `" }`, expect: `(?s)Invalid user id.*cluster_user_id: must be at most 255 characters`},
	{name: "signout cluster_user_id with space", config: `resource "accessplane_user_signout" "x" { cluster_user_id = "Alice Smith" }`, expect: `(?s)Invalid user id.*cluster_user_id: must not contain whitespace`},
	{name: "signout cluster_user_id with ampersand", config: `resource "accessplane_user_signout" "x" { cluster_user_id = "alice&userId=bob" }`, expect: `(?s)Invalid user id.*cluster_user_id: must not contain '&'`},
	{name: "signout cluster_user_id with slash", config: `resource "accessplane_user_signout" "x" { cluster_user_id = "corp/alice" }`, expect: `(?s)Invalid user id.*cluster_user_id: must not contain '/'`},
	{name: "signout triggers not a map of strings", config: `resource "accessplane_user_signout" "x" {
  adm_username = "alice"
  triggers     = "SEC-1"
}`, expect: `Inappropriate value for attribute "triggers": map of string\s+required`},
	{name: "cluster sessions user_id with equals", config: `data "accessplane_cluster_sessions" "x" { user_id = "a=b" }`, expect: `(?s)Invalid user id.*user_id: must not contain '='`},
	{name: "cluster sessions empty user_id", config: `data "accessplane_cluster_sessions" "x" { user_id = "" }`, expect: `(?s)Invalid user id.*user_id: must not be empty`},
	{name: "cluster sessions without cluster block", provider: `adm = { endpoint = "https://adm.example.net", username = "u", password = "p" }`, config: `data "accessplane_cluster_sessions" "x" {}`, expect: `(?s)Provider block "cluster" not configured.*data.accessplane_cluster_sessions needs`},
	{name: "end_sessions_on_destroy not a bool", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `end_sessions_on_destroy = "maybe"`), expect: `Inappropriate value for attribute "end_sessions_on_destroy": a bool is\s+required`},
	// provider configuration
	{name: "endpoint scheme", provider: `adm = { endpoint = "ftp://adm.example.net", username = "u", password = "p" }`, config: validUser, expect: `(?s)adm.endpoint: endpoint "ftp://adm.example.net" must start with https://`},
	{name: "endpoint path", provider: `adm = { endpoint = "https://adm.example.net/nitro", username = "u", password = "p" }`, config: validUser, expect: `(?s)adm.endpoint: endpoint "https://adm.example.net/nitro" must not have a path`},
	{name: "endpoint query", provider: `cluster = { endpoint = "https://managed.example.net?x=1", api_token = "t" }`, config: validUser, expect: `cluster.endpoint: endpoint "https://managed.example.net\?x=1" must not have a\s+query`},
	{name: "endpoint without host", provider: `nimble = { endpoint = "https://", username = "u", password = "p" }`, config: validUser, expect: `nimble.endpoint: endpoint "https://" has no host`},
	{name: "endpoint port", provider: `adm = { endpoint = "https://adm.example.net:99999", username = "u", password = "p" }`, config: validUser, expect: `adm.endpoint: endpoint "https://adm.example.net:99999" has an invalid port`},
	{name: "malformed PEM", provider: `adm = { endpoint = "https://adm.example.net", username = "u", password = "p", ca_certificate = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n" }`, config: validUser, expect: `(?s)Invalid CA certificate.*adm.ca_certificate: ca_certificate holds no\s+PEM-encoded certificate`},
	{name: "request_timeout word", provider: `request_timeout = "fast"`, config: validUser, expect: `request_timeout: "fast" is not a positive duration`},
	{name: "request_timeout negative", provider: `request_timeout = "-1s"`, config: validUser, expect: `request_timeout: "-1s" is not a positive duration`},
	{name: "max_retries high", provider: `max_retries = 11`, config: validUser, expect: `Attribute max_retries value must be between 0 and 10, got: 11`},
	{name: "max_retries negative", provider: `max_retries = -1`, config: validUser, expect: `Attribute max_retries value must be between 0 and 10, got: -1`},
	{name: "empty username", provider: `adm = { endpoint = "https://adm.example.net", username = "", password = "p" }`, config: validUser, expect: `Attribute adm.username string length must be at least 1`},
	{name: "credentials without endpoint", provider: `adm = { username = "u", password = "p" }`, config: validUser, expect: `(?s)Missing adm endpoint.*ACCESSPLANE_ADM_ENDPOINT`},
	{name: "endpoint without password", provider: `adm = { endpoint = "https://adm.example.net", username = "u" }`, config: validUser, expect: `(?s)Missing adm password.*ACCESSPLANE_ADM_PASSWORD`},
	{name: "endpoint known only after apply", provider: `adm = { endpoint = terraform_data.later.output, username = "u", password = "p" }`, config: `resource "terraform_data" "later" { input = "https://adm.example.net" }` + validUser, expect: `(?s)Provider setting known only after apply.*adm.endpoint depends on a value`},
	// fleets: appliances and appliance
	{name: "appliance name with capitals", provider: fleetProvider(`"Site_2" = { adm = { endpoint = "https://adm-2.example.net", username = "u", password = "p" } }`), config: validUser, expect: `(?s)appliances\["Site_2"\] must be an appliance name: 1 to 63 characters\s+of a-z`},
	{name: "appliance named default", provider: fleetProvider(`"default" = { adm = { endpoint = "https://adm-2.example.net", username = "u", password = "p" } }`), config: validUser, expect: `(?s)appliances.*value must be none of: \["default"\]`},
	{name: "appliance entry without endpoint", provider: fleetProvider(`"site-2" = { adm = { username = "u", password = "p" } }`), config: validUser, expect: `(?s)Missing appliances\["site-2"\].adm endpoint.*Set\s+appliances\["site-2"\].adm.endpoint\.`},
	{name: "appliance entry with a bad endpoint", provider: fleetProvider(`"site-2" = { nimble = { endpoint = "ftp://array.example.net", username = "u", password = "p" } }`), config: validUser, expect: `(?s)Invalid endpoint.*appliances\["site-2"\].nimble.endpoint: endpoint "ftp://array.example.net" must\s+start\s+with\s+https://`},
	{name: "unknown appliance of a resource", provider: fleetProvider(siteTwo), config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `appliance = "site-3"`), expect: `(?s)Unknown appliance "site-3".*Configured:\s+"default",\s+"site-2"`},
	{name: "unknown appliance of a data source", provider: fleetProvider(siteTwo), config: `data "accessplane_tokens" "x" { appliance = "array-9" }`, expect: `(?s)Unknown appliance "array-9".*Configured:\s+"default",\s+"site-2"`},
	{name: "unknown appliance of a sign-out", provider: fleetProvider(siteTwo), config: `resource "accessplane_user_signout" "x" {
  adm_username = "alice"
  appliances   = ["site-2", "site-3"]
}`, expect: `(?s)Unknown appliance "site-3".*with accessplane_user_signout.x`},
	{name: "appliance without the plane", provider: fleetProvider(siteTwo), config: `resource "accessplane_cluster_user_sessions" "x" {
  appliance                     = "site-2"
  user_limit                    = 1
  admin_limit                   = 1
  logout_inactive_users_enabled = false
}`, expect: `(?s)Appliance "site-2" has no "cluster" settings.*appliances\["site-2"\].cluster\s+=\s+\{\s+endpoint\s+=\s+…\s+\}.*ACCESSPLANE_CLUSTER_API_TOKEN`},
	{name: "sign-out of a plane no appliance has", provider: fleetProvider(siteTwo), config: `resource "accessplane_user_signout" "x" { nimble_username = "alice" }`, expect: `(?s)No appliance with "nimble" settings.*nimble_username needs at least one of\s+its appliances`},
	{name: "appliance name in a resource", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `appliance = "Site 2"`), expect: `(?s)appliance.*must be an appliance name`},
	{name: "appliance endpoint known only after apply", provider: fleetProvider(`"site-2" = { adm = { endpoint = terraform_data.later.output, username = "u", password = "p" } }`), config: `resource "terraform_data" "later" { input = "https://adm-2.example.net" }` + validUser, expect: `(?s)Provider setting known only after apply.*appliances\["site-2"\].adm.endpoint depends on a\s+value`},
	{name: "backend not configured", provider: `nimble = { endpoint = "https://array.example.net", username = "u", password = "p" }`, config: validUser, expect: `(?s)Provider block "adm" not configured.*ACCESSPLANE_ADM_ENDPOINT,\s+ACCESSPLANE_ADM_USERNAME,\s+ACCESSPLANE_ADM_PASSWORD`},
}

// siteTwo is an entry of appliances with only an ADM instance.
const siteTwo = `"site-2" = { adm = { endpoint = "https://adm-2.example.net", username = "u", password = "p" } }`

// fleetProvider is provider settings with the top-level adm block and appliances.
func fleetProvider(entries string) string {
	return `adm = { endpoint = "https://adm.example.net", username = "u", password = "p" }
appliances = {
  ` + entries + `
}`
}

// runInvalidConfigs plans each configuration and proves, by counting at the client,
// that none sent a request. No ACCESSPLANE_* variable is set while they run, so that
// a provider block that leaves a setting out is refused rather than completed from
// the environment; the target's settings are written into the default block instead.
func runInvalidConfigs(t *testing.T, cases []invalidConfig, checks ...tfversion.TerraformVersionCheck) {
	env := newTestEnv(t, liveEndpoints()...)
	defaultBlock := env.providerConfig("")
	if env.mock == nil {
		defaultBlock = targetProviderBlock()
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		providerBlock := defaultBlock
		if c.provider != "" {
			providerBlock = "provider \"accessplane\" {\n" + c.provider + "\n}\n"
		}
		steps = append(steps, resource.TestStep{
			Config:      providerBlock + c.config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(c.expect),
		})
	}
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "ACCESSPLANE_") && name != "ACCESSPLANE_TEST_TARGET" {
			t.Setenv(name, "")
		}
	}
	t.Setenv("ACCESSPLANE_ADM_ENDPOINT", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   checks,
		Steps:                    steps,
	})
	// Every step fails at plan, so the state stays empty and the framework would skip
	// a CheckDestroy: the requests are counted once the test case has run.
	total := 0
	for _, n := range env.counts() {
		total += n
	}
	if total != 0 {
		t.Errorf("invalid configurations sent %d requests to the appliance: %v", total, env.counts())
	}
}

// targetProviderBlock is the live target's settings written out as a provider block,
// read from the ACCESSPLANE_* variables before runInvalidConfigs clears them. A plane
// the target lacks gets a placeholder: no request is ever sent.
func targetProviderBlock() string {
	setting := func(b backend, name, placeholder string) string {
		if value := os.Getenv(b.env(name)); value != "" {
			return value
		}
		return placeholder
	}
	optional := func(b backend) string {
		var lines string
		if value := os.Getenv(b.env("insecure")); value != "" {
			lines += ", insecure_skip_verify = " + value
		}
		if value := os.Getenv(b.env("ca_certificate")); value != "" {
			lines += fmt.Sprintf(", ca_certificate = %q", value)
		}
		return lines
	}
	endpoint := func(b backend) string { return setting(b, "endpoint", "https://"+b.block+".example.net") }
	return fmt.Sprintf(`
provider "accessplane" {
  adm     = { endpoint = %q, username = %q, password = %q%s }
  cluster = { endpoint = %q, api_token = %q%s }
  nimble  = { endpoint = %q, username = %q, password = %q%s }
}
`, endpoint(admBackend), setting(admBackend, "username", "u"), setting(admBackend, "password", "p"), optional(admBackend),
		endpoint(clusterBackend), setting(clusterBackend, "api_token", "t"), optional(clusterBackend),
		endpoint(nimbleBackend), setting(nimbleBackend, "username", "u"), setting(nimbleBackend, "password", "p"), optional(nimbleBackend))
}

func TestAccInvalidConfigurations(t *testing.T) {
	runInvalidConfigs(t, invalidConfigs)
}

func TestAccInvalidWriteOnlyConfigurations(t *testing.T) {
	runInvalidConfigs(t, []invalidConfig{
		{name: "empty password_wo", config: userWith(`name = "u"` + "\n" + `password_wo = ""` + "\n" + `password_wo_version = 1`), expect: lengthError("password_wo", "between 1 and 128")},
		{name: "long password_wo", config: userWith(`name = "u"` + "\n" + `password_wo = "` + long129 + `"` + "\n" + `password_wo_version = 1`), expect: lengthError("password_wo", "between 1 and 128, got: 129")},
		{name: "password and password_wo", config: userWith(`name = "u"` + "\n" + `password = "p"` + "\n" + `password_wo = "p"` + "\n" + `password_wo_version = 1`), expect: `Attribute "password_wo" cannot be specified when "password" is specified`},
		{name: "ephemeral login username without password", config: `ephemeral "accessplane_adm_login" "x" { username = "u" }`, expect: `Attribute "password" must be specified when "username" is specified`},
		{name: "ephemeral login empty password", config: `ephemeral "accessplane_adm_login" "x" {
  username = "u"
  password = ""
}`, expect: lengthError("password", "between 1 and 128")},
		{name: "password_wo without version", config: userWith(`name = "u"` + "\n" + `password_wo = "p"`), expect: `Attribute "password_wo_version" must be specified when "password_wo" is\s+specified`},
	}, needsWriteOnly, needsEphemeral)
}
