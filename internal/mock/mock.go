// Package mock serves the three appliance APIs accessplane speaks (NITRO, the Dynatrace
// Cluster API and the Nimble REST API) from memory, strict about their wire format, with
// hooks for tests: seed and change objects behind the client's back, count requests by
// route, and inject latency, failures, lost replies and session expiry.
package mock

import (
	"bytes"
	cryptorand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. Zero values take the documented defaults.
type Options struct {
	// ADMUsername and ADMPassword sign in to NITRO as the built-in nsroot user.
	ADMUsername string // default "nsroot"
	ADMPassword string // default "nsroot"
	// ClusterAPIToken has the ServiceProviderAPI permission; ClusterTokenWithoutScope
	// is a valid token that lacks it.
	ClusterAPIToken          string // default "mock-cluster-token"
	ClusterTokenWithoutScope string // default "mock-token-without-scope"
	NimbleUsername           string // default "admin"
	NimblePassword           string // default "admin"
	// NimbleUsers are further array users who can sign in, by name with their
	// passwords: people whose tokens a test signs out, as on a lab array.
	NimbleUsers map[string]string
	// SessionLifetime is how long a NITRO session lives without activity.
	SessionLifetime time.Duration // default 30m
	// Now is the clock; tests replace it to make times predictable.
	Now func() time.Time
	// ADMGeneration is GenerationCurrent (default: mpssession also at NITRO v2, with
	// filter, paging and count) or GenerationLegacy (older MAS builds: mpssession only
	// at v1, which ignores every query parameter).
	ADMGeneration string
	// UserPaging is how GET mpsuser pages: PagingExact (default), PagingIgnored or
	// PagingOverlapping.
	UserPaging string
	// NITRODialect is how NITRO replies carry numbers and booleans: DialectStrings
	// (default: as JSON strings, "10" and "true", as ADM sends them) or DialectTyped
	// (as the API reference pages show them).
	NITRODialect string
	// EmptyGroupsAsNull answers a user without groups with "groups": null rather than
	// [], as ADM builds do that leave the field unset.
	EmptyGroupsAsNull bool
}

// NITRO dialects the mock speaks.
const (
	DialectStrings = "strings"
	DialectTyped   = "typed"
)

// ADM generations the mock imitates.
const (
	GenerationCurrent = "current"
	GenerationLegacy  = "legacy"
)

// Ways an appliance pages the mpsuser list.
const (
	// PagingExact answers pagesize users of page pageno.
	PagingExact = "exact"
	// PagingIgnored answers every matching user to every list call, whatever pagesize
	// and pageno ask, as builds that ignore the paging parameters do.
	PagingIgnored = "ignored"
	// PagingOverlapping starts every page after the first OverlapRows users early, so
	// it repeats the last users of the page before, as offset paging does when users
	// are added ahead of the reader between two calls.
	PagingOverlapping = "overlapping"
)

// OverlapRows is how many users a PagingOverlapping page repeats.
const OverlapRows = 3

func (o *Options) setDefaults() {
	defaultString := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	defaultString(&o.ADMUsername, "nsroot")
	defaultString(&o.ADMPassword, "nsroot")
	defaultString(&o.ClusterAPIToken, "mock-cluster-token")
	defaultString(&o.ClusterTokenWithoutScope, "mock-token-without-scope")
	defaultString(&o.NimbleUsername, "admin")
	defaultString(&o.NimblePassword, "admin")
	if o.SessionLifetime <= 0 {
		o.SessionLifetime = 30 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	defaultString(&o.ADMGeneration, GenerationCurrent)
	defaultString(&o.UserPaging, PagingExact)
	defaultString(&o.NITRODialect, DialectStrings)
}

// Fault makes the next Count requests to Route (a route name as Counts reports it,
// or "" for any route) misbehave, or every one of them when Count is Persistent:
// fail with Status and an optional Retry-After; or, with DropReply, be carried out
// and then have the connection closed unanswered; or, with Rewrite, be carried out and
// have the reply rewritten on its way back; or, with only Delay, be answered normally
// after Delay.
type Fault struct {
	Route      string
	Count      int
	Status     int
	RetryAfter string
	DropReply  bool
	Rewrite    string
	Delay      time.Duration
}

// Rewrites a Fault can apply to a reply, as a proxy or a broken link in front of the
// appliance would.
const (
	// RewriteHTML answers 200 with an HTML page in place of the appliance's reply.
	RewriteHTML = "html"
	// RewriteTruncate keeps the reply's status and cuts its body in half.
	RewriteTruncate = "truncate"
)

// Persistent as a Fault's Count applies the fault to every matching request until
// ClearFaults, as an appliance that keeps rate limiting or stays overloaded would.
const Persistent = -1

// Server is the mock. It is safe for concurrent use.
type Server struct {
	opts Options

	mu       sync.Mutex
	counts   map[string]int
	paths    map[string]int // by method and escaped path, for requests about one object
	latency  time.Duration
	failRate float64
	random   *rand.Rand
	faults   []Fault
	hooks    map[string]func()
	holds    map[string]*hold
	mux      *http.ServeMux

	nitro   nitroState
	cluster clusterState
	nimble  nimbleState
}

// New returns a mock holding the built-in nsroot user, the Cluster API's default
// policy and no Nimble tokens.
// Options are the server's options with their defaults filled in: the credentials
// it accepts, as a client configured for it needs them.
func (s *Server) Options() Options { return s.opts }

func New(opts Options) *Server {
	opts.setDefaults()
	s := &Server{
		opts:   opts,
		counts: map[string]int{},
		paths:  map[string]int{},
		hooks:  map[string]func(){},
		holds:  map[string]*hold{},
		random: rand.New(rand.NewPCG(1, 2)),
	}
	s.mux = s.routes()
	s.nitro.init(opts)
	s.cluster.init()
	s.nimble.init()
	return s
}

// ServeHTTP routes a request to the API it belongs to, after the injected faults.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	handler, pattern := s.mux.Handler(r)
	route := routeName(r, pattern)
	fault, delay := s.admit(route, r.Method+" "+r.URL.EscapedPath())
	if fault != nil {
		delay += fault.Delay
	}
	if delay > 0 {
		// net/http notices that a client gave up only once the request body has been
		// read, so read it first: a delayed request then ends with its client, as it
		// would on an appliance, instead of holding the connection open.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if fault != nil && fault.Status != 0 {
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		writeFault(w, r, fault.Status)
		return
	}
	if fault != nil && fault.DropReply {
		handler.ServeHTTP(httptest.NewRecorder(), r)
		dropConnection(w)
		return
	}
	if fault != nil && fault.Rewrite != "" {
		reply := httptest.NewRecorder()
		handler.ServeHTTP(reply, r)
		rewrite(w, reply, fault.Rewrite)
		return
	}
	if held := s.takeHold(route); held != nil {
		held.serve(w, r, handler)
	} else {
		handler.ServeHTTP(w, r)
	}
	s.mu.Lock()
	hook := s.hooks[route]
	s.mu.Unlock()
	if hook != nil {
		hook()
	}
}

// OnRequest runs hook after each request to route has been answered, so a test can
// change the appliance between two calls of one Terraform run.
func (s *Server) OnRequest(route string, hook func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[route] = hook
}

// hold is one request held by Hold.
type hold struct {
	arrived, released, done chan struct{}
}

// Hold carries out the next request to route at once but holds its reply until the
// test calls release; held is closed once the request has been carried out. The reply
// then goes to a client that may have given up meanwhile, as an appliance's reply to a
// write it has made does: a test can stop the provider while a write is under way
// without timing anything. release returns once a held reply has been sent.
func (s *Server) Hold(route string) (held <-chan struct{}, release func()) {
	h := &hold{arrived: make(chan struct{}), released: make(chan struct{}), done: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holds[route] = h
	var once sync.Once
	return h.arrived, func() {
		once.Do(func() {
			close(h.released)
			select {
			case <-h.arrived:
				<-h.done
			default: // nothing was held
			}
		})
	}
}

func (s *Server) takeHold(route string) *hold {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.holds[route]
	delete(s.holds, route)
	return h
}

// serve carries the request out, then holds its reply until released.
func (h *hold) serve(w http.ResponseWriter, r *http.Request, handler http.Handler) {
	defer close(h.done)
	reply := httptest.NewRecorder()
	handler.ServeHTTP(reply, r)
	close(h.arrived)
	<-h.released
	rewrite(w, reply, "")
}

// admit counts the request and decides which fault, if any, it meets.
func (s *Server) admit(route, path string) (*Fault, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[route]++
	s.paths[path]++
	for i := range s.faults {
		f := &s.faults[i]
		if f.Count != 0 && (f.Route == "" || f.Route == route) {
			if f.Count > 0 {
				f.Count--
			}
			fault := *f
			return &fault, s.latency
		}
	}
	if s.failRate > 0 && s.random.Float64() < s.failRate {
		return &Fault{Status: http.StatusServiceUnavailable}, s.latency
	}
	return nil, s.latency
}

func writeFault(w http.ResponseWriter, r *http.Request, status int) {
	message := http.StatusText(status)
	switch {
	case strings.HasPrefix(r.URL.Path, "/nitro/"):
		writeNitroError(w, status, 1, message)
	case strings.HasPrefix(r.URL.Path, "/api/cluster/"):
		writeClusterError(w, status, message)
	default:
		writeNimbleError(w, status, "SM_http_unavailable", message)
	}
}

// dropConnection closes the client's connection without an HTTP reply, as a crashed
// proxy or a network cut after the server has acted would.
func dropConnection(w http.ResponseWriter) {
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hijacker.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// rewrite sends the reply the handler recorded to w as the rewrite kind changes it.
func rewrite(w http.ResponseWriter, reply *httptest.ResponseRecorder, kind string) {
	status, header, body := reply.Code, reply.Header(), reply.Body.Bytes()
	switch kind {
	case RewriteHTML:
		status = http.StatusOK
		body = []byte("<!DOCTYPE html>\n<html><head><title>Request accepted</title></head><body><p>Your request is being processed.</p></body></html>\n")
		header = http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	case RewriteTruncate:
		body = body[:len(body)/2]
	}
	for name, values := range header {
		w.Header()[name] = values
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Counts returns the number of requests per route since the last ResetCounts.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Count returns the requests to one route.
func (s *Server) Count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[route]
}

// CountPath returns the requests with that method to exactly that escaped path, such
// as "GET /nitro/v2/config/mpsuser/<id>": the requests about one object.
func (s *Server) CountPath(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paths[method+" "+path]
}

// Total returns all requests counted.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	for _, v := range s.counts {
		total += v
	}
	return total
}

// ResetCounts starts counting afresh.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
	s.paths = map[string]int{}
}

// SetLatency delays every reply by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetFailureRate makes that fraction (0 to 1) of requests fail with 503 before they
// reach the API, seeded so that runs repeat.
func (s *Server) SetFailureRate(rate float64, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failRate = rate
	s.random = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// InjectFault queues a fault; faults apply in the order they were added. A Count of
// 0 means once.
func (s *Server) InjectFault(f Fault) {
	if f.Count == 0 {
		f.Count = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// ClearFaults removes queued faults, the failure rate and the latency.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	s.failRate = 0
	s.latency = 0
}

// IssuedCredentials returns every NITRO session id and token, Dynatrace sessionId and
// Nimble session token the mock has handed out or seeded, so tests can prove none of
// them leaked.
func (s *Server) IssuedCredentials() []string {
	var out []string
	s.nitro.mu.Lock()
	out = append(out, s.nitro.issued...)
	s.nitro.mu.Unlock()
	s.cluster.mu.Lock()
	out = append(out, s.cluster.issued...)
	s.cluster.mu.Unlock()
	s.nimble.mu.Lock()
	out = append(out, s.nimble.issued...)
	s.nimble.mu.Unlock()
	return out
}

// ExpireSessions ends every NITRO session and Nimble token, as an appliance restart or
// an idle timeout would; the next call with one of them gets the expiry error.
func (s *Server) ExpireSessions() {
	s.nitro.expireAll()
	s.nimble.expireAll()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomHex(bytes int) string {
	b := make([]byte, bytes)
	_, _ = cryptorand.Read(b)
	return hex.EncodeToString(b)
}

func clientAddress(r *http.Request) (string, int) {
	host, port, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr, 0
	}
	n, _ := strconv.Atoi(port)
	return host, n
}
