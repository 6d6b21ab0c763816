package provider

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// Credentials that must never appear in logs, plan or state. Each is unique enough
// that a match cannot be a coincidence.
const (
	secretADMPassword      = "AdmRoot-Pw-77310"
	secretClusterToken     = "dt0c01.CLUSTER-SECRET-55102"
	secretNimblePassword   = "Nimble-Pw-55129"
	secretUserPassword     = "User-Sensitive-Pw-99104" // a sensitive attribute: the one place it may be stored is the state
	secretWriteOnly        = "User-WriteOnly-Pw-44207"
	secretPipelinePassword = "Pipeline-Pw-88907"
)

const secretsConfig = `
terraform {
  required_providers {
    accessplane = { source = "accessplane/accessplane" }
  }
}
variable "adm_password" {
  type      = string
  sensitive = true
}
variable "cluster_token" {
  type      = string
  sensitive = true
}
variable "nimble_password" {
  type      = string
  sensitive = true
}
variable "user_password" {
  type      = string
  sensitive = true
}
variable "wo_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "pipeline_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "endpoint" { type = string }

provider "accessplane" {
  adm     = { endpoint = var.endpoint, username = "nsroot", password = var.adm_password }
  cluster = { endpoint = var.endpoint, api_token = var.cluster_token }
  nimble  = { endpoint = var.endpoint, username = "admin", password = var.nimble_password }
}

resource "accessplane_mpsuser" "sensitive" {
  name     = "leak-sensitive"
  password = var.user_password
}
resource "accessplane_mpsuser" "write_only" {
  name                = "leak-write-only"
  password_wo         = var.wo_password
  password_wo_version = 1
}
resource "accessplane_cluster_user_sessions" "policy" {
  user_limit                    = 2
  admin_limit                   = 5
  logout_inactive_users_enabled = true
  user_inactivity_timeout       = 900
}
data "accessplane_mpssessions" "all" {}
data "accessplane_tokens" "all" {}
ephemeral "accessplane_adm_login" "pipeline" {
  username = "pipeline-0001"
  password = var.pipeline_password
}
data "accessplane_mpssessions" "browser" {
  username = "someone-else"
}
resource "accessplane_mpssession" "adopted" {
  id = data.accessplane_mpssessions.browser.sessions[0].id
}
data "accessplane_cluster_sessions" "all" {}
resource "accessplane_user_signout" "departed" {
  adm_username    = "departed"
  cluster_user_id = "departed@example.com"
  nimble_username = "departed"
}
`

// TestAccSecretsNeverLeak runs the real provider binary under terraform with
// TF_LOG=TRACE through apply, plan and destroy, then greps everything Terraform wrote
// (the trace log, command output, the plan as JSON and the state) for every password,
// API token, NITRO session id and token, Dynatrace session id and Nimble session
// token involved, including those of the sessions a sign-out ends.
func TestAccSecretsNeverLeak(t *testing.T) {
	mockOnly(t, "needs the mock's record of every credential it issued (NITRO session ids, Nimble tokens) to grep for, a user with a known password to sign in as, and seeded Dynatrace sessions for the sign-out to end")
	skipUnlessAcceptance(t)
	t.Parallel()
	terraformBin := terraformBinary(t)
	if !terraformAtLeast(t, terraformBin, "1.11.0") {
		t.Skip("write-only arguments (password_wo) need Terraform 1.11, ephemeral resources 1.10")
	}

	m := mock.New(mock.Options{ADMPassword: secretADMPassword, ClusterAPIToken: secretClusterToken, NimblePassword: secretNimblePassword})
	m.SeedUsers("pipeline", 1)
	m.EditUser("pipeline-0001", func(u *mock.User) { u.Password = secretPipelinePassword })
	m.SeedSession(mock.SessionSeed{Username: "someone-else", ClientType: "browser"})
	m.SeedTokens(mock.TokenSeed{Count: 5})
	m.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "someone@example.com", Count: 2})
	m.SeedSession(mock.SessionSeed{Username: "departed"})
	m.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "departed@example.com", Count: 2})
	m.SeedTokens(mock.TokenSeed{Count: 1, Username: "departed"})
	server := httptest.NewServer(m)
	defer server.Close()

	dir := t.TempDir()
	cliConfig := buildProvider(t, dir)
	work := filepath.Join(dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), secretsConfig)
	traceLog := filepath.Join(dir, "trace.log")
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig, "TF_LOG=TRACE", "TF_LOG_PATH="+traceLog, "TF_IN_AUTOMATION=1",
		"TF_VAR_endpoint="+server.URL, "TF_VAR_adm_password="+secretADMPassword, "TF_VAR_cluster_token="+secretClusterToken,
		"TF_VAR_nimble_password="+secretNimblePassword, "TF_VAR_user_password="+secretUserPassword,
		"TF_VAR_wo_password="+secretWriteOnly, "TF_VAR_pipeline_password="+secretPipelinePassword,
	)
	var output bytes.Buffer
	run := func(args ...string) string {
		cmd := exec.Command(terraformBin, args...)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	output.WriteString(run("apply", "-auto-approve", "-input=false", "-no-color"))
	output.WriteString(run("plan", "-input=false", "-no-color", "-out=tfplan"))
	planJSON := run("show", "-json", "-no-color", "tfplan")
	state := readFile(t, filepath.Join(work, "terraform.tfstate"))
	output.WriteString(run("destroy", "-auto-approve", "-input=false", "-no-color"))

	trace := readFile(t, traceLog)
	if !strings.Contains(trace, "accessplane API request detail") {
		t.Fatal("the trace log holds no provider request lines: the test would prove nothing")
	}
	if m.SignIns("pipeline-0001") == 0 {
		t.Fatal("the ephemeral login never signed in: the test would prove nothing")
	}
	if !strings.Contains(trace, "sessionId") || len(m.ClusterSessions()) != 2 {
		t.Fatal("the trace log holds no Dynatrace session list, or the sign-out did not end the cluster sessions: the test would prove nothing")
	}
	secrets := append([]string{secretADMPassword, secretClusterToken, secretNimblePassword, secretUserPassword, secretWriteOnly, secretPipelinePassword}, m.IssuedCredentials()...)
	for _, secret := range secrets {
		for name, text := range map[string]string{"TF_LOG=TRACE output": trace, "terraform's output": output.String()} {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains the secret %q", name, secret)
			}
		}
		// The sensitive password argument is the one secret DESIGN.md allows in state.
		if secret != secretUserPassword && strings.Contains(state, secret) {
			t.Errorf("the state contains the secret %q", secret)
		}
	}
	// A saved plan holds sensitive variables and arguments by Terraform's design; what
	// the provider controls is that write-only values and credentials it received are
	// not among them.
	for _, secret := range append([]string{secretWriteOnly, secretPipelinePassword}, m.IssuedCredentials()...) {
		if strings.Contains(planJSON, secret) {
			t.Errorf("the plan contains the secret %q", secret)
		}
	}
	for _, field := range []string{"one_way_password", "one_way_pbkdf2_password", "session_token", `"sessionid"`, `"sessionId"`, `"token"`} {
		if strings.Contains(state, field) {
			t.Errorf("the state holds a %s field", field)
		}
	}
}

func terraformAtLeast(t *testing.T, terraformBin, minimum string) bool {
	out, err := exec.Command(terraformBin, "version", "-json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var reported struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &reported); err != nil {
		t.Fatal(err)
	}
	have, err := version.NewVersion(reported.Version)
	return err == nil && have.GreaterThanOrEqual(version.Must(version.NewVersion(minimum)))
}
