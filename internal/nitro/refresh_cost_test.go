package nitro

import (
	"context"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// TestRefreshAnswersFromAListingForExactlyItsLifetime: the clock in Config ages the
// listings: a listing answers reads until it is snapshotLifetime old, that moment
// included; a nanosecond later the next read lists again and sees what changed.
func TestRefreshAnswersFromAListingForExactlyItsLifetime(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedUsers("aged", 300)
	server := httptest.NewServer(m)
	defer server.Close()
	var clock atomic.Int64
	clock.Store(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC).UnixNano())
	client, err := New(Config{
		Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond},
		Username:  "nsroot", Password: "nsroot",
		Now: func() time.Time { return time.Unix(0, clock.Load()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	read := func(when string, wantGroups string, wantLists int) {
		t.Helper()
		user, err := client.RefreshUser(ctx, seeded[200].ID)
		if err != nil || !slices.Equal(user.Groups, []string{wantGroups}) || m.Count(mock.RouteUserList) != wantLists {
			t.Errorf("%s: %+v, %v after %d list calls; want groups [%s] after %d", when, user, err, m.Count(mock.RouteUserList), wantGroups, wantLists)
		}
	}
	read("first read", "readonly", 1)
	m.EditUser(seeded[200].Name, func(u *mock.User) { u.Groups = []string{"admin"} })
	clock.Add(int64(time.Second))
	read("a second later", "readonly", 1)
	clock.Add(int64(snapshotLifetime - time.Second))
	read("at the end of the listing's lifetime", "readonly", 1)
	clock.Add(1)
	read("past it", "admin", 2)
}

// TestRefreshWithoutAClockUsesTheSystemClock: a Config without Now still refreshes.
// (How many listings that takes depends on the system clock, so it is not counted.)
func TestRefreshWithoutAClockUsesTheSystemClock(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedUsers("clockless", 2)
	server := httptest.NewServer(m)
	defer server.Close()
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL}, Username: "nsroot", Password: "nsroot"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range seeded {
		if user, err := client.RefreshUser(context.Background(), want.ID); err != nil || user.Name != want.Name {
			t.Fatalf("%+v, %v; want %s", user, err, want.Name)
		}
	}
}

// TestRefreshListsAsSoonAsListingCostsNoMoreThanTheReads: beyond a full first page,
// the eleventh read asks for the count; pages are ceil(users / page size), and the
// client lists every user at the first read whose number reaches them, not one read
// later: 1,099 users (11 pages of 100) are listed at the eleventh read, 2,999 users (30
// pages) at the thirtieth. Every read before that goes by id.
func TestRefreshListsAsSoonAsListingCostsNoMoreThanTheReads(t *testing.T) {
	for _, tc := range []struct {
		users, pages, gets int
	}{
		{1099, 11, 10},
		{2999, 30, 29},
	} {
		m := mock.New(mock.Options{})
		seeded := m.SeedUsers("many", tc.users-1) // nsroot is the last one
		client := newClient(t, m, "nsroot")
		client.refresh.pageSize = 100
		read := seeded[len(seeded)-40:]
		users, errs := refreshAll(t, client, idsOf(read), 1)
		checkRefreshed(t, m, read, users, errs)
		// The first page, the count, and every page of the listing.
		if gets, lists := m.Count(mock.RouteUserGet), m.Count(mock.RouteUserList); gets != tc.gets || lists != 1+1+tc.pages {
			t.Errorf("%d users: %d GETs by id and %d list calls, want %d and %d", tc.users, gets, lists, tc.gets, 1+1+tc.pages)
		}
	}
}
