package nimble

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestRevokeUserTokens: exactly the user's tokens end, and the client's own token
// survives when the user is the client's own account.
func TestRevokeUserTokens(t *testing.T) {
	m := mock.New(mock.Options{})
	m.SeedTokens(mock.TokenSeed{Count: 3, Username: "alice"})
	bob := m.SeedTokens(mock.TokenSeed{Count: 2, Username: "bob"})
	m.SeedTokens(mock.TokenSeed{Count: 2, Username: "admin", AppName: "GUI"})
	client := newClient(t, m, "admin")
	ctx := context.Background()

	revoked, err := client.RevokeUserTokens(ctx, "alice")
	if err != nil || revoked != 3 {
		t.Fatalf("alice: revoked %d, %v; want 3", revoked, err)
	}
	revoked, err = client.RevokeUserTokens(ctx, "admin")
	if err != nil || revoked != 2 {
		t.Fatalf("admin: revoked %d, %v; want the two other admin tokens", revoked, err)
	}
	left := m.Tokens()
	if len(left) != 3 || left[0].ID != bob[0].ID || left[1].ID != bob[1].ID || !client.IsOwnToken(left[2].ID) {
		t.Fatalf("left %+v; want bob's two and the client's own", left)
	}
	if m.Count(mock.RouteNimbleSignIn) != 1 || m.Count(mock.RouteTokenDelete) != 5 {
		t.Fatalf("one sign-in and five DELETEs: %v", m.Counts())
	}
}

func TestRevokeUserTokensNamesWhatWasNotEnded(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedTokens(mock.TokenSeed{Count: 3, Username: "alice"})
	client := newClient(t, m, "admin")
	m.InjectFault(mock.Fault{Route: mock.RouteTokenDelete, Count: 1, Status: http.StatusForbidden})
	revoked, err := client.RevokeUserTokens(context.Background(), "alice")
	if revoked != 2 || err == nil || !strings.Contains(err.Error(), `1 of 3 tokens of "alice" not ended: token `+seeded[0].ID) {
		t.Fatalf("revoked %d, %v", revoked, err)
	}
}
