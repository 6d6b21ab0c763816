package nimble

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// TestPagingByEnvelope: whatever the status (206 on every page, the last included),
// the envelope decides; rows repeated across pages are kept once; an empty page ends
// the listing even when totalRows claims more.
func TestPagingByEnvelope(t *testing.T) {
	const total = 25
	for name, page := range map[string]func(start, size int) (rows []int, endRow, totalRows int){
		"206 on the last page": func(start, size int) ([]int, int, int) {
			end := min(start+size, total)
			return rangeOf(start, end), end, total
		},
		"rows repeated across pages": func(start, size int) ([]int, int, int) {
			from := max(start-3, 0)
			end := min(start+size, total)
			return rangeOf(from, end), end, total
		},
		"totalRows larger than what the array sends": func(start, size int) ([]int, int, int) {
			end := min(start+size, total)
			return rangeOf(start, end), end, total + 50
		},
	} {
		calls := 0
		server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(`{"data":{"id":"own","session_token":"t"}}`))
				return
			}
			calls++
			start, _ := strconv.Atoi(r.URL.Query().Get("startRow"))
			rows, end, totalRows := page(start, 10)
			data := make([]map[string]any, 0, len(rows))
			for _, row := range rows {
				data = append(data, map[string]any{"id": fmt.Sprintf("tok-%02d", row), "username": "u"})
			}
			w.WriteHeader(http.StatusPartialContent)
			_ = json.NewEncoder(w).Encode(map[string]any{"startRow": start, "endRow": end, "totalRows": totalRows, "data": data})
		}))
		client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond}, Username: "u", Password: "p"})
		if err != nil {
			t.Fatal(err)
		}
		tokens, err := client.ListTokens(context.Background(), ListOptions{PageSize: 10})
		server.Close()
		if err != nil || len(tokens) != total || calls > 4 {
			t.Errorf("%s: %d tokens in %d calls (%v); want %d in at most 4", name, len(tokens), calls, err, total)
		}
		seen := map[string]bool{}
		for _, token := range tokens {
			if seen[token.ID] {
				t.Errorf("%s: %s listed twice", name, token.ID)
			}
			seen[token.ID] = true
		}
	}
}

func rangeOf(from, to int) []int {
	out := []int{}
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// TestSignOutAndDelete: DeleteToken ends another user's token (twice is fine), and
// SignOut ends the client's own token by DELETE, leaving the others.
func TestSignOutAndDelete(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedTokens(mock.TokenSeed{Count: 2})
	client := newClient(t, m, "admin")
	if err := client.SignOut(context.Background()); err != nil || m.Total() != 0 {
		t.Fatalf("sign-out before any sign-in: %v, %d requests", err, m.Total())
	}
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := client.DeleteToken(ctx, seeded[0].ID); err != nil {
			t.Fatalf("delete #%d: %v", i+1, err)
		}
	}
	tokens := m.Tokens()
	if len(tokens) != 2 || tokens[0].ID != seeded[1].ID || !client.IsOwnToken(tokens[1].ID) || client.IsOwnToken(seeded[1].ID) {
		t.Fatalf("after deleting one seeded token: %+v", tokens)
	}
	if err := client.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if tokens := m.Tokens(); len(tokens) != 1 || tokens[0].ID != seeded[1].ID {
		t.Fatalf("after sign-out: %+v", tokens)
	}
	if client.IsOwnToken(seeded[1].ID) {
		t.Fatal("after sign-out the client has no token of its own")
	}
}
