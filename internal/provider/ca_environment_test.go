package provider

import (
	"context"
	"encoding/pem"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestCACertificateFromEnvironment: a lab appliance behind a private CA is reached
// with the CA from ACCESSPLANE_ADM_CA_CERTIFICATE alone, as make testacc-live and
// users of the environment configure it, and refused without it.
func TestCACertificateFromEnvironment(t *testing.T) {
	server := httptest.NewTLSServer(mock.New(mock.Options{}))
	defer server.Close()
	t.Setenv("ACCESSPLANE_ADM_ENDPOINT", server.URL)
	t.Setenv("ACCESSPLANE_ADM_USERNAME", "nsroot")
	t.Setenv("ACCESSPLANE_ADM_PASSWORD", "nsroot")
	countUsers := func() error {
		clients, err := liveClients()
		if err != nil {
			return err
		}
		_, err = clients.adm.CountUsers(context.Background(), nil)
		return err
	}

	if err := countUsers(); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without the CA: %v, want a certificate error", err)
	}
	t.Setenv("ACCESSPLANE_ADM_CA_CERTIFICATE", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw})))
	if err := countUsers(); err != nil {
		t.Fatalf("with the CA from ACCESSPLANE_ADM_CA_CERTIFICATE: %v", err)
	}
	t.Setenv("ACCESSPLANE_ADM_CA_CERTIFICATE", "not a certificate")
	if err := countUsers(); err == nil || !strings.Contains(err.Error(), "ACCESSPLANE_ADM_* environment variables") {
		t.Fatalf("with an invalid CA in the environment: %v, want an error naming where it came from", err)
	}
}
