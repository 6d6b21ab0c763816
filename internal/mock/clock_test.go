package mock

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a clock a test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// rows decodes a reply's list under key, keeping numbers as their text, so that a
// number reads the same whether the mock sends it typed or as a string.
func rows(t *testing.T, body, key string) []map[string]string {
	t.Helper()
	var envelope map[string]json.RawMessage
	decoder := json.NewDecoder(strings.NewReader(body))
	decoder.UseNumber()
	if err := decoder.Decode(&envelope); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var list []map[string]any
	decoder = json.NewDecoder(strings.NewReader(string(envelope[key])))
	decoder.UseNumber()
	if err := decoder.Decode(&list); err != nil {
		t.Fatalf("%s: %v: %s", key, err, body)
	}
	out := make([]map[string]string, len(list))
	for i, row := range list {
		out[i] = map[string]string{}
		for field, value := range row {
			out[i][field] = fmt.Sprint(value)
		}
	}
	return out
}

// TestClockDrivesEveryReportedTime: every time the mock reports (NITRO sign-in,
// session login and last activity, expire_after, session expiry; Cluster API session
// times; Nimble token times) comes from Options.Now, so a test that sets the clock
// gets exact values however slowly it runs, and moving the clock moves them.
func TestClockDrivesEveryReportedTime(t *testing.T) {
	start := time.Date(2001, time.September, 9, 1, 46, 40, 0, time.UTC)
	clock := &testClock{now: start}
	h := newHarnessWith(t, Options{Now: clock.Now, SessionLifetime: 30 * time.Minute})
	seeded := h.mock.SeedSession(SessionSeed{Username: "idler", IdleFor: time.Hour})
	cluster := h.mock.SeedClusterSessions(ClusterSessionSeed{UserID: "alice", IdleFor: time.Hour})
	h.mock.SeedTokens(TokenSeed{Count: 1, Username: "seeded"})
	unix := func(at time.Time) string { return fmt.Sprint(at.Unix()) }

	clock.advance(10 * time.Minute)
	sessions := map[string]map[string]string{}
	for _, row := range rows(t, mustOK(t, h, "/nitro/v1/config/mpssession"), "mpssession") {
		sessions[row["username"]] = row
	}
	// The caller's own session signed in at start and was used just now.
	own, idler := sessions["nsroot"], sessions["idler"]
	if own["login_time"] != unix(start) || own["last_activity_time"] != unix(start.Add(10*time.Minute)) || own["expire_after"] != "1800" {
		t.Errorf("own session %v; want login at %d, activity and a full 1800 s left at %d", own, start.Unix(), start.Add(10*time.Minute).Unix())
	}
	if idler["id"] != seeded || idler["last_activity_time"] != unix(start.Add(-time.Hour)) || idler["login_time"] != unix(start.Add(-61*time.Minute)) {
		t.Errorf("seeded session %v; want last activity an hour before %d", idler, start.Unix())
	}
	// A seeded session lives an hour past its idle time; 70 of its 120 minutes are gone.
	if idler["expire_after"] != "3000" {
		t.Errorf("seeded session expires after %s s, want 3000", idler["expire_after"])
	}

	if got := cluster[0]; !got.LastAccessed.Equal(start.Add(-time.Hour)) || !got.CreationTime.Equal(start.Add(-61*time.Minute)) {
		t.Errorf("cluster session %+v; want last access an hour before %s", got, start)
	}

	token, _ := nimbleSignIn(t, h)
	status, body := h.nimble("GET", "/v1/tokens/detail", token)
	if status != 200 {
		t.Fatalf("token list: %d %s", status, body)
	}
	tokens := map[string]map[string]string{}
	for _, row := range rows(t, body, "data") {
		tokens[row["username"]] = row
	}
	if got := tokens["seeded"]; got["creation_time"] != unix(start) || got["last_modified"] != unix(start) {
		t.Errorf("seeded token %v; want its times at %d", got, start.Unix())
	}
	if got := tokens["admin"]; got["creation_time"] != unix(start.Add(10*time.Minute)) {
		t.Errorf("sign-in token %v; want it created at %d", got, start.Add(10*time.Minute).Unix())
	}

	// Idle past its lifetime by the clock alone, the caller's session has expired.
	clock.advance(31 * time.Minute)
	if status, body := h.do("GET", "/nitro/v2/config/mpsuser", "", ""); status != 401 || !strings.Contains(body, `"errorcode":444`) {
		t.Fatalf("a session idle for 31 minutes of 30: %d %s", status, body)
	}
}
