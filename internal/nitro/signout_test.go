package nitro

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestEndUserSessions: on both ADM generations, exactly the user's sessions end, the
// client's own session survives when the user is the client's own account, and a
// session that cannot be ended is named while the others still end.
func TestEndUserSessions(t *testing.T) {
	for generation, deleteRoute := range map[string]string{
		mock.GenerationCurrent: mock.RouteSessionDeleteV2,
		mock.GenerationLegacy:  mock.RouteSessionDeleteV1,
	} {
		t.Run(generation, func(t *testing.T) {
			m := mock.New(mock.Options{ADMGeneration: generation})
			for i := 0; i < 3; i++ {
				m.SeedSession(mock.SessionSeed{Username: "alice"})
			}
			bob := m.SeedSession(mock.SessionSeed{Username: "bob"})
			m.SeedSession(mock.SessionSeed{Username: "nsroot"})
			client := newClient(t, m, "nsroot")
			ctx := context.Background()

			ended, err := client.EndUserSessions(ctx, "alice")
			if err != nil || ended != 3 {
				t.Fatalf("alice: ended %d, %v; want 3", ended, err)
			}
			ended, err = client.EndUserSessions(ctx, "nsroot")
			if err != nil || ended != 1 {
				t.Fatalf("nsroot: ended %d, %v; want the other nsroot session only", ended, err)
			}
			left := m.Sessions()
			if len(left) != 2 {
				t.Fatalf("left %+v; want bob's and the client's own", left)
			}
			for _, s := range left {
				if s.ID != bob && s.Username != "nsroot" {
					t.Fatalf("unexpected survivor %+v", s)
				}
			}
			if _, err := client.ListSessions(ctx, nil); err != nil || m.SignIns("nsroot") != 1 {
				t.Fatalf("the client's own session must still work: %v, %d sign-ins", err, m.SignIns("nsroot"))
			}
			if m.Count(deleteRoute) != 4 {
				t.Fatalf("%d DELETEs on %s, want 4: %v", m.Count(deleteRoute), deleteRoute, m.Counts())
			}
		})
	}
}

func TestEndUserSessionsNamesWhatWasNotEnded(t *testing.T) {
	m := mock.New(mock.Options{})
	for i := 0; i < 3; i++ {
		m.SeedSession(mock.SessionSeed{Username: "alice"})
	}
	client := newClient(t, m, "nsroot")
	// The first DELETE fails on every attempt (1 + max_retries of 3).
	m.InjectFault(mock.Fault{Route: mock.RouteSessionDeleteV2, Count: 4, Status: http.StatusInternalServerError})
	ended, err := client.EndUserSessions(context.Background(), "alice")
	if ended != 2 || err == nil || !strings.Contains(err.Error(), `1 of 3 sessions of "alice" not ended: session `) || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("ended %d, %v", ended, err)
	}
	if left := m.Sessions(); len(left) != 2 { // the one that failed and the client's own
		t.Fatalf("left %+v", left)
	}
}
