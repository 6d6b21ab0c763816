package nimble

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
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
		client, calls := pagingArray(t, 0, func(start int) ([]int, int, int) { return page(start, 10) })
		tokens, err := client.ListTokens(context.Background(), ListOptions{PageSize: 10})
		if err != nil || len(tokens) != total || calls.Load() > 4 {
			t.Errorf("%s: %d tokens in %d calls (%v); want %d in at most 4", name, len(tokens), calls.Load(), err, total)
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

// pagingArray serves token pages as page says for each startRow, with 206, and
// counts the list calls. Past bound calls (when bound > 0) it refuses with 400, so a
// client that would page without end fails instead of hanging the test.
func pagingArray(t *testing.T, bound int, page func(start int) (rows []int, endRow, totalRows int)) (*Client, *atomic.Int64) {
	t.Helper()
	calls := new(atomic.Int64)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"data":{"id":"own","session_token":"t"}}`))
			return
		}
		if n := calls.Add(1); bound > 0 && n > int64(bound) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"messages":[{"code":"SM_bound","text":"the test's bound was reached"}]}`))
			return
		}
		start, _ := strconv.Atoi(r.URL.Query().Get("startRow"))
		rows, end, totalRows := page(start)
		data := make([]map[string]any, 0, len(rows))
		for _, row := range rows {
			data = append(data, map[string]any{"id": fmt.Sprintf("tok-%04d", row), "username": "u"})
		}
		w.WriteHeader(http.StatusPartialContent)
		_ = json.NewEncoder(w).Encode(map[string]any{"startRow": start, "endRow": end, "totalRows": totalRows, "data": data})
	}))
	t.Cleanup(server.Close)
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond}, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	return client, calls
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

// TestPagingEndsOnHostileArrays: an array that keeps raising totalRows, or answers
// every startRow with the same rows, cannot keep the client listing. The handler
// refuses calls past a bound so that a client without the guard fails instead of
// looping until the test times out (see pagingArray).
func TestPagingEndsOnHostileArrays(t *testing.T) {
	const pageSize, bound = 10, 50
	for _, tc := range []struct {
		name      string
		page      func(start int) (rows []int, endRow, totalRows int)
		wantCalls int64
		wantRows  int
		wantErr   string
	}{{
		name: "the same rows for every startRow",
		page: func(start int) ([]int, int, int) {
			return rangeOf(0, pageSize), start + pageSize, start + 2*pageSize
		},
		wantCalls: 2, wantRows: pageSize,
	}, {
		name: "totalRows grows with every page",
		page: func(start int) ([]int, int, int) {
			return rangeOf(start, start+pageSize), start + pageSize, start + 2*pageSize
		},
		// The first page promised 20 rows: the third page's 40 is more than a page past it.
		wantCalls: 3, wantErr: "totalRows grew from 20 to 40",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			client, calls := pagingArray(t, bound, tc.page)
			tokens, err := client.ListTokens(context.Background(), ListOptions{PageSize: pageSize})
			if calls.Load() != tc.wantCalls {
				t.Errorf("%d list calls, want %d", calls.Load(), tc.wantCalls)
			}
			switch {
			case tc.wantErr == "" && (err != nil || len(tokens) != tc.wantRows):
				t.Errorf("got %d tokens (%v), want %d", len(tokens), err, tc.wantRows)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("got %d tokens and error %v, want an error saying %q", len(tokens), err, tc.wantErr)
			}
		})
	}
}
