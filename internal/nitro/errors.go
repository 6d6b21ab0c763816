package nitro

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// Kind classifies a NITRO failure so callers can react without parsing messages.
type Kind int

const (
	KindOther Kind = iota
	KindNotFound
	KindAlreadyExists
	KindUnauthorized
)

// NITRO error codes the client reacts to.
const (
	codeNotFound       = 258 // "No such resource" on many builds, sometimes with HTTP 200/400.
	codeAlreadyExists  = 273
	codeBadCredentials = 354
	codeSessionExpired = 444
)

// Error is a NITRO error reply: HTTP status, errorcode and message.
type Error struct {
	Kind       Kind
	Operation  string
	HTTPStatus int
	Code       int
	Message    string

	// unreadableSuccess marks a success status whose body is not NITRO JSON: the call
	// may have taken effect, which a create has to find out (errNotNITROJSON).
	unreadableSuccess bool
}

func (e *Error) Is(target error) bool { return target == errNotNITROJSON && e.unreadableSuccess }

func (e *Error) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("%s: HTTP %d: %s", e.Operation, e.HTTPStatus, e.Message)
	}
	return fmt.Sprintf("%s: HTTP %d, NITRO errorcode %d: %s", e.Operation, e.HTTPStatus, e.Code, e.Message)
}

// Ambiguous reports whether the server may have carried out the call even though it
// answered with an error (a gateway or overload reply).
func (e *Error) Ambiguous() bool { return transport.AmbiguousStatus(e.HTTPStatus) }

func classify(status, code int) Kind {
	switch {
	case status == http.StatusNotFound || code == codeNotFound:
		return KindNotFound
	case status == http.StatusConflict || code == codeAlreadyExists:
		return KindAlreadyExists
	case status == http.StatusUnauthorized || status == http.StatusForbidden || code == codeBadCredentials || code == codeSessionExpired:
		return KindUnauthorized
	default:
		return KindOther
	}
}

func isKind(err error, kind Kind) bool {
	var nitroErr *Error
	return errors.As(err, &nitroErr) && nitroErr.Kind == kind
}

// IsNotFound reports whether err means the object does not exist (any more).
func IsNotFound(err error) bool { return isKind(err, KindNotFound) }

// IsAlreadyExists reports whether err means an object of that name exists.
func IsAlreadyExists(err error) bool { return isKind(err, KindAlreadyExists) }

// IsUnauthorized reports whether err means the credentials were refused.
func IsUnauthorized(err error) bool { return isKind(err, KindUnauthorized) }

// MayHaveSucceeded reports whether a failed write may nonetheless have been applied:
// the reply was lost, timed out, or came from a gateway or an overloaded server, or a
// create could not be settled (UnsettledCreateError). A rate-limited call
// (transport.RateLimitedError) was refused, so it never may have.
func MayHaveSucceeded(err error) bool {
	var unsettled *UnsettledCreateError
	if errors.As(err, &unsettled) {
		return true
	}
	var nitroErr *Error
	if errors.As(err, &nitroErr) {
		return nitroErr.Ambiguous()
	}
	return transport.IsTransient(err)
}
