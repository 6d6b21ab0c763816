package mock

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"sync"
)

// ClusterPolicy is the Dynatrace Managed user-session policy (Cluster API v2 clusterConfig/userSessions).
type ClusterPolicy struct {
	UserLimit                  int64
	AdminLimit                 int64
	LogoutInactiveUsersEnabled bool
	UserInactivityTimeout      int64
}

type clusterState struct {
	mu       sync.Mutex
	policy   ClusterPolicy
	sessions []*ClusterSession // in creation order
	issued   []string          // every sessionId seeded
}

// init starts from the values of the seed's response body model.
func (c *clusterState) init() {
	c.policy = ClusterPolicy{UserLimit: 1, AdminLimit: 1, LogoutInactiveUsersEnabled: true, UserInactivityTimeout: 900}
}

type clusterPolicyWire struct {
	ConcurrentSessionPolicyDto *struct {
		UserLimit  *int64 `json:"userLimit"`
		AdminLimit *int64 `json:"adminLimit"`
	} `json:"concurrentSessionPolicyDto"`
	AutomaticLogoutDto *struct {
		LogoutInactiveUsersEnabled *bool  `json:"logoutInactiveUsersEnabled"`
		UserInactivityTimeout      *int64 `json:"userInactivityTimeout"`
	} `json:"automaticLogoutDto"`
}

func writeClusterError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": status, "message": message}})
}

type violation struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// clusterAuthorized accepts an Api-Token with the ServiceProviderAPI permission.
func (s *Server) clusterAuthorized(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, hasScheme := strings.CutPrefix(r.Header.Get("Authorization"), "Api-Token ")
		switch {
		case !hasScheme || token == "":
			writeClusterError(w, http.StatusUnauthorized, "Missing authorization parameter.")
		case token == s.opts.ClusterTokenWithoutScope:
			writeClusterError(w, http.StatusForbidden, "Token is missing required scope. Use one of: ServiceProviderAPI")
		case token != s.opts.ClusterAPIToken:
			writeClusterError(w, http.StatusUnauthorized, "Token Authentication failed")
		default:
			next(w, r)
		}
	}
}

func (s *Server) clusterUserSessions(w http.ResponseWriter, r *http.Request) {
	c := &s.cluster
	switch r.Method {
	case http.MethodGet:
		c.mu.Lock()
		p := c.policy
		c.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{
			"concurrentSessionPolicyDto": map[string]any{"userLimit": p.UserLimit, "adminLimit": p.AdminLimit},
			"automaticLogoutDto":         map[string]any{"logoutInactiveUsersEnabled": p.LogoutInactiveUsersEnabled, "userInactivityTimeout": p.UserInactivityTimeout},
		})
	case http.MethodPut:
		s.putClusterPolicy(w, r)
	default:
		writeClusterError(w, http.StatusMethodNotAllowed, "Method not allowed")
	}
}

func (s *Server) putClusterPolicy(w http.ResponseWriter, r *http.Request) {
	if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType != "application/json" {
		writeClusterError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	var body bytes.Buffer
	if _, err := body.ReadFrom(http.MaxBytesReader(w, r.Body, 1<<16)); err != nil {
		writeClusterError(w, http.StatusBadRequest, "Could not read the request body")
		return
	}
	decoder := json.NewDecoder(&body)
	decoder.DisallowUnknownFields()
	var in clusterPolicyWire
	if err := decoder.Decode(&in); err != nil {
		writeClusterError(w, http.StatusBadRequest, "Could not map JSON at '"+err.Error()+"'")
		return
	}
	var violations []violation
	add := func(path, message string) { violations = append(violations, violation{Path: path, Message: message}) }
	if in.ConcurrentSessionPolicyDto == nil {
		add("concurrentSessionPolicyDto", "must not be null")
	} else {
		if v := in.ConcurrentSessionPolicyDto.UserLimit; v == nil || *v < 0 {
			add("concurrentSessionPolicyDto.userLimit", "must be greater than or equal to 0")
		}
		if v := in.ConcurrentSessionPolicyDto.AdminLimit; v == nil || *v < 0 {
			add("concurrentSessionPolicyDto.adminLimit", "must be greater than or equal to 0")
		}
		if u, a := in.ConcurrentSessionPolicyDto.UserLimit, in.ConcurrentSessionPolicyDto.AdminLimit; u != nil && a != nil && (*u == 0) != (*a == 0) {
			add("concurrentSessionPolicyDto", "if one limit is 0 (no limit), the other must be 0 as well")
		}
	}
	if in.AutomaticLogoutDto == nil {
		add("automaticLogoutDto", "must not be null")
	} else {
		if in.AutomaticLogoutDto.LogoutInactiveUsersEnabled == nil {
			add("automaticLogoutDto.logoutInactiveUsersEnabled", "must not be null")
		}
		if v := in.AutomaticLogoutDto.UserInactivityTimeout; v == nil || *v <= 0 {
			add("automaticLogoutDto.userInactivityTimeout", "must be greater than 0")
		}
	}
	if len(violations) > 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
			"code": http.StatusBadRequest, "message": "Constraints violated.", "constraintViolations": violations,
		}})
		return
	}
	c := &s.cluster
	c.mu.Lock()
	c.policy = ClusterPolicy{
		UserLimit:                  *in.ConcurrentSessionPolicyDto.UserLimit,
		AdminLimit:                 *in.ConcurrentSessionPolicyDto.AdminLimit,
		LogoutInactiveUsersEnabled: *in.AutomaticLogoutDto.LogoutInactiveUsersEnabled,
		UserInactivityTimeout:      *in.AutomaticLogoutDto.UserInactivityTimeout,
	}
	c.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// ClusterPolicy returns the current policy.
func (s *Server) ClusterPolicy() ClusterPolicy {
	s.cluster.mu.Lock()
	defer s.cluster.mu.Unlock()
	return s.cluster.policy
}

// SetClusterPolicy changes the policy behind the client's back, as a console click would.
func (s *Server) SetClusterPolicy(p ClusterPolicy) {
	s.cluster.mu.Lock()
	defer s.cluster.mu.Unlock()
	s.cluster.policy = p
}
