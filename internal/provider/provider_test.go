package provider

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// protoV6ProviderFactories serve the provider in-process to the real terraform binary.
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"accessplane": providerserver.NewProtocol6WithError(New("test")()),
}

// testEnv is one in-process mock server for one test.
type testEnv struct {
	mock   *mock.Server
	server *httptest.Server
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, mock.Options{})
}

func newTestEnvWith(t *testing.T, opts mock.Options) *testEnv {
	t.Helper()
	m := mock.New(opts)
	server := httptest.NewServer(m)
	t.Cleanup(server.Close)
	return &testEnv{mock: m, server: server}
}

// providerConfig points every backend at the mock. extra is added inside the
// provider block (request_timeout, max_retries, …).
func (e *testEnv) providerConfig(extra string) string {
	return fmt.Sprintf(`
provider "accessplane" {
  adm = {
    endpoint = %[1]q
    username = "nsroot"
    password = "nsroot"
  }
  cluster = {
    endpoint  = %[1]q
    api_token = "mock-cluster-token"
  }
  nimble = {
    endpoint = %[1]q
    username = "admin"
    password = "admin"
  }
  %[2]s
}
`, e.server.URL, extra)
}
