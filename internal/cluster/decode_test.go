package cluster

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

func TestBrokenPolicyRepliesAreErrors(t *testing.T) {
	for body, want := range map[string]string{
		`{"concurrentSessionPolicyDto":{"userLimit":1,"adminLimit":1}`: "not the expected JSON",
		`{}`: "the reply lacks",
		`{"concurrentSessionPolicyDto":{"userLimit":1,"adminLimit":1},"automaticLogoutDto":{}}`:                                                              "the reply lacks",
		`{"concurrentSessionPolicyDto":{"userLimit":"1","adminLimit":1},"automaticLogoutDto":{"logoutInactiveUsersEnabled":true,"userInactivityTimeout":1}}`: "not the expected JSON",
		`<html>Bad gateway</html>`: "not the expected JSON",
	} {
		if _, err := decodePolicy([]byte(body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", body, err, want)
		}
	}
	err := decodeError("cluster user-sessions get", &transport.Response{StatusCode: 502, Header: http.Header{}, Body: []byte("<html>proxy</html>")})
	if !strings.Contains(err.Error(), `HTTP 502: not Cluster API JSON: no Content-Type, body "<html>proxy</html>"`) {
		t.Errorf("got %v", err)
	}
}

func FuzzDecodePolicy(f *testing.F) {
	f.Add([]byte(`{"concurrentSessionPolicyDto":{"userLimit":2,"adminLimit":5},"automaticLogoutDto":{"logoutInactiveUsersEnabled":true,"userInactivityTimeout":900}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"concurrentSessionPolicyDto":null}`))
	f.Add([]byte(`[1,2,3]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if policy, err := decodePolicy(body); err == nil && policy == nil {
			t.Fatal("no error and no policy")
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(`{"error":{"code":400,"message":"Constraints violated.","constraintViolations":[{"path":"x","message":"y"}]}}`))
	f.Add(401, []byte(`{"error":null}`))
	f.Add(500, []byte(`<html></html>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if err := decodeError("op", &transport.Response{StatusCode: status, Header: http.Header{}, Body: body}); err == nil {
			t.Fatal("decodeError returned nil")
		}
	})
}

func TestBrokenSessionRepliesAreErrors(t *testing.T) {
	for _, body := range []string{`{"userId":"a"}`, `[{"userId":1}]`, `<html></html>`, `[{"nodeId":"x"}]`, ``} {
		if _, err := decodeSessions([]byte(body)); err == nil || !strings.Contains(err.Error(), "not the expected JSON array") {
			t.Errorf("%q: got %v", body, err)
		}
	}
	if sessions, err := decodeSessions([]byte(`null`)); err != nil || sessions == nil || len(sessions) != 0 {
		t.Errorf("null: %v, %v", sessions, err)
	}
}

func FuzzDecodeSessions(f *testing.F) {
	f.Add([]byte(`[{"userId":"a","nodeId":1,"sessionId":"s","creationTime":1,"lastAccessedTimestamp":2,"tenantUuid":"t","loginType":"LOCAL","device":"d","ip":"1.2.3.4"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"error":{"code":500}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if sessions, err := decodeSessions(body); err == nil && sessions == nil {
			t.Fatal("no error and no list")
		}
	})
}

// TestNonJSONRepliesAreDescribed: a proxy's login page answered with 200 and a
// redirect to a sign-on portal give errors that name the status, the content type, a
// snippet and the redirect's host, for a read and for a PUT, which is never a success.
func TestNonJSONRepliesAreDescribed(t *testing.T) {
	for _, tc := range []struct {
		status   int
		location string
		want     string
	}{
		{200, "", `HTTP 200: not Cluster API JSON: Content-Type "text/html", body "<html>Proxy sign-in</html>"`},
		{302, "https://sso.example.net/auth?ticket=t0ken", `HTTP 302: not Cluster API JSON: a redirect to sso.example.net, Content-Type "text/html", body "<html>`},
	} {
		server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.location != "" {
				w.Header().Set("Location", tc.location)
			}
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(`<html>Proxy sign-in</html>`))
		}))
		client, err := New(Config{Transport: transport.Config{Endpoint: server.URL}, APIToken: "token"})
		if err != nil {
			t.Fatal(err)
		}
		_, getErr := client.GetUserSessions(context.Background())
		putErr := client.PutUserSessions(context.Background(), Policy{UserLimit: 1, AdminLimit: 1, UserInactivityTimeoutSecs: 60})
		_, listErr := client.ListSessions(context.Background(), "")
		server.Close()
		for operation, err := range map[string]error{"get": getErr, "put": putErr, "list": listErr} {
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "t0ken") {
				t.Errorf("HTTP %d, %s: got %v\nwant it to contain %s", tc.status, operation, err, tc.want)
			}
		}
	}
}
