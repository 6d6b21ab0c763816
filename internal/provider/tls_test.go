package provider

import (
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccTLS: an appliance with a self-signed certificate is reachable with its CA in
// ca_certificate or with insecure_skip_verify, and refused otherwise with a clear error.
func TestAccTLS(t *testing.T) {
	mockOnly(t, "needs an appliance whose self-signed certificate the test holds (the mock's TLS server)")
	m := mock.New(mock.Options{})
	server := httptest.NewTLSServer(m)
	defer server.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw}))
	config := func(tlsSetting string) string {
		return fmt.Sprintf(`
provider "accessplane" {
  adm = {
    endpoint = %q
    username = "nsroot"
    password = "nsroot"
    %s
  }
}
data "accessplane_mpsuser" "root" {
  name = "nsroot"
}
`, server.URL, tlsSetting)
	}
	found := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.accessplane_mpsuser.root", tfjsonpath.New("is_default"), knownvalue.Bool(true)),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(""),
				ExpectError: regexp.MustCompile(`(?s)x509: certificate signed by unknown authority.*set\s+ca_certificate`),
			},
			{Config: config(fmt.Sprintf("ca_certificate = %q", caPEM)), ConfigStateChecks: found},
			{Config: config("insecure_skip_verify = true"), ConfigStateChecks: found},
		},
	})
}
