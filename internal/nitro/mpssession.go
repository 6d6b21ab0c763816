package nitro

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// Session is an ADM client session (mpssession). The credentials the appliance sends
// with it (token and sessionid) have no field here on purpose: they are never
// decoded, so they can never be stored.
type Session struct {
	ID               string   `json:"id"`
	Username         string   `json:"username"`
	ClientType       string   `json:"client_type"`
	IPAddress        string   `json:"ip_address"`
	Port             FlexInt  `json:"port"`
	TenantName       string   `json:"tenant_name"`
	Permission       string   `json:"permission"`
	SessionCreator   string   `json:"session_creator"`
	IsExternalAuth   FlexBool `json:"is_external_auth"`
	IsSelf           bool     `json:"is_self"`
	LoginTime        FlexInt  `json:"login_time"`
	LastActivityTime FlexInt  `json:"last_activity_time"`
	ExpireAfter      FlexInt  `json:"expire_after"`
	SessionTimeout   FlexInt  `json:"session_timeout"`

	// selfUnclear is set when the appliance's is_self could not be read.
	selfUnclear bool
}

// UnmarshalJSON reads is_self failing closed: it guards sign-outs, which never end
// the provider's own session, so only an explicit false ("false" or false) makes a
// session someone else's. A missing, empty, null or odd is_self reads as true, "maybe
// the provider's own", and EndUserSessions leaves such a session alone.
func (s *Session) UnmarshalJSON(data []byte) error {
	type fields Session // the same fields, without this method
	var wire struct {
		fields
		IsSelf json.RawMessage `json:"is_self"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*s = Session(wire.fields)
	own, set, err := parseFlag(wire.IsSelf)
	s.selfUnclear = !set || err != nil
	s.IsSelf = own || s.selfUnclear
	return nil
}

// SelfUnclear reports whether the appliance left this session's is_self unreadable
// (missing, empty, null or odd), so that it may be the client's own: IsSelf then reads
// true, failing closed, and a caller that lists sessions can tell "maybe the
// client's own" from "the client's own".
func (s *Session) SelfUnclear() bool { return s.selfUnclear }

type sessionEnvelope struct {
	envelope
	Sessions []Session `json:"mpssession"`
}

// Where an appliance serves mpssession. Current ADM serves it at NITRO v2 with
// filter=, pagesize/pageno and count=yes; older MAS builds only at v1, where the API
// takes no query parameters.
const (
	sessionPathV2 = "/nitro/v2/config/mpssession"
	sessionPathV1 = "/nitro/v1/config/mpssession"
	// sessionPageSize is how many sessions one v2 list call asks for.
	sessionPageSize = 1000
)

// sessionPath returns the appliance's mpssession collection, learning it once per
// client: a 404 on the v2 collection means an appliance that predates it. A failed
// probe is not remembered, so the next call asks again.
func (c *Client) sessionPath(ctx context.Context) (string, error) {
	c.generationMu.Lock()
	defer c.generationMu.Unlock()
	if c.sessionCollection != "" {
		return c.sessionCollection, nil
	}
	_, err := c.call(ctx, transport.Request{
		Operation: "mpssession count", Method: http.MethodGet, Path: sessionPathV2,
		Query: url.Values{"count": {"yes"}}, Idempotent: true,
	}, nil)
	switch {
	case err == nil:
		c.sessionCollection = sessionPathV2
	case isMissingCollection(err):
		c.sessionCollection = sessionPathV1
	default:
		return "", err
	}
	return c.sessionCollection, nil
}

func isMissingCollection(err error) bool {
	var nitroErr *Error
	return errors.As(err, &nitroErr) && nitroErr.HTTPStatus == http.StatusNotFound
}

// ListSessions returns exactly the live sessions matching filter.
func (c *Client) ListSessions(ctx context.Context, filter Filter) ([]Session, error) {
	var sessions []Session
	err := c.SessionPages(ctx, filter, sessionPageSize, func(page []Session) bool {
		sessions = append(sessions, page...)
		return true
	})
	if err != nil {
		return nil, err
	}
	return sessions, nil
}

// SessionPages hands the live sessions matching filter to yield one page at a time
// and asks for no further page once yield returns false. On v2 the appliance filters
// and pages, pageSize sessions per call; on v1 it sends every session in one reply.
// Either way the filter is applied here too, so an appliance that ignores a parameter
// never widens the result.
func (c *Client) SessionPages(ctx context.Context, filter Filter, pageSize int, yield func([]Session) bool) error {
	collection, err := c.sessionPath(ctx)
	if err != nil {
		return err
	}
	if collection == sessionPathV2 {
		return eachPage(ctx, c, "mpssession list", collection, filter, pageSize, func(r *sessionEnvelope) []Session { return r.Sessions }, func(s Session) string { return s.ID }, func(page []Session) bool {
			return yield(keepMatching(filter, page))
		})
	}
	var reply sessionEnvelope
	if _, err := c.call(ctx, transport.Request{Operation: "mpssession list", Method: http.MethodGet, Path: collection, Idempotent: true}, &reply); err != nil {
		return err
	}
	yield(keepMatching(filter, reply.Sessions))
	return nil
}

// GetSession reads one live session.
func (c *Client) GetSession(ctx context.Context, id string) (*Session, error) {
	collection, err := c.sessionPath(ctx)
	if err != nil {
		return nil, err
	}
	var reply sessionEnvelope
	if _, err := c.call(ctx, transport.Request{
		Operation: "mpssession get", Method: http.MethodGet, Path: collection + "/" + escape(id), Idempotent: true,
	}, &reply); err != nil {
		return nil, err
	}
	return single("mpssession get", reply.Sessions)
}

// DeleteSession terminates a session; one that has already ended is success.
func (c *Client) DeleteSession(ctx context.Context, id string) error {
	collection, err := c.sessionPath(ctx)
	if err != nil {
		return err
	}
	_, err = c.call(ctx, transport.Request{
		Operation: "mpssession delete", Method: http.MethodDelete, Path: collection + "/" + escape(id), Idempotent: true,
	}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// EndUserSessions terminates every live session of username except the client's own
// (is_self), trying each one even after another failed, and returns how many it
// ended; the error names each session it could not end. A session whose is_self the
// appliance left unreadable may be the client's own: it is not ended, and is named as
// not ended, so a sign-out neither ends it nor claims it did.
func (c *Client) EndUserSessions(ctx context.Context, username string) (int, error) {
	sessions, err := c.ListSessions(ctx, Filter{"username": username})
	if err != nil {
		return 0, err
	}
	var ids []string
	unclear := map[string]bool{}
	for _, session := range sessions {
		if session.selfUnclear {
			unclear[session.ID] = true
		}
		if !session.IsSelf || session.selfUnclear {
			ids = append(ids, session.ID)
		}
	}
	return transport.EndEach(ctx, "session", username, ids, func(ctx context.Context, id string) error {
		if unclear[id] {
			return errSelfUnclear
		}
		return c.DeleteSession(ctx, id)
	})
}

var errSelfUnclear = errors.New("left alone: the appliance did not say whether it is the provider's own session (is_self)")
