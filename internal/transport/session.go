package transport

import (
	"bytes"
	"context"
	"sync"
)

// Session holds one sign-in credential (a NITRO session id, a Nimble token) per
// provider process. Concurrent callers share it, and callers that see it expire share
// one renewal.
type Session struct {
	signIn func(context.Context) (string, error)

	mu         sync.Mutex
	credential string
	generation uint64
}

// NewSession returns a Session that signs in lazily with signIn.
func NewSession(signIn func(context.Context) (string, error)) *Session {
	return &Session{signIn: signIn}
}

// current returns the credential, signing in when there is none yet or when the one
// of generation stale has expired.
func (s *Session) current(ctx context.Context, stale uint64) (string, uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.credential != "" && s.generation != stale {
		return s.credential, s.generation, nil
	}
	credential, err := s.signIn(ctx)
	if err != nil {
		return "", 0, err
	}
	s.credential = credential
	s.generation++
	return s.credential, s.generation, nil
}

// Do calls send with the credential; when expired says the reply means the credential
// has expired, it signs in again once and repeats the call.
func (s *Session) Do(ctx context.Context, send func(credential string) (*Response, error), expired func(*Response) bool) (*Response, error) {
	credential, generation, err := s.current(ctx, 0)
	if err != nil {
		return nil, err
	}
	resp, err := send(credential)
	if err != nil || !expired(resp) {
		return resp, err
	}
	if credential, _, err = s.current(ctx, generation); err != nil {
		return nil, err
	}
	return send(credential)
}

// Snippet renders a reply body that is not the API's JSON (a proxy's HTML error page,
// say) short enough for a diagnostic, with credentials masked.
func Snippet(body []byte) string {
	const limit = 200
	text := string(bytes.TrimSpace(body))
	if len(text) > limit {
		text = text[:limit] + "…"
	}
	return RedactBody([]byte(text))
}
