package transport

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// TestLoggedBodyKeepsItsCut: a body of up to maxLoggedBody bytes is logged whole; a
// longer one is cut to exactly maxLoggedBody bytes and says so.
func TestLoggedBodyKeepsItsCut(t *testing.T) {
	whole := strings.Repeat("a", maxLoggedBody)
	if got := RedactBody([]byte(whole)); got != whole {
		t.Errorf("a body of %d bytes logged as %d bytes ending %q; want it whole", len(whole), len(got), got[max(0, len(got)-20):])
	}
	if got, want := RedactBody([]byte(whole+"b")), whole+"…(truncated)"; got != want {
		t.Errorf("a body of %d bytes logged as %d bytes ending %q; want the first %d and the mark", len(whole)+1, len(got), got[max(0, len(got)-20):], maxLoggedBody)
	}
}

// TestSnippetKeepsItsCutAndMasking: the body quoted in a diagnostic is trimmed, at most
// 200 bytes followed by "…" when longer, and a credential in it stays masked even when
// the cut falls inside its value.
func TestSnippetKeepsItsCutAndMasking(t *testing.T) {
	const limit = 200
	page := strings.Repeat("x", limit)
	for _, tc := range []struct{ name, body, want string }{
		{"200 bytes", "\n" + page + "  ", page},
		{"201 bytes", page + "y", page + "…"},
		{"a password cut off", `{"password":"` + strings.Repeat("s3cret", 50) + `"}`, `{"password":"***"`},
	} {
		if got := snippet([]byte(tc.body)); got != tc.want {
			t.Errorf("%s: snippet %q (%d bytes), want %q", tc.name, got, len(got), tc.want)
		}
	}
}

// TestRedactHeadersRendering: headers are listed by name, separated by "; ", values of
// one header joined by ", ", credential headers masked whatever their case.
func TestRedactHeadersRendering(t *testing.T) {
	got := RedactHeaders(http.Header{"X-Multi": {"a", "b"}, "x-auth-token": {"9f53c0de"}, "Accept": {"application/json"}})
	if want := "Accept: application/json; X-Multi: a, b; x-auth-token: ***"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := RedactHeaders(http.Header{}); got != "" {
		t.Errorf("no headers rendered as %q", got)
	}
}

// TestNotJSON: a body that is not JSON (a proxy's page) is told apart from JSON and
// from an empty body, which a 204 has.
func TestNotJSON(t *testing.T) {
	for body, want := range map[string]bool{
		"":                     false,
		" \n":                  false,
		`{"errorcode":0}`:      false,
		"<html>Sign in</html>": true,
		`{"errorcode":`:        true,
	} {
		if got := (&Response{Body: []byte(body)}).NotJSON(); got != want {
			t.Errorf("NotJSON(%q) = %v, want %v", body, got, want)
		}
	}
}

// TestDescribeNamesRedirectsOnly3xx: a reply is described as a redirect for a 3xx
// status only, whatever its headers.
func TestDescribeNamesRedirectsOnly3xx(t *testing.T) {
	header := http.Header{"Location": {"https://sso.example.net/login"}}
	for status, redirect := range map[int]bool{299: false, 300: true, 399: true, 400: false} {
		got := Describe(&Response{StatusCode: status, Header: header})
		if strings.Contains(got, "a redirect to sso.example.net") != redirect {
			t.Errorf("HTTP %d described as %q; redirect %v", status, got, redirect)
		}
	}
}

// TestRegisteredSecretsNeverReachTheLog: a value registered with AddSecret is masked
// wherever it appears in the request and reply logs, also where no header or field
// rule would find it (a query, a reply's own field); an empty value masks nothing.
func TestRegisteredSecretsNeverReachTheLog(t *testing.T) {
	server, _ := statusServer(t, func(w http.ResponseWriter, _ int32) {
		w.Header().Set("X-Echo", "hunter2-abc")
		_, _ = w.Write([]byte(`{"note":"hunter2-abc","owner":"bob"}`))
	})
	client := testClient(t, server.URL, nil)
	for _, secret := range []string{"", "hunter2-abc", "tok-9", "hunter2-abc"} {
		client.AddSecret(secret)
	}
	var log syncBuffer
	ctx := tflogtest.RootLogger(context.Background(), &log)
	req := Request{Operation: "mpsuser get", Method: http.MethodGet, Path: "/x", Query: url.Values{"session": {"tok-9"}}, Idempotent: true}
	if _, err := client.Do(ctx, req); err != nil {
		t.Fatal(err)
	}
	got := log.String()
	for _, secret := range []string{"hunter2-abc", "tok-9"} {
		if strings.Contains(got, secret) {
			t.Errorf("the log holds %q:\n%s", secret, got)
		}
	}
	for _, readable := range []string{"accessplane API response detail", `"operation":"mpsuser get"`, `\"owner\":\"bob\"`} {
		if !strings.Contains(got, readable) {
			t.Errorf("the log lost %q, which is no secret:\n%s", readable, got)
		}
	}
}

// TestDescribeUnreadableRedirect: a redirect whose Location cannot be parsed is named
// as such, without quoting it.
func TestDescribeUnreadableRedirect(t *testing.T) {
	got := Describe(&Response{StatusCode: http.StatusFound, Header: http.Header{"Location": {"https://[::1/login?token=s3cret"}}})
	if want := "a redirect to an unreadable Location, no Content-Type, empty body"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
