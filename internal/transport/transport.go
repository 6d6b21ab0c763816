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

// Defaults used when a Config leaves a field at its zero value.
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
	Endpoint           string
	CACertificatePEM   string
	InsecureSkipVerify bool
	// Timeout bounds each attempt, not the whole call with its retries.
	Timeout    time.Duration
	MaxRetries int
	UserAgent  string
	// Subsystem names the backend in log lines (adm, cluster, nimble).
	Subsystem string
	// BackoffBase and BackoffMax shape the exponential backoff between attempts.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// MaxBodyBytes bounds a reply's size; DefaultMaxBodyBytes when 0.
	MaxBodyBytes int64
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
	// Idempotent calls are retried on connection errors, 429 and 5xx; others on 429 only.
	Idempotent bool
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
	return &Client{
		base:       base,
		http:       &http.Client{Transport: httpTransport, CheckRedirect: noRedirects},
		cfg:        cfg,
		sleep:      sleepContext,
		randomness: rand.Int64N,
	}, nil
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

// Endpoint is the backend's base URL.
func (c *Client) Endpoint() string { return c.base.String() }

// Do sends req, retrying idempotent calls on connection errors, 429 and 5xx, and
// returns the final reply whatever its status. An error means no usable reply.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	attempts := 1 + c.cfg.MaxRetries
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, req, attempt)
		retryable, wait := c.shouldRetry(req, resp, err, attempt)
		if retryable && attempt < attempts {
			logRetry(c.maskedContext(ctx), req, resp, err, attempt, wait)
			if c.sleep(ctx, wait) == nil {
				continue
			}
		}
		if err != nil {
			return nil, err
		}
		return resp, nil
	}
}

// Backoff is the wait before retry number attempt (1-based), with full jitter.
func (c *Client) Backoff(attempt int) time.Duration {
	ceiling := c.cfg.BackoffBase << min(attempt-1, 20)
	if ceiling <= 0 || ceiling > c.cfg.BackoffMax {
		ceiling = c.cfg.BackoffMax
	}
	// Full jitter spreads the retries of many concurrent callers apart.
	return time.Duration(c.randomness(int64(ceiling))) + c.cfg.BackoffBase/2
}

// MaxRetries is how often a failed idempotent call is repeated.
func (c *Client) MaxRetries() int { return c.cfg.MaxRetries }

// Sleep waits d or until ctx ends.
func (c *Client) Sleep(ctx context.Context, d time.Duration) error { return c.sleep(ctx, d) }

// shouldRetry decides on another attempt. Idempotent calls are retried on connection
// errors, 429 and 5xx. Other calls only on 429: a server that rate-limits refuses the
// request before acting on it, so repeating it cannot apply it twice.
func (c *Client) shouldRetry(req Request, resp *Response, err error, attempt int) (bool, time.Duration) {
	if err != nil {
		return req.Idempotent && IsTransient(err), c.Backoff(attempt)
	}
	if !RetryableStatus(resp.StatusCode) || (!req.Idempotent && resp.StatusCode != http.StatusTooManyRequests) {
		return false, 0
	}
	if after, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
		return true, min(after, 2*c.cfg.BackoffMax+time.Minute)
	}
	return true, c.Backoff(attempt)
}

// RetryableStatus says whether an HTTP status is worth another attempt.
func RetryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500
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
	attemptCtx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
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
		if ctx.Err() == nil && attemptCtx.Err() == context.DeadlineExceeded {
			return nil, &TimeoutError{Operation: req.Operation, Method: req.Method, Path: req.Path, Timeout: c.cfg.Timeout}
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s (%s %s): %w", req.Operation, req.Method, req.Path, ctx.Err())
		}
		return nil, &ConnectionError{Operation: req.Operation, Method: req.Method, Path: req.Path, Err: scrubURLError(err)}
	}
	defer func() { _ = httpResp.Body.Close() }()
	respBody, err := io.ReadAll(io.LimitReader(httpResp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		if attemptCtx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
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
