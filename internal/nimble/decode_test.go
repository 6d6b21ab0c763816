package nimble

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

func TestBrokenRepliesAreErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{200, `{"startRow":0,"data":[{"id":"1"`, `HTTP 200: not Nimble JSON: no Content-Type, body "{\"startRow\":0`},
		{200, `{"data":[{"id":1}]}`, "HTTP 200: the array sent a reply that is not the expected JSON"},
		{200, `<html>ok</html>`, `HTTP 200: not Nimble JSON: no Content-Type, body "<html>ok</html>"`},
		{500, `<html>boom</html>`, `HTTP 500: not Nimble JSON: no Content-Type, body "<html>boom</html>"`},
		{401, `{"messages":[{"code":"SM_http_unauthorized","text":"Unauthorized"}]}`, "HTTP 401: Unauthorized (SM_http_unauthorized)"},
	} {
		var page tokenPage
		err := decodeReply("Nimble token list", &transport.Response{StatusCode: tc.status, Header: http.Header{}, Body: []byte(tc.body)}, &page)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d %s: got %v, want %q", tc.status, tc.body, err, tc.want)
		}
	}
}

func FuzzDecodeTokenPage(f *testing.F) {
	f.Add(206, []byte(`{"startRow":0,"endRow":1024,"totalRows":2500,"data":[{"id":"1","username":"a","creation_time":1}]}`))
	f.Add(200, []byte(`{"data":[]}`))
	f.Add(404, []byte(`{"messages":[{"code":"SM_http_not_found","text":"not found"}]}`))
	f.Add(200, []byte(`{"totalRows":-5}`))
	f.Add(503, []byte(`<html></html>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var page tokenPage
		_ = decodeReply("Nimble token list", &transport.Response{StatusCode: status, Header: http.Header{}, Body: body}, &page)
	})
}

// TestNonJSONRepliesAreDescribed: a proxy's login page answered with 200 and a
// redirect to a sign-on portal give errors that name the status, the content type, a
// snippet and the redirect's host, in place of the sign-in, a list or a delete; a
// delete answered so is never a success.
func TestNonJSONRepliesAreDescribed(t *testing.T) {
	for _, tc := range []struct {
		status   int
		location string
		want     string
	}{
		{200, "", `HTTP 200: not Nimble JSON: Content-Type "text/html", body "<html>Proxy sign-in</html>"`},
		{302, "https://sso.example.net/auth?ticket=t0ken", `HTTP 302: not Nimble JSON: a redirect to sso.example.net, Content-Type "text/html", body "<html>`},
	} {
		for _, hostileSignIn := range []bool{true, false} {
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost && !hostileSignIn {
					w.WriteHeader(http.StatusCreated)
					_, _ = w.Write([]byte(`{"data":{"id":"own","session_token":"t"}}`))
					return
				}
				if tc.location != "" {
					w.Header().Set("Location", tc.location)
				}
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(`<html>Proxy sign-in</html>`))
			}))
			client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond}, Username: "u", Password: "p"})
			if err != nil {
				t.Fatal(err)
			}
			_, listErr := client.ListTokens(context.Background(), ListOptions{})
			deleteErr := client.DeleteToken(context.Background(), "tok-1")
			server.Close()
			for operation, err := range map[string]error{"list": listErr, "delete": deleteErr} {
				if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "t0ken") {
					t.Errorf("HTTP %d (in place of the sign-in: %t), %s: got %v\nwant it to contain %s", tc.status, hostileSignIn, operation, err, tc.want)
				}
			}
		}
	}
}
