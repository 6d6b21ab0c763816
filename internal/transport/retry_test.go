package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitRecorder stands in for a client's sleep and jitter: every wait before a retry is
// recorded instead of slept, and the jitter draws what pick returns for a ceiling.
// Nothing then depends on the machine's speed, and the waits can be read exactly. After
// runaway waits it gives up as a stopped caller does, so a retry loop that never ends
// fails the test instead of hanging it.
type waitRecorder struct {
	mu       sync.Mutex
	waits    []time.Duration
	ceilings []time.Duration
}

const runaway = 100

func recordWaits(c *Client, pick func(ceiling int64) int64) *waitRecorder {
	w := &waitRecorder{}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.waits = append(w.waits, d)
		if len(w.waits) >= runaway {
			return context.Canceled
		}
		return ctx.Err()
	}
	c.randomness = func(ceiling int64) int64 {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.ceilings = append(w.ceilings, time.Duration(ceiling))
		return pick(ceiling)
	}
	return w
}

func (w *waitRecorder) recorded() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.waits...)
}

// jitterTop and jitterBottom are the two ends of full jitter, rand.Int64N's [0, n).
func jitterTop(n int64) int64  { return n - 1 }
func jitterBottom(int64) int64 { return 0 }

// statusServer answers every request with status, or with what respond writes, and
// counts the requests.
func statusServer(t *testing.T, respond func(w http.ResponseWriter, call int32)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	calls := &atomic.Int32{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		respond(w, calls.Add(1))
	}))
	t.Cleanup(server.Close)
	return server, calls
}

func always(status int) func(http.ResponseWriter, int32) {
	return func(w http.ResponseWriter, _ int32) { w.WriteHeader(status) }
}

var getX = Request{Operation: "get", Method: http.MethodGet, Path: "/x", Idempotent: true}

func sameDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBackoffStaysWithinBaseAndCeiling: the wait before retry n is full jitter below a
// ceiling that starts at BackoffBase and doubles up to BackoffMax, plus half the base:
// never less than base/2, never more than the ceiling plus base/2.
func TestBackoffStaysWithinBaseAndCeiling(t *testing.T) {
	const base, ceiling = 100 * time.Millisecond, time.Second
	ceilings := []time.Duration{base, 2 * base, 4 * base, 8 * base, ceiling, ceiling}
	for _, tc := range []struct {
		name string
		pick func(int64) int64
		wait func(ceiling time.Duration) time.Duration
	}{
		{"jitter at its top", jitterTop, func(c time.Duration) time.Duration { return c - 1 + base/2 }},
		{"jitter at its bottom", jitterBottom, func(time.Duration) time.Duration { return base / 2 }},
	} {
		server, calls := statusServer(t, always(http.StatusServiceUnavailable))
		client := testClient(t, server.URL, func(c *Config) { c.BackoffBase, c.BackoffMax, c.MaxRetries = base, ceiling, len(ceilings) })
		recorder := recordWaits(client, tc.pick)
		resp, err := client.Do(context.Background(), getX)
		if err != nil || resp.StatusCode != http.StatusServiceUnavailable || calls.Load() != int32(1+len(ceilings)) {
			t.Fatalf("%s: %+v, %v after %d calls; want the 503 after %d", tc.name, resp, err, calls.Load(), 1+len(ceilings))
		}
		var want []time.Duration
		for _, c := range ceilings {
			want = append(want, tc.wait(c))
		}
		if got := recorder.recorded(); !sameDurations(got, want) {
			t.Errorf("%s: waited %v, want %v", tc.name, got, want)
		}
		// The last attempt's draw is not waited for; the retries' draws are.
		if drawn := recorder.ceilings[:min(len(recorder.ceilings), len(ceilings))]; !sameDurations(drawn, ceilings) {
			t.Errorf("%s: jitter drawn below %v, want %v", tc.name, drawn, ceilings)
		}
	}
}

// TestBackoffCeilingSurvivesOverflow: however many retries, the jitter is drawn below
// a positive ceiling no higher than BackoffMax, even once doubling the base overflows
// (to a negative duration, then to zero).
func TestBackoffCeilingSurvivesOverflow(t *testing.T) {
	const base, ceiling = time.Duration(1) << 44, time.Duration(1) << 62
	client := testClient(t, "http://127.0.0.1:1", func(c *Config) { c.BackoffBase, c.BackoffMax = base, ceiling })
	recorder := recordWaits(client, jitterTop)
	for attempt := 1; attempt <= 64; attempt++ {
		wait := client.backoff(attempt)
		drawn := recorder.ceilings[len(recorder.ceilings)-1]
		if drawn <= 0 || drawn > ceiling || wait < base/2 || wait >= ceiling+base/2 {
			t.Fatalf("retry %d: jitter drawn below %v, wait %v; want a ceiling in (0, %v] and a wait in [%v, %v)", attempt, drawn, wait, ceiling, base/2, ceiling+base/2)
		}
	}
}

// TestNewAppliesDefaultsToZeroSettings: a Config that leaves the timeout, the backoff
// and the reply bound at zero gets the documented defaults (a 30s attempt, backoff from
// 200ms up to 5s, 64 MiB), not a zero that would time every call out or refuse every
// reply; a negative MaxRetries means no retry.
func TestNewAppliesDefaultsToZeroSettings(t *testing.T) {
	server, calls := statusServer(t, func(w http.ResponseWriter, _ int32) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("maintenance"))
	})
	client, err := New(Config{Endpoint: server.URL, MaxRetries: 6})
	if err != nil {
		t.Fatal(err)
	}
	if client.cfg.Timeout != DefaultTimeout || client.cfg.MaxBodyBytes != DefaultMaxBodyBytes {
		t.Errorf("timeout %v, reply bound %d; want %v and %d", client.cfg.Timeout, client.cfg.MaxBodyBytes, DefaultTimeout, DefaultMaxBodyBytes)
	}
	recorder := recordWaits(client, jitterTop)
	resp, err := client.Do(context.Background(), getX)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable || string(resp.Body) != "maintenance" || calls.Load() != 7 {
		t.Fatalf("%+v, %v after %d calls; want the 503 and its body after 7", resp, err, calls.Load())
	}
	const base = 200 * time.Millisecond
	var want []time.Duration
	for _, c := range []time.Duration{base, 2 * base, 4 * base, 8 * base, 16 * base, 5 * time.Second} {
		want = append(want, c-1+base/2)
	}
	if got := recorder.recorded(); !sameDurations(got, want) {
		t.Errorf("default backoff waited %v, want %v", got, want)
	}

	client, err = New(Config{Endpoint: server.URL, MaxRetries: -3})
	if err != nil {
		t.Fatal(err)
	}
	calls.Store(0)
	if resp, err := client.Do(context.Background(), getX); err != nil || resp.StatusCode != http.StatusServiceUnavailable || calls.Load() != 1 {
		t.Errorf("negative MaxRetries: %+v, %v after %d calls; want the 503 after 1", resp, err, calls.Load())
	}
}

// TestRetryAfterIsHonouredWithinItsBound: a 429 (or an idempotent call's 503) is
// retried after the server's Retry-After, in seconds or as an HTTP date, but never
// later than twice BackoffMax plus a minute; a Retry-After that says nothing usable
// falls back to the backoff.
func TestRetryAfterIsHonouredWithinItsBound(t *testing.T) {
	const backoffMax = 4 * time.Millisecond // testClient's
	bound := 2*backoffMax + time.Minute
	backoff := time.Millisecond / 2 // testClient's base/2, the jitter at its bottom
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
		want       time.Duration
	}{
		{"seconds", http.StatusTooManyRequests, "3", 3 * time.Second},
		{"zero seconds", http.StatusTooManyRequests, "0", 0},
		{"an hour in seconds", http.StatusTooManyRequests, "3600", bound},
		{"a date an hour ahead", http.StatusTooManyRequests, time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), bound},
		{"a date gone by", http.StatusTooManyRequests, time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
		{"negative seconds", http.StatusTooManyRequests, "-5", backoff},
		{"not a time", http.StatusTooManyRequests, "soon", backoff},
		{"none", http.StatusTooManyRequests, "", backoff},
		{"503 for an idempotent call", http.StatusServiceUnavailable, "2", 2 * time.Second},
	} {
		server, calls := statusServer(t, func(w http.ResponseWriter, call int32) {
			if call == 1 {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.status)
			}
		})
		client := testClient(t, server.URL, nil)
		recorder := recordWaits(client, jitterBottom)
		resp, err := client.Do(context.Background(), getX)
		if err != nil || resp.StatusCode != http.StatusOK || calls.Load() != 2 {
			t.Errorf("%s: %+v, %v after %d calls; want 200 after 2", tc.name, resp, err, calls.Load())
			continue
		}
		if got := recorder.recorded(); !sameDurations(got, []time.Duration{tc.want}) {
			t.Errorf("%s: Retry-After %q waited %v, want %v", tc.name, tc.retryAfter, got, tc.want)
		}
	}
}

// hangUp reads a request and closes the connection without a reply: the call gets no
// HTTP reply, so it cannot know whether the server acted.
func hangUp(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	_ = conn.Close()
}

// TestNoReplyIsRetriedOnlyWhenSafe: a call that got no reply is sent again when it is
// idempotent, or when it is a create whose TookEffect is asked before each retry; a
// create without TookEffect is sent once, as it may have been applied.
func TestNoReplyIsRetriedOnlyWhenSafe(t *testing.T) {
	post := Request{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte(`{}`)}
	for _, tc := range []struct {
		name           string
		req            Request
		found          bool
		calls, lookUps int32
		tookEffect     bool
	}{
		{"idempotent", getX, false, 4, 0, false},
		{"create", post, false, 1, 0, false},
		{"create with a look-up that finds nothing", post, false, 4, 3, false},
		{"create with a look-up that finds it", post, true, 1, 1, true},
	} {
		server, calls := statusServer(t, func(w http.ResponseWriter, _ int32) { hangUp(t, w) })
		var lookUps atomic.Int32
		req := tc.req
		if tc.lookUps > 0 {
			req.TookEffect = func(context.Context) bool { lookUps.Add(1); return tc.found }
		}
		client := testClient(t, server.URL, nil)
		recordWaits(client, jitterBottom)
		resp, err := client.Do(context.Background(), req)
		var connection *ConnectionError
		switch {
		case calls.Load() != tc.calls || lookUps.Load() != tc.lookUps:
			t.Errorf("%s: %d calls and %d look-ups, want %d and %d", tc.name, calls.Load(), lookUps.Load(), tc.calls, tc.lookUps)
		case tc.tookEffect && !errors.Is(err, ErrTookEffect):
			t.Errorf("%s: %v, want ErrTookEffect", tc.name, err)
		case !tc.tookEffect && (resp != nil || !errors.As(err, &connection)):
			t.Errorf("%s: %+v, %v; want a ConnectionError", tc.name, resp, err)
		}
	}
}

// TestCertificateErrorIsNotRetried: no retry can fix an untrusted certificate, so an
// idempotent call to such a server is sent once.
func TestCertificateErrorIsNotRetried(t *testing.T) {
	var calls atomic.Int32
	server := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) }))
	defer server.Close()
	client := testClient(t, server.URL, func(c *Config) { c.Timeout = DefaultTimeout })
	recorder := recordWaits(client, jitterBottom)
	_, err := client.Do(context.Background(), getX)
	if err == nil || !strings.Contains(err.Error(), "set ca_certificate") || len(recorder.recorded()) != 0 {
		t.Errorf("%v after %d retries; want one certificate error", err, len(recorder.recorded()))
	}
}
