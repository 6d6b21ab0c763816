package provider

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
)

// binaryConfig begins a configuration for the provider binary built by buildProvider,
// with the mock's URL in var.endpoint; the provider block follows.
const binaryConfig = `
terraform {
  required_providers {
    accessplane = { source = "accessplane/accessplane" }
  }
}
variable "endpoint" { type = string }
`

const hygieneConfig = binaryConfig + `
provider "accessplane" {
  adm     = { endpoint = var.endpoint, username = "nsroot", password = "nsroot" }
  cluster = { endpoint = var.endpoint, api_token = "mock-cluster-token" }
  nimble  = { endpoint = var.endpoint, username = "admin", password = "admin" }
}
resource "accessplane_mpsuser" "kept" {
  name     = "hygiene-user"
  password = "Hygiene-Pw-1"
}
data "accessplane_mpssessions" "all" {}
data "accessplane_tokens" "all" {}
`

// TestAccNoSessionLeftBehind runs the real provider binary, so that Terraform stops it
// as it does for users, through apply, plan, refresh-only plan, import and destroy.
// After each command the mock must hold no NITRO session of the provider's user and
// no Nimble token of the provider's app, while the sessions and tokens of others stay.
func TestAccNoSessionLeftBehind(t *testing.T) {
	mockOnly(t, "needs the admin's sessions and tokens to itself and the mock's sign-in record: live, other runs sign in as the same admin, and a test never reads or ends the provider's own session")
	skipUnlessAcceptance(t)
	t.Parallel()
	terraformBin := terraformBinary(t)
	m := mock.New(mock.Options{})
	m.SeedSession(mock.SessionSeed{Username: "someone-else"})
	m.SeedTokens(mock.TokenSeed{Count: 3})
	server := httptest.NewServer(m)
	defer server.Close()

	dir := t.TempDir()
	cliConfig := buildProvider(t, dir)
	work := filepath.Join(dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), hygieneConfig)
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "TF_VAR_endpoint="+server.URL)

	for _, args := range [][]string{
		{"apply", "-auto-approve", "-input=false", "-no-color"},
		{"plan", "-input=false", "-no-color"},
		{"plan", "-refresh-only", "-input=false", "-no-color"},
		{"state", "rm", "accessplane_mpsuser.kept"},
		{"import", "-input=false", "-no-color", "accessplane_mpsuser.kept", "name:hygiene-user"},
		{"destroy", "-auto-approve", "-input=false", "-no-color"},
	} {
		signInsBefore := m.SignIns("nsroot")
		started := time.Now()
		cmd := exec.Command(terraformBin, args...)
		cmd.Dir, cmd.Env = work, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		command := "terraform " + strings.Join(args, " ")
		if args[0] != "state" && m.SignIns("nsroot") == signInsBefore {
			t.Fatalf("%s never signed in to NITRO: the test would prove nothing", command)
		}
		if left := providerSessions(m); len(left) > 0 {
			t.Errorf("after %s (%s), the provider left behind %s", command, time.Since(started).Round(time.Millisecond), strings.Join(left, ", "))
		}
	}
	if len(m.Sessions()) != 1 || len(m.Tokens()) != 3 {
		t.Errorf("others' sessions must stay: %d NITRO sessions (want 1), %d Nimble tokens (want 3)", len(m.Sessions()), len(m.Tokens()))
	}
}

// providerSessions lists the live NITRO sessions of the provider's user and the
// Nimble tokens its sign-ins opened.
func providerSessions(m *mock.Server) []string {
	var left []string
	for _, s := range m.Sessions() {
		if s.Username == "nsroot" {
			left = append(left, fmt.Sprintf("NITRO session %s", s.ID))
		}
	}
	for _, token := range m.Tokens() {
		if token.AppName == nimble.AppName {
			left = append(left, fmt.Sprintf("Nimble token %s", token.ID))
		}
	}
	return left
}
