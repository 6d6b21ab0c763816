package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

type harness struct {
	t      *testing.T
	mock   *Server
	server *httptest.Server
	cookie string
}

func newHarness(t *testing.T) *harness {
	return newHarnessWith(t, Options{})
}

func (h *harness) do(method, path, contentType, body string) (int, string) {
	req, _ := http.NewRequest(method, h.server.URL+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if h.cookie != "" {
		req.Header.Set("Cookie", h.cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func TestStrictAboutTheWireFormat(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		name, method, path, contentType, body string
		status                                int
		want                                  string
	}{
		{"no content type", "POST", "/nitro/v2/config/mpsuser", "", `{"mpsuser":{"name":"a","password":"p"}}`, 415, `"errorcode":1092`},
		{"no envelope", "POST", "/nitro/v2/config/mpsuser", "application/json", `{"name":"a","password":"p"}`, 400, `{\"mpsuser\":{...}}`},
		{"unknown field", "POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"a","password":"p","role":"x"}}`, 400, `unknown field`},
		{"wrong type", "POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"a","password":"p","groups":"admin"}}`, 400, `"errorcode":1097`},
		{"missing password", "POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"a"}}`, 400, `password is required`},
		{"duplicate", "POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"nsroot","password":"p"}}`, 409, `"errorcode":273`},
		{"PUT id mismatch", "PUT", "/nitro/v2/config/mpsuser/abc", "application/json", `{"mpsuser":{"id":"xyz"}}`, 400, `must match the URL`},
		{"odd boolean string", "POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"a","password":"p","enable_session_timeout":"yes"}}`, 400, `not a Boolean value`},
		{"boolean as number", "POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"a","password":"p","unlock":1}}`, 400, `not a Boolean value`},
		{"integer as text", "POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"a","password":"p","session_timeout":"ten"}}`, 400, `not an Integer value`},
		{"fraction", "POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"a","password":"p","session_timeout":10.5}}`, 400, `not an Integer value`},
		{"DELETE without args", "DELETE", "/nitro/v2/config/mpsuser", "", ``, 400, `needs args=`},
		{"DELETE by unknown arg", "DELETE", "/nitro/v2/config/mpsuser?args=tenant_id:x", "", ``, 400, `Invalid args`},
		{"logout unknown field", "POST", "/nitro/v2/config/logout", "application/json", `{"logout":{"token":"x"}}`, 400, `unknown field`},
		{"wrong method", "PATCH", "/nitro/v2/config/mpsuser", "application/json", `{}`, 405, `"errorcode":1092`},
		{"bad filter", "GET", "/nitro/v2/config/mpsuser?filter=nocolon", "", ``, 400, `Invalid filter`},
		{"bad paging", "GET", "/nitro/v2/config/mpsuser?pagesize=0&pageno=1", "", ``, 400, `pagesize and pageno`},
		{"missing user", "GET", "/nitro/v2/config/mpsuser/nope", "", ``, 404, `"errorcode":258`},
		{"cluster without token", "GET", "/api/cluster/v2/clusterConfig/userSessions", "", ``, 401, `"error":{"code":401`},
		{"nimble without token", "GET", "/v1/tokens/detail", "", ``, 401, `SM_http_unauthorized`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.do(tc.method, tc.path, tc.contentType, tc.body)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Fatalf("%d %s; want %d with %q", status, body, tc.status, tc.want)
			}
		})
	}
}

func TestExpiredSessionIsRefused(t *testing.T) {
	h := newHarness(t)
	h.mock.ExpireSessions()
	status, body := h.do("GET", "/nitro/v2/config/mpsuser", "", "")
	if status != 401 || !strings.Contains(body, `"errorcode":444`) {
		t.Fatalf("%d %s", status, body)
	}
}

// TestLimitsCountCharacters: the mpsuser reference's 128 is characters, so 128 CJK
// characters (384 bytes) are a valid name and 129 are not.
func TestLimitsCountCharacters(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		count int
		valid bool
	}{{43, true}, {128, true}, {129, false}} {
		body := `{"mpsuser":{"name":"` + strings.Repeat("名", tc.count) + `","password":"` + strings.Repeat("é", tc.count) + `"}}`
		if status, reply := h.do("POST", "/nitro/v2/config/mpsuser", "application/json", body); (status < 300) != tc.valid {
			t.Errorf("%d characters: %d %s; valid: %t", tc.count, status, reply, tc.valid)
		}
	}
}

func TestPagingCountAndFilter(t *testing.T) {
	h := newHarness(t)
	h.mock.SeedUsers("p", 25)
	_, body := h.do("GET", "/nitro/v2/config/mpsuser?pagesize=10&pageno=3", "", "")
	var reply struct {
		Users []map[string]any `json:"mpsuser"`
	}
	_ = json.Unmarshal([]byte(body), &reply)
	if len(reply.Users) != 6 || reply.Users[5]["name"] != "p-0025" {
		t.Fatalf("page 3 of 26 by 10: %d users", len(reply.Users))
	}
	if reply.Users[0]["one_way_password"] == nil {
		t.Fatal("like ADM, the mock echoes password hashes so clients prove they drop them")
	}
	if _, body := h.do("GET", "/nitro/v2/config/mpsuser?count=yes&filter=groups:readonly", "", ""); !strings.Contains(body, `"__count":"25"`) {
		t.Fatalf("count: %s", body)
	}
}

// TestUserPagingQuirks: appliances that ignore the paging parameters answer every
// user to every call; offset paging with users added ahead of the reader repeats the
// last users of the page before.
func TestUserPagingQuirks(t *testing.T) {
	names := func(t *testing.T, body string) []string {
		var reply struct {
			Users []struct {
				Name string `json:"name"`
			} `json:"mpsuser"`
		}
		if err := json.Unmarshal([]byte(body), &reply); err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(reply.Users))
		for i, u := range reply.Users {
			out[i] = u.Name
		}
		return out
	}
	for _, tc := range []struct {
		paging     string
		page2      int    // users on page 2 of 26 by 10
		page2First string // its first user
	}{
		{PagingExact, 10, "p-0010"},
		{PagingIgnored, 26, "nsroot"},
		{PagingOverlapping, 10, "p-0007"},
	} {
		t.Run(tc.paging, func(t *testing.T) {
			h := newHarnessWith(t, Options{UserPaging: tc.paging})
			h.mock.SeedUsers("p", 25)
			got := names(t, mustOK(t, h, "/nitro/v2/config/mpsuser?pagesize=10&pageno=2"))
			if len(got) != tc.page2 || got[0] != tc.page2First {
				t.Errorf("page 2: %d users from %v, want %d from %s", len(got), got[:min(len(got), 1)], tc.page2, tc.page2First)
			}
			if body := mustOK(t, h, "/nitro/v2/config/mpsuser?count=yes"); !strings.Contains(body, `"__count":"26"`) {
				t.Errorf("count: %s", body)
			}
			if n := h.mock.CountPath("GET", "/nitro/v2/config/mpsuser"); n != 2 {
				t.Errorf("CountPath: %d list calls, want 2", n)
			}
		})
	}
}

func mustOK(t *testing.T, h *harness, path string) string {
	t.Helper()
	status, body := h.do("GET", path, "", "")
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	return body
}

// TestEachSignInOpensASessionWithRealisticValues, in both NITRO dialects: ADM's, with
// numbers and booleans as strings (the default), and the reference pages' typed JSON.
func TestEachSignInOpensASessionWithRealisticValues(t *testing.T) {
	for dialect, typedFields := range map[string][]string{
		DialectStrings: {`"is_self":"true"`, `"is_external_auth":"false"`, `"session_timeout":"1800"`, `"expire_after":"`, `"login_time":"`, `"port":"`},
		DialectTyped:   {`"is_self":true`, `"is_external_auth":false`, `"session_timeout":1800`, `"expire_after":1`, `"login_time":1`, `"port":`},
	} {
		t.Run(dialect, func(t *testing.T) {
			h := newHarnessWith(t, Options{NITRODialect: dialect})
			_, body := h.do("GET", "/nitro/v1/config/mpssession", "", "")
			for _, field := range append([]string{`"errorcode":0,`, `"username":"nsroot"`, `"client_type":"API"`, `"ip_address":"127.0.0.1"`, `"last_activity_time":`}, typedFields...) {
				if !strings.Contains(body, field) {
					t.Errorf("session list lacks %s: %s", field, body)
				}
			}
			h.do("POST", "/nitro/v1/config/logout", "application/json", `{"logout":{}}`)
			if len(h.mock.Sessions()) != 0 {
				t.Fatal("logout must remove the session")
			}
		})
	}
}

// TestSessionWithoutIsSelf: a session seeded WithoutIsSelf has no is_self in any
// reply; the others keep theirs.
func TestSessionWithoutIsSelf(t *testing.T) {
	h := newHarness(t)
	unclear := h.mock.SeedSession(SessionSeed{Username: "dana", WithoutIsSelf: true})
	h.mock.SeedSession(SessionSeed{Username: "dana"})
	for _, path := range []string{"/nitro/v1/config/mpssession", "/nitro/v2/config/mpssession", "/nitro/v2/config/mpssession/" + unclear} {
		body := mustOK(t, h, path)
		sessions, withIsSelf := strings.Count(body, `"username":`), strings.Count(body, `"is_self":`)
		if withIsSelf != sessions-1 {
			t.Errorf("GET %s: %d sessions, %d with is_self; want all but %s: %s", path, sessions, withIsSelf, unclear, body)
		}
	}
}

// TestConcurrentUse drives every API at once; run with -race.
func TestConcurrentUse(t *testing.T) {
	h := newHarness(t)
	h.mock.SeedTokens(TokenSeed{Count: 50})
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := fmt.Sprintf("c-%d", i)
			h.do("POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"`+name+`","password":"p"}}`)
			h.do("GET", "/nitro/v2/config/mpsuser?filter=name:"+name, "", "")
			h.do("GET", "/nitro/v1/config/mpssession", "", "")
			h.mock.EditUser(name, func(u *User) { u.TenantID = "t" })
			h.mock.SeedSession(SessionSeed{Username: name})
			h.mock.Counts()
			h.mock.DeleteUser(name)
		}(i)
	}
	wg.Wait()
	if n := h.mock.Count(RouteUserAdd); n != 40 {
		t.Fatalf("%d adds counted, want 40", n)
	}
}

func newHarnessWith(t *testing.T, opts Options) *harness {
	t.Helper()
	h := &harness{t: t, mock: New(opts)}
	h.server = httptest.NewServer(h.mock)
	t.Cleanup(h.server.Close)
	status, body := h.do("POST", "/nitro/v1/config/login", "application/json", `{"login":{"username":"nsroot","password":"nsroot"}}`)
	var reply struct {
		Login []struct{ SessionID string } `json:"login"`
	}
	if err := json.Unmarshal([]byte(body), &reply); status != 200 || err != nil || len(reply.Login) != 1 {
		t.Fatalf("login: %d %s", status, body)
	}
	h.cookie = "NITRO_AUTH_TOKEN=" + reply.Login[0].SessionID
	return h
}

func sessionNames(t *testing.T, body string) []string {
	t.Helper()
	var reply struct {
		Sessions []struct {
			Username string `json:"username"`
		} `json:"mpssession"`
	}
	if err := json.Unmarshal([]byte(body), &reply); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	names := make([]string, 0, len(reply.Sessions))
	for _, s := range reply.Sessions {
		names = append(names, s.Username)
	}
	return names
}

func TestADMGenerations(t *testing.T) {
	t.Run("current serves mpssession at v2 with filter, paging and count", func(t *testing.T) {
		h := newHarnessWith(t, Options{})
		for i := 0; i < 5; i++ {
			h.mock.SeedSession(SessionSeed{Username: "alice"})
			h.mock.SeedSession(SessionSeed{Username: "bob"})
		}
		if status, body := h.do("GET", "/nitro/v2/config/mpssession?filter=username:alice", "", ""); status != 200 || len(sessionNames(t, body)) != 5 {
			t.Fatalf("filter: %d %s", status, body)
		}
		if _, body := h.do("GET", "/nitro/v2/config/mpssession?pagesize=4&pageno=3", "", ""); len(sessionNames(t, body)) != 3 {
			t.Fatalf("page 3 of 11 sessions by 4: %s", body)
		}
		if _, body := h.do("GET", "/nitro/v2/config/mpssession?count=yes&filter=username:bob", "", ""); !strings.Contains(body, `"__count":"5"`) {
			t.Fatalf("count: %s", body)
		}
		id := h.mock.SeedSession(SessionSeed{Username: "carol"})
		if status, body := h.do("DELETE", "/nitro/v2/config/mpssession/"+id, "", ""); status != 200 || h.mock.EndSession(id) {
			t.Fatalf("v2 delete: %d %s", status, body)
		}
	})
	t.Run("v1 ignores query parameters on every generation", func(t *testing.T) {
		for _, generation := range []string{GenerationCurrent, GenerationLegacy} {
			h := newHarnessWith(t, Options{ADMGeneration: generation})
			h.mock.SeedSession(SessionSeed{Username: "alice"})
			h.mock.SeedSession(SessionSeed{Username: "bob"})
			if _, body := h.do("GET", "/nitro/v1/config/mpssession?filter=username:alice&pagesize=1&pageno=1", "", ""); len(sessionNames(t, body)) != 3 {
				t.Fatalf("%s: v1 must return every session (2 seeded and the caller's): %s", generation, body)
			}
		}
	})
	t.Run("legacy has no mpssession at v2", func(t *testing.T) {
		h := newHarnessWith(t, Options{ADMGeneration: GenerationLegacy})
		if status, body := h.do("GET", "/nitro/v2/config/mpssession", "", ""); status != 404 || !strings.Contains(body, `"errorcode":258`) {
			t.Fatalf("%d %s", status, body)
		}
		id := h.mock.SeedSession(SessionSeed{Username: "alice"})
		if status, body := h.do("DELETE", "/nitro/v1/config/mpssession/"+id, "", ""); status != 200 {
			t.Fatalf("v1 delete: %d %s", status, body)
		}
	})
}

func nimbleSignIn(t *testing.T, h *harness) (token, id string) {
	t.Helper()
	saved := h.cookie
	h.cookie = ""
	defer func() { h.cookie = saved }()
	status, body := h.do("POST", "/v1/tokens", "application/json", `{"data":{"username":"admin","password":"admin"}}`)
	var reply struct {
		Data struct {
			ID           string `json:"id"`
			SessionToken string `json:"session_token"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &reply); status != 201 || err != nil {
		t.Fatalf("sign-in: %d %s", status, body)
	}
	return reply.Data.SessionToken, reply.Data.ID
}

// withHeader sends a body-less request with one header set, as the Nimble and
// Cluster APIs authenticate.
func (h *harness) withHeader(method, path, name, value string) (int, string) {
	h.t.Helper()
	header := http.Header{}
	header.Set(name, value)
	resp, body := h.send(method, path, header, "")
	return resp.StatusCode, body
}

func (h *harness) nimble(method, path, token string) (int, string) {
	return h.withHeader(method, path, "X-Auth-Token", token)
}

func TestNimblePartialPagesAndSignOut(t *testing.T) {
	h := newHarness(t)
	h.mock.SeedTokens(TokenSeed{Count: 9})
	token, id := nimbleSignIn(t, h)
	for _, tc := range []struct {
		query  string
		status int
		rows   string
	}{
		{"startRow=0&pageSize=4", 206, `"endRow":4`},
		{"startRow=8&pageSize=4", 206, `"endRow":10`}, // the last page of 10 rows is partial content too
		{"startRow=0&endRow=10", 200, `"totalRows":10`},
		{"", 200, `"totalRows":10`},
	} {
		if status, body := h.nimble("GET", "/v1/tokens/detail?"+tc.query, token); status != tc.status || !strings.Contains(body, tc.rows) {
			t.Errorf("%s: %d %s; want %d with %s", tc.query, status, body, tc.status, tc.rows)
		}
	}
	if status, body := h.nimble("DELETE", "/v1/tokens/"+id, token); status != 200 {
		t.Fatalf("sign-out by DELETE: %d %s", status, body)
	}
	if status, _ := h.nimble("GET", "/v1/tokens/detail", token); status != 401 {
		t.Fatalf("a deleted token must no longer authenticate: %d", status)
	}
	other, _ := nimbleSignIn(t, h)
	if status, body := h.nimble("DELETE", "/v1/tokens/"+id, other); status != 404 || !strings.Contains(body, "SM_http_not_found") {
		t.Fatalf("deleting an ended token: %d %s", status, body)
	}
}

func TestPersistentFault(t *testing.T) {
	h := newHarness(t)
	h.mock.InjectFault(Fault{Route: RouteUserAdd, Count: Persistent, Status: http.StatusTooManyRequests, RetryAfter: "1"})
	for i := 0; i < 5; i++ {
		if status, _ := h.do("POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"a","password":"p"}}`); status != 429 {
			t.Fatalf("attempt %d: %d, want 429 every time", i, status)
		}
	}
	if status, _ := h.do("GET", "/nitro/v2/config/mpsuser", "", ""); status != 200 {
		t.Fatalf("other routes are unaffected: %d", status)
	}
	h.mock.ClearFaults()
	if status, _ := h.do("POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"a","password":"p"}}`); status != 200 {
		t.Fatalf("after ClearFaults: %d", status)
	}
}

// TestFaultsAfterTheRequestWasCarriedOut: a dropped reply and a reply rewritten by a
// proxy (an HTML page, a truncated body) still leave the user stored, exactly once.
func TestFaultsAfterTheRequestWasCarriedOut(t *testing.T) {
	h := newHarness(t)
	add := func(name string) (*http.Response, error) {
		req, _ := http.NewRequest("POST", h.server.URL+"/nitro/v2/config/mpsuser", strings.NewReader(`{"mpsuser":{"name":"`+name+`","password":"p"}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", h.cookie)
		return http.DefaultClient.Do(req)
	}
	h.mock.InjectFault(Fault{Route: RouteUserAdd, DropReply: true})
	if resp, err := add("dropped"); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("dropped reply: got HTTP %d, want no reply", resp.StatusCode)
	}
	for _, tc := range []struct{ rewrite, name, contentType string }{
		{RewriteHTML, "html", "text/html; charset=utf-8"},
		{RewriteTruncate, "truncated", "application/json"},
	} {
		h.mock.InjectFault(Fault{Route: RouteUserAdd, Rewrite: tc.rewrite})
		resp, err := add(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.contentType || json.Valid(body) || len(body) == 0 {
			t.Errorf("%s: HTTP %d, %s, %q; want 200, %s and a body that is not JSON", tc.rewrite, resp.StatusCode, resp.Header.Get("Content-Type"), body, tc.contentType)
		}
	}
	for _, name := range []string{"dropped", "html", "truncated"} {
		if _, found := h.mock.UserByName(name); !found {
			t.Errorf("user %q was not stored", name)
		}
	}
	if status, _ := h.do("POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"html","password":"p"}}`); status != http.StatusConflict {
		t.Errorf("adding a rewritten user again: HTTP %d, want 409", status)
	}
}

func (h *harness) cluster(method, path string) (int, string) {
	return h.withHeader(method, path, "Authorization", "Api-Token mock-cluster-token")
}

// TestClusterLiveSessions: GET lists every session or one user's, with the API's
// fields in epoch milliseconds; DELETE ends one user's sessions and answers as the
// Cluster API does without a user id (400) and for a user without sessions (404).
func TestClusterLiveSessions(t *testing.T) {
	h := newHarness(t)
	alice := h.mock.SeedClusterSessions(ClusterSessionSeed{UserID: "alice@example.com", Count: 2, LoginType: "SSO_MANAGED"})
	h.mock.SeedClusterSessions(ClusterSessionSeed{UserID: "bob", TenantUUID: "env-1"})
	list := func(query string) []map[string]any {
		t.Helper()
		status, body := h.cluster("GET", "/api/cluster/v2/userSessions"+query)
		var sessions []map[string]any
		if err := json.Unmarshal([]byte(body), &sessions); status != 200 || err != nil {
			t.Fatalf("GET %s: %d %s", query, status, body)
		}
		return sessions
	}
	all := list("")
	if len(all) != 3 {
		t.Fatalf("%d sessions, want 3", len(all))
	}
	for _, field := range []string{"userId", "nodeId", "sessionId", "creationTime", "lastAccessedTimestamp", "tenantUuid", "loginType", "device", "ip"} {
		if _, ok := all[0][field]; !ok {
			t.Errorf("a session lacks %s: %v", field, all[0])
		}
	}
	if all[0]["sessionId"] != alice[0].SessionID || all[0]["lastAccessedTimestamp"] != float64(alice[0].LastAccessed.UnixMilli()) || all[0]["loginType"] != "SSO_MANAGED" {
		t.Fatalf("first session %v, seeded %+v", all[0], alice[0])
	}
	if got := list("?userId=alice%40example.com"); len(got) != 2 {
		t.Fatalf("alice has %d sessions, want 2", len(got))
	}
	for _, tc := range []struct {
		method, query string
		status        int
		want          string
	}{
		{"DELETE", "", 400, "User id must be filled in"},
		{"DELETE", "?userId=", 400, "User id must be filled in"},
		{"DELETE", "?userId=carol", 404, "User sessions not found"},
		{"DELETE", "?userId=alice%40example.com", 200, ""},
		{"DELETE", "?userId=alice%40example.com", 404, "User sessions not found"},
		{"PUT", "?userId=bob", 405, `"error":{"code":405`},
	} {
		if status, body := h.cluster(tc.method, "/api/cluster/v2/userSessions"+tc.query); status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s: %d %s; want %d with %q", tc.method, tc.query, status, body, tc.status, tc.want)
		}
	}
	if left := h.mock.ClusterSessions(); len(left) != 1 || left[0].UserID != "bob" {
		t.Fatalf("after ending alice's sessions: %+v", left)
	}
	if status, _ := h.do("GET", "/api/cluster/v2/userSessions", "", ""); status != 401 {
		t.Fatalf("without a token: %d", status)
	}
	if n := h.mock.Count(RouteClusterSessionEnd); n != 5 {
		t.Fatalf("%d DELETEs counted, want 5", n)
	}
	issued := strings.Join(h.mock.IssuedCredentials(), " ")
	if !strings.Contains(issued, alice[1].SessionID) {
		t.Fatal("seeded cluster session ids must be among the issued credentials")
	}
}

// TestRouteNamesAreServed: every exported route name is the name the mock gives a
// request to that route, so a test cannot count or fault a route the mock never serves.
func TestRouteNamesAreServed(t *testing.T) {
	s := New(Options{})
	for _, route := range []string{
		RouteNITROLogin, RouteNITROLogout, RouteNITROLoginV2, RouteNITROLogoutV2, RouteUserDeleteByArgs, RouteUserAdd, RouteUserList, RouteUserGet, RouteUserUpdate, RouteUserDelete,
		RouteSessionListV1, RouteSessionGetV1, RouteSessionDeleteV1, RouteSessionListV2, RouteSessionGetV2, RouteSessionDeleteV2,
		RoutePolicyGet, RoutePolicyPut, RouteClusterSessionList, RouteClusterSessionEnd,
		RouteNimbleSignIn, RouteTokenList, RouteTokenGet, RouteTokenDelete,
	} {
		method, pattern, _ := strings.Cut(route, " ")
		r := httptest.NewRequest(method, strings.ReplaceAll(pattern, "{id}", "some%2Fid"), nil)
		if _, served := s.mux.Handler(r); routeName(r, served) != route {
			t.Errorf("%s is served as %q", route, routeName(r, served))
		}
	}
}

// send is one request with exactly the headers given (h.cookie is not added).
func (h *harness) send(method, path string, header http.Header, body string) (*http.Response, string) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.server.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

// TestAcceptsWhatADMAccepts: what Citrix's automation sends and ADM takes, beyond the
// reference pages: string-typed fields, sign-in and sign-out at NITRO v2 (with the
// session named in the logout body), PUT without the id in the body, DELETE on the
// collection with args=, X-NITRO-USER/X-NITRO-PASS on any call, and a session cookie
// that covers all of /nitro.
func TestAcceptsWhatADMAccepts(t *testing.T) {
	h := newHarness(t)
	jsonHeader := func(extra ...string) http.Header {
		header := http.Header{"Content-Type": {"application/json"}}
		for i := 0; i+1 < len(extra); i += 2 {
			header.Set(extra[i], extra[i+1])
		}
		return header
	}

	status, body := h.do("POST", "/nitro/v2/config/mpsuser", "application/json",
		`{"mpsuser":{"name":"a,b","password":"p","session_timeout":"10","enable_session_timeout":"true","external_authentication":"false","unlock":"false"}}`)
	stored, _ := h.mock.UserByName("a,b")
	if status != 200 || stored.SessionTimeout != 10 || !stored.EnableSessionTimeout || stored.ExternalAuthentication {
		t.Fatalf("string-typed add: %d %s; stored %+v", status, body, stored)
	}
	if status, body := h.do("PUT", "/nitro/v2/config/mpsuser/"+stored.ID, "application/json", `{"mpsuser":{"name":"a,b","session_timeout":"20"}}`); status != 200 || !strings.Contains(body, `"session_timeout":"20"`) {
		t.Fatalf("PUT without id: %d %s", status, body)
	}

	// X-NITRO-USER/X-NITRO-PASS instead of the cookie, on reads and writes alike.
	asNsroot := jsonHeader("X-NITRO-USER", "nsroot", "X-NITRO-PASS", "nsroot")
	for _, call := range []struct{ method, path, body string }{
		{"GET", "/nitro/v2/config/mpsuser?filter=tenant_id:owner-tenant", ""},
		{"GET", "/nitro/v2/config/mpssession", ""},
		{"PUT", "/nitro/v2/config/mpsuser/" + stored.ID, `{"mpsuser":{"id":"` + stored.ID + `","tenant_id":"t2"}}`},
	} {
		if resp, body := h.send(call.method, call.path, asNsroot, call.body); resp.StatusCode != 200 {
			t.Errorf("%s %s with X-NITRO-USER: %d %s", call.method, call.path, resp.StatusCode, body)
		}
	}
	if resp, body := h.send("GET", "/nitro/v2/config/mpsuser", jsonHeader("X-NITRO-USER", "nsroot", "X-NITRO-PASS", "wrong"), ""); resp.StatusCode != 401 || !strings.Contains(body, `"errorcode":354`) {
		t.Errorf("a wrong X-NITRO-PASS: %d %s", resp.StatusCode, body)
	}
	h.mock.EditUser("a,b", func(u *User) { u.Password, u.ExternalAuthentication = "", true })
	if resp, _ := h.send("GET", "/nitro/v2/config/mpsuser", jsonHeader("X-NITRO-USER", "a,b", "X-NITRO-PASS", ""), ""); resp.StatusCode != 401 {
		t.Errorf("a user without a password must not sign in with an empty X-NITRO-PASS: %d", resp.StatusCode)
	}

	// DELETE on the collection; each value escaped on its own, as the collection does.
	args := "?args=name:" + url.QueryEscape("a,b") + ",id:" + url.QueryEscape(stored.ID)
	if status, body := h.do("DELETE", "/nitro/v2/config/mpsuser?args=name:other,id:"+stored.ID, "", ""); status != 404 {
		t.Fatalf("args naming two different users: %d %s", status, body)
	}
	if status, body := h.do("DELETE", "/nitro/v2/config/mpsuser?args=name:nsroot", "", ""); status != 400 || !strings.Contains(body, "default user") {
		t.Fatalf("deleting nsroot by args: %d %s", status, body)
	}
	if status, body := h.do("DELETE", "/nitro/v2/config/mpsuser"+args, "", ""); status != 200 {
		t.Fatalf("DELETE by args: %d %s", status, body)
	}
	if _, found := h.mock.UserByName("a,b"); found || h.mock.Count(RouteUserDeleteByArgs) != 3 {
		t.Fatalf("user still there (%v) or %d DELETEs by args counted", found, h.mock.Count(RouteUserDeleteByArgs))
	}

	// Sign-in at v2; its cookie alone, kept by a cookie jar, works at v1 and v2.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Post(h.server.URL+"/nitro/v2/config/login", "application/json", strings.NewReader(`{"login":{"username":"nsroot","password":"nsroot","timeout":"900"}}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("v2 login: %v %v", resp, err)
	}
	_ = resp.Body.Close()
	for _, path := range []string{"/nitro/v2/config/mpsuser", "/nitro/v1/config/mpssession"} {
		if resp, err := browser.Get(h.server.URL + path); err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s with the login cookie: %v %v", path, resp, err)
		} else {
			_ = resp.Body.Close()
		}
	}
	sessionID := ""
	for _, cookie := range resp.Cookies() {
		sessionID = cookie.Value
	}
	cookie := jsonHeader("Cookie", "NITRO_AUTH_TOKEN="+sessionID)
	other := h.mock.SeedSession(SessionSeed{Username: "bob"})
	var bobs string
	for _, s := range h.mock.Sessions() {
		if s.ID == other {
			bobs = s.SessionID
		}
	}
	if resp, body := h.send("POST", "/nitro/v2/config/logout", cookie, `{"logout":{"sessionid":"`+bobs+`"}}`); resp.StatusCode != 400 {
		t.Fatalf("logging out someone else's session: %d %s", resp.StatusCode, body)
	}
	before := len(h.mock.Sessions())
	if resp, body := h.send("POST", "/nitro/v2/config/logout", asNsroot, `{"logout":{"sessionid":"`+sessionID+`"}}`); resp.StatusCode != 200 || len(h.mock.Sessions()) != before-1 {
		t.Fatalf("v2 logout naming the session: %d %s, %d sessions left of %d", resp.StatusCode, body, len(h.mock.Sessions()), before)
	}
	if resp, _ := h.send("GET", "/nitro/v2/config/mpsuser", cookie, ""); resp.StatusCode != 401 {
		t.Fatalf("the logged-out session still works: %d", resp.StatusCode)
	}
	if h.mock.Count(RouteNITROLoginV2) != 1 || h.mock.Count(RouteNITROLogoutV2) != 2 {
		t.Fatalf("counts: %v", h.mock.Counts())
	}
}

// TestEmptyGroupsAsNull: with the option, a user without groups is answered with
// "groups": null in the create reply, reads and lists; a user with groups keeps them.
func TestEmptyGroupsAsNull(t *testing.T) {
	h := newHarnessWith(t, Options{EmptyGroupsAsNull: true})
	status, created := h.do("POST", "/nitro/v2/config/mpsuser", "application/json", `{"mpsuser":{"name":"bare","password":"pw"}}`)
	if status != http.StatusOK && status != http.StatusCreated || !strings.Contains(created, `"groups":null`) {
		t.Fatalf("create reply: %d %s", status, created)
	}
	if body := mustOK(t, h, "/nitro/v2/config/mpsuser?filter=name:bare"); !strings.Contains(body, `"groups":null`) {
		t.Errorf("list: %s", body)
	}
	if body := mustOK(t, h, "/nitro/v2/config/mpsuser?filter=name:nsroot"); !strings.Contains(body, `"groups":["admin"]`) {
		t.Errorf("a user with groups: %s", body)
	}
}

// TestHoldCarriesOutAWriteAndHoldsItsReply: a held request is carried out at once and
// its reply held until the test's release, as an appliance's reply to a write it has
// made may be; a client that gives up meanwhile gets none; only the next request is
// held.
func TestHoldCarriesOutAWriteAndHoldsItsReply(t *testing.T) {
	h := newHarness(t)
	add := func(ctx context.Context, name string) error {
		req, _ := http.NewRequestWithContext(ctx, "POST", h.server.URL+"/nitro/v2/config/mpsuser", strings.NewReader(`{"mpsuser":{"name":"`+name+`","password":"p"}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", h.cookie)
		resp, err := (&http.Client{Transport: &http.Transport{}}).Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		return err
	}
	for _, giveUp := range []bool{false, true} {
		name := fmt.Sprintf("held-%t", giveUp)
		held, release := h.mock.Hold(RouteUserAdd)
		defer release() // a failed check must not leave the reply held
		ctx, cancel := context.WithCancel(context.Background())
		var released atomic.Bool
		replied := make(chan error)
		go func() {
			err := add(ctx, name)
			if err == nil && !released.Load() {
				err = fmt.Errorf("answered before its release")
			}
			replied <- err
		}()
		<-held
		if _, found := h.mock.UserByName(name); !found {
			t.Fatalf("%s: the held add was not carried out", name)
		}
		if giveUp {
			cancel()
			if err := <-replied; err == nil {
				t.Fatalf("%s: the client that gave up got a reply", name)
			}
		}
		released.Store(true)
		release()
		if !giveUp {
			if err := <-replied; err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		cancel()
	}
	if err := add(context.Background(), "next"); err != nil {
		t.Fatalf("the next add: %v", err)
	}
}
