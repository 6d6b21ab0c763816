package transport

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func testClient(t *testing.T, endpoint string, mutate func(*Config)) *Client {
	t.Helper()
	cfg := Config{Endpoint: endpoint, UserAgent: "terraform-provider-accessplane/test", MaxRetries: 3, BackoffBase: time.Millisecond, BackoffMax: 4 * time.Millisecond, Timeout: time.Second}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRetriesIdempotentCallsOn5xxAnd429(t *testing.T) {
	var calls atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "terraform-provider-accessplane/test" {
			t.Errorf("User-Agent %q", r.Header.Get("User-Agent"))
		}
		switch calls.Add(1) {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer server.Close()
	resp, err := testClient(t, server.URL, nil).Do(context.Background(), Request{Operation: "probe", Method: http.MethodGet, Path: "/x", Idempotent: true})
	if err != nil || resp.StatusCode != http.StatusOK || calls.Load() != 3 {
		t.Fatalf("resp %+v err %v after %d calls; want 200 after 3", resp, err, calls.Load())
	}
}

func TestReusesConnections(t *testing.T) {
	var opened atomic.Int32
	server := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	server.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			opened.Add(1)
		}
	}
	server.Start()
	defer server.Close()
	client := testClient(t, server.URL, nil)
	for i := 0; i < 20; i++ {
		if _, err := client.Do(context.Background(), Request{Operation: "probe", Method: http.MethodGet, Path: "/", Idempotent: true}); err != nil {
			t.Fatal(err)
		}
	}
	if n := opened.Load(); n != 1 {
		t.Fatalf("20 sequential calls opened %d connections, want 1 kept alive", n)
	}
}

func TestDoesNotRetryNonIdempotentCalls(t *testing.T) {
	var calls atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer server.Close()
	resp, err := testClient(t, server.URL, nil).Do(context.Background(), Request{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte(`{}`)})
	if err != nil || resp.StatusCode != http.StatusBadGateway || calls.Load() != 1 {
		t.Fatalf("resp %+v err %v after %d calls; want one 502", resp, err, calls.Load())
	}
}

func TestBoundedRetries(t *testing.T) {
	var calls atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer server.Close()
	resp, _ := testClient(t, server.URL, nil).Do(context.Background(), Request{Operation: "get", Method: http.MethodGet, Path: "/x", Idempotent: true})
	if resp.StatusCode != 500 || calls.Load() != 4 {
		t.Fatalf("%d calls, want 1 + 3 retries", calls.Load())
	}
}

func TestHonoursRetryAfter(t *testing.T) {
	var first atomic.Int64
	var gap atomic.Int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().UnixNano()
		if first.CompareAndSwap(0, now) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		gap.Store(now - first.Load())
	}))
	defer server.Close()
	if _, err := testClient(t, server.URL, nil).Do(context.Background(), Request{Operation: "get", Method: http.MethodGet, Path: "/x", Idempotent: true}); err != nil {
		t.Fatal(err)
	}
	if waited := time.Duration(gap.Load()); waited < time.Second {
		t.Fatalf("retried after %s, want at least the 1s of Retry-After", waited)
	}
}

func TestTimeoutNamesTheCall(t *testing.T) {
	release := make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer server.Close()
	defer close(release)
	client := testClient(t, server.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	_, err := client.Do(context.Background(), Request{Operation: "mpsuser get", Method: http.MethodGet, Path: "/nitro/v2/config/mpsuser/1", Idempotent: true})
	var timeout *TimeoutError
	if !errors.As(err, &timeout) || !strings.Contains(err.Error(), "mpsuser get (GET /nitro/v2/config/mpsuser/1) timed out after 50ms") {
		t.Fatalf("got %v", err)
	}
}

func TestTLS(t *testing.T) {
	server := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer server.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw}))
	otherPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: otherCA(t)}))
	req := Request{Operation: "probe", Method: http.MethodGet, Path: "/"}
	ctx := context.Background()
	// A TLS handshake under -race on a busy 2-core machine can take longer than
	// testClient's one-second attempt, which would turn a certificate verdict into a
	// timeout; this test is about the verdicts, so it waits as long as the provider does.
	tlsClient := func(tls func(*Config)) *Client {
		return testClient(t, server.URL, func(c *Config) { c.Timeout = DefaultTimeout; tls(c) })
	}

	if _, err := tlsClient(func(*Config) {}).Do(ctx, req); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("system roots must reject a self-signed server, got %v", err)
	}
	if _, err := tlsClient(func(c *Config) { c.CACertificatePEM = caPEM }).Do(ctx, req); err != nil {
		t.Errorf("custom CA must be accepted: %v", err)
	}
	if _, err := tlsClient(func(c *Config) { c.CACertificatePEM = otherPEM }).Do(ctx, req); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("wrong CA must be rejected with a certificate error, got %v", err)
	}
	if _, err := tlsClient(func(c *Config) { c.InsecureSkipVerify = true }).Do(ctx, req); err != nil {
		t.Errorf("insecure_skip_verify must connect: %v", err)
	}
	if _, err := New(Config{Endpoint: server.URL, CACertificatePEM: "garbage"}); err == nil {
		t.Error("a CA without PEM certificates must be refused")
	}
}

func TestParseEndpoint(t *testing.T) {
	for endpoint, ok := range map[string]bool{
		"https://adm.example.net":         true,
		"http://127.0.0.1:8080":           true,
		"https://adm.example.net/":        true,
		"ftp://adm.example.net":           false,
		"adm.example.net":                 false,
		"https://adm.example.net/nitro":   false,
		"https://adm.example.net?x=1":     false,
		"https://user:pw@adm.example.net": false,
		"https://adm.example.net:0":       false,
		"":                                false,
	} {
		if _, err := ParseEndpoint(endpoint); (err == nil) != ok {
			t.Errorf("ParseEndpoint(%q) error = %v, want ok=%v", endpoint, err, ok)
		}
	}
}

// TestRedaction masks the credentials of each API as they travel: the NITRO sign-in
// (password out; session id back in the body and in Set-Cookie), the session cookie
// and the X-NITRO-USER/X-NITRO-PASS pair on later calls, the Nimble sign-in
// (password out, session_token back) and its X-Auth-Token, the Cluster API's token and
// live-session ids; what is not a credential stays readable.
func TestRedaction(t *testing.T) {
	for _, tc := range []struct {
		name, logged string
		secrets      []string
		readable     string
	}{
		{"NITRO sign-in", RedactBody([]byte(`{"login":{"username":"nsroot","password":"s3cret"}}`)),
			[]string{"s3cret"}, `"username":"nsroot"`},
		{"NITRO sign-in reply", RedactBody([]byte(`{"errorcode":0,"login":[{"sessionid":"##ABC","expire_after":"1800"}]}`)),
			[]string{"##ABC"}, `"expire_after":"1800"`},
		{"NITRO sign-in reply headers", RedactHeaders(http.Header{"Set-Cookie": {"NITRO_AUTH_TOKEN=##ABC; Path=/nitro; HttpOnly"}, "Content-Type": {"application/json"}}),
			[]string{"##ABC"}, "Content-Type: application/json"},
		{"NITRO call with the session cookie", RedactHeaders(http.Header{"Cookie": {"NITRO_AUTH_TOKEN=##ABC"}, "Accept": {"application/json"}}),
			[]string{"##ABC"}, "Accept: application/json"},
		// Set as sent, not canonicalised: the header map then holds "X-NITRO-PASS".
		{"NITRO call with user and password headers", RedactHeaders(http.Header{"X-NITRO-USER": {"nsroot"}, "X-NITRO-PASS": {"s3cret"}}),
			[]string{"s3cret"}, "X-NITRO-USER: nsroot"},
		{"Nimble sign-in", RedactBody([]byte(`{"data":{"username":"admin","password":"arr4y-pw","app_name":"terraform-provider-accessplane"}}`)),
			[]string{"arr4y-pw"}, `"username":"admin"`},
		{"Nimble sign-in reply", RedactBody([]byte(`{"data":{"id":"1900000000000004d3","session_token":"9f53c0de","username":"admin"}}`)),
			[]string{"9f53c0de"}, `"id":"1900000000000004d3"`},
		{"Nimble call with its token", RedactHeaders(http.Header{"X-Auth-Token": {"9f53c0de"}, "Accept": {"application/json"}}),
			[]string{"9f53c0de"}, "Accept: application/json"},
		{"Cluster API call", RedactHeaders(http.Header{"Authorization": {"Api-Token dt0c01"}}),
			[]string{"dt0c01"}, "Authorization"},
		{"Cluster live sessions", RedactBody([]byte(`{"token":"t0k","sessions":[{"userId":"u","sessionId":"dt-live-77"}]}`)),
			[]string{"t0k", "dt-live-77"}, `"userId":"u"`},
		{"a password cut by truncation", RedactBody([]byte(`{"x":"` + strings.Repeat("a", maxLoggedBody-30) + `","password":"abcdefghijklmnopqrstuvwxyz"}`)),
			[]string{"abcdefgh"}, `{"x":"aaaa`},
	} {
		for _, secret := range tc.secrets {
			if strings.Contains(tc.logged, secret) {
				t.Errorf("%s: the log %q still holds %q", tc.name, tc.logged, secret)
			}
		}
		if !strings.Contains(tc.logged, tc.readable) {
			t.Errorf("%s: the log %q lost %q, which is no secret", tc.name, tc.logged, tc.readable)
		}
	}
}

// otherCA is a CA certificate that did not sign the test server's certificate.
func otherCA(t *testing.T) []byte {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "unrelated CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestRateLimitIsARefusal: a persistent 429 costs exactly 1 + MaxRetries attempts for
// any call, never asks TookEffect (the server did nothing), and ends in an error that
// says what to do.
func TestRateLimitIsARefusal(t *testing.T) {
	for _, req := range []Request{
		{Operation: "get", Method: http.MethodGet, Path: "/x", Idempotent: true},
		{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte(`{}`)},
		{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte(`{}`), TookEffect: func(context.Context) bool {
			t.Error("TookEffect asked after a 429")
			return false
		}},
	} {
		var calls atomic.Int32
		server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.WriteHeader(http.StatusTooManyRequests)
		}))
		resp, err := testClient(t, server.URL, nil).Do(context.Background(), req)
		server.Close()
		var limited *RateLimitedError
		if resp != nil || !errors.As(err, &limited) || calls.Load() != 4 {
			t.Fatalf("%s %s: resp %+v err %v after %d calls; want a RateLimitedError after 4", req.Method, req.Operation, resp, err, calls.Load())
		}
		for _, advice := range []string{"rate limiting", "HTTP 429", "-parallelism", "max_retries"} {
			if !strings.Contains(err.Error(), advice) {
				t.Errorf("%q does not mention %q", err, advice)
			}
		}
	}
}

// TestAmbiguousFailuresAskTookEffect: a create answered 503 is sent at most
// 1 + MaxRetries times with one TookEffect before each retry; a 500 is a plain
// failure; and a TookEffect that finds the object ends the call.
func TestAmbiguousFailuresAskTookEffect(t *testing.T) {
	run := func(status int, foundAfter int32) (calls, asked int32, resp *Response, err error) {
		var sent, lookups atomic.Int32
		server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sent.Add(1)
			w.WriteHeader(status)
		}))
		defer server.Close()
		resp, err = testClient(t, server.URL, nil).Do(context.Background(), Request{
			Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte(`{}`),
			TookEffect: func(context.Context) bool { return lookups.Add(1) == foundAfter },
		})
		return sent.Load(), lookups.Load(), resp, err
	}
	if calls, asked, resp, err := run(http.StatusServiceUnavailable, -1); calls != 4 || asked != 3 || err != nil || resp.StatusCode != 503 {
		t.Errorf("persistent 503: %d calls, %d lookups, %v, %v; want 4 calls, 3 lookups, the 503", calls, asked, resp, err)
	}
	if calls, asked, resp, err := run(http.StatusInternalServerError, -1); calls != 1 || asked != 0 || err != nil || resp.StatusCode != 500 {
		t.Errorf("500: %d calls, %d lookups; want 1 call, no lookup", calls, asked)
	}
	if calls, asked, _, err := run(http.StatusGatewayTimeout, 2); calls != 2 || asked != 2 || !errors.Is(err, ErrTookEffect) {
		t.Errorf("504 then found: %d calls, %d lookups, %v; want 2 calls, 2 lookups, ErrTookEffect", calls, asked, err)
	}
}

func TestSessionSignOut(t *testing.T) {
	signIns := 0
	session := NewSession(func(context.Context) (Credential, error) {
		signIns++
		return Credential{Secret: fmt.Sprintf("secret-%d", signIns), ID: fmt.Sprintf("id-%d", signIns)}, nil
	})
	var ended []Credential
	end := func(_ context.Context, c Credential) error {
		ended = append(ended, c)
		return errors.New("appliance down")
	}
	if err := session.SignOut(context.Background(), end); err != nil || len(ended) != 0 {
		t.Fatalf("signing out before any sign-in must do nothing: %v %v", err, ended)
	}
	send := func(secret string) (*Response, error) { return &Response{StatusCode: 200}, nil }
	if _, err := session.Do(context.Background(), send, func(*Response) bool { return false }); err != nil || session.ID() != "id-1" {
		t.Fatalf("sign-in: %v, id %q", err, session.ID())
	}
	if err := session.SignOut(context.Background(), end); err == nil || len(ended) != 1 || ended[0].Secret != "secret-1" {
		t.Fatalf("sign-out: %v %v", err, ended)
	}
	if session.ID() != "" || session.SignOut(context.Background(), end) != nil || len(ended) != 1 {
		t.Fatal("a failed sign-out still forgets the credential, and a second sign-out does nothing")
	}
}

// TestEndEachTriesEveryOne: a failure does not stop the others, and the error names
// each failure and the owner.
func TestEndEachTriesEveryOne(t *testing.T) {
	var tried []string
	ended, err := EndEach(context.Background(), "token", "alice", []string{"a", "b", "c"}, func(_ context.Context, id string) error {
		tried = append(tried, id)
		if id == "a" {
			return errors.New("refused")
		}
		return nil
	})
	if ended != 2 || strings.Join(tried, "") != "abc" || err == nil || err.Error() != `1 of 3 tokens of "alice" not ended: token a: refused` {
		t.Fatalf("ended %d, tried %v, %v", ended, tried, err)
	}
	if ended, err := EndEach(context.Background(), "token", "bob", nil, nil); ended != 0 || err != nil {
		t.Fatalf("nothing to end: %d, %v", ended, err)
	}
}
