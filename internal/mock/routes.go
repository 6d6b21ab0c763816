package mock

import (
	"net/http"
	"strings"
)

// Route names: a request's method and the path pattern that serves it, as Count,
// Fault and OnRequest take them. A request no pattern serves is named by its method
// and its own path.
const (
	RouteNITROLogin  = "POST " + nitroLoginPath
	RouteNITROLogout = "POST " + nitroLogoutPath
	// Citrix's ADM automation signs in and out at NITRO v2.
	RouteNITROLoginV2  = "POST " + nitroLoginV2Path
	RouteNITROLogoutV2 = "POST " + nitroLogoutV2Path

	RouteUserAdd    = "POST " + userCollectionPath
	RouteUserList   = "GET " + userCollectionPath // count=yes and every page too
	RouteUserGet    = "GET " + userItemPattern
	RouteUserUpdate = "PUT " + userItemPattern
	RouteUserDelete = "DELETE " + userItemPattern
	// RouteUserDeleteByArgs is DELETE on the collection with args=name:…,id:…, as
	// Citrix's ADM automation deletes users.
	RouteUserDeleteByArgs = "DELETE " + userCollectionPath

	RouteSessionListV1   = "GET " + sessionCollectionV1Path
	RouteSessionGetV1    = "GET " + sessionItemV1Pattern
	RouteSessionDeleteV1 = "DELETE " + sessionItemV1Pattern
	RouteSessionListV2   = "GET " + sessionCollectionV2Path
	RouteSessionGetV2    = "GET " + sessionItemV2Pattern
	RouteSessionDeleteV2 = "DELETE " + sessionItemV2Pattern

	RoutePolicyGet          = "GET " + clusterUserSessionsPath
	RoutePolicyPut          = "PUT " + clusterUserSessionsPath
	RouteClusterSessionList = "GET " + clusterLiveSessionsPath
	RouteClusterSessionEnd  = "DELETE " + clusterLiveSessionsPath

	RouteNimbleSignIn = "POST " + tokensPath
	RouteTokenList    = "GET " + tokensDetailPath
	RouteTokenGet     = "GET " + tokenItemPattern
	RouteTokenDelete  = "DELETE " + tokenItemPattern
)

const (
	nitroLoginPath          = "/nitro/v1/config/login"
	nitroLogoutPath         = "/nitro/v1/config/logout"
	nitroLoginV2Path        = "/nitro/v2/config/login"
	nitroLogoutV2Path       = "/nitro/v2/config/logout"
	userCollectionPath      = "/nitro/v2/config/mpsuser"
	userItemPattern         = "/nitro/v2/config/mpsuser/{id}"
	sessionCollectionV1Path = "/nitro/v1/config/mpssession"
	sessionItemV1Pattern    = "/nitro/v1/config/mpssession/{id}"
	sessionCollectionV2Path = "/nitro/v2/config/mpssession"
	sessionItemV2Pattern    = "/nitro/v2/config/mpssession/{id}"
	clusterUserSessionsPath = "/api/cluster/v2/clusterConfig/userSessions"
	clusterLiveSessionsPath = "/api/cluster/v2/userSessions"
	tokensPath              = "/v1/tokens"
	tokensDetailPath        = "/v1/tokens/detail"
	tokenItemPattern        = "/v1/tokens/{id}"
)

// routes serves each API by path pattern. Handlers check the method themselves, so a
// wrong one gets the vendor's error rather than the mux's. Each API's prefix ends in a
// handler that answers with that API's own "not found".
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc(nitroLoginPath, s.nitroLogin)
	mux.HandleFunc(nitroLogoutPath, s.authenticated(s.nitroLogout))
	mux.HandleFunc(nitroLoginV2Path, s.nitroLogin)
	mux.HandleFunc(nitroLogoutV2Path, s.authenticated(s.nitroLogout))
	mux.HandleFunc(userCollectionPath, s.authenticated(s.usersCollection))
	mux.HandleFunc(userItemPattern, s.authenticated(s.userItem))
	mux.HandleFunc(sessionCollectionV1Path, s.authenticated(s.legacySessionsCollection))
	mux.HandleFunc(sessionItemV1Pattern, s.authenticated(s.sessionItem))
	// Older MAS builds serve mpssession at NITRO v1 only.
	if s.opts.ADMGeneration == GenerationCurrent {
		mux.HandleFunc(sessionCollectionV2Path, s.authenticated(s.sessionsCollection))
		mux.HandleFunc(sessionItemV2Pattern, s.authenticated(s.sessionItem))
	}
	mux.HandleFunc("/nitro/", func(w http.ResponseWriter, _ *http.Request) {
		writeNitroError(w, http.StatusNotFound, nitroCodeNoSuchResource, "No such resource type")
	})

	mux.HandleFunc(clusterUserSessionsPath, s.clusterAuthorized(s.clusterUserSessions))
	mux.HandleFunc(clusterLiveSessionsPath, s.clusterAuthorized(s.clusterLiveSessions))
	mux.HandleFunc("/api/cluster/", func(w http.ResponseWriter, _ *http.Request) {
		writeClusterError(w, http.StatusNotFound, "Not found")
	})

	mux.HandleFunc("POST "+tokensPath, s.nimbleSignIn)
	mux.HandleFunc(tokensPath, s.nimbleAuthenticated(s.nimbleList))
	mux.HandleFunc("GET "+tokensDetailPath, s.nimbleAuthenticated(s.nimbleList))
	mux.HandleFunc("DELETE "+tokenItemPattern, s.nimbleAuthenticated(s.nimbleDelete))
	mux.HandleFunc(tokenItemPattern, s.nimbleAuthenticated(s.nimbleGet))
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, _ *http.Request) {
		writeNimbleError(w, http.StatusNotFound, "SM_http_not_found", "Object type not found")
	})

	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no such API", http.StatusNotFound)
	})
	return mux
}

// routeName names a request served by pattern.
func routeName(r *http.Request, pattern string) string {
	switch {
	case pattern == "" || strings.HasSuffix(pattern, "/"):
		return r.Method + " " + r.URL.EscapedPath()
	case strings.Contains(pattern, " "):
		return pattern
	}
	return r.Method + " " + pattern
}
