package nimble

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// TestSignOutDeletesItsOwnTokenAndReportsARefusal: sign-out is DELETE v1/tokens/<own
// id> with the own token in X-Auth-Token. A 401 or 404 means the token has ended
// already, which is what sign-out wants; any other refusal is reported, never taken
// for a sign-out that happened.
func TestSignOutDeletesItsOwnTokenAndReportsARefusal(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   string // "" for success
	}{
		{http.StatusOK, ""},
		{http.StatusUnauthorized, ""},
		{http.StatusNotFound, ""},
		{http.StatusForbidden, "Nimble sign-out: HTTP 403: Forbidden (SM_http_forbidden)"},
		{http.StatusInternalServerError, "Nimble sign-out: HTTP 500: Internal Server Error (SM_http_internal)"},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			var mu sync.Mutex
			var deletes []string
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.Method {
				case http.MethodPost:
					w.WriteHeader(http.StatusCreated)
					_, _ = w.Write([]byte(`{"data":{"id":"own-id","session_token":"own-token"}}`))
				case http.MethodGet:
					_, _ = w.Write([]byte(`{"startRow":0,"endRow":0,"totalRows":0,"data":[]}`))
				case http.MethodDelete:
					mu.Lock()
					deletes = append(deletes, r.URL.Path+" "+r.Header.Get("X-Auth-Token"))
					mu.Unlock()
					w.WriteHeader(tc.status)
					if tc.status != http.StatusOK {
						code := map[int]string{401: "SM_http_unauthorized", 404: "SM_http_not_found", 403: "SM_http_forbidden", 500: "SM_http_internal"}[tc.status]
						_, _ = fmt.Fprintf(w, `{"messages":[{"code":%q,"text":%q}]}`, code, http.StatusText(tc.status))
					}
				}
			}))
			defer server.Close()
			client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond}, Username: "u", Password: "p"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := client.ListTokens(context.Background(), ListOptions{}); err != nil { // signs in
				t.Fatal(err)
			}
			err = client.SignOut(context.Background())
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %v, want success: the token has ended", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("got %v, want %s", err, tc.want)
			}
			if len(deletes) == 0 || deletes[0] != "/v1/tokens/own-id own-token" {
				t.Errorf("DELETEs %q, want DELETE /v1/tokens/own-id with X-Auth-Token own-token", deletes)
			}
		})
	}
}

// TestRevokingAUserWithoutTokensEndsNothing: an array that holds no token of the user
// answers totalRows 0, which is a plausible count: no error, nothing ended.
func TestRevokingAUserWithoutTokensEndsNothing(t *testing.T) {
	m := mock.New(mock.Options{})
	m.SeedTokens(mock.TokenSeed{Count: 2, Username: "bob"})
	client := newClient(t, m, "admin")
	revoked, err := client.RevokeUserTokens(context.Background(), "alice")
	if err != nil || revoked != 0 || m.Count(mock.RouteTokenDelete) != 0 || len(m.Tokens()) != 3 {
		t.Fatalf("revoked %d, %v, %d DELETEs, %d tokens left; want 0, no error, no DELETE, all 3 left", revoked, err, m.Count(mock.RouteTokenDelete), len(m.Tokens()))
	}
}

// TestTotalRowsUpToTenMillionIsPlausible: a count of 10,000,000 rows is the largest a
// reply may report and is read; one more is refused before any paging.
func TestTotalRowsUpToTenMillionIsPlausible(t *testing.T) {
	for _, tc := range []struct {
		totalRows int
		want      string // "" for success
	}{
		{maxTotalRows, ""},
		{maxTotalRows + 1, "the array reported 10000001 rows, which is not a plausible count"},
	} {
		// The array claims totalRows but holds two rows: the second page is empty and
		// ends the listing.
		client, calls := pagingArray(t, 5, func(start int) ([]int, int, int) {
			if start > 0 {
				return nil, start, tc.totalRows
			}
			return rangeOf(0, 2), 2, tc.totalRows
		})
		tokens, err := client.ListTokens(context.Background(), ListOptions{PageSize: 2})
		switch {
		case tc.want == "" && (err != nil || len(tokens) != 2 || calls.Load() != 2):
			t.Errorf("totalRows %d: %d tokens in %d calls, %v; want 2 in 2 calls", tc.totalRows, len(tokens), calls.Load(), err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || calls.Load() != 1):
			t.Errorf("totalRows %d: %d tokens in %d calls, %v; want the error %q after one call", tc.totalRows, len(tokens), calls.Load(), err, tc.want)
		}
	}
}

// TestPagingGoesOnByTheRowsReceivedWhenEndRowFallsShort: an envelope whose endRow
// is missing (0) or short of the rows sent still moves the listing forward by the
// rows received, so every row is read once and none is asked for twice.
func TestPagingGoesOnByTheRowsReceivedWhenEndRowFallsShort(t *testing.T) {
	const total, pageSize = 25, 10
	var mu sync.Mutex
	var starts []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"data":{"id":"own","session_token":"t"}}`))
			return
		}
		start, _ := strconv.Atoi(r.URL.Query().Get("startRow"))
		mu.Lock()
		starts = append(starts, r.URL.Query().Get("startRow"))
		mu.Unlock()
		data := []map[string]any{}
		for i := start; i < min(start+pageSize, total); i++ {
			data = append(data, map[string]any{"id": fmt.Sprintf("tok-%04d", i)})
		}
		w.WriteHeader(http.StatusPartialContent)
		_ = json.NewEncoder(w).Encode(map[string]any{"startRow": start, "totalRows": total, "data": data}) // no endRow
	}))
	defer server.Close()
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond}, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := client.ListTokens(context.Background(), ListOptions{PageSize: pageSize})
	if err != nil || len(tokens) != total || strings.Join(starts, ",") != "0,10,20" {
		t.Fatalf("%d tokens, %v, startRows %v; want %d tokens from startRows 0,10,20", len(tokens), err, starts, total)
	}
}

// TestRepliesOutsideTheAPIAreErrors: only a 2xx is a success, so a 3xx is an error
// even when its body is JSON; an error reply in JSON without Nimble's messages is named
// by its status text and what came instead, never by an empty text.
func TestRepliesOutsideTheAPIAreErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{http.StatusMultipleChoices, `{"data":{"id":"tok-1","username":"alice"}}`,
			`Nimble token get: HTTP 300: Multiple Choices (a redirect without a Location, no Content-Type, body "{\"data\":{\"id\":\"tok-1\",\"username\":\"alice\"}}")`},
		{http.StatusConflict, `{"messages":[]}`, `Nimble token get: HTTP 409: Conflict (no Content-Type, body "{\"messages\":[]}")`},
		{http.StatusBadRequest, `{"error":"bad"}`, `Nimble token get: HTTP 400: Bad Request (no Content-Type, body "{\"error\":\"bad\"}")`},
	} {
		server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(`{"data":{"id":"own","session_token":"t"}}`))
				return
			}
			w.Header()["Content-Type"] = nil
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond}, Username: "u", Password: "p"})
		if err != nil {
			t.Fatal(err)
		}
		token, err := client.GetToken(context.Background(), "tok-1")
		server.Close()
		if err == nil || err.Error() != tc.want {
			t.Errorf("HTTP %d %s: got %+v, %v\nwant the error %s", tc.status, tc.body, token, err, tc.want)
		}
	}
}
