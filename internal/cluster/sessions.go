package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// Session is a live sign-in to the cluster or one of its environments, as the
// Cluster API's userSessions call reports it. The API's sessionId is the session's
// credential and has no field here on purpose: it is never decoded, so it can never
// be stored.
type Session struct {
	UserID     string `json:"userId"`
	NodeID     int64  `json:"nodeId"`
	TenantUUID string `json:"tenantUuid"`
	LoginType  string `json:"loginType"`
	Device     string `json:"device"`
	IP         string `json:"ip"`
	// CreationTime and LastAccessed are milliseconds since the Unix epoch.
	CreationTime int64 `json:"creationTime"`
	LastAccessed int64 `json:"lastAccessedTimestamp"`
}

// ListSessions returns the live sessions of userID, or of every user when userID is
// "". The filter is applied here too, so a cluster that ignored userId could never
// widen the result.
func (c *Client) ListSessions(ctx context.Context, userID string) ([]Session, error) {
	req := transport.Request{Operation: "cluster sessions list", Method: http.MethodGet, Path: liveSessionsPath, Idempotent: true}
	if userID != "" {
		req.Query = url.Values{"userId": {userID}}
	}
	resp, err := c.do(ctx, req)
	if err != nil {
		return nil, err
	}
	sessions, err := decodeSessions(resp.Body)
	if err != nil {
		return nil, err
	}
	if userID != "" {
		sessions = slices.DeleteFunc(sessions, func(s Session) bool { return s.UserID != userID })
	}
	return sessions, nil
}

func decodeSessions(body []byte) ([]Session, error) {
	var sessions []Session
	if err := json.Unmarshal(body, &sessions); err != nil {
		return nil, fmt.Errorf("cluster sessions list: the cluster sent a reply that is not the expected JSON array of sessions: %v", err)
	}
	if sessions == nil {
		sessions = []Session{}
	}
	return sessions, nil
}

// EndSessions ends every live session of userID and returns how many there were.
// The count comes from a look-up first, because the DELETE reply carries none. The
// look-up also proves that the cluster serves userSessions, so the DELETE's 404, which
// the API uses for "this user has no sessions", cannot be a missing endpoint read as
// success. A 404 after the look-up found sessions means they are gone all the same:
// ended on their own, or by an earlier attempt of this DELETE whose reply was lost.
func (c *Client) EndSessions(ctx context.Context, userID string) (int, error) {
	if userID == "" {
		return 0, fmt.Errorf("cluster sessions end: the user id is empty")
	}
	sessions, err := c.ListSessions(ctx, userID)
	if err != nil {
		return 0, err
	}
	_, err = c.do(ctx, transport.Request{
		Operation: "cluster sessions end", Method: http.MethodDelete, Path: liveSessionsPath,
		Query: url.Values{"userId": {userID}},
		// Ending a user's sessions twice ends them once; the repeat answers 404.
		Idempotent: true,
	})
	if err != nil && !IsNotFound(err) {
		return 0, err
	}
	return len(sessions), nil
}
