package provider

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
)

// TestSignOutIsBounded: when Terraform stops the provider, signing out of an appliance
// that does not answer gives up after SignOutTimeout with an error for the log,
// instead of holding up Terraform; a responsive one is signed out of.
func TestSignOutIsBounded(t *testing.T) {
	mockOnly(t, "needs a logout that is never answered (an injected delay)")
	m := mock.New(mock.Options{})
	server := httptest.NewServer(m)
	defer server.Close()
	backend := func(user, password string) *credentialBackendModel {
		return &credentialBackendModel{Endpoint: types.StringValue(server.URL), Username: types.StringValue(user), Password: types.StringValue(password)}
	}
	var diags diag.Diagnostics
	data := newProviderData(providerModel{applianceModel: applianceModel{ADM: backend("nsroot", "nsroot"), Nimble: backend("admin", "admin")}}, NewProcess("test"), &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	process := NewProcess("test")
	process.opened(data)
	ctx := context.Background()
	if _, err := data.appliances[defaultAppliance].adm.ListUsers(ctx, nil, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := data.appliances[defaultAppliance].nimble.ListTokens(ctx, nimble.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	// The logout is never answered, so only SignOut's own deadline can end the wait:
	// that deadline as the error shows the bound without timing it on this machine.
	m.InjectFault(mock.Fault{Route: mock.RouteNITROLogout, Delay: time.Hour})
	if err := process.SignOut(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("sign-out against a silent appliance returned %v; want it to give up at its %s deadline", err, SignOutTimeout)
	}
	if tokens := m.Tokens(); len(tokens) != 0 {
		t.Fatalf("the responsive Nimble array still holds the provider's token: %+v", tokens)
	}
}
