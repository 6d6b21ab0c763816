package mock

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// sessionReply is the wire form of a session as the NITRO mpssession reference
// documents it; is_self is true for the caller's own session, and absent for a
// session seeded WithoutIsSelf.
func sessionReply(session *Session, caller *Session, now time.Time) map[string]any {
	remaining := session.Timeout - now.Sub(session.LastActivityTime)
	reply := map[string]any{
		"id":                 session.ID,
		"sessionid":          session.SessionID,
		"token":              session.Token,
		"username":           session.Username,
		"client_type":        session.ClientType,
		"ip_address":         session.IPAddress,
		"port":               session.Port,
		"tenant_name":        session.TenantName,
		"permission":         session.Permission,
		"session_creator":    session.Username,
		"is_external_auth":   session.IsExternalAuth,
		"login_time":         session.LoginTime.Unix(),
		"last_activity_time": session.LastActivityTime.Unix(),
		"session_timeout":    int64(session.Timeout.Seconds()),
		"expire_after":       max(int64(remaining.Seconds()), 0),
		"is_self":            caller.ID == session.ID,
	}
	if session.WithoutIsSelf {
		delete(reply, "is_self")
	}
	return reply
}

// legacySessionsCollection is mpssession at NITRO v1, as older MAS builds serve it:
// the API documents no query parameters there, so filter, pagesize and the like are
// ignored and every live session comes back.
func (s *Server) legacySessionsCollection(w http.ResponseWriter, r *http.Request, caller *Session) {
	if r.Method != http.MethodGet {
		writeNitroError(w, http.StatusMethodNotAllowed, nitroCodeInvalidArg, "Method not allowed on mpssession")
		return
	}
	s.writeNitroOK(w, "mpssession", s.sessionReplies(caller, nil))
}

// sessionsCollection is mpssession at NITRO v2 (current ADM): filter=, pagesize and
// pageno, and count=yes, as for mpsuser.
func (s *Server) sessionsCollection(w http.ResponseWriter, r *http.Request, caller *Session) {
	if r.Method != http.MethodGet {
		writeNitroError(w, http.StatusMethodNotAllowed, nitroCodeInvalidArg, "Method not allowed on mpssession")
		return
	}
	query := r.URL.Query()
	filter, size, number, ok := listParams(w, query)
	if !ok {
		return
	}
	replies := s.sessionReplies(caller, filter)
	if query.Get("count") == "yes" {
		s.writeNitroOK(w, "mpssession", []map[string]any{{"__count": len(replies)}})
		return
	}
	s.writeNitroOK(w, "mpssession", page(replies, size, number))
}

// sessionReplies are the live sessions matching filter, in a stable order.
func (s *Server) sessionReplies(caller *Session, filter map[string]string) []map[string]any {
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.opts.Now()
	replies := []map[string]any{}
	for _, id := range sortedKeys(n.sessions) {
		reply := sessionReply(n.sessions[id], caller, now)
		if matches(filter, reply) {
			replies = append(replies, reply)
		}
	}
	return replies
}

func (s *Server) sessionItem(w http.ResponseWriter, r *http.Request, caller *Session) {
	prefix, _, _ := strings.Cut(r.URL.EscapedPath(), "mpssession/")
	id, ok := itemID(w, r, prefix+"mpssession/")
	if !ok {
		return
	}
	n := &s.nitro
	n.mu.Lock()
	session, found := n.sessions[id]
	var reply map[string]any
	if found {
		reply = sessionReply(session, caller, n.opts.Now())
		if r.Method == http.MethodDelete {
			delete(n.sessions, id)
		}
	}
	n.mu.Unlock()
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodDelete:
		writeNitroError(w, http.StatusMethodNotAllowed, nitroCodeInvalidArg, "Method not allowed on mpssession/{id}")
	case !found:
		writeNitroError(w, http.StatusNotFound, nitroCodeNoSuchResource, "No such resource [id, "+id+"]")
	case r.Method == http.MethodGet:
		s.writeNitroOK(w, "mpssession", []map[string]any{reply})
	default:
		writeNitroDone(w)
	}
}

// SessionSeed describes a session to add as if someone had signed in.
type SessionSeed struct {
	Username   string
	ClientType string // "API", "browser", …
	IPAddress  string
	TenantName string
	// IdleFor backdates the last activity.
	IdleFor time.Duration
	// WithoutIsSelf leaves is_self out of the session's replies, so no caller can
	// tell whether it is its own.
	WithoutIsSelf bool
}

// SeedSession adds a live session and returns its id.
func (s *Server) SeedSession(seed SessionSeed) string {
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.opts.Now()
	session := &Session{
		ID: randomHex(16), SessionID: "##" + randomHex(24), Token: randomHex(20),
		Username: seed.Username, ClientType: seed.ClientType, IPAddress: seed.IPAddress,
		Port: 40000 + len(n.sessions), TenantName: seed.TenantName, Permission: "readonly",
		LoginTime: now.Add(-seed.IdleFor - time.Minute), LastActivityTime: now.Add(-seed.IdleFor),
		Timeout:       max(n.opts.SessionLifetime, seed.IdleFor+time.Hour),
		WithoutIsSelf: seed.WithoutIsSelf,
	}
	if session.ClientType == "" {
		session.ClientType = "browser"
	}
	if session.TenantName == "" {
		session.TenantName = defaultTenant
	}
	if session.IPAddress == "" {
		session.IPAddress = fmt.Sprintf("10.0.%d.%d", len(n.sessions)/250, len(n.sessions)%250+1)
	}
	n.sessions[session.ID] = session
	n.issued = append(n.issued, session.SessionID, session.Token)
	return session.ID
}

// Sessions returns copies of the live sessions.
func (s *Server) Sessions() []Session {
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]Session, 0, len(n.sessions))
	for _, id := range sortedKeys(n.sessions) {
		out = append(out, *n.sessions[id])
	}
	return out
}

// EndSession ends a session behind the client's back.
func (s *Server) EndSession(id string) bool {
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	_, found := n.sessions[id]
	delete(n.sessions, id)
	return found
}

// SignIns returns how often username has signed in through NITRO login.
func (s *Server) SignIns(username string) int {
	s.nitro.mu.Lock()
	defer s.nitro.mu.Unlock()
	return s.nitro.signIns[username]
}
