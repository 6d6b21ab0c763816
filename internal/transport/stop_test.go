package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// heldServer holds each request on path until the test releases it, and tells the
// test once one is held: the test gives up on the call in between, as Terraform's
// stop does, without any wall-time window.
func heldServer(t *testing.T, status int) (server *httptest.Server, held <-chan struct{}, release func(), calls *atomic.Int32) {
	t.Helper()
	arrived, released := make(chan struct{}, 8), make(chan struct{})
	calls = &atomic.Int32{}
	server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodGet {
			arrived <- struct{}{}
			<-released
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(server.Close)
	return server, arrived, func() { close(released) }, calls
}

// TestStoppedWriteIsSettled: a write already sent when its caller gives up (Terraform
// stopped the provider) is awaited and its reply returned, so what the appliance did
// reaches the state; nothing is sent after that, neither a retry nor a new call.
func TestStoppedWriteIsSettled(t *testing.T) {
	server, held, release, calls := heldServer(t, http.StatusCreated)
	client := testClient(t, server.URL, nil)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	var resp *Response
	go func() {
		var err error
		resp, err = client.Do(ctx, Request{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte("{}")})
		done <- err
	}()
	<-held
	stop()
	release()
	if err := <-done; err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("held write after the stop: %+v, %v; want its 201", resp, err)
	}
	if _, err := client.Do(ctx, Request{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte("{}")}); !errors.Is(err, context.Canceled) {
		t.Errorf("a write after the stop: %v, want it not sent", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d requests reached the server, want 1", n)
	}
}

// TestStoppedCreateIsLookedUp: a create whose reply says it may have been applied
// (503) when its caller has given up is not sent again but looked up, as after a lost
// reply, and the look-up's finding is returned.
func TestStoppedCreateIsLookedUp(t *testing.T) {
	server, held, release, calls := heldServer(t, http.StatusServiceUnavailable)
	client := testClient(t, server.URL, nil)
	ctx, stop := context.WithCancel(context.Background())
	lookedUp := 0
	done := make(chan error)
	go func() {
		_, err := client.Do(ctx, Request{Operation: "add", Method: http.MethodPost, Path: "/x", Body: []byte("{}"),
			TookEffect: func(lookUpCtx context.Context) bool {
				lookedUp++
				return lookUpCtx.Err() == nil
			}})
		done <- err
	}()
	<-held
	stop()
	release()
	if err := <-done; !errors.Is(err, ErrTookEffect) || lookedUp != 1 {
		t.Fatalf("stopped create: %v after %d look-ups; want ErrTookEffect after one, with a live context", err, lookedUp)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d requests reached the server, want the one POST", n)
	}
}

// TestStoppedReadIsDropped: a read under way is not awaited once its caller gives up:
// it changes nothing on the appliance, and Terraform is waiting.
func TestStoppedReadIsDropped(t *testing.T) {
	arrived, released := make(chan struct{}), make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		close(arrived)
		<-released
	}))
	defer server.Close()
	defer close(released)
	ctx, stop := context.WithCancel(context.Background())
	go func() {
		<-arrived
		stop()
	}()
	if _, err := testClient(t, server.URL, nil).Do(ctx, Request{Operation: "get", Method: http.MethodGet, Path: "/x", Idempotent: true}); !errors.Is(err, context.Canceled) {
		t.Fatalf("read stopped under way: %v, want context.Canceled before its reply", err)
	}
}
