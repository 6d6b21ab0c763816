package mock

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

type harness struct {
	t      *testing.T
	mock   *Server
	server *httptest.Server
	cookie string
}

func newHarness(t *testing.T) *harness {
	m := New(Options{})
	server := httptest.NewServer(m)
	t.Cleanup(server.Close)
	h := &harness{t: t, mock: m, server: server}
	status, body := h.do("POST", "/nitro/v1/config/login", "application/json", `{"login":{"username":"nsroot","password":"nsroot"}}`)
	if status != 200 {
		t.Fatalf("login: %d %s", status, body)
	}
	var reply struct {
		Login []struct{ SessionID string } `json:"login"`
	}
	_ = json.Unmarshal([]byte(body), &reply)
	h.cookie = "NITRO_AUTH_TOKEN=" + reply.Login[0].SessionID
	return h
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

func TestEachSignInOpensASessionWithRealisticValues(t *testing.T) {
	h := newHarness(t)
	_, body := h.do("GET", "/nitro/v1/config/mpssession", "", "")
	for _, field := range []string{`"username":"nsroot"`, `"client_type":"API"`, `"ip_address":"127.0.0.1"`, `"is_self":true`, `"session_timeout":1800`, `"expire_after":`, `"login_time":`, `"last_activity_time":`, `"port":`} {
		if !strings.Contains(body, field) {
			t.Errorf("session list lacks %s: %s", field, body)
		}
	}
	h.do("POST", "/nitro/v1/config/logout", "application/json", `{"logout":{}}`)
	if len(h.mock.Sessions()) != 0 {
		t.Fatal("logout must remove the session")
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
	if n := h.mock.Count("POST /nitro/v2/config/mpsuser"); n != 40 {
		t.Fatalf("%d adds counted, want 40", n)
	}
}
