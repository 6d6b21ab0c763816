package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// countedSession signs in as secret-1, secret-2, ..., failing the sign-ins fail names.
func countedSession(fail map[int]error) (*Session, *int) {
	signIns := 0
	return NewSession(func(context.Context) (Credential, error) {
		signIns++
		if err := fail[signIns]; err != nil {
			return Credential{}, err
		}
		return Credential{Secret: fmt.Sprintf("secret-%d", signIns)}, nil
	}), &signIns
}

func unauthorized(resp *Response) bool { return resp.StatusCode == http.StatusUnauthorized }

// TestExpiredCredentialIsRenewedOnceAndTheCallRepeated: calls share one sign-in; a
// reply that says the credential expired makes the session sign in again once and
// repeat the call with the new credential; when the repeated call is refused too, its
// reply is returned rather than signing in a third time.
func TestExpiredCredentialIsRenewedOnceAndTheCallRepeated(t *testing.T) {
	ctx := context.Background()
	session, signIns := countedSession(nil)
	var sent []string
	refuse := map[string]bool{"secret-1": true}
	send := func(secret string) (*Response, error) {
		sent = append(sent, secret)
		if refuse[secret] {
			return &Response{StatusCode: http.StatusUnauthorized}, nil
		}
		return &Response{StatusCode: http.StatusOK}, nil
	}

	resp, err := session.Do(ctx, send, unauthorized)
	if err != nil || resp == nil || resp.StatusCode != http.StatusOK || strings.Join(sent, " ") != "secret-1 secret-2" || *signIns != 2 {
		t.Fatalf("expired credential: %+v, %v, sent with %v after %d sign-ins; want 200, sent with secret-1 then secret-2", resp, err, sent, *signIns)
	}
	sent = nil
	for range 3 {
		if _, err := session.Do(ctx, send, unauthorized); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(sent, " ") != "secret-2 secret-2 secret-2" || *signIns != 2 {
		t.Errorf("three more calls sent with %v after %d sign-ins; want the renewed secret-2 and no sign-in", sent, *signIns)
	}

	sent, refuse = nil, map[string]bool{"secret-2": true, "secret-3": true}
	resp, err = session.Do(ctx, send, unauthorized)
	if err != nil || resp == nil || resp.StatusCode != http.StatusUnauthorized || strings.Join(sent, " ") != "secret-2 secret-3" || *signIns != 3 {
		t.Errorf("refused after renewal: %+v, %v, sent with %v after %d sign-ins; want the 401 after one renewal", resp, err, sent, *signIns)
	}
}

// TestFailedCallIsNotTakenForAnExpiry: a call that got no reply fails with its own
// error; only a reply can say the credential has expired.
func TestFailedCallIsNotTakenForAnExpiry(t *testing.T) {
	session, signIns := countedSession(nil)
	lost := errors.New("connection reset")
	resp, err := session.Do(context.Background(), func(string) (*Response, error) { return nil, lost }, func(r *Response) bool {
		t.Errorf("asked whether %+v means an expired credential", r)
		return true
	})
	if resp != nil || !errors.Is(err, lost) || *signIns != 1 {
		t.Errorf("%+v, %v after %d sign-ins; want the connection error after 1", resp, err, *signIns)
	}
}

// TestFailedRenewalEndsTheCall: when signing in again after an expiry fails, the call
// fails with that sign-in's error and is not repeated without a credential.
func TestFailedRenewalEndsTheCall(t *testing.T) {
	refused := errors.New("NITRO sign-in: invalid password")
	session, signIns := countedSession(map[int]error{2: refused})
	var sent []string
	resp, err := session.Do(context.Background(), func(secret string) (*Response, error) {
		sent = append(sent, secret)
		return &Response{StatusCode: http.StatusUnauthorized}, nil
	}, unauthorized)
	if resp != nil || !errors.Is(err, refused) || strings.Join(sent, " ") != "secret-1" || *signIns != 2 {
		t.Errorf("%+v, %v, sent with %v after %d sign-ins; want the sign-in's error, sent once", resp, err, sent, *signIns)
	}
}

// TestExpiryAfterASignOutUsesTheNewSignIn: a call whose credential expired while the
// session was signed out and signed in afresh by another call repeats with that new
// credential; it signs in again only when the credential it used is still the
// session's current one.
func TestExpiryAfterASignOutUsesTheNewSignIn(t *testing.T) {
	ctx := context.Background()
	session, signIns := countedSession(nil)
	ok := func(string) (*Response, error) { return &Response{StatusCode: http.StatusOK}, nil }
	var sent []string
	resp, err := session.Do(ctx, func(secret string) (*Response, error) {
		sent = append(sent, secret)
		if secret != "secret-1" {
			return &Response{StatusCode: http.StatusOK}, nil
		}
		// While this call is under way, the session is signed out and another call
		// signs in afresh; then this call's reply says secret-1 has expired.
		if err := session.SignOut(ctx, func(context.Context, Credential) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := session.Do(ctx, ok, unauthorized); err != nil {
			t.Fatal(err)
		}
		return &Response{StatusCode: http.StatusUnauthorized}, nil
	}, unauthorized)
	if err != nil || resp == nil || resp.StatusCode != http.StatusOK || strings.Join(sent, " ") != "secret-1 secret-2" || *signIns != 2 {
		t.Errorf("%+v, %v, sent with %v after %d sign-ins; want 200, repeated with the other call's secret-2 and no third sign-in", resp, err, sent, *signIns)
	}
}

// syncBuffer is a log sink the session's goroutines may write while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestFailedSignInLogsTheCallsItFailed: a sign-in that fails while other calls wait on
// it says in the log how many calls fail with it; a failure nobody waited for, or a
// sign-in that succeeds, says nothing of the kind.
func TestFailedSignInLogsTheCallsItFailed(t *testing.T) {
	const line = "the calls that waited for it fail with it"
	for _, tc := range []struct {
		name    string
		succeed bool
		waiting int
		logged  string
	}{
		{"failure with two calls waiting", false, 2, `"waiting_calls":2`},
		{"failure with none waiting", false, 0, ""},
		{"success with one call waiting", true, 1, ""},
	} {
		h := newSignInHarness()
		h.succeed.Store(tc.succeed)
		var log syncBuffer
		results := []<-chan error{h.call(tflogtest.RootLogger(context.Background(), &log))}
		<-h.entered
		for range tc.waiting {
			results = append(results, h.call(context.Background()))
		}
		h.waitForJoined(tc.waiting)
		close(h.release)
		for _, result := range results {
			if err := <-result; (err == nil) != tc.succeed {
				t.Errorf("%s: a call ended with %v", tc.name, err)
			}
		}
		got := log.String()
		switch {
		case tc.logged != "" && (!strings.Contains(got, line) || !strings.Contains(got, tc.logged)):
			t.Errorf("%s: log %q, want %q with %s", tc.name, got, line, tc.logged)
		case tc.logged == "" && strings.Contains(got, line):
			t.Errorf("%s: log %q, want no %q", tc.name, got, line)
		}
	}
}
