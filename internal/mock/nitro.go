package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// NITRO error codes the mock answers with, as ADM builds do.
const (
	nitroCodeNoSuchResource = 258
	nitroCodeExists         = 273
	nitroCodeBadCredentials = 354
	nitroCodeInvalidArg     = 1092
	nitroCodeInvalidValue   = 1097
	nitroCodeSessionExpired = 444
)

// User is a NITRO mpsuser as the mock stores it.
type User struct {
	ID                      string   `json:"id"`
	Name                    string   `json:"name"`
	Password                string   `json:"-"`
	TenantID                string   `json:"tenant_id"`
	Groups                  []string `json:"groups"`
	ExternalAuthentication  bool     `json:"external_authentication"`
	ExternalGroupMappingOID string   `json:"external_group_mapping_oid"`
	EnableSessionTimeout    bool     `json:"enable_session_timeout"`
	SessionTimeout          int64    `json:"session_timeout"`
	SessionTimeoutUnit      string   `json:"session_timeout_unit"`
	MPSUserName             string   `json:"mpsuser_name"`
	Permission              string   `json:"permission"`
	TenantName              string   `json:"tenant_name"`
	IsDefault               bool     `json:"is_default"`
	IsSuperuser             bool     `json:"issuperuser"`
	NSRootUser              string   `json:"nsroot_user"`
	ForceChangePassword     bool     `json:"force_change_password"`
	Encrypted               bool     `json:"encrypted"`
	Locked                  bool     `json:"-"`
}

// Session is a NITRO client session (mpssession) as the mock stores it.
type Session struct {
	ID               string
	SessionID        string
	Token            string
	Username         string
	ClientType       string
	IPAddress        string
	Port             int
	TenantName       string
	Permission       string
	IsExternalAuth   bool
	LoginTime        time.Time
	LastActivityTime time.Time
	Timeout          time.Duration
	WithoutIsSelf    bool
}

// userWire is the writable mpsuser as it may arrive on the wire; pointers tell which
// fields the client set.
type userWire struct {
	ID                      *string   `json:"id"`
	Name                    *string   `json:"name"`
	Password                *string   `json:"password"`
	TenantID                *string   `json:"tenant_id"`
	Groups                  *[]string `json:"groups"`
	ExternalAuthentication  *wireBool `json:"external_authentication"`
	ExternalGroupMappingOID *string   `json:"external_group_mapping_oid"`
	EnableSessionTimeout    *wireBool `json:"enable_session_timeout"`
	SessionTimeout          *wireInt  `json:"session_timeout"`
	SessionTimeoutUnit      *string   `json:"session_timeout_unit"`
	MPSUserName             *string   `json:"mpsuser_name"`
	Unlock                  *wireBool `json:"unlock"`
}

// wireBool and wireInt are what ADM takes for a Boolean or Integer field: the typed
// JSON of its API reference, or the string Citrix's ADM automation sends ("true",
// "10"). Anything else is a wrong type.
type (
	wireBool bool
	wireInt  int64
)

func (b *wireBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", `"true"`:
		*b = true
	case "false", `"false"`:
		*b = false
	default:
		return fmt.Errorf("%s is not a Boolean value", data)
	}
	return nil
}

func (n *wireInt) UnmarshalJSON(data []byte) error {
	var text string
	if json.Unmarshal(data, &text) != nil {
		text = string(data)
	}
	value, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not an Integer value", data)
	}
	*n = wireInt(value)
	return nil
}

type nitroState struct {
	mu        sync.Mutex
	opts      Options
	users     map[string]*User
	userOrder []string // ids in creation order, for stable paging
	sessions  map[string]*Session
	nextID    int
	signIns   map[string]int // per user name
	issued    []string       // every session id and token handed out
}

const defaultTenant = "Owner"

func (n *nitroState) init(opts Options) {
	n.opts = opts
	n.users = map[string]*User{}
	n.sessions = map[string]*Session{}
	n.signIns = map[string]int{}
	n.insert(&User{
		Name: opts.ADMUsername, Password: opts.ADMPassword, Groups: []string{"admin"},
		Permission: "superuser", IsDefault: true, IsSuperuser: true, NSRootUser: "true",
		SessionTimeoutUnit: "Minutes", TenantName: defaultTenant, TenantID: "owner-tenant",
	})
}

func (n *nitroState) insert(u *User) {
	n.nextID++
	if u.ID == "" {
		u.ID = fmt.Sprintf("%08x-%s", n.nextID, randomHex(8))
	}
	if u.Groups == nil {
		u.Groups = []string{}
	}
	n.users[u.ID] = u
	n.userOrder = append(n.userOrder, u.ID)
}

func (n *nitroState) remove(id string) bool {
	if _, ok := n.users[id]; !ok {
		return false
	}
	delete(n.users, id)
	for i, v := range n.userOrder {
		if v == id {
			n.userOrder = append(n.userOrder[:i], n.userOrder[i+1:]...)
			break
		}
	}
	return true
}

func (n *nitroState) byName(name string) *User {
	for _, id := range n.userOrder {
		if n.users[id].Name == name {
			return n.users[id]
		}
	}
	return nil
}

func (n *nitroState) expireAll() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sessions = map[string]*Session{}
}

func writeNitroError(w http.ResponseWriter, status, code int, message string) {
	writeJSON(w, status, map[string]any{"errorcode": code, "message": message, "severity": "ERROR"})
}

// writeNitroDone answers a call that returns no object.
func writeNitroDone(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, map[string]any{"errorcode": 0, "message": "Done", "severity": "NONE"})
}

// writeNitroOK answers with objects under key, in the mock's NITRO dialect. The
// envelope's errorcode stays a number in both: Citrix's automation compares it with 0.
func (s *Server) writeNitroOK(w http.ResponseWriter, key string, objects []map[string]any) {
	if s.opts.NITRODialect == DialectStrings {
		for _, object := range objects {
			asStrings(object)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"errorcode": 0, "message": "Done", "severity": "NONE", key: objects})
}

// asStrings turns an object's numbers and booleans into JSON strings, as ADM sends
// them whatever its API reference says ("10", "true").
func asStrings(object map[string]any) {
	for name, value := range object {
		switch v := value.(type) {
		case bool:
			object[name] = strconv.FormatBool(v)
		case int:
			object[name] = strconv.Itoa(v)
		case int64:
			object[name] = strconv.FormatInt(v, 10)
		}
	}
}

// decodeNitroBody checks the content type and the {"<object>":{…}} envelope, and
// decodes the object strictly: unknown fields and wrong types are errors.
func decodeNitroBody(w http.ResponseWriter, r *http.Request, object string, into any) bool {
	if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType != "application/json" {
		writeNitroError(w, http.StatusUnsupportedMediaType, nitroCodeInvalidArg, "Content-Type must be application/json")
		return false
	}
	var outer map[string]json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&outer); err != nil {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, "Invalid JSON input: "+err.Error())
		return false
	}
	inner, ok := outer[object]
	if len(outer) != 1 || !ok {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, fmt.Sprintf("Request body must be {\"%s\":{...}}", object))
		return false
	}
	decoder := json.NewDecoder(bytes.NewReader(inner))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(into); err != nil {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidValue, "Invalid argument value: "+err.Error())
		return false
	}
	return true
}

// authenticated accepts a live NITRO_AUTH_TOKEN cookie, or X-NITRO-USER/X-NITRO-PASS
// on any call (the API reference's alternative to the cookie, which opens no session:
// the caller is then a Session that is not stored).
func (s *Server) authenticated(next func(http.ResponseWriter, *http.Request, *Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := &s.nitro
		if cookie, err := r.Cookie("NITRO_AUTH_TOKEN"); err == nil {
			n.mu.Lock()
			session := n.sessionByToken(cookie.Value)
			now := n.opts.Now()
			if session != nil && now.Sub(session.LastActivityTime) > session.Timeout {
				delete(n.sessions, session.ID)
				session = nil
			}
			if session != nil {
				session.LastActivityTime = now
			}
			n.mu.Unlock()
			if session == nil {
				writeNitroError(w, http.StatusUnauthorized, nitroCodeSessionExpired, "Invalid Session")
				return
			}
			next(w, r, session)
			return
		}
		if user := r.Header.Get("X-NITRO-USER"); user != "" {
			n.mu.Lock()
			account := n.signInAllowed(user, r.Header.Get("X-NITRO-PASS"))
			n.mu.Unlock()
			if account != nil {
				next(w, r, &Session{Username: account.Name})
				return
			}
			writeNitroError(w, http.StatusUnauthorized, nitroCodeBadCredentials, "Invalid username or password")
			return
		}
		writeNitroError(w, http.StatusUnauthorized, nitroCodeSessionExpired, "Not logged in")
	}
}

// signInAllowed returns the account that user and password sign in to, or nil.
func (n *nitroState) signInAllowed(user, password string) *User {
	account := n.byName(user)
	if account == nil || account.Password == "" || account.Password != password || account.Locked {
		return nil
	}
	return account
}

func (n *nitroState) sessionByToken(token string) *Session {
	for _, session := range n.sessions {
		if session.SessionID == token {
			return session
		}
	}
	return nil
}

func (s *Server) nitroLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeNitroError(w, http.StatusMethodNotAllowed, nitroCodeInvalidArg, "login takes POST")
		return
	}
	var login struct {
		Username string   `json:"username"`
		Password string   `json:"password"`
		Timeout  *wireInt `json:"timeout"`
	}
	if !decodeNitroBody(w, r, "login", &login) {
		return
	}
	n := &s.nitro
	n.mu.Lock()
	account := n.signInAllowed(login.Username, login.Password)
	if account == nil {
		n.mu.Unlock()
		writeNitroError(w, http.StatusUnauthorized, nitroCodeBadCredentials, "Invalid username or password")
		return
	}
	ip, port := clientAddress(r)
	now := n.opts.Now()
	session := &Session{
		ID: randomHex(16), SessionID: "##" + strings.ToUpper(randomHex(24)), Token: randomHex(20),
		Username: account.Name, ClientType: "API", IPAddress: ip, Port: port,
		TenantName: account.TenantName, Permission: account.Permission,
		IsExternalAuth: account.ExternalAuthentication,
		LoginTime:      now, LastActivityTime: now, Timeout: n.opts.SessionLifetime,
	}
	if session.TenantName == "" {
		session.TenantName = defaultTenant
	}
	n.sessions[session.ID] = session
	n.issued = append(n.issued, session.SessionID, session.Token)
	n.signIns[account.Name]++
	n.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "NITRO_AUTH_TOKEN", Value: session.SessionID, Path: "/nitro", HttpOnly: true})
	s.writeNitroOK(w, "login", []map[string]any{{"sessionid": session.SessionID, "expire_after": int64(session.Timeout.Seconds())}})
}

// nitroLogout ends a session: the one the body's sessionid names (as Citrix's
// automation sends it at NITRO v2), or else the caller's own. A sessionid must name a
// live session of the caller's account.
func (s *Server) nitroLogout(w http.ResponseWriter, r *http.Request, caller *Session) {
	if r.Method != http.MethodPost {
		writeNitroError(w, http.StatusMethodNotAllowed, nitroCodeInvalidArg, "logout takes POST")
		return
	}
	var logout struct {
		SessionID *string `json:"sessionid"`
	}
	if !decodeNitroBody(w, r, "logout", &logout) {
		return
	}
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	ending := n.sessions[caller.ID]
	if logout.SessionID != nil {
		ending = n.sessionByToken(*logout.SessionID)
		if ending == nil || ending.Username != caller.Username {
			writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, "Invalid sessionid")
			return
		}
	}
	if ending != nil {
		delete(n.sessions, ending.ID)
	}
	writeNitroDone(w)
}

func (s *Server) usersCollection(w http.ResponseWriter, r *http.Request, _ *Session) {
	switch r.Method {
	case http.MethodGet:
		s.listUsers(w, r)
	case http.MethodPost:
		s.addUser(w, r)
	case http.MethodDelete:
		s.deleteUserByArgs(w, r)
	default:
		writeNitroError(w, http.StatusMethodNotAllowed, nitroCodeInvalidArg, "Method not allowed on mpsuser")
	}
}

func itemID(w http.ResponseWriter, r *http.Request, prefix string) (string, bool) {
	id, err := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), prefix))
	if err != nil || id == "" || strings.Contains(id, "/") {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, "Invalid resource id")
		return "", false
	}
	return id, true
}

func (s *Server) userItem(w http.ResponseWriter, r *http.Request, _ *Session) {
	id, ok := itemID(w, r, "/nitro/v2/config/mpsuser/")
	if !ok {
		return
	}
	n := &s.nitro
	switch r.Method {
	case http.MethodGet:
		n.mu.Lock()
		user, found := n.users[id]
		var copied User
		if found {
			copied = *user
		}
		n.mu.Unlock()
		if !found {
			writeNitroError(w, http.StatusNotFound, nitroCodeNoSuchResource, "No such resource [id, "+id+"]")
			return
		}
		s.writeNitroOK(w, "mpsuser", []map[string]any{n.userReply(&copied)})
	case http.MethodPut:
		s.updateUser(w, r, id)
	case http.MethodDelete:
		n.mu.Lock()
		defer n.mu.Unlock()
		n.deleteUser(w, n.users[id], "id, "+id)
	default:
		writeNitroError(w, http.StatusMethodNotAllowed, nitroCodeInvalidArg, "Method not allowed on mpsuser/{id}")
	}
}

// userReply is the wire form of a stored user with the options applied:
// EmptyGroupsAsNull answers a user without groups with "groups": null.
func (n *nitroState) userReply(u *User) map[string]any {
	reply := userReply(u)
	if n.opts.EmptyGroupsAsNull && len(u.Groups) == 0 {
		reply["groups"] = nil
	}
	return reply
}

// userReply is the wire form of a stored user. Like a real ADM it echoes the password
// (masked) and its hashes, which clients must never keep.
func userReply(u *User) map[string]any {
	return map[string]any{
		"id": u.ID, "name": u.Name, "tenant_id": u.TenantID, "groups": append([]string{}, u.Groups...),
		"external_authentication": u.ExternalAuthentication, "external_group_mapping_oid": u.ExternalGroupMappingOID,
		"enable_session_timeout": u.EnableSessionTimeout, "session_timeout": u.SessionTimeout,
		"session_timeout_unit": u.SessionTimeoutUnit, "mpsuser_name": u.MPSUserName, "permission": u.Permission,
		"tenant_name": u.TenantName, "is_default": u.IsDefault, "issuperuser": u.IsSuperuser,
		"nsroot_user": u.NSRootUser, "force_change_password": u.ForceChangePassword, "encrypted": u.Encrypted,
		"unlock": false, "password": strings.Repeat("*", len(u.Password)),
		"one_way_password": "sha512:" + u.ID, "one_way_pbkdf2_password": "pbkdf2:" + u.ID,
	}
}

func validateUser(in *userWire, creating bool) string {
	const maxLength = 128 // every string limit of the NITRO mpsuser reference
	// The reference's limits count characters, not bytes.
	lengthOK := func(v *string, minLength int) bool {
		return v == nil || (utf8.RuneCountInString(*v) >= minLength && utf8.RuneCountInString(*v) <= maxLength)
	}
	switch {
	case creating && (in.Name == nil || *in.Name == ""):
		return "name is required"
	case !lengthOK(in.Name, 1):
		return "name must be 1 to 128 characters"
	case creating && (in.ExternalAuthentication == nil || !bool(*in.ExternalAuthentication)) && (in.Password == nil || *in.Password == ""):
		return "password is required"
	case !lengthOK(in.Password, 1):
		return "password must be 1 to 128 characters"
	case !lengthOK(in.TenantID, 1):
		return "tenant_id must be 1 to 128 characters"
	case !lengthOK(in.MPSUserName, 0):
		return "mpsuser_name must be at most 128 characters"
	case in.SessionTimeout != nil && *in.SessionTimeout < 0:
		return "session_timeout must not be negative"
	}
	return ""
}

func applyUser(u *User, in *userWire) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&u.Name, in.Name)
	set(&u.Password, in.Password)
	set(&u.TenantID, in.TenantID)
	set(&u.ExternalGroupMappingOID, in.ExternalGroupMappingOID)
	set(&u.SessionTimeoutUnit, in.SessionTimeoutUnit)
	set(&u.MPSUserName, in.MPSUserName)
	if in.Groups != nil {
		u.Groups = append([]string{}, (*in.Groups)...)
	}
	if in.ExternalAuthentication != nil {
		u.ExternalAuthentication = bool(*in.ExternalAuthentication)
	}
	if in.EnableSessionTimeout != nil {
		u.EnableSessionTimeout = bool(*in.EnableSessionTimeout)
	}
	if in.SessionTimeout != nil {
		u.SessionTimeout = int64(*in.SessionTimeout)
	}
	if in.Unlock != nil && *in.Unlock {
		u.Locked = false
	}
	u.Permission = "readonly"
	for _, g := range u.Groups {
		if g == "admin" {
			u.Permission = "admin"
		}
	}
}

// deleteUserByArgs deletes the user that args=name:<name>,id:<id> names (either or
// both). Each value is escaped on its own, so the separators are read before the
// values are unescaped.
func (s *Server) deleteUserByArgs(w http.ResponseWriter, r *http.Request) {
	var args map[string]string
	for _, param := range strings.Split(r.URL.RawQuery, "&") {
		if raw, ok := strings.CutPrefix(param, "args="); ok {
			args = map[string]string{}
			for _, term := range strings.Split(raw, ",") {
				name, value, found := strings.Cut(term, ":")
				unescaped, err := url.QueryUnescape(value)
				if !found || err != nil || (name != "name" && name != "id") {
					writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, "Invalid args; expected name:<name>,id:<id>")
					return
				}
				args[name] = unescaped
			}
		}
	}
	if len(args) == 0 {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, "DELETE on mpsuser needs args=name:<name>,id:<id>")
		return
	}
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	name, byName := args["name"]
	user := n.byName(name)
	if id, byID := args["id"]; byID {
		user = n.users[id]
	}
	if user != nil && byName && user.Name != name {
		user = nil
	}
	n.deleteUser(w, user, "args, "+r.URL.Query().Get("args"))
}

// deleteUser answers a DELETE of user (nil when none matched what names it); the
// caller holds n.mu.
func (n *nitroState) deleteUser(w http.ResponseWriter, user *User, named string) {
	switch {
	case user == nil:
		writeNitroError(w, http.StatusNotFound, nitroCodeNoSuchResource, "No such resource ["+named+"]")
	case user.IsDefault:
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, "The default user cannot be deleted")
	default:
		n.remove(user.ID)
		writeNitroDone(w)
	}
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	var in userWire
	if !decodeNitroBody(w, r, "mpsuser", &in) {
		return
	}
	if problem := validateUser(&in, true); problem != "" {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidValue, problem)
		return
	}
	n := &s.nitro
	n.mu.Lock()
	if n.byName(*in.Name) != nil {
		n.mu.Unlock()
		writeNitroError(w, http.StatusConflict, nitroCodeExists, "Resource already exists [name, "+*in.Name+"]")
		return
	}
	user := &User{TenantName: defaultTenant, TenantID: "owner-tenant", SessionTimeoutUnit: "Minutes", Encrypted: true}
	applyUser(user, &in)
	if in.ID != nil {
		user.ID = *in.ID
	}
	n.insert(user)
	reply := n.userReply(user)
	n.mu.Unlock()
	s.writeNitroOK(w, "mpsuser", []map[string]any{reply})
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, id string) {
	var in userWire
	if !decodeNitroBody(w, r, "mpsuser", &in) {
		return
	}
	// The id may be left out of the body, as Citrix's ADM automation does; one that is
	// there must be the URL's.
	if in.ID != nil && *in.ID != id {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, "The body's id must match the URL")
		return
	}
	if problem := validateUser(&in, false); problem != "" {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidValue, problem)
		return
	}
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	user, found := n.users[id]
	if !found {
		writeNitroError(w, http.StatusNotFound, nitroCodeNoSuchResource, "No such resource [id, "+id+"]")
		return
	}
	if in.Name != nil {
		if other := n.byName(*in.Name); other != nil && other.ID != id {
			writeNitroError(w, http.StatusConflict, nitroCodeExists, "Resource already exists [name, "+*in.Name+"]")
			return
		}
	}
	applyUser(user, &in)
	s.writeNitroOK(w, "mpsuser", []map[string]any{n.userReply(user)})
}

// parseFilter reads filter=name1:value1,name2:value2.
func parseFilter(raw string) (map[string]string, bool) {
	filter := map[string]string{}
	if raw == "" {
		return filter, true
	}
	for _, term := range strings.Split(raw, ",") {
		name, value, ok := strings.Cut(term, ":")
		if !ok || name == "" {
			return nil, false
		}
		filter[name] = value
	}
	return filter, true
}

// matches compares a filter against an object's wire form; lists match when they
// contain the value.
func matches(filter map[string]string, wire map[string]any) bool {
	for name, want := range filter {
		switch got := wire[name].(type) {
		case []string:
			if !slices.Contains(got, want) {
				return false
			}
		case nil:
			return false
		default:
			if fmt.Sprint(got) != want {
				return false
			}
		}
	}
	return true
}

// pageParams reads pagesize/pageno (pageno counts from 1).
func pageParams(query url.Values) (size, number int, ok bool) {
	if query.Get("pagesize") == "" && query.Get("pageno") == "" {
		return 0, 0, true
	}
	size, err1 := strconv.Atoi(query.Get("pagesize"))
	number, err2 := strconv.Atoi(query.Get("pageno"))
	if err1 != nil || err2 != nil || size < 1 || number < 1 {
		return 0, 0, false
	}
	return size, number, true
}

// listParams reads a NITRO v2 list's filter=, pagesize and pageno, or answers the
// appliance's error for a malformed one.
func listParams(w http.ResponseWriter, query url.Values) (filter map[string]string, size, number int, ok bool) {
	if filter, ok = parseFilter(query.Get("filter")); !ok {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, "Invalid filter; expected name:value[,name:value]")
		return nil, 0, 0, false
	}
	if size, number, ok = pageParams(query); !ok {
		writeNitroError(w, http.StatusBadRequest, nitroCodeInvalidArg, "pagesize and pageno must be positive integers")
		return nil, 0, 0, false
	}
	return filter, size, number, true
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	filter, size, number, ok := listParams(w, query)
	if !ok {
		return
	}
	n := &s.nitro
	n.mu.Lock()
	ids := n.userOrder
	if len(filter) > 0 {
		ids = nil
		for _, id := range n.userOrder {
			if matches(filter, userReply(n.users[id])) {
				ids = append(ids, id)
			}
		}
	}
	if query.Get("count") == "yes" {
		n.mu.Unlock()
		s.writeNitroOK(w, "mpsuser", []map[string]any{{"__count": len(ids)}})
		return
	}
	var selected []string
	switch {
	case n.opts.UserPaging == PagingIgnored:
		selected = page(ids, 0, 0)
	case n.opts.UserPaging == PagingOverlapping && number > 1:
		start := max((number-1)*size-OverlapRows, 0)
		selected = page(ids[min(start, len(ids)):], size, 1)
	default:
		selected = page(ids, size, number)
	}
	replies := make([]map[string]any, 0, len(selected))
	for _, id := range selected {
		replies = append(replies, n.userReply(n.users[id]))
	}
	n.mu.Unlock()
	s.writeNitroOK(w, "mpsuser", replies)
}

func page[T any](items []T, size, number int) []T {
	if size == 0 {
		if items == nil {
			return []T{}
		}
		return items
	}
	start := (number - 1) * size
	if start >= len(items) {
		return []T{}
	}
	return items[start:min(start+size, len(items))]
}

// SeedUsers adds count users named prefix-0001… with password "password" and returns them.
func (s *Server) SeedUsers(prefix string, count int) []User {
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]User, 0, count)
	for i := 1; i <= count; i++ {
		u := &User{
			Name: fmt.Sprintf("%s-%04d", prefix, i), Password: "password", Groups: []string{"readonly"},
			TenantName: defaultTenant, TenantID: "owner-tenant", SessionTimeoutUnit: "Minutes", Permission: "readonly", Encrypted: true,
		}
		n.insert(u)
		out = append(out, *u)
	}
	return out
}

// UserByName returns a copy of the user called name.
func (s *Server) UserByName(name string) (User, bool) {
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	if u := n.byName(name); u != nil {
		return *u, true
	}
	return User{}, false
}

// Users returns copies of all users in creation order.
func (s *Server) Users() []User {
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]User, 0, len(n.userOrder))
	for _, id := range n.userOrder {
		out = append(out, *n.users[id])
	}
	return out
}

// EditUser changes a user behind the client's back.
func (s *Server) EditUser(name string, edit func(*User)) bool {
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	u := n.byName(name)
	if u == nil {
		return false
	}
	edit(u)
	return true
}

// DeleteUser removes a user behind the client's back.
func (s *Server) DeleteUser(name string) bool {
	n := &s.nitro
	n.mu.Lock()
	defer n.mu.Unlock()
	u := n.byName(name)
	return u != nil && n.remove(u.ID)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
