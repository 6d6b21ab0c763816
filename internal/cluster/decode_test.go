package cluster

import (
	"net/http"
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
	if !strings.Contains(err.Error(), `HTTP 502: Bad Gateway (reply was not Cluster API JSON: "<html>proxy</html>")`) {
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
