package cluster

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

func newSessionClient(t *testing.T, handler http.Handler) *Client {
	t.Helper()
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	client, err := New(Config{
		Transport: transport.Config{Endpoint: server.URL, MaxRetries: 2, BackoffBase: time.Millisecond, BackoffMax: 2 * time.Millisecond},
		APIToken:  "mock-cluster-token",
	})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func TestListSessions(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "alice", Count: 2, LoginType: "LDAP", IdleFor: time.Hour})
	m.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "bob"})
	client := newSessionClient(t, m)
	ctx := context.Background()
	all, err := client.ListSessions(ctx, "")
	if err != nil || len(all) != 3 {
		t.Fatalf("all sessions: %d, %v", len(all), err)
	}
	alice, err := client.ListSessions(ctx, "alice")
	if err != nil || len(alice) != 2 {
		t.Fatalf("alice's sessions: %d, %v", len(alice), err)
	}
	want := Session{
		UserID: "alice", NodeID: seeded[0].NodeID, TenantUUID: seeded[0].TenantUUID, LoginType: "LDAP", Device: seeded[0].Device, IP: seeded[0].IP,
		CreationTime: seeded[0].CreationTime.UnixMilli(), LastAccessed: seeded[0].LastAccessed.UnixMilli(),
	}
	if alice[0] != want {
		t.Fatalf("got %+v, want %+v", alice[0], want)
	}
	if m.Count(mock.RouteClusterSessionList) != 2 {
		t.Fatalf("counts %v", m.Counts())
	}
}

// TestListSessionsFiltersOnItsSide: a cluster that ignored userId cannot widen the
// result.
func TestListSessionsFiltersOnItsSide(t *testing.T) {
	client := newSessionClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`[{"userId":"alice","sessionId":"s1"},{"userId":"bob","sessionId":"s2"}]`))
	}))
	sessions, err := client.ListSessions(context.Background(), "alice")
	if err != nil || len(sessions) != 1 || sessions[0].UserID != "alice" {
		t.Fatalf("%+v, %v", sessions, err)
	}
}

func TestEndSessions(t *testing.T) {
	m := mock.New(mock.Options{})
	m.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "alice", Count: 3})
	m.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "bob", Count: 2})
	client := newSessionClient(t, m)
	ctx := context.Background()

	ended, err := client.EndSessions(ctx, "alice")
	if err != nil || ended != 3 {
		t.Fatalf("ended %d, %v; want 3", ended, err)
	}
	if left := m.ClusterSessions(); len(left) != 2 || left[0].UserID != "bob" {
		t.Fatalf("left %+v", left)
	}
	// No sessions: the cluster answers the DELETE with 404, which means none.
	ended, err = client.EndSessions(ctx, "alice")
	if err != nil || ended != 0 {
		t.Fatalf("second time: ended %d, %v; want 0", ended, err)
	}
	if m.Count(mock.RouteClusterSessionList) != 2 || m.Count(mock.RouteClusterSessionEnd) != 2 {
		t.Fatalf("one look-up and one DELETE per call: %v", m.Counts())
	}
}

func TestEndSessionsFailures(t *testing.T) {
	t.Run("the cluster fails to end them", func(t *testing.T) {
		for _, status := range []int{http.StatusInternalServerError, 510} {
			m := mock.New(mock.Options{})
			m.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "alice", Count: 2})
			m.InjectFault(mock.Fault{Route: mock.RouteClusterSessionEnd, Count: mock.Persistent, Status: status})
			client := newSessionClient(t, m)
			ended, err := client.EndSessions(context.Background(), "alice")
			if err == nil || ended != 0 || !strings.Contains(err.Error(), "cluster sessions end: HTTP ") {
				t.Fatalf("HTTP %d: ended %d, %v", status, ended, err)
			}
			if len(m.ClusterSessions()) != 2 || m.Count(mock.RouteClusterSessionEnd) != 3 {
				t.Fatalf("HTTP %d: %d sessions left, %d DELETEs (1 + max_retries)", status, len(m.ClusterSessions()), m.Count(mock.RouteClusterSessionEnd))
			}
		}
	})
	t.Run("a cluster without the endpoint is no success", func(t *testing.T) {
		m := mock.New(mock.Options{})
		m.InjectFault(mock.Fault{Route: mock.RouteClusterSessionList, Count: mock.Persistent, Status: http.StatusNotFound})
		client := newSessionClient(t, m)
		if _, err := client.EndSessions(context.Background(), "alice"); !IsNotFound(err) {
			t.Fatalf("got %v, want the look-up's 404", err)
		}
		if m.Count(mock.RouteClusterSessionEnd) != 0 {
			t.Fatal("no DELETE may follow a failed look-up")
		}
	})
	t.Run("an empty user id is refused before any request", func(t *testing.T) {
		m := mock.New(mock.Options{})
		client := newSessionClient(t, m)
		if _, err := client.EndSessions(context.Background(), ""); err == nil || m.Total() != 0 {
			t.Fatalf("%v, %d requests", err, m.Total())
		}
	})
}
