package nitro

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// TestWritesAskForWarnings: every write carries warning=yes, reads do not.
func TestWritesAskForWarnings(t *testing.T) {
	m := mock.New(mock.Options{})
	var mu sync.Mutex
	seen := map[string]string{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Method+" "+r.URL.Path] = r.URL.Query().Get("warning")
		mu.Unlock()
		m.ServeHTTP(w, r)
	}))
	defer server.Close()
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL}, Username: "nsroot", Password: "nsroot"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	created, err := client.CreateUser(ctx, UserSpec{Name: "warned", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	user := created.User
	if _, _, err := client.UpdateUser(ctx, UserSpec{ID: user.ID, TenantID: "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetUser(ctx, user.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteUser(ctx, user.ID); err != nil {
		t.Fatal(err)
	}
	item := "/nitro/v2/config/mpsuser/" + user.ID
	for request, want := range map[string]string{mock.RouteUserAdd: "yes", "PUT " + item: "yes", "DELETE " + item: "yes", "GET " + item: ""} {
		if got := seen[request]; got != want {
			t.Errorf("%s: warning=%q, want %q", request, got, want)
		}
	}
}

// TestSessionGenerationIsLearnedOnce: the first session call finds out where the
// appliance serves mpssession; later calls, concurrent ones included, go straight there.
func TestSessionGenerationIsLearnedOnce(t *testing.T) {
	for _, tc := range []struct{ generation, list, probe string }{
		{mock.GenerationCurrent, mock.RouteSessionListV2, mock.RouteSessionListV2},
		{mock.GenerationLegacy, mock.RouteSessionListV1, mock.RouteSessionListV2},
	} {
		m := mock.New(mock.Options{ADMGeneration: tc.generation})
		client := newClient(t, m, "nsroot")
		id := m.SeedSession(mock.SessionSeed{Username: "alice"})
		m.SeedSession(mock.SessionSeed{Username: "bob"})
		var wg sync.WaitGroup
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sessions, err := client.ListSessions(context.Background(), Filter{"username": "alice"})
				if err != nil || len(sessions) != 1 || sessions[0].ID != id {
					t.Errorf("%s: %v %+v", tc.generation, err, sessions)
				}
			}()
		}
		wg.Wait()
		if err := client.DeleteSession(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		counts := m.Counts()
		probes := counts[tc.probe] - 10*boolInt(tc.probe == tc.list)
		if probes != 1 || counts[tc.list]-boolInt(tc.probe == tc.list) < 10 {
			t.Errorf("%s: %d probes of %s and %d lists, want 1 probe: %v", tc.generation, probes, tc.probe, counts[tc.list], counts)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// quirkyAppliance serves mpsuser lists the way some builds do: ignoring pagesize and
// filter (every user in every reply), or repeating rows across pages.
func quirkyAppliance(t *testing.T, users int, reply func(pageno, pagesize int, all []map[string]any) []map[string]any) (*Client, *int) {
	all := make([]map[string]any, users)
	for i := range all {
		all[i] = map[string]any{"id": fmt.Sprintf("id-%04d", i), "name": fmt.Sprintf("user-%04d", i), "groups": []string{"g" + strconv.Itoa(i%2)}}
	}
	calls := new(int)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/nitro/v1/config/login" {
			_, _ = w.Write([]byte(`{"errorcode":0,"login":[{"sessionid":"s"}]}`))
			return
		}
		*calls++
		pageno, _ := strconv.Atoi(r.URL.Query().Get("pageno"))
		pagesize, _ := strconv.Atoi(r.URL.Query().Get("pagesize"))
		_ = json.NewEncoder(w).Encode(map[string]any{"errorcode": 0, "mpsuser": reply(pageno, pagesize, all)})
	}))
	t.Cleanup(server.Close)
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond}, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	return client, calls
}

func TestListsSurviveQuirkyAppliances(t *testing.T) {
	ignoresEverything := func(_, _ int, all []map[string]any) []map[string]any { return all }
	client, calls := quirkyAppliance(t, 25, ignoresEverything)
	users, err := client.ListUsers(context.Background(), Filter{"groups": "g1"}, 10)
	// 25 rows where 10 were asked for: the page is the whole list, so no page 2.
	if err != nil || len(users) != 12 || *calls != 1 {
		t.Errorf("appliance ignoring pagesize and filter: %d users in %d calls (%v); want 12 in 1", len(users), *calls, err)
	}

	overlapping := func(pageno, pagesize int, all []map[string]any) []map[string]any {
		start := max((pageno-1)*pagesize-2, 0) // each page repeats the last two rows of the one before
		return all[min(start, len(all)):min(start+pagesize, len(all))]
	}
	client, _ = quirkyAppliance(t, 25, overlapping)
	users, err = client.ListUsers(context.Background(), nil, 10)
	seen := map[string]bool{}
	for _, u := range users {
		if seen[u.ID] {
			t.Errorf("user %s listed twice", u.ID)
		}
		seen[u.ID] = true
	}
	if err != nil || len(users) != 25 {
		t.Errorf("appliance repeating rows: %d users (%v), want 25", len(users), err)
	}
}

// TestSignOutEndsTheProvidersSession: SignOut logs the provider's session out once; a
// client that never signed in sends nothing.
func TestSignOutEndsTheProvidersSession(t *testing.T) {
	m := mock.New(mock.Options{})
	client := newClient(t, m, "nsroot")
	if err := client.SignOut(context.Background()); err != nil || m.Total() != 0 {
		t.Fatalf("sign-out without a session: %v, %d requests", err, m.Total())
	}
	if _, err := client.ListUsers(context.Background(), nil, 0); err != nil {
		t.Fatal(err)
	}
	if err := client.SignOut(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(m.Sessions()); n != 0 || m.Count(mock.RouteNITROLogout) != 1 {
		t.Fatalf("%d sessions left, %d logouts", n, m.Count(mock.RouteNITROLogout))
	}
}
