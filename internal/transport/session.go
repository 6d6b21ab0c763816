package transport

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Credential is what a sign-in returns: the secret later calls present (a NITRO
// session id, a Nimble session token) and, where the API has one, the id that names
// the sign-in itself (a Nimble token id), needed to end it.
type Credential struct {
	Secret string
	ID     string
}

// Session holds one sign-in per provider process. Concurrent callers share it,
// callers that see it expire share one renewal, and SignOut ends it when the
// provider stops.
type Session struct {
	signIn func(context.Context) (Credential, error)

	mu         sync.Mutex
	credential Credential
	generation uint64
	// pending is the sign-in under way, nil when there is none.
	pending *signInAttempt
}

// signInAttempt is one sign-in that every caller arriving while it runs waits for and
// shares, its failure included: a sign-in that hangs until request_timeout would
// otherwise be repeated in full by each waiting call in turn.
type signInAttempt struct {
	done chan struct{}
	// joined counts the callers waiting on it besides the one signing in, a sign-out
	// among them.
	joined     int
	secret     string
	generation uint64
	err        error
	// abandoned says the sign-in failed because its caller's context ended, which
	// says nothing about the appliance.
	abandoned bool
}

// NewSession returns a Session that signs in lazily with signIn.
func NewSession(signIn func(context.Context) (Credential, error)) *Session {
	return &Session{signIn: signIn}
}

// current returns the credential, signing in when there is none yet or when the one
// of generation stale has expired. A caller that finds a sign-in under way waits for
// it and takes its outcome. Only when that sign-in ended because its own caller gave
// up (a cancelled context) does a waiter whose context is alive sign in itself.
func (s *Session) current(ctx context.Context, stale uint64) (string, uint64, error) {
	for {
		s.mu.Lock()
		if s.credential.Secret != "" && s.generation != stale {
			defer s.mu.Unlock()
			return s.credential.Secret, s.generation, nil
		}
		attempt := s.pending
		if attempt == nil {
			attempt = &signInAttempt{done: make(chan struct{})}
			s.pending = attempt
			s.mu.Unlock()
			s.run(ctx, attempt)
			return attempt.secret, attempt.generation, attempt.err
		}
		if err := s.await(ctx, attempt); err != nil {
			return "", 0, err
		}
		if !attempt.abandoned {
			return attempt.secret, attempt.generation, attempt.err
		}
	}
}

// await waits for attempt to finish or ctx to end. It is called with s.mu held and
// returns with it released.
func (s *Session) await(ctx context.Context, attempt *signInAttempt) error {
	attempt.joined++
	s.mu.Unlock()
	select {
	case <-attempt.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run signs in for attempt and publishes the outcome to the callers waiting on it.
func (s *Session) run(ctx context.Context, attempt *signInAttempt) {
	credential, err := s.signIn(ctx)
	s.mu.Lock()
	if err == nil {
		s.credential = credential
		s.generation++
		attempt.secret, attempt.generation = credential.Secret, s.generation
	}
	attempt.err, attempt.abandoned = err, err != nil && ctx.Err() != nil
	s.pending = nil
	joined := attempt.joined
	s.mu.Unlock()
	close(attempt.done)
	if err != nil && joined > 0 {
		tflog.Debug(ctx, "sign-in failed; the calls that waited for it fail with it instead of signing in again", map[string]any{"waiting_calls": joined})
	}
}

// Do calls send with the credential; when expired says the reply means the credential
// has expired, it signs in again once and repeats the call.
func (s *Session) Do(ctx context.Context, send func(secret string) (*Response, error), expired func(*Response) bool) (*Response, error) {
	secret, generation, err := s.current(ctx, 0)
	if err != nil {
		return nil, err
	}
	resp, err := send(secret)
	if err != nil || !expired(resp) {
		return resp, err
	}
	if secret, _, err = s.current(ctx, generation); err != nil {
		return nil, err
	}
	return send(secret)
}

// ID is the id of the current sign-in, "" when there is none.
func (s *Session) ID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.credential.ID
}

// SignOut ends the current sign-in with end, if there is one, and forgets it, so a
// later call signs in afresh. The credential is forgotten even when end fails: the
// appliance expires it on its own.
func (s *Session) SignOut(ctx context.Context, end func(context.Context, Credential) error) error {
	s.mu.Lock()
	// A sign-in under way would store its credential after this sign-out and leave
	// the session open on the appliance: wait for it first.
	for s.pending != nil {
		if err := s.await(ctx, s.pending); err != nil {
			return err
		}
		s.mu.Lock()
	}
	defer s.mu.Unlock()
	credential := s.credential
	if credential.Secret == "" {
		return nil
	}
	s.credential = Credential{}
	s.generation++
	return end(ctx, credential)
}

// EndEach ends every one of owner's ids with end, trying each even after another
// failed: when a person's sessions are being ended, ending as many as possible matters
// more than stopping early. It returns how many ended; the error names each that did
// not as "<kind> <id>".
func EndEach(ctx context.Context, kind, owner string, ids []string, end func(context.Context, string) error) (int, error) {
	ended := 0
	var failures []error
	for _, id := range ids {
		if err := end(ctx, id); err != nil {
			failures = append(failures, fmt.Errorf("%s %s: %w", kind, id, err))
			continue
		}
		ended++
	}
	if len(failures) > 0 {
		return ended, fmt.Errorf("%d of %d %ss of %q not ended: %w", len(failures), len(ids), kind, owner, errors.Join(failures...))
	}
	return ended, nil
}
