package mock

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// ClusterSession is a live Dynatrace sign-in as the Cluster API's userSessions call
// reports it. SessionID is the session's credential.
type ClusterSession struct {
	UserID       string
	NodeID       int64
	SessionID    string
	TenantUUID   string
	LoginType    string // LOCAL, LDAP, SSO_MANAGED or DEVOPSTOKEN
	Device       string
	IP           string
	CreationTime time.Time
	LastAccessed time.Time
}

// clusterUUID is the tenant UUID the API reports for a sign-in to the Cluster
// Management Console itself.
const clusterUUID = "0d4b9b35-5f6a-4d2b-9a51-7c3e2f1a8b60"

func clusterSessionReply(session *ClusterSession) map[string]any {
	return map[string]any{
		"userId": session.UserID, "nodeId": session.NodeID, "sessionId": session.SessionID,
		"creationTime": session.CreationTime.UnixMilli(), "lastAccessedTimestamp": session.LastAccessed.UnixMilli(),
		"tenantUuid": session.TenantUUID, "loginType": session.LoginType, "device": session.Device, "ip": session.IP,
	}
}

// clusterLiveSessions serves GET userSessions[?userId=] and DELETE userSessions?userId=
// with the status codes of the Cluster API's user-management reference: a DELETE
// without a user id is a 400, and one for a user with no sessions a 404.
func (s *Server) clusterLiveSessions(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	userID, filtered := query.Get("userId"), query.Has("userId")
	c := &s.cluster
	switch r.Method {
	case http.MethodGet:
		c.mu.Lock()
		replies := []map[string]any{}
		for _, session := range c.sessions {
			if !filtered || session.UserID == userID {
				replies = append(replies, clusterSessionReply(session))
			}
		}
		c.mu.Unlock()
		writeJSON(w, http.StatusOK, replies)
	case http.MethodDelete:
		if userID == "" {
			writeClusterError(w, http.StatusBadRequest, "Bad request. User id must be filled in.")
			return
		}
		c.mu.Lock()
		before := len(c.sessions)
		c.sessions = slices.DeleteFunc(c.sessions, func(session *ClusterSession) bool { return session.UserID == userID })
		ended := before - len(c.sessions)
		c.mu.Unlock()
		if ended == 0 {
			writeClusterError(w, http.StatusNotFound, "User sessions not found")
			return
		}
		w.WriteHeader(http.StatusOK)
	default:
		writeClusterError(w, http.StatusMethodNotAllowed, "Method not allowed")
	}
}

// ClusterSessionSeed describes live Dynatrace sessions to add for one user.
type ClusterSessionSeed struct {
	UserID    string
	Count     int    // default 1
	LoginType string // default "LOCAL"
	Device    string // default "Chrome on Windows"
	// TenantUUID is the environment signed in to; default the cluster's own UUID
	// (a sign-in to the Cluster Management Console).
	TenantUUID string
	// IdleFor backdates the last access.
	IdleFor time.Duration
}

// SeedClusterSessions adds live sessions as if the user had signed in, and returns
// copies of them.
func (s *Server) SeedClusterSessions(seed ClusterSessionSeed) []ClusterSession {
	c := &s.cluster
	c.mu.Lock()
	defer c.mu.Unlock()
	now := s.opts.Now()
	count := max(seed.Count, 1)
	out := make([]ClusterSession, 0, count)
	for i := 0; i < count; i++ {
		session := &ClusterSession{
			UserID: seed.UserID, NodeID: int64(len(c.sessions)%3 + 1), SessionID: randomHex(20),
			TenantUUID: seed.TenantUUID, LoginType: seed.LoginType, Device: seed.Device,
			IP:           fmt.Sprintf("192.0.2.%d", len(c.sessions)%250+1),
			CreationTime: now.Add(-seed.IdleFor - time.Duration(i+1)*time.Minute), LastAccessed: now.Add(-seed.IdleFor),
		}
		if session.TenantUUID == "" {
			session.TenantUUID = clusterUUID
		}
		if session.LoginType == "" {
			session.LoginType = "LOCAL"
		}
		if session.Device == "" {
			session.Device = "Chrome on Windows"
		}
		c.sessions = append(c.sessions, session)
		c.issued = append(c.issued, session.SessionID)
		out = append(out, *session)
	}
	return out
}

// ClusterSessions returns copies of the live Dynatrace sessions, in creation order.
func (s *Server) ClusterSessions() []ClusterSession {
	c := &s.cluster
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]ClusterSession, 0, len(c.sessions))
	for _, session := range c.sessions {
		out = append(out, *session)
	}
	return out
}
