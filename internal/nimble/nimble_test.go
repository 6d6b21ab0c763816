package nimble

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

func newClient(t *testing.T, m *mock.Server, password string) *Client {
	t.Helper()
	server := httptest.NewServer(m)
	t.Cleanup(server.Close)
	client, err := New(Config{
		Transport: transport.Config{Endpoint: server.URL, UserAgent: "test", BackoffBase: time.Millisecond, BackoffMax: 2 * time.Millisecond},
		Username:  "admin", Password: password,
	})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// TestPagingCost: a list costs ceil(rows / page size) calls and one sign-in.
func TestPagingCost(t *testing.T) {
	for _, tc := range []struct{ seeded, pageSize int }{{2499, 0}, {2047, 0}, {99, 10}, {9, 10}, {0, 0}} {
		m := mock.New(mock.Options{})
		m.SeedTokens(mock.TokenSeed{Count: tc.seeded})
		client := newClient(t, m, "admin")
		tokens, err := client.ListTokens(context.Background(), ListOptions{PageSize: tc.pageSize})
		if err != nil {
			t.Fatal(err)
		}
		rows := tc.seeded + 1 // the client's own sign-in is a token too
		pageSize := tc.pageSize
		if pageSize == 0 {
			pageSize = DefaultPageSize
		}
		wantCalls := (rows + pageSize - 1) / pageSize
		if len(tokens) != rows || m.Count(mock.RouteTokenList) != wantCalls || m.Count(mock.RouteNimbleSignIn) != 1 {
			t.Errorf("%d rows, page %d: got %d tokens in %d calls with %d sign-ins; want %d in %d with 1",
				rows, pageSize, len(tokens), m.Count(mock.RouteTokenList), m.Count(mock.RouteNimbleSignIn), rows, wantCalls)
		}
	}
}

func TestFiltersAndNoCredentials(t *testing.T) {
	m := mock.New(mock.Options{})
	m.SeedTokens(mock.TokenSeed{Count: 30})
	seeded := m.SeedTokens(mock.TokenSeed{Count: 2, Username: "svc", AppName: "backup", SourceIP: "192.0.2.9"})
	client := newClient(t, m, "admin")
	for _, opts := range []ListOptions{{Username: "svc"}, {AppName: "backup"}, {SourceIP: "192.0.2.9"}} {
		tokens, err := client.ListTokens(context.Background(), opts)
		if err != nil || len(tokens) != 2 || tokens[0].Username != "svc" {
			t.Errorf("%+v: %d tokens, %v", opts, len(tokens), err)
		}
	}
	sorted, err := client.ListTokens(context.Background(), ListOptions{SortBy: "creation_time"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(sorted); i++ {
		if sorted[i-1].CreationTime > sorted[i].CreationTime {
			t.Fatalf("not sorted by creation_time at %d", i)
		}
	}
	token, err := client.GetToken(context.Background(), seeded[1].ID)
	if err != nil || token.SourceIP != "192.0.2.9" {
		t.Fatalf("get: %+v %v", token, err)
	}
	if _, err := client.GetToken(context.Background(), "nope"); !IsNotFound(err) {
		t.Fatalf("unknown id: %v, want not found", err)
	}
}

func TestExpiredSignInIsRenewedOnce(t *testing.T) {
	m := mock.New(mock.Options{})
	client := newClient(t, m, "admin")
	ctx := context.Background()
	if _, err := client.ListTokens(ctx, ListOptions{}); err != nil {
		t.Fatal(err)
	}
	m.ExpireSessions()
	if _, err := client.ListTokens(ctx, ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := m.Count(mock.RouteNimbleSignIn); n != 2 {
		t.Fatalf("%d sign-ins, want 2", n)
	}
}

func TestBadCredentials(t *testing.T) {
	client := newClient(t, mock.New(mock.Options{}), "wrong")
	_, err := client.ListTokens(context.Background(), ListOptions{})
	if err == nil || !strings.Contains(err.Error(), `check the nimble username "admin"`) || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("got %v", err)
	}
}
