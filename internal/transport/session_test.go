package transport

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
)

// signInHarness is a Session whose first sign-in blocks until release is closed and
// whose sign-ins fail with failure unless succeed is set; it counts them.
type signInHarness struct {
	session *Session
	signIns atomic.Int32
	entered chan struct{}
	release chan struct{}
	failure error
	succeed atomic.Bool
}

func newSignInHarness() *signInHarness {
	h := &signInHarness{entered: make(chan struct{}), release: make(chan struct{}), failure: errors.New("NITRO sign-in (POST /nitro/v1/config/login) timed out after 5s")}
	h.session = NewSession(func(ctx context.Context) (Credential, error) {
		if h.signIns.Add(1) == 1 {
			close(h.entered)
			select {
			case <-h.release:
			case <-ctx.Done():
				return Credential{}, ctx.Err()
			}
		}
		if h.succeed.Load() {
			return Credential{Secret: "secret"}, nil
		}
		return Credential{}, h.failure
	})
	return h
}

// call runs one call through the session in its own goroutine; its error arrives on
// the returned channel.
func (h *signInHarness) call(ctx context.Context) <-chan error {
	result := make(chan error, 1)
	go func() {
		_, err := h.session.Do(ctx, func(string) (*Response, error) { return &Response{StatusCode: 200}, nil }, func(*Response) bool { return false })
		result <- err
	}()
	return result
}

// waitForJoined returns once n callers wait on the sign-in under way. It yields
// rather than sleeps: no wall-time window decides the outcome.
func (h *signInHarness) waitForJoined(n int) {
	for {
		h.session.mu.Lock()
		joined := 0
		if h.session.pending != nil {
			joined = h.session.pending.joined
		}
		h.session.mu.Unlock()
		if joined >= n {
			return
		}
		runtime.Gosched()
	}
}

// TestFailedSignInIsShared: three calls wait on one sign-in that fails; all three get
// its error and the appliance sees one sign-in, not three. A later call tries again.
func TestFailedSignInIsShared(t *testing.T) {
	h := newSignInHarness()
	ctx := context.Background()
	results := []<-chan error{h.call(ctx)}
	<-h.entered
	results = append(results, h.call(ctx), h.call(ctx))
	h.waitForJoined(2)
	close(h.release)
	for _, result := range results {
		if err := <-result; !errors.Is(err, h.failure) {
			t.Errorf("got %v, want the failed sign-in's error", err)
		}
	}
	if n := h.signIns.Load(); n != 1 {
		t.Errorf("%d sign-ins for 3 waiting calls, want 1", n)
	}
	h.succeed.Store(true)
	if err := <-h.call(ctx); err != nil || h.signIns.Load() != 2 {
		t.Errorf("a call after the failure: %v after %d sign-ins; want success after 2", err, h.signIns.Load())
	}
}

// TestAbandonedSignInIsNotShared: when the call signing in gives up (its context is
// cancelled), the failure says nothing about the appliance, so a waiting call signs
// in itself; a waiting call that gives up returns at once.
func TestAbandonedSignInIsNotShared(t *testing.T) {
	h := newSignInHarness()
	h.succeed.Store(true)
	first, cancelFirst := context.WithCancel(context.Background())
	firstResult := h.call(first)
	<-h.entered
	impatient, cancelImpatient := context.WithCancel(context.Background())
	waiting, impatientResult := h.call(context.Background()), h.call(impatient)
	h.waitForJoined(2)
	cancelImpatient()
	if err := <-impatientResult; !errors.Is(err, context.Canceled) {
		t.Errorf("the waiting call that gave up: %v, want context.Canceled", err)
	}
	cancelFirst()
	if err := <-firstResult; !errors.Is(err, context.Canceled) {
		t.Errorf("the call that gave up while signing in: %v, want context.Canceled", err)
	}
	if err := <-waiting; err != nil || h.signIns.Load() != 2 {
		t.Errorf("the waiting call: %v after %d sign-ins; want success after 2", err, h.signIns.Load())
	}
}

// TestSignOutWaitsForASignInUnderWay: a sign-out while a sign-in runs ends the session
// that sign-in opens, rather than finding none and leaving it open.
func TestSignOutWaitsForASignInUnderWay(t *testing.T) {
	h := newSignInHarness()
	h.succeed.Store(true)
	result := h.call(context.Background())
	<-h.entered
	ended := make(chan Credential, 1)
	signedOut := make(chan error, 1)
	go func() {
		signedOut <- h.session.SignOut(context.Background(), func(_ context.Context, c Credential) error {
			ended <- c
			return nil
		})
	}()
	h.waitForJoined(1)
	close(h.release)
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	if err := <-signedOut; err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-ended:
		if c.Secret != "secret" {
			t.Errorf("ended %q", c.Secret)
		}
	default:
		t.Error("the sign-out ended nothing, so the session signed in meanwhile stays open")
	}
}
