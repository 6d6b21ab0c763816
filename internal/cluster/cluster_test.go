package cluster

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

func TestGetAndPut(t *testing.T) {
	m := mock.New(mock.Options{})
	server := httptest.NewServer(m)
	defer server.Close()
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL}, APIToken: "mock-cluster-token"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	policy, err := client.GetUserSessions(ctx)
	if err != nil || *policy != (Policy{UserLimit: 1, AdminLimit: 1, LogoutInactiveUsersEnabled: true, UserInactivityTimeoutSecs: 900}) {
		t.Fatalf("initial policy %+v, %v", policy, err)
	}
	want := Policy{UserLimit: 2, AdminLimit: 5, UserInactivityTimeoutSecs: 300}
	if err := client.PutUserSessions(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got := m.ClusterPolicy(); got != (mock.ClusterPolicy{UserLimit: 2, AdminLimit: 5, UserInactivityTimeout: 300}) {
		t.Fatalf("stored %+v", got)
	}
	err = client.PutUserSessions(ctx, Policy{UserLimit: 0, AdminLimit: 3, UserInactivityTimeoutSecs: 300})
	if err == nil || err.Error() != "cluster user-sessions update: HTTP 400: Constraints violated.; concurrentSessionPolicyDto: if one limit is 0 (no limit), the other must be 0 as well" {
		t.Fatalf("validation error: %v", err)
	}
	if m.Count(mock.RoutePolicyPut) != 2 || m.Count(mock.RoutePolicyGet) != 1 {
		t.Fatalf("counts %v", m.Counts())
	}
}

func TestPermissionErrors(t *testing.T) {
	server := httptest.NewServer(mock.New(mock.Options{}))
	defer server.Close()
	for _, token := range []string{"mock-token-without-scope", "wrong"} {
		client, _ := New(Config{Transport: transport.Config{Endpoint: server.URL}, APIToken: token})
		_, err := client.GetUserSessions(context.Background())
		var apiErr *Error
		if !errors.As(err, &apiErr) || (apiErr.HTTPStatus != http.StatusUnauthorized && apiErr.HTTPStatus != http.StatusForbidden) {
			t.Errorf("token %q: %v, want the API's 401 or 403", token, err)
		}
	}
}
