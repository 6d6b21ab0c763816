package mock

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// NimbleMaxPageSize is the most rows one Nimble list reply carries.
const NimbleMaxPageSize = 1024

// Token is a Nimble user session token (REST API v1 tokens).
type Token struct {
	ID           string `json:"id"`
	SessionToken string `json:"session_token"`
	Username     string `json:"username"`
	AppName      string `json:"app_name"`
	SourceIP     string `json:"source_ip"`
	CreationTime int64  `json:"creation_time"`
	LastModified int64  `json:"last_modified"`
}

type nimbleState struct {
	mu     sync.Mutex
	tokens []*Token // in creation order
	nextID int
	// signedIn marks the tokens handed out by POST v1/tokens, which expireAll ends.
	signedIn map[string]bool
	issued   []string // every session token handed out or seeded
}

func (n *nimbleState) init() { n.signedIn = map[string]bool{} }

func (n *nimbleState) add(t *Token) {
	n.nextID++
	// 42 hex digits, as the seed describes: a fixed array prefix and a serial.
	t.ID = fmt.Sprintf("1900000000000004d3%024x", n.nextID)
	if t.SessionToken == "" {
		t.SessionToken = randomHex(16)
	}
	n.issued = append(n.issued, t.SessionToken)
	n.tokens = append(n.tokens, t)
}

func (n *nimbleState) expireAll() {
	n.mu.Lock()
	defer n.mu.Unlock()
	kept := n.tokens[:0]
	for _, t := range n.tokens {
		if !n.signedIn[t.ID] {
			kept = append(kept, t)
		}
	}
	n.tokens = kept
}

func writeNimbleError(w http.ResponseWriter, status int, code, text string) {
	writeJSON(w, status, map[string]any{"messages": []map[string]any{{"code": code, "text": text, "severity": "error"}}})
}

func (s *Server) nimbleSignIn(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Data *struct {
			Username string `json:"username"`
			Password string `json:"password"`
			AppName  string `json:"app_name"`
		} `json:"data"`
	}
	decoder := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&in); err != nil || in.Data == nil {
		writeNimbleError(w, http.StatusBadRequest, "SM_invalid_arg_value", "Expected {\"data\":{\"username\",\"password\"}}")
		return
	}
	if !s.nimbleSignInAllowed(in.Data.Username, in.Data.Password) {
		writeNimbleError(w, http.StatusUnauthorized, "SM_http_unauthorized", "Invalid username or password")
		return
	}
	ip, _ := clientAddress(r)
	now := s.opts.Now().Unix()
	token := &Token{Username: in.Data.Username, AppName: in.Data.AppName, SourceIP: ip, CreationTime: now, LastModified: now}
	n := &s.nimble
	n.mu.Lock()
	n.add(token)
	n.signedIn[token.ID] = true
	reply := *token
	n.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"data": reply})
}

func (s *Server) nimbleSignInAllowed(username, password string) bool {
	if username == s.opts.NimbleUsername {
		return password == s.opts.NimblePassword
	}
	want, found := s.opts.NimbleUsers[username]
	return found && password == want
}

func (s *Server) nimbleAuthenticated(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		presented := r.Header.Get("X-Auth-Token")
		n := &s.nimble
		n.mu.Lock()
		valid := false
		for _, t := range n.tokens {
			if presented != "" && t.SessionToken == presented {
				valid = true
				break
			}
		}
		n.mu.Unlock()
		if !valid {
			writeNimbleError(w, http.StatusUnauthorized, "SM_http_unauthorized", "Unauthorized: session token missing or expired")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodDelete {
			writeNimbleError(w, http.StatusMethodNotAllowed, "SM_http_method_not_allowed", "Method not allowed")
			return
		}
		next(w, r)
	}
}

var tokenFields = []string{"id", "session_token", "username", "app_name", "source_ip", "creation_time", "last_modified"}

func tokenWire(t *Token) map[string]any {
	return map[string]any{
		"id": t.ID, "session_token": t.SessionToken, "username": t.Username, "app_name": t.AppName,
		"source_ip": t.SourceIP, "creation_time": t.CreationTime, "last_modified": t.LastModified,
	}
}

func parseFields(raw string) ([]string, bool) {
	if raw == "" {
		return nil, true
	}
	fields := strings.Split(raw, ",")
	for _, f := range fields {
		if !slices.Contains(tokenFields, f) {
			return nil, false
		}
	}
	return fields, true
}

func (s *Server) nimbleList(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	detail := strings.HasSuffix(r.URL.Path, "/detail")
	fields, ok := parseFields(query.Get("fields"))
	if !ok || (!detail && query.Has("fields")) {
		writeNimbleError(w, http.StatusBadRequest, "SM_invalid_query_param", "Invalid fields parameter")
		return
	}
	startRow, endRow, ok := rowRange(query)
	if !ok {
		writeNimbleError(w, http.StatusBadRequest, "SM_invalid_query_param", "startRow, endRow and pageSize must be non-negative integers")
		return
	}
	sortField, descending := query.Get("sortBy"), false
	if inverse := query.Get("iSortBy"); inverse != "" {
		sortField, descending = inverse, true
	}
	n := &s.nimble
	n.mu.Lock()
	var selected []map[string]any
	for _, t := range n.tokens {
		all := tokenWire(t)
		if tokenMatches(query, all) {
			selected = append(selected, all)
		}
	}
	n.mu.Unlock()
	if sortField != "" {
		if !slices.Contains(tokenFields, sortField) {
			writeNimbleError(w, http.StatusBadRequest, "SM_invalid_query_param", "Invalid sortBy field "+sortField)
			return
		}
		slices.SortStableFunc(selected, func(a, b map[string]any) int {
			order := compareValues(a[sortField], b[sortField])
			if descending {
				return -order
			}
			return order
		})
	}
	total := len(selected)
	end := min(endRow, total, startRow+NimbleMaxPageSize)
	rows := []map[string]any{}
	for i := startRow; i < end; i++ {
		if detail {
			rows = append(rows, project(selected[i], fields))
		} else {
			rows = append(rows, map[string]any{"id": selected[i]["id"]})
		}
	}
	// An array answers 206 for any reply that is not the whole list, the last page
	// included; clients must read the envelope to know whether rows are left.
	status := http.StatusOK
	if len(rows) < total {
		status = http.StatusPartialContent
	}
	writeJSON(w, status, map[string]any{"startRow": startRow, "endRow": max(end, startRow), "totalRows": total, "data": rows})
}

func compareValues(a, b any) int {
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// project keeps only the requested fields; nil keeps all.
func project(all map[string]any, fields []string) map[string]any {
	if fields == nil {
		return all
	}
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		out[f] = all[f]
	}
	return out
}

// rowRange reads startRow with pageSize or endRow; endRow is exclusive.
func rowRange(query url.Values) (start, end int, ok bool) {
	number := func(name string, fallback int) (int, bool) {
		if !query.Has(name) {
			return fallback, true
		}
		n, err := strconv.Atoi(query.Get(name))
		return n, err == nil && n >= 0
	}
	start, ok1 := number("startRow", 0)
	pageSize, ok2 := number("pageSize", NimbleMaxPageSize)
	end, ok3 := number("endRow", start+min(pageSize, NimbleMaxPageSize))
	return start, end, ok1 && ok2 && ok3
}

func tokenMatches(query url.Values, wire map[string]any) bool {
	for _, field := range tokenFields {
		if want := query.Get(field); query.Has(field) && fmt.Sprint(wire[field]) != want {
			return false
		}
	}
	return true
}

// nimbleDelete ends a token, as HPE's SDKs do to sign out.
func (s *Server) nimbleDelete(w http.ResponseWriter, r *http.Request) {
	id, err := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), "/v1/tokens/"))
	if err != nil || id == "" || r.URL.RawQuery != "" {
		writeNimbleError(w, http.StatusBadRequest, "SM_invalid_path_variable", "Invalid id")
		return
	}
	n := &s.nimble
	n.mu.Lock()
	index := slices.IndexFunc(n.tokens, func(t *Token) bool { return t.ID == id })
	if index >= 0 {
		n.tokens = slices.Delete(n.tokens, index, index+1)
	}
	n.mu.Unlock()
	if index < 0 {
		writeNimbleError(w, http.StatusNotFound, "SM_http_not_found", "Object not found: "+id)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

func (s *Server) nimbleGet(w http.ResponseWriter, r *http.Request) {
	id, err := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), "/v1/tokens/"))
	fields, ok := parseFields(r.URL.Query().Get("fields"))
	if err != nil || !ok {
		writeNimbleError(w, http.StatusBadRequest, "SM_invalid_path_variable", "Invalid id or fields")
		return
	}
	n := &s.nimble
	n.mu.Lock()
	var found map[string]any
	for _, t := range n.tokens {
		if t.ID == id {
			found = project(tokenWire(t), fields)
		}
	}
	n.mu.Unlock()
	if found == nil {
		writeNimbleError(w, http.StatusNotFound, "SM_http_not_found", "Object not found: "+id)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": found})
}

// TokenSeed describes tokens to add.
type TokenSeed struct {
	Count    int
	Username string // default "user-%d" cycling through 10 names
	AppName  string // default "GUI"
	SourceIP string // default spread over 10.1.x.y
}

// SeedTokens adds tokens as if users had signed in, and returns copies of them.
func (s *Server) SeedTokens(seed TokenSeed) []Token {
	n := &s.nimble
	n.mu.Lock()
	defer n.mu.Unlock()
	now := s.opts.Now().Unix()
	out := make([]Token, 0, seed.Count)
	for i := 0; i < seed.Count; i++ {
		t := &Token{Username: seed.Username, AppName: seed.AppName, SourceIP: seed.SourceIP, CreationTime: now - int64(i), LastModified: now}
		if t.Username == "" {
			t.Username = fmt.Sprintf("user-%d", i%10)
		}
		if t.AppName == "" {
			t.AppName = "GUI"
		}
		if t.SourceIP == "" {
			t.SourceIP = fmt.Sprintf("10.1.%d.%d", (i/250)%250, i%250+1)
		}
		n.add(t)
		out = append(out, *t)
	}
	return out
}

// Tokens returns copies of all tokens.
func (s *Server) Tokens() []Token {
	n := &s.nimble
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]Token, 0, len(n.tokens))
	for _, t := range n.tokens {
		out = append(out, *t)
	}
	return out
}
