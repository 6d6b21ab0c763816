package nitro

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// recorder is an appliance whose sign-in and item replies a test scripts; it records
// every request as "METHOD path?query cookie body".
type recorder struct {
	mu       sync.Mutex
	requests []string
	signIns  int
}

func (r *recorder) record(req *http.Request, body string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	line := req.Method + " " + req.URL.Path
	if req.URL.RawQuery != "" {
		line += "?" + req.URL.RawQuery
	}
	r.requests = append(r.requests, line+" "+req.Header.Get("Cookie")+" "+body)
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.requests...)
}

// scriptedClient serves sign-ins with the session ids "s1", "s2", … and hands every
// other request to serve, with the session id its cookie carries.
func scriptedClient(t *testing.T, serve func(w http.ResponseWriter, r *http.Request, session string)) (*Client, *recorder) {
	t.Helper()
	rec := &recorder{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 1024)
		n, _ := r.Body.Read(body)
		rec.record(r, string(body[:n]))
		if r.URL.Path == loginPath {
			rec.mu.Lock()
			rec.signIns++
			id := "s" + string(rune('0'+rec.signIns))
			rec.mu.Unlock()
			_, _ = w.Write([]byte(`{"errorcode":0,"login":[{"sessionid":"` + id + `"}]}`))
			return
		}
		session, _ := strings.CutPrefix(r.Header.Get("Cookie"), cookieName+"=")
		serve(w, r, session)
	}))
	t.Cleanup(server.Close)
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, MaxRetries: 1, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond}, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	return client, rec
}

// TestExpiredSessionByErrorcode444IsRenewed: an appliance reports an expired session
// with HTTP 401 or with errorcode 444 on an error status; either way the client signs
// in again once and repeats the call, which then succeeds.
func TestExpiredSessionByErrorcode444IsRenewed(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, 440} {
		client, rec := scriptedClient(t, func(w http.ResponseWriter, _ *http.Request, session string) {
			if session == "s1" {
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{"errorcode":444,"message":"Session expired or killed. Please login again","severity":"ERROR"}`))
				return
			}
			_, _ = w.Write([]byte(`{"errorcode":0,"mpsuser":[{"id":"7","name":"alice"}]}`))
		})
		user, err := client.GetUser(context.Background(), "7")
		if err != nil || user.Name != "alice" || rec.signIns != 2 || len(rec.all()) != 4 {
			t.Errorf("HTTP %d with errorcode 444: %+v, %v after %d sign-ins and requests %q; want alice after one renewal", status, user, err, rec.signIns, rec.all())
		}
	}
}

// TestOtherErrorsKeepTheSession: an error that is not an expiry (a missing object,
// errorcode 258; a refused argument) is the call's answer: no second sign-in, no
// repeat.
func TestOtherErrorsKeepTheSession(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   func(error) bool
	}{
		{http.StatusNotFound, `{"errorcode":258,"message":"No such resource","severity":"ERROR"}`, IsNotFound},
		{http.StatusBadRequest, `{"errorcode":1097,"message":"Invalid argument","severity":"ERROR"}`, func(err error) bool { return err != nil && !IsUnauthorized(err) }},
	} {
		client, rec := scriptedClient(t, func(w http.ResponseWriter, _ *http.Request, _ string) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		})
		_, err := client.GetUser(context.Background(), "7")
		if !tc.want(err) || rec.signIns != 1 || len(rec.all()) != 2 {
			t.Errorf("HTTP %d %s: %v after %d sign-ins and requests %q; want the error after one sign-in and one GET", tc.status, tc.body, err, rec.signIns, rec.all())
		}
	}
}

// TestSignInReadsTheSessionFromTheBodyElseTheCookie: the sign-in reply's sessionid is
// the session; a reply without one gives it in the NITRO_AUTH_TOKEN cookie (whatever
// other cookies come with it); with neither, the sign-in fails. Later calls send the
// session as Cookie: NITRO_AUTH_TOKEN=<id>.
func TestSignInReadsTheSessionFromTheBodyElseTheCookie(t *testing.T) {
	for _, tc := range []struct {
		name    string
		body    string
		cookies []string
		want    string // the session id, or the error
	}{
		{"body and cookie", `{"errorcode":0,"login":[{"sessionid":"##BODY"}]}`, []string{"NITRO_AUTH_TOKEN=##COOKIE"}, "##BODY"},
		{"cookie only, first", `{"errorcode":0,"message":"Done"}`, []string{"NITRO_AUTH_TOKEN=##COOKIE", "LB=node-2"}, "##COOKIE"},
		{"cookie only, last", `{"errorcode":0,"login":[]}`, []string{"LB=node-2", "NITRO_AUTH_TOKEN=##COOKIE"}, "##COOKIE"},
		{"neither", `{"errorcode":0,"login":[{"sessionid":""}]}`, []string{"LB=node-2"}, `NITRO sign-in as "u": the reply carried no session id`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var cookies []string
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == loginPath {
					for _, c := range tc.cookies {
						w.Header().Add("Set-Cookie", c)
					}
					_, _ = w.Write([]byte(tc.body))
					return
				}
				mu.Lock()
				cookies = append(cookies, r.Header.Get("Cookie"))
				mu.Unlock()
				_, _ = w.Write([]byte(`{"errorcode":0,"mpsuser":[{"id":"7"}]}`))
			}))
			defer server.Close()
			client, err := New(Config{Transport: transport.Config{Endpoint: server.URL}, Username: "u", Password: "p"})
			if err != nil {
				t.Fatal(err)
			}
			sessionID, _, loginErr := client.Login(context.Background(), "u", "p")
			_, getErr := client.GetUser(context.Background(), "7")
			if strings.HasPrefix(tc.want, "##") {
				if loginErr != nil || sessionID != tc.want || getErr != nil || len(cookies) != 1 || cookies[0] != "NITRO_AUTH_TOKEN="+tc.want {
					t.Fatalf("session %q (%v), then cookie %q (%v); want %s", sessionID, loginErr, cookies, getErr, tc.want)
				}
				return
			}
			if loginErr == nil || loginErr.Error() != tc.want || getErr == nil || len(cookies) != 0 {
				t.Fatalf("sign-in %q, %v; get %v with cookies %q; want the error %s and no call", sessionID, loginErr, getErr, cookies, tc.want)
			}
		})
	}
}

// TestLogoutEndsTheSessionAndReportsARefusal: Logout is POST /nitro/v1/config/logout
// with {"logout":{}} and the session's cookie. A session that has expired already (401,
// errorcode 444) is success; any other refusal is an error, never a claimed sign-out.
func TestLogoutEndsTheSessionAndReportsARefusal(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string // "" for success
	}{
		{http.StatusOK, `{"errorcode":0,"message":"Done","severity":"NONE"}`, ""},
		{http.StatusOK, ``, ""},
		{http.StatusUnauthorized, `{"errorcode":354,"message":"Invalid username or password"}`, ""},
		{http.StatusBadRequest, `{"errorcode":444,"message":"Session expired"}`, ""},
		{http.StatusForbidden, `{"errorcode":1097,"message":"Not permitted","severity":"ERROR"}`, "NITRO sign-out: HTTP 403, NITRO errorcode 1097: Not permitted"},
		{http.StatusBadRequest, `{"errorcode":1092,"message":"Invalid argument"}`, "NITRO sign-out: HTTP 400, NITRO errorcode 1092: Invalid argument"},
	} {
		client, rec := scriptedClient(t, func(w http.ResponseWriter, _ *http.Request, _ string) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		})
		err := client.Logout(context.Background(), "##SID")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("HTTP %d %s: %v; want success", tc.status, tc.body, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want):
			t.Errorf("HTTP %d %s: %v; want the error %s", tc.status, tc.body, err, tc.want)
		}
		if requests := rec.all(); len(requests) != 1 || requests[0] != `POST /nitro/v1/config/logout NITRO_AUTH_TOKEN=##SID {"logout":{}}` {
			t.Errorf("requests %q; want one logout with the session's cookie", requests)
		}
	}
}
