package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSettingsGivenAreKept: New keeps every setting the configuration gives (the
// provider's request_timeout and max_retries among them); only zero ones get defaults.
func TestSettingsGivenAreKept(t *testing.T) {
	given := Config{Endpoint: "https://adm.example.net", Timeout: 2 * time.Second, MaxRetries: 2,
		BackoffBase: 3 * time.Millisecond, BackoffMax: 7 * time.Millisecond, MaxBodyBytes: 99}
	client, err := New(given)
	if err != nil {
		t.Fatal(err)
	}
	got := client.cfg
	if got.Timeout != given.Timeout || got.MaxRetries != given.MaxRetries || got.BackoffBase != given.BackoffBase ||
		got.BackoffMax != given.BackoffMax || got.MaxBodyBytes != given.MaxBodyBytes {
		t.Errorf("New(%+v) kept %+v", given, got)
	}
}

// TestRequestCarriesQueryBodyAndContentHeaders: what the caller puts in a Request
// reaches the server: the query, the body, and the caller's own Accept and
// Content-Type; JSON is the default for both, and a call without a body says nothing
// of a content type.
func TestRequestCarriesQueryBodyAndContentHeaders(t *testing.T) {
	type seen struct{ query, body, accept, contentType string }
	for _, tc := range []struct {
		name string
		req  Request
		want seen
	}{
		{"read with a filter", Request{Operation: "get", Method: http.MethodGet, Path: "/x", Query: url.Values{"filter": {"name:alice"}}},
			seen{query: "filter=name%3Aalice", accept: "application/json"}},
		{"write", Request{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte(`{"a":1}`)},
			seen{body: `{"a":1}`, accept: "application/json", contentType: "application/json"}},
		{"write with its own content headers", Request{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte(`{"a":1}`),
			Header: http.Header{"Accept": {"text/plain"}, "Content-Type": {"application/vnd.api+json"}}},
			seen{body: `{"a":1}`, accept: "text/plain", contentType: "application/vnd.api+json"}},
	} {
		got := make(chan seen, 1)
		server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			select {
			case got <- seen{r.URL.RawQuery, string(body), r.Header.Get("Accept"), r.Header.Get("Content-Type")}:
			default:
				t.Errorf("%s: sent again after its reply", tc.name)
			}
		}))
		_, err := testClient(t, server.URL, nil).Do(context.Background(), tc.req)
		server.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if s := <-got; s != tc.want {
			t.Errorf("%s: the server saw %+v, want %+v", tc.name, s, tc.want)
		}
	}
}

// TestReplyLargerThanMaxBodyBytesIsRefused: a reply of exactly MaxBodyBytes is read
// whole; one byte more is refused rather than cut, and not asked for again.
func TestReplyLargerThanMaxBodyBytesIsRefused(t *testing.T) {
	const limit = 16
	for _, size := range []int{limit, limit + 1} {
		server, calls := statusServer(t, func(w http.ResponseWriter, _ int32) {
			_, _ = w.Write([]byte(strings.Repeat("x", size)))
		})
		resp, err := testClient(t, server.URL, func(c *Config) { c.MaxBodyBytes = limit }).Do(context.Background(), getX)
		switch {
		case size <= limit && (err != nil || len(resp.Body) != size):
			t.Errorf("a reply of %d bytes with a bound of %d: %v, %v; want it whole", size, limit, resp, err)
		case size > limit && (err == nil || !strings.Contains(err.Error(), "larger than 16 bytes") || calls.Load() != 1):
			t.Errorf("a reply of %d bytes with a bound of %d: %v after %d calls; want it refused after 1", size, limit, err, calls.Load())
		}
	}
}

// TestReplyCutShortIsAConnectionFailure: a reply that ends before its declared length
// is a connection failure, not a reply: it is retried when the call is idempotent,
// and a create is not sent again.
func TestReplyCutShortIsAConnectionFailure(t *testing.T) {
	for _, tc := range []struct {
		req   Request
		calls int32
	}{
		{getX, 4},
		{Request{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte(`{}`)}, 1},
	} {
		server, calls := statusServer(t, func(w http.ResponseWriter, _ int32) {
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte(`{"partial":`))
		})
		client := testClient(t, server.URL, nil)
		recordWaits(client, jitterBottom)
		_, err := client.Do(context.Background(), tc.req)
		var connection *ConnectionError
		if !errors.As(err, &connection) || !strings.Contains(err.Error(), "reading reply") || calls.Load() != tc.calls {
			t.Errorf("%s cut short: %v after %d calls; want a ConnectionError reading the reply after %d", tc.req.Method, err, calls.Load(), tc.calls)
		}
	}
}

// TestStalledReplyIsATimeout: a reply whose body stops arriving ends when the attempt's
// timeout does, as a TimeoutError that names the call, never a hang.
func TestStalledReplyIsATimeout(t *testing.T) {
	release := make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte(`{"partial":`))
		_ = http.NewResponseController(w).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer server.Close()
	defer close(release)
	// However slow the machine, the call ends in a timeout: before the reply's headers
	// or, as meant here, while its body is read.
	client := testClient(t, server.URL, func(c *Config) { c.Timeout = 300 * time.Millisecond; c.MaxRetries = 0 })
	_, err := client.Do(context.Background(), getX)
	var timeout *TimeoutError
	if !errors.As(err, &timeout) || !strings.Contains(err.Error(), "get (GET /x) timed out after 300ms") {
		t.Fatalf("got %v, want a TimeoutError", err)
	}
}

// TestParseEndpointPortRange: ports 1 to 65535 are accepted, 0 and 65536 are not.
func TestParseEndpointPortRange(t *testing.T) {
	for port, ok := range map[int]bool{0: false, 1: true, 443: true, 65535: true, 65536: false} {
		endpoint := "https://adm.example.net:" + strconv.Itoa(port)
		if _, err := ParseEndpoint(endpoint); (err == nil) != ok {
			t.Errorf("ParseEndpoint(%q) error = %v, want ok=%v", endpoint, err, ok)
		}
	}
}

// TestConnectionSettings: a connection is bounded apart from the per-attempt timeout
// (a TLS handshake gives up after 10s), and kept alive for the calls that follow (90s
// idle, as many per host as Terraform's -parallelism runs).
func TestConnectionSettings(t *testing.T) {
	client, err := New(Config{Endpoint: "https://adm.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	transport, ok := client.http.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T", client.http.Transport)
	}
	if transport.TLSHandshakeTimeout != 10*time.Second || transport.IdleConnTimeout != 90*time.Second || transport.MaxIdleConnsPerHost != 64 {
		t.Errorf("handshake timeout %v, idle timeout %v, idle connections per host %d; want 10s, 90s, 64",
			transport.TLSHandshakeTimeout, transport.IdleConnTimeout, transport.MaxIdleConnsPerHost)
	}
}

// TestParseEndpointNamesWhatIsWrong: an endpoint that is no URL, or has no host, is
// refused with a message that says which.
func TestParseEndpointNamesWhatIsWrong(t *testing.T) {
	for endpoint, want := range map[string]string{
		"https://[::1":  "is not a URL",
		"https://":      "has no host",
		"https://:8443": "has no host",
	} {
		if _, err := ParseEndpoint(endpoint); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseEndpoint(%q): %v, want it %s", endpoint, err, want)
		}
	}
}
