package nitro

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// wiretap is the mock behind a recorder of every GET's path and query parameters.
type wiretap struct {
	mu   sync.Mutex
	gets []string
}

func (w *wiretap) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	gets := w.gets
	w.gets = nil
	return gets
}

func tappedClient(t *testing.T, m *mock.Server) (*Client, *wiretap) {
	t.Helper()
	tap := &wiretap{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			tap.mu.Lock()
			tap.gets = append(tap.gets, r.URL.Path+" "+canonicalQuery(r.URL.Query()))
			tap.mu.Unlock()
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond}, Username: "nsroot", Password: "nsroot"})
	if err != nil {
		t.Fatal(err)
	}
	return client, tap
}

// canonicalQuery lists the parameters in order, with an empty value shown as such, so
// that a "filter=" sent empty is told apart from no filter at all.
func canonicalQuery(query url.Values) string {
	var terms []string
	for key, values := range query {
		for _, value := range values {
			terms = append(terms, key+"="+value)
		}
	}
	slices.Sort(terms)
	return strings.Join(terms, "&")
}

// TestListsSendWhatNITROv2Takes: user lists page with pagesize (DefaultPageSize when
// the caller gives 0) and pageno; filter= goes on the wire only when there is a filter,
// as name:value terms in a stable order; a count asks count=yes with the same filter.
func TestListsSendWhatNITROv2Takes(t *testing.T) {
	m := mock.New(mock.Options{})
	m.SeedUsers("wire", 3)
	client, tap := tappedClient(t, m)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		call func() error
		want []string
	}{
		{"every user, default page size", func() error { _, err := client.ListUsers(ctx, nil, 0); return err },
			[]string{userPath + " pageno=1&pagesize=1000"}},
		{"filtered, page size 2", func() error {
			_, err := client.ListUsers(ctx, Filter{"name": "wire-0002", "groups": "readonly"}, 2)
			return err
		}, []string{userPath + " filter=groups:readonly,name:wire-0002&pageno=1&pagesize=2"}},
		{"find by name", func() error { _, err := client.FindUserByName(ctx, "wire-0001"); return err },
			[]string{userPath + " filter=name:wire-0001&pageno=1&pagesize=1000"}},
		{"count of every user", func() error { _, err := client.CountUsers(ctx, nil); return err },
			[]string{userPath + " count=yes"}},
		{"count, filtered", func() error { _, err := client.CountUsers(ctx, Filter{"groups": "readonly"}); return err },
			[]string{userPath + " count=yes&filter=groups:readonly"}},
	} {
		if err := tc.call(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := tap.take(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: sent %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestSessionListsSpeakEachGeneration: current ADM is asked once (count=yes on the v2
// collection) and then lists at v2 with filter=, pagesize and pageno; an older MAS
// answers the probe with 404 and is then listed at v1 with no query parameter at all,
// which its API does not document. Both return exactly the filtered sessions, and
// GetSession reads one by id at the generation's collection.
func TestSessionListsSpeakEachGeneration(t *testing.T) {
	for _, tc := range []struct {
		generation, collection string
		probe, list            []string
	}{
		{mock.GenerationCurrent, sessionPathV2,
			[]string{sessionPathV2 + " count=yes"},
			[]string{sessionPathV2 + " filter=username:alice&pageno=1&pagesize=1000"}},
		{mock.GenerationLegacy, sessionPathV1,
			[]string{sessionPathV2 + " count=yes"},
			[]string{sessionPathV1 + " "}},
	} {
		t.Run(tc.generation, func(t *testing.T) {
			m := mock.New(mock.Options{ADMGeneration: tc.generation})
			alice := m.SeedSession(mock.SessionSeed{Username: "alice", IPAddress: "192.0.2.7"})
			m.SeedSession(mock.SessionSeed{Username: "bob"})
			client, tap := tappedClient(t, m)
			ctx := context.Background()
			sessions, err := client.ListSessions(ctx, Filter{"username": "alice"})
			if err != nil || len(sessions) != 1 || sessions[0].ID != alice {
				t.Fatalf("%+v, %v; want alice's session", sessions, err)
			}
			if got := tap.take(); !reflect.DeepEqual(got, append(tc.probe, tc.list...)) {
				t.Errorf("sent %q, want the probe %q and the list %q", got, tc.probe, tc.list)
			}
			session, err := client.GetSession(ctx, alice)
			if err != nil || session.ID != alice || session.Username != "alice" || session.IPAddress != "192.0.2.7" {
				t.Fatalf("get: %+v, %v; want alice's session", session, err)
			}
			if _, err := client.GetSession(ctx, "no-such-session"); !IsNotFound(err) {
				t.Errorf("get of a session that is not there: %v, want not found", err)
			}
			if got := tap.take(); !reflect.DeepEqual(got, []string{tc.collection + "/" + alice + " ", tc.collection + "/no-such-session "}) {
				t.Errorf("gets sent %q, want two reads by id at %s and no new probe", got, tc.collection)
			}
		})
	}
}

// TestAFailedGenerationProbeIsAskedAgain: a probe that fails for another reason than
// a 404 says nothing about the generation: the call fails, and the next call probes
// again instead of settling on v1.
func TestAFailedGenerationProbeIsAskedAgain(t *testing.T) {
	m := mock.New(mock.Options{})
	id := m.SeedSession(mock.SessionSeed{Username: "alice"})
	m.InjectFault(mock.Fault{Route: mock.RouteSessionListV2, Count: 1, Status: http.StatusForbidden})
	client, tap := tappedClient(t, m)
	ctx := context.Background()
	if _, err := client.GetSession(ctx, id); err == nil || IsNotFound(err) {
		t.Fatalf("got %v, want the probe's refusal", err)
	}
	session, err := client.GetSession(ctx, id)
	if err != nil || session.ID != id {
		t.Fatalf("second call: %+v, %v", session, err)
	}
	want := []string{sessionPathV2 + " count=yes", sessionPathV2 + " count=yes", sessionPathV2 + "/" + id + " "}
	if got := tap.take(); !reflect.DeepEqual(got, want) {
		t.Errorf("sent %q, want %q", got, want)
	}
}

// TestGroupsAsOneCommaSeparatedString: some NITRO builds send groups as one string,
// "a, b"; it reads as the list [a b].
func TestGroupsAsOneCommaSeparatedString(t *testing.T) {
	user, err := decodeReplyForUser(http.StatusOK, `{"errorcode":0,"mpsuser":[{"id":"1","groups":"admin, readonly"}]}`)
	if err != nil || !slices.Equal(user.Groups, []string{"admin", "readonly"}) {
		t.Fatalf("%+v, %v; want groups [admin readonly]", user, err)
	}
}

// TestUnsettledCreateSaysWhyTheLookUpDidNotSettleIt: after an unreadable success reply
// to a create, the error says whether looking the name up failed (and how) or found no
// user, for the person who has to check the appliance by hand.
func TestUnsettledCreateSaysWhyTheLookUpDidNotSettleIt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults []mock.Fault
		want   string
	}{
		{"look-up fails", []mock.Fault{{Route: mock.RouteUserAdd, Rewrite: mock.RewriteHTML}, {Route: mock.RouteUserList, Status: http.StatusBadRequest, Count: mock.Persistent}},
			"; looking the user up afterwards failed too: mpsuser list: HTTP 400"},
		{"look-up finds none", []mock.Fault{{Route: mock.RouteUserAdd, Rewrite: mock.RewriteHTML}},
			"; looking the user up afterwards found none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mock.New(mock.Options{})
			client := newClient(t, m, "nsroot")
			for _, f := range tc.faults {
				m.InjectFault(f)
			}
			// No password: the appliance refuses the create behind the proxy's page.
			_, err := client.CreateUser(context.Background(), UserSpec{Name: "unsettled"})
			var unsettled *UnsettledCreateError
			if !errors.As(err, &unsettled) || !strings.Contains(err.Error(), "mpsuser add: HTTP 200: not NITRO JSON") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v\nwant an unsettled create saying %q", err, tc.want)
			}
		})
	}
}

// TestUserPagesHandsOnlyNewRows: the reader is handed each page's new rows and nothing
// else: an appliance that ignores pageno answers page 2 with page 1's users, which ends
// the listing without handing the reader an empty page.
func TestUserPagesHandsOnlyNewRows(t *testing.T) {
	ignoresPageno := func(_, pagesize int, all []map[string]any) []map[string]any { return all[:pagesize] }
	client, calls := quirkyAppliance(t, 25, ignoresPageno)
	var pages [][]User
	err := client.UserPages(context.Background(), nil, 10, func(page []User) bool {
		pages = append(pages, slices.Clone(page))
		return true
	})
	if err != nil || len(pages) != 1 || len(pages[0]) != 10 || *calls != 2 {
		t.Fatalf("%v: handed %d pages (%v) after %d calls; want one page of 10 after 2 calls", err, len(pages), pages, *calls)
	}
}
