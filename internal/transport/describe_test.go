package transport

import (
	"net/http"
	"testing"
)

// TestDescribeNamesWhatAnswered: a reply that is not the API's JSON is described by
// its content type, a masked snippet, and, for a redirect, the target's host alone.
func TestDescribeNamesWhatAnswered(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header http.Header
		body   string
		want   string
	}{
		{"login page", 200, http.Header{"Content-Type": {"text/html; charset=utf-8"}}, "  <html><body>Sign in</body></html>\n",
			`Content-Type "text/html; charset=utf-8", body "<html><body>Sign in</body></html>"`},
		{"redirect", 302, http.Header{"Location": {"https://sso.example.net:8443/login?token=s3cret"}, "Content-Type": {"text/html"}}, "<a>moved</a>",
			`a redirect to sso.example.net:8443, Content-Type "text/html", body "<a>moved</a>"`},
		{"relative redirect", 307, http.Header{"Location": {"/nitro/v2/login"}}, "",
			"a redirect to another path on the same host, no Content-Type, empty body"},
		{"redirect without Location", 301, http.Header{}, "", "a redirect without a Location, no Content-Type, empty body"},
		{"credentials masked", 200, nil, `{"sessionid":"abc123"`, `no Content-Type, body "{\"sessionid\":\"***\""`},
	} {
		if got := Describe(&Response{StatusCode: tc.status, Header: tc.header, Body: []byte(tc.body)}); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// TestEndpointNamesHostAndPort: the port is always named, the scheme's default when
// the endpoint has none.
func TestEndpointNamesHostAndPort(t *testing.T) {
	for endpoint, want := range map[string]string{
		"https://adm.example.net":           "adm.example.net:443",
		"http://adm.example.net":            "adm.example.net:80",
		"https://array-17.example.net:5392": "array-17.example.net:5392",
		"https://[2001:db8::1]":             "[2001:db8::1]:443",
	} {
		c, err := New(Config{Endpoint: endpoint})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Endpoint(); got != want {
			t.Errorf("%s: %s, want %s", endpoint, got, want)
		}
	}
}
