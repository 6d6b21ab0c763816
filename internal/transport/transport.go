// Package transport is the one HTTP layer under the NITRO, Cluster API and Nimble
// clients: TLS per backend, a timeout per attempt, bounded retries with backoff for
// idempotent calls, keep-alive reuse, a fixed User-Agent, and logging with secrets masked.
package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of the settings. New applies DefaultTimeout and DefaultMaxBodyBytes when a
// Config leaves them at zero; a MaxRetries of 0 means no retry, so the provider's
// configuration applies DefaultMaxRetries itself when max_retries is not set.
const (
	DefaultTimeout    = 30 * time.Second
	DefaultMaxRetries = 4
	// DefaultMaxBodyBytes bounds what is read of a reply, so a hostile or broken server
	// cannot exhaust the provider's memory. 64 MiB holds a 10,000-object page many times.
	DefaultMaxBodyBytes = 64 << 20
)

// Config describes one backend.
type Config struct {
	// Endpoint is the base URL: scheme, host and optional port, no path.
	Endpoint string
	// Name is the appliance's name in the provider configuration, empty for the
	// default one; with Endpoint it names the appliance in messages.
	Name               string
	CACertificatePEM   string
	InsecureSkipVerify bool
	// Timeout bounds each attempt, not the whole call with its retries.
	Timeout    time.Duration
	MaxRetries int
	UserAgent  string
	// BackoffBase and BackoffMax shape the exponential backoff between attempts.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// MaxBodyBytes bounds a reply's size; DefaultMaxBodyBytes when 0.
	MaxBodyBytes int64
	// WrapTransport, when set, wraps the HTTP transport: the acceptance tests count
	// what the in-process provider sends with it, on the mock and on an appliance.
	WrapTransport func(http.RoundTripper) http.RoundTripper
}

// Client sends requests to one backend. It is safe for concurrent use.
type Client struct {
	base       *url.URL
	http       *http.Client
	cfg        Config
	secretsMu  sync.RWMutex
	secrets    []string
	sleep      func(context.Context, time.Duration) error
	randomness func(int64) int64
}

// Request is one API call.
type Request struct {
	// Operation names the call in errors and logs, for example "mpsuser get".
	Operation string
	Method    string
	// Path is the escaped path below the endpoint, starting with "/".
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	// Idempotent calls are retried on connection errors, timeouts and 5xx. Every call
	// is retried on 429: a rate-limited request was refused before the server acted.
	Idempotent bool
	// TookEffect makes a call that is not idempotent (a create) retryable after an
	// ambiguous failure (no reply, a timeout, 502, 503 or 504): before each retry Do
	// asks it whether the call was applied anyway, and stops with ErrTookEffect if so.
	TookEffect func(context.Context) bool
}

// ErrTookEffect ends a call whose TookEffect found that an earlier attempt was applied
// although its reply was lost; the caller reads the result its TookEffect found.
var ErrTookEffect = errors.New("an earlier attempt took effect")

// RateLimitedError reports a call the server kept refusing with HTTP 429.
type RateLimitedError struct {
	Operation string
	Method    string
	Path      string
	Attempts  int
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("%s (%s %s): the appliance is rate limiting requests (HTTP 429) and refused all %d attempts; "+
		"run terraform with a lower -parallelism (for example -parallelism=2), or raise the provider's max_retries to wait longer",
		e.Operation, e.Method, e.Path, e.Attempts)
}

// Response is a complete reply; the body has been read and the connection released.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// TimeoutError reports an attempt that exceeded the per-attempt timeout.
type TimeoutError struct {
	Operation string
	Method    string
	Path      string
	Timeout   time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s (%s %s) timed out after %s; raise request_timeout if the appliance is slow", e.Operation, e.Method, e.Path, e.Timeout)
}

// ConnectionError reports a call that never got an HTTP reply.
type ConnectionError struct {
	Operation string
	Method    string
	Path      string
	Err       error
}

func (e *ConnectionError) Error() string {
	text := fmt.Sprintf("%s (%s %s) failed: %v", e.Operation, e.Method, e.Path, e.Err)
	if isCertificateError(e.Err) {
		text += " (the server's certificate is not trusted: set ca_certificate to the PEM of the CA that signed it; insecure_skip_verify = true only for test appliances)"
	}
	return text
}

// isCertificateError reports a TLS verification failure, which no retry can fix.
func isCertificateError(err error) bool {
	var verification *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verification) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

func (e *ConnectionError) Unwrap() error { return e.Err }

// New validates cfg and builds a client. It makes no network call.
func New(cfg Config) (*Client, error) {
	base, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.BackoffBase <= 0 {
		cfg.BackoffBase = 200 * time.Millisecond
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = 5 * time.Second
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	tlsConfig, err := TLSConfig(cfg.CACertificatePEM, cfg.InsecureSkipVerify)
	if err != nil {
		return nil, err
	}
	httpTransport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     tlsConfig,
		TLSHandshakeTimeout: 10 * time.Second,
		ForceAttemptHTTP2:   true,
		IdleConnTimeout:     90 * time.Second,
		MaxIdleConns:        100,
		// Terraform runs up to -parallelism calls at once against one host; keep that
		// many connections alive instead of the default two.
		MaxIdleConnsPerHost: 64,
	}
	var roundTripper http.RoundTripper = httpTransport
	if cfg.WrapTransport != nil {
		roundTripper = cfg.WrapTransport(httpTransport)
	}
	return &Client{
		base:       base,
		http:       &http.Client{Transport: roundTripper, CheckRedirect: noRedirects},
		cfg:        cfg,
		sleep:      sleepContext,
		randomness: rand.Int64N,
	}, nil
}

// Name is the appliance's name in the provider configuration, empty for the default.
func (c *Client) Name() string { return c.cfg.Name }

// Endpoint is the appliance's host and port (the scheme's default port when the
// endpoint names none): what names the appliance in an error, without credentials,
// which an endpoint never carries.
func (c *Client) Endpoint() string {
	if c.base.Port() != "" {
		return c.base.Host
	}
	port := "443"
	if c.base.Scheme == "http" {
		port = "80"
	}
	return net.JoinHostPort(c.base.Hostname(), port)
}

// noRedirects keeps credentials from following a redirect to another host.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// ParseEndpoint accepts a base URL with http or https scheme, a host, an optional
// port and no path, query or fragment.
func ParseEndpoint(endpoint string) (*url.URL, error) {
	if endpoint == "" {
		return nil, errors.New("endpoint is empty")
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a URL: %v", endpoint, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("endpoint %q must start with https:// or http://", endpoint)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("endpoint %q has no host", endpoint)
	case u.User != nil:
		return nil, fmt.Errorf("endpoint %q must not carry credentials; use the username and password arguments", endpoint)
	case u.Path != "" && u.Path != "/":
		return nil, fmt.Errorf("endpoint %q must not have a path (got %q)", endpoint, u.Path)
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(endpoint, "?"):
		return nil, fmt.Errorf("endpoint %q must not have a query or fragment", endpoint)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("endpoint %q has an invalid port", endpoint)
		}
	}
	u.Path = ""
	return u, nil
}

// TLSConfig builds the client TLS settings: system roots, plus or instead of a PEM CA
// bundle when one is given, and verification off only when asked for explicitly.
func TLSConfig(caPEM string, insecureSkipVerify bool) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if strings.TrimSpace(caPEM) != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(caPEM)) {
			return nil, errors.New("ca_certificate holds no PEM-encoded certificate")
		}
		cfg.RootCAs = pool
	}
	cfg.InsecureSkipVerify = insecureSkipVerify //nolint:gosec // only when the user sets insecure_skip_verify
	return cfg, nil
}

// AddSecret registers a value that must never appear in a log line, such as a
// password or a session token the client has just obtained.
func (c *Client) AddSecret(secret string) {
	if secret == "" {
		return
	}
	c.secretsMu.Lock()
	defer c.secretsMu.Unlock()
	for _, s := range c.secrets {
		if s == secret {
			return
		}
	}
	c.secrets = append(c.secrets, secret)
}

func (c *Client) secretValues() []string {
	c.secretsMu.RLock()
	defer c.secretsMu.RUnlock()
	return append([]string(nil), c.secrets...)
}

// Do sends req and returns the final reply whatever its status, retrying at most
// MaxRetries times as shouldRetry allows. An error means no usable reply: the call
// failed to connect or timed out, the server kept answering 429, or, with
// ErrTookEffect, an earlier attempt was applied after all.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	attempts := 1 + c.cfg.MaxRetries
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, req, attempt)
		retry, wait := c.shouldRetry(req, resp, err, attempt)
		if !retry || attempt == attempts {
			return finalReply(req, resp, err, attempt)
		}
		logRetry(c.maskedContext(ctx), req, resp, err, attempt, wait)
		stopped := c.sleep(ctx, wait) != nil
		if req.TookEffect != nil && !rateLimited(resp) && c.tookEffect(ctx, req) {
			return nil, ErrTookEffect
		}
		if stopped {
			// The caller gave up (Terraform stopped the provider): nothing more is sent.
			return finalReply(req, resp, err, attempt)
		}
	}
}

// tookEffect looks up whether a create whose last attempt failed ambiguously was
// applied. Once the caller has given up (Terraform stopped the provider) the look-up
// still runs, within one request timeout, so that an object the create made goes back
// to Terraform instead of being left unknown to the state.
func (c *Client) tookEffect(ctx context.Context, req Request) bool {
	if ctx.Err() == nil {
		return req.TookEffect(ctx)
	}
	detached, cancelDetached := detach(ctx)
	defer cancelDetached()
	lookUpCtx, cancel := context.WithTimeout(detached, c.cfg.Timeout)
	defer cancel()
	return req.TookEffect(lookUpCtx)
}

// detach is ctx without its cancellation (Terraform's stop) but with its deadline if it
// has one, such as the bound of the sign-out when the provider stops.
func detach(ctx context.Context) (context.Context, context.CancelFunc) {
	detached := context.WithoutCancel(ctx)
	if deadline, ok := ctx.Deadline(); ok {
		return context.WithDeadline(detached, deadline)
	}
	return detached, func() {}
}

// settles reports whether a request, once sent, is awaited even when its caller gives
// up: a write the appliance has received is carried out whatever becomes of its reply,
// so its reply must reach Terraform (DESIGN.md, "Interruption"). A read is dropped.
func (r Request) settles() bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead
}

func finalReply(req Request, resp *Response, err error, attempts int) (*Response, error) {
	switch {
	case err != nil:
		return nil, err
	case rateLimited(resp):
		return nil, &RateLimitedError{Operation: req.Operation, Method: req.Method, Path: req.Path, Attempts: attempts}
	}
	return resp, nil
}

func rateLimited(resp *Response) bool {
	return resp != nil && resp.StatusCode == http.StatusTooManyRequests
}

// backoff is the wait before retry number attempt (1-based), with full jitter.
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.cfg.BackoffBase << min(attempt-1, 20)
	if ceiling <= 0 || ceiling > c.cfg.BackoffMax {
		ceiling = c.cfg.BackoffMax
	}
	// Full jitter spreads the retries of many concurrent callers apart.
	return time.Duration(c.randomness(int64(ceiling))) + c.cfg.BackoffBase/2
}

// shouldRetry decides on another attempt and how long to wait for it. A 429 is always
// retried, after Retry-After when the server sends one. Idempotent calls are also
// retried on connection errors, timeouts and 5xx; a call with TookEffect only on the
// ambiguous ones, since a 500 or 501 says the server did not do it.
func (c *Client) shouldRetry(req Request, resp *Response, err error, attempt int) (bool, time.Duration) {
	if err != nil {
		return (req.Idempotent || req.TookEffect != nil) && IsTransient(err), c.backoff(attempt)
	}
	retry := resp.StatusCode == http.StatusTooManyRequests ||
		(req.Idempotent && resp.StatusCode >= 500) ||
		(req.TookEffect != nil && AmbiguousStatus(resp.StatusCode))
	if !retry {
		return false, 0
	}
	if after, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
		return true, min(after, 2*c.cfg.BackoffMax+time.Minute)
	}
	return true, c.backoff(attempt)
}

// AmbiguousStatus says whether a reply with this status leaves open whether the
// server carried out the request: a gateway that lost the reply, or an overload.
func AmbiguousStatus(code int) bool {
	return code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout
}

// IsTransient says whether err is a connection failure or timeout worth retrying.
func IsTransient(err error) bool {
	var te *TimeoutError
	var ce *ConnectionError
	return errors.As(err, &te) || (errors.As(err, &ce) && !isCertificateError(ce.Err))
}

func retryAfter(value string) (time.Duration, bool) {
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && seconds >= 0 {
		return time.Duration(seconds) * time.Second, true
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(time.Until(at), 0), true
	}
	return 0, false
}

func (c *Client) attempt(ctx context.Context, req Request, attempt int) (*Response, error) {
	if err := ctx.Err(); err != nil {
		// The caller gave up before this attempt went out: nothing new is sent.
		return nil, fmt.Errorf("%s (%s %s) not sent: %w", req.Operation, req.Method, req.Path, err)
	}
	sendCtx := ctx
	if req.settles() {
		// Once sent, a write is awaited within the request timeout even if its caller
		// is cancelled meanwhile.
		var cancelSend context.CancelFunc
		sendCtx, cancelSend = detach(ctx)
		defer cancelSend()
	}
	attemptCtx, cancel := context.WithTimeout(sendCtx, c.cfg.Timeout)
	defer cancel()

	target := *c.base
	target.RawPath = req.Path
	target.Path, _ = url.PathUnescape(req.Path)
	if len(req.Query) > 0 {
		target.RawQuery = req.Query.Encode()
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	httpReq, err := http.NewRequestWithContext(attemptCtx, req.Method, target.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: building request: %w", req.Operation, err)
	}
	for name, values := range req.Header {
		httpReq.Header[name] = values
	}
	httpReq.Header.Set("User-Agent", c.cfg.UserAgent)
	if httpReq.Header.Get("Accept") == "" {
		httpReq.Header.Set("Accept", "application/json")
	}
	if req.Body != nil && httpReq.Header.Get("Content-Type") == "" {
		httpReq.Header.Set("Content-Type", "application/json")
	}

	logCtx := c.maskedContext(ctx)
	logRequest(logCtx, req, httpReq, attempt)
	started := time.Now()
	httpResp, err := c.http.Do(httpReq)
	if err != nil {
		if sendCtx.Err() == nil && attemptCtx.Err() == context.DeadlineExceeded {
			return nil, &TimeoutError{Operation: req.Operation, Method: req.Method, Path: req.Path, Timeout: c.cfg.Timeout}
		}
		if sendCtx.Err() != nil {
			return nil, fmt.Errorf("%s (%s %s): %w", req.Operation, req.Method, req.Path, sendCtx.Err())
		}
		return nil, &ConnectionError{Operation: req.Operation, Method: req.Method, Path: req.Path, Err: scrubURLError(err)}
	}
	defer func() { _ = httpResp.Body.Close() }()
	respBody, err := io.ReadAll(io.LimitReader(httpResp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		if attemptCtx.Err() == context.DeadlineExceeded && sendCtx.Err() == nil {
			return nil, &TimeoutError{Operation: req.Operation, Method: req.Method, Path: req.Path, Timeout: c.cfg.Timeout}
		}
		return nil, &ConnectionError{Operation: req.Operation, Method: req.Method, Path: req.Path, Err: fmt.Errorf("reading reply: %w", err)}
	}
	if int64(len(respBody)) > c.cfg.MaxBodyBytes {
		return nil, fmt.Errorf("%s (%s %s): the reply is larger than %d bytes; refusing to read it", req.Operation, req.Method, req.Path, c.cfg.MaxBodyBytes)
	}
	resp := &Response{StatusCode: httpResp.StatusCode, Header: httpResp.Header, Body: respBody}
	logResponse(logCtx, req, resp, time.Since(started))
	return resp, nil
}

// scrubURLError drops the URL from net/http's error text: it adds nothing the
// operation name does not say, and a query could one day carry a filter value.
func scrubURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
