package nitro

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// refreshAll reads the users as Terraform's refresh does: every user once, at most
// parallelism at a time. It returns the users read and the errors, by id.
func refreshAll(t *testing.T, client *Client, ids []string, parallelism int) (map[string]*User, map[string]error) {
	t.Helper()
	var mu sync.Mutex
	users, errs := map[string]*User{}, map[string]error{}
	queue := make(chan string)
	var wg sync.WaitGroup
	for range parallelism {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range queue {
				user, err := client.RefreshUser(context.Background(), id)
				mu.Lock()
				if err != nil {
					errs[id] = err
				} else {
					users[id] = user
				}
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		queue <- id
	}
	close(queue)
	wg.Wait()
	return users, errs
}

func idsOf(users []mock.User) []string {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	return ids
}

// checkRefreshed asserts that every user was read, as the appliance holds it.
func checkRefreshed(t *testing.T, m *mock.Server, seeded []mock.User, users map[string]*User, errs map[string]error) {
	t.Helper()
	for id, err := range errs {
		t.Errorf("user %s: %v", id, err)
	}
	for _, want := range seeded {
		stored, _ := m.UserByName(want.Name)
		got := users[want.ID]
		if got == nil || got.Name != stored.Name || !slices.Equal(got.Groups, stored.Groups) || got.TenantID != stored.TenantID {
			t.Errorf("user %s: read %+v, the appliance holds %+v", want.Name, got, stored)
		}
	}
}

// TestRefreshOfASmallConfigurationListsOnce: 1, 10 and 300 users, at parallelism 10
// and 1, cost one page (which, not being full, needs no count) and no GET by id: the
// first read already lists, so a refresh waits for one round trip however many users
// it reads and however few at a time. Every read matches the appliance.
func TestRefreshOfASmallConfigurationListsOnce(t *testing.T) {
	for _, n := range []int{1, 10, 300} {
		for _, parallelism := range []int{10, 1} {
			m := mock.New(mock.Options{})
			seeded := m.SeedUsers("few", n)
			client := newClient(t, m, "nsroot")
			users, errs := refreshAll(t, client, idsOf(seeded), parallelism)
			checkRefreshed(t, m, seeded, users, errs)
			if gets, lists := m.Count(mock.RouteUserGet), m.Count(mock.RouteUserList); gets != 0 || lists != 1 {
				t.Errorf("%d users at parallelism %d: %d GETs by id and %d list calls, want 0 and 1", n, parallelism, gets, lists)
			}
		}
	}
}

// TestRefreshOfAFewUsersOnALargeApplianceReadsByID: where the first page is full and
// holds none of the users read, ten users cost that page and one GET each: no count,
// no further page.
func TestRefreshOfAFewUsersOnALargeApplianceReadsByID(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedUsers("many", 300)
	client := newClient(t, m, "nsroot")
	client.refresh.pageSize = 100
	users, errs := refreshAll(t, client, idsOf(seeded[200:210]), 10)
	checkRefreshed(t, m, seeded[200:210], users, errs)
	if gets, lists := m.Count(mock.RouteUserGet), m.Count(mock.RouteUserList); gets != 10 || lists != 1 {
		t.Errorf("%d GETs by id and %d list calls, want 10 and 1", gets, lists)
	}
}

// TestRefreshConfirmsUsersMissingFromTheListing: a user deleted behind the client's
// back is reported gone after one GET by id; a user the listing did not hold (added
// after it) is read by id, not reported gone.
func TestRefreshConfirmsUsersMissingFromTheListing(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedUsers("many", 300)
	deleted := seeded[150]
	m.DeleteUser(deleted.Name)
	client := newClient(t, m, "nsroot")
	users, errs := refreshAll(t, client, idsOf(seeded), 10)
	if !IsNotFound(errs[deleted.ID]) || users[deleted.ID] != nil {
		t.Fatalf("deleted user: %v, %v; want not found", users[deleted.ID], errs[deleted.ID])
	}
	delete(errs, deleted.ID)
	checkRefreshed(t, m, slices.Delete(slices.Clone(seeded), 150, 151), users, errs)
	if n := m.CountPath(http.MethodGet, userPath+"/"+deleted.ID); n != 1 {
		t.Errorf("deleted user confirmed with %d GETs by id, want 1", n)
	}
	if lists := m.Count(mock.RouteUserList); lists != 1 {
		t.Errorf("%d list calls, want 1", lists)
	}

	late := m.SeedUsers("late", 1)[0]
	user, err := client.RefreshUser(context.Background(), late.ID)
	if err != nil || user.Name != late.Name || m.CountPath(http.MethodGet, userPath+"/"+late.ID) != 1 {
		t.Errorf("user added after the listing: %v, %v, %d GETs by id", user, err, m.CountPath(http.MethodGet, userPath+"/"+late.ID))
	}
}

// TestRefreshAfterOwnWritesGoesToTheAppliance: once the client has updated, deleted or
// created a user, reads of it never come from a listing taken before.
func TestRefreshAfterOwnWritesGoesToTheAppliance(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedUsers("many", 300)
	client := newClient(t, m, "nsroot")
	ctx := context.Background()
	refreshAll(t, client, idsOf(seeded[:20]), 1) // the first read lists every user
	if lists := m.Count(mock.RouteUserList); lists != 1 {
		t.Fatalf("%d list calls, want one page", lists)
	}

	unchanged, updated, deleted := seeded[100], seeded[101], seeded[102]
	if _, _, err := client.UpdateUser(ctx, UserSpec{ID: updated.ID, Groups: &[]string{"admin"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteUser(ctx, deleted.ID); err != nil {
		t.Fatal(err)
	}
	created, err := client.CreateUser(ctx, UserSpec{Name: "created", Password: "Secret-1"})
	if err != nil {
		t.Fatal(err)
	}
	m.ResetCounts()

	if user, err := client.RefreshUser(ctx, unchanged.ID); err != nil || user.Name != unchanged.Name || m.Count(mock.RouteUserGet) != 0 {
		t.Errorf("unwritten user: %v, %v, %d GETs; want it from the listing", user, err, m.Count(mock.RouteUserGet))
	}
	if user, err := client.RefreshUser(ctx, updated.ID); err != nil || !slices.Equal(user.Groups, []string{"admin"}) {
		t.Errorf("updated user: %v, %v; want groups [admin] from the appliance", user, err)
	}
	if user, err := client.RefreshUser(ctx, deleted.ID); !IsNotFound(err) {
		t.Errorf("deleted user: %v, %v; want not found", user, err)
	}
	if user, err := client.RefreshUser(ctx, created.User.ID); err != nil || user.Name != "created" {
		t.Errorf("created user: %v, %v", user, err)
	}
	if gets, lists := m.Count(mock.RouteUserGet), m.Count(mock.RouteUserList); gets != 3 || lists != 0 {
		t.Errorf("%d GETs by id and %d list calls, want 3 and 0", gets, lists)
	}
}

// TestRefreshSnapshotExpires: a listing answers reads for snapshotLifetime; after that
// the next read lists again and sees changes made since.
func TestRefreshSnapshotExpires(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedUsers("many", 300)
	client := newClient(t, m, "nsroot")
	now := time.Now()
	client.refresh.now = func() time.Time { return now }
	refreshAll(t, client, idsOf(seeded[:20]), 1)
	m.EditUser(seeded[200].Name, func(u *mock.User) { u.Groups = []string{"admin"} })

	now = now.Add(snapshotLifetime - time.Second)
	if user, err := client.RefreshUser(context.Background(), seeded[200].ID); err != nil || !slices.Equal(user.Groups, []string{"readonly"}) || m.Count(mock.RouteUserList) != 1 {
		t.Errorf("within the lifetime: %v, %v, %d list calls; want the listing's groups and no new listing", user, err, m.Count(mock.RouteUserList))
	}
	now = now.Add(2 * time.Second)
	if user, err := client.RefreshUser(context.Background(), seeded[200].ID); err != nil || !slices.Equal(user.Groups, []string{"admin"}) || m.Count(mock.RouteUserList) != 2 {
		t.Errorf("after the lifetime: %v, %v, %d list calls; want the new groups from one new page", user, err, m.Count(mock.RouteUserList))
	}
}

// TestRefreshReadsByIDWhileListingCostsMore: on an appliance with many more users than
// are read, the first page is full and holds none of them, so after ten reads by id
// the client counts the users once and keeps reading by id until the reads reach the
// pages a listing takes.
func TestRefreshReadsByIDWhileListingCostsMore(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedUsers("many", 3000) // with nsroot: 3,001 users, 31 pages of 100
	client := newClient(t, m, "nsroot")
	client.refresh.pageSize = 100
	users, errs := refreshAll(t, client, idsOf(seeded[2000:2040]), 1)
	checkRefreshed(t, m, seeded[2000:2040], users, errs)
	if gets, lists := m.Count(mock.RouteUserGet), m.Count(mock.RouteUserList); gets != 30 || lists != 1+1+31 {
		t.Errorf("%d GETs by id and %d list calls, want 30 and 33 (the first page, one count, 31 pages)", gets, lists)
	}
}

// TestRefreshSurvivesQuirkyPaging: appliances that ignore pagesize or repeat users
// across pages still give every user once, with nothing missing from the listing; one
// that ignores pagesize costs one list call.
func TestRefreshSurvivesQuirkyPaging(t *testing.T) {
	for _, paging := range []string{mock.PagingIgnored, mock.PagingOverlapping} {
		t.Run(paging, func(t *testing.T) {
			m := mock.New(mock.Options{UserPaging: paging})
			seeded := m.SeedUsers("many", 300)
			client := newClient(t, m, "nsroot")
			client.refresh.pageSize = 50
			users, errs := refreshAll(t, client, idsOf(seeded), 10)
			checkRefreshed(t, m, seeded, users, errs)
			// Reads beyond a full first page go by id until the tenth; none after.
			if gets := m.Count(mock.RouteUserGet); gets > smallRefresh {
				t.Errorf("%d GETs by id, want at most %d: a user went missing from the listing", gets, smallRefresh)
			}
			// A first page longer than pagesize is every user: no count, no page 2.
			if lists := m.Count(mock.RouteUserList); paging == mock.PagingIgnored && lists != 1 {
				t.Errorf("%d list calls, want 1", lists)
			}
		})
	}
}

// TestRefreshFallsBackToReadsByIDWhenListingFails: an appliance that refuses listing
// users to this account costs one refused call, and every user is still read.
func TestRefreshFallsBackToReadsByIDWhenListingFails(t *testing.T) {
	m := mock.New(mock.Options{})
	seeded := m.SeedUsers("many", 300)
	m.InjectFault(mock.Fault{Route: mock.RouteUserList, Count: mock.Persistent, Status: http.StatusForbidden})
	client := newClient(t, m, "nsroot")
	users, errs := refreshAll(t, client, idsOf(seeded), 10)
	checkRefreshed(t, m, seeded, users, errs)
	if gets, lists := m.Count(mock.RouteUserGet), m.Count(mock.RouteUserList); gets != 300 || lists != 1 {
		t.Errorf("%d GETs by id and %d list calls, want 300 and 1", gets, lists)
	}
}
