package nitro

import (
	"context"
	"net/http"
	"net/url"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

const sessionPath = "/nitro/v1/config/mpssession"

// Session is an ADM client session (mpssession). The credentials the appliance sends
// with it (token and sessionid) have no field here on purpose: they are never
// decoded, so they can never be stored.
type Session struct {
	ID               string  `json:"id"`
	Username         string  `json:"username"`
	ClientType       string  `json:"client_type"`
	IPAddress        string  `json:"ip_address"`
	Port             FlexInt `json:"port"`
	TenantName       string  `json:"tenant_name"`
	Permission       string  `json:"permission"`
	SessionCreator   string  `json:"session_creator"`
	IsExternalAuth   bool    `json:"is_external_auth"`
	IsSelf           bool    `json:"is_self"`
	LoginTime        FlexInt `json:"login_time"`
	LastActivityTime FlexInt `json:"last_activity_time"`
	ExpireAfter      FlexInt `json:"expire_after"`
	SessionTimeout   FlexInt `json:"session_timeout"`
}

type sessionEnvelope struct {
	envelope
	Sessions []Session `json:"mpssession"`
}

// ListSessions returns the live sessions matching filter (exact matches, applied by
// the appliance).
func (c *Client) ListSessions(ctx context.Context, filter Filter) ([]Session, error) {
	var query url.Values
	if len(filter) > 0 {
		query = url.Values{"filter": {filter.encode()}}
	}
	var reply sessionEnvelope
	if _, err := c.call(ctx, transport.Request{
		Operation: "mpssession list", Method: http.MethodGet, Path: sessionPath, Query: query, Idempotent: true,
	}, &reply); err != nil {
		return nil, err
	}
	return reply.Sessions, nil
}

// GetSession reads one live session.
func (c *Client) GetSession(ctx context.Context, id string) (*Session, error) {
	var reply sessionEnvelope
	if _, err := c.call(ctx, transport.Request{
		Operation: "mpssession get", Method: http.MethodGet, Path: sessionPath + "/" + escape(id), Idempotent: true,
	}, &reply); err != nil {
		return nil, err
	}
	return single("mpssession get", reply.Sessions)
}

// DeleteSession terminates a session; one that has already ended is success.
func (c *Client) DeleteSession(ctx context.Context, id string) error {
	_, err := c.call(ctx, transport.Request{
		Operation: "mpssession delete", Method: http.MethodDelete, Path: sessionPath + "/" + escape(id), Idempotent: true,
	}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}
