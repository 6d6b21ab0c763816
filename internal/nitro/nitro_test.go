package nitro

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

func newClient(t *testing.T, m *mock.Server, password string) *Client {
	t.Helper()
	server := httptest.NewServer(m)
	t.Cleanup(server.Close)
	client, err := New(Config{
		Transport: transport.Config{Endpoint: server.URL, UserAgent: "test", MaxRetries: 3, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond},
		Username:  "nsroot", Password: password,
		// A fixed clock, so that no listing ages out while a loaded machine runs a test.
		Now: func() time.Time { return time.Unix(1e9, 0) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// TestOneRequestPerOperation proves the request budget: one call per
// create, read, update and delete, and one sign-in for the client's lifetime.
func TestOneRequestPerOperation(t *testing.T) {
	m := mock.New(mock.Options{})
	client := newClient(t, m, "nsroot")
	ctx := context.Background()

	created, err := client.CreateUser(ctx, UserSpec{Name: "counted", Password: "Secret-1", Groups: &[]string{"readonly"}})
	if err != nil || created.Adopted {
		t.Fatal(created, err)
	}
	user := created.User
	if _, err := client.GetUser(ctx, user.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := client.UpdateUser(ctx, UserSpec{ID: user.ID, Name: "counted", TenantID: "t2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteUser(ctx, user.ID); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		mock.RouteNITROLogin: 1,
		mock.RouteUserAdd:    1,
		mock.RouteUserGet:    1,
		mock.RouteUserUpdate: 1,
		mock.RouteUserDelete: 1,
	}
	got := m.Counts()
	for route, n := range want {
		if got[route] != n {
			t.Errorf("%s: %d requests, want %d", route, got[route], n)
		}
	}
	if m.Total() != 5 {
		t.Errorf("total %d requests, want 5: %v", m.Total(), got)
	}
}

func TestConcurrentCallsShareOneSignIn(t *testing.T) {
	m := mock.New(mock.Options{})
	m.SetLatency(5 * time.Millisecond)
	client := newClient(t, m, "nsroot")
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := client.ListUsers(context.Background(), nil, 0)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Count(mock.RouteNITROLogin); n != 1 {
		t.Fatalf("%d sign-ins for 50 concurrent calls, want 1", n)
	}
}

func TestExpiredSessionIsRenewedOnce(t *testing.T) {
	m := mock.New(mock.Options{})
	client := newClient(t, m, "nsroot")
	ctx := context.Background()
	if _, err := client.ListUsers(ctx, nil, 0); err != nil {
		t.Fatal(err)
	}
	m.ExpireSessions()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := client.ListUsers(ctx, nil, 0); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := m.Count(mock.RouteNITROLogin); n != 2 {
		t.Fatalf("%d sign-ins, want 2 (first and one renewal)", n)
	}
}

func TestTypedErrors(t *testing.T) {
	m := mock.New(mock.Options{})
	client := newClient(t, m, "nsroot")
	ctx := context.Background()
	if _, err := client.GetUser(ctx, "missing"); !IsNotFound(err) {
		t.Errorf("get missing: %v, want not found", err)
	}
	if _, err := client.CreateUser(ctx, UserSpec{Name: "nsroot", Password: "x"}); !IsAlreadyExists(err) {
		t.Errorf("create duplicate: %v, want already exists", err)
	}
	var nitroErr *Error
	_, err := client.CreateUser(ctx, UserSpec{Name: "nsroot", Password: "x"})
	if !errors.As(err, &nitroErr) || nitroErr.Code != 273 || !strings.Contains(nitroErr.Message, "already exists") {
		t.Errorf("error carries errorcode and message: %#v", err)
	}
	if _, err := client.DeleteUser(ctx, "missing"); err != nil {
		t.Errorf("delete of a missing user is success, got %v", err)
	}
	bad := newClient(t, m, "wrong")
	_, err = bad.ListUsers(ctx, nil, 0)
	if !IsUnauthorized(err) || !strings.Contains(err.Error(), `check the adm username "nsroot"`) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("bad credentials: %v", err)
	}
}

func TestListPagesAndFilters(t *testing.T) {
	m := mock.New(mock.Options{})
	m.SeedUsers("page", 45)
	client := newClient(t, m, "nsroot")
	ctx := context.Background()
	m.ResetCounts()
	users, err := client.ListUsers(ctx, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 46 || m.Count(mock.RouteUserList) != 5 {
		t.Fatalf("%d users in %d calls, want 46 in 5", len(users), m.Count(mock.RouteUserList))
	}
	count, err := client.CountUsers(ctx, Filter{"groups": "readonly"})
	if err != nil || count != 45 {
		t.Fatalf("count = %d, %v; want 45", count, err)
	}
	found, err := client.FindUserByName(ctx, "page-0042")
	if err != nil || found == nil || found.Name != "page-0042" {
		t.Fatalf("find by name: %+v, %v", found, err)
	}
}

// TestAmbiguousCreateBringsTheFoundUserToTheSpec: the appliance acts on a create, then
// the reply is lost, or comes back as a proxy's HTML page or cut short. The client
// looks the name up once and finds the user: the one that create stored, or someone's
// existing account with another password and groups. Either way one PUT brings it to
// the spec, password included, and the result says it was adopted: the spec's password
// signs in and the old one no longer does.
func TestAmbiguousCreateBringsTheFoundUserToTheSpec(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fault    mock.Fault
		existing bool
	}{
		{"lost reply", mock.Fault{Route: mock.RouteUserAdd, DropReply: true}, false},
		{"lost reply, existing user", mock.Fault{Route: mock.RouteUserAdd, DropReply: true}, true},
		{"HTML page", mock.Fault{Route: mock.RouteUserAdd, Rewrite: mock.RewriteHTML}, false},
		{"HTML page, existing user", mock.Fault{Route: mock.RouteUserAdd, Rewrite: mock.RewriteHTML}, true},
		{"truncated reply", mock.Fault{Route: mock.RouteUserAdd, Rewrite: mock.RewriteTruncate}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mock.New(mock.Options{})
			client := newClient(t, m, "nsroot")
			ctx := context.Background()
			if tc.existing {
				m.SeedUsers("taken", 1) // taken-0001, password "password", group readonly
			}
			if _, err := client.ListUsers(ctx, nil, 0); err != nil { // sign in first
				t.Fatal(err)
			}
			m.ResetCounts()
			m.InjectFault(tc.fault)
			created, err := client.CreateUser(ctx, UserSpec{Name: "taken-0001", Password: "Configured-1", Groups: &[]string{"admin"}})
			if err != nil || !created.Adopted {
				t.Fatalf("%+v, %v; want the user adopted", created, err)
			}
			stored, _ := m.UserByName("taken-0001")
			if user := created.User; user.ID != stored.ID || len(m.Users()) != 2 {
				t.Errorf("adopted id %s, stored id %s, %d users; want the one stored user beside nsroot", user.ID, stored.ID, len(m.Users()))
			}
			if adds, lookUps, puts := m.Count(mock.RouteUserAdd), m.Count(mock.RouteUserList), m.Count(mock.RouteUserUpdate); adds != 1 || lookUps != 1 || puts != 1 {
				t.Errorf("%d POSTs, %d look-ups, %d PUTs; want 1, 1, 1", adds, lookUps, puts)
			}
			if len(stored.Groups) != 1 || stored.Groups[0] != "admin" {
				t.Errorf("groups %v, want [admin]", stored.Groups)
			}
			if _, _, err := client.Login(ctx, "taken-0001", "Configured-1"); err != nil {
				t.Errorf("the configured password does not sign in: %v", err)
			}
			if _, _, err := client.Login(ctx, "taken-0001", "password"); tc.existing && err == nil {
				t.Error("the account's old password still signs in")
			}
		})
	}
}

// TestUnsettledCreateSaysTheUserMayExist: when the look-up cannot settle what an
// ambiguous create did, or the user it found cannot be brought to the spec, the error
// says the user may exist (or that it exists) and nothing is adopted.
func TestUnsettledCreateSaysTheUserMayExist(t *testing.T) {
	lookUpFails := mock.Fault{Route: mock.RouteUserList, Status: http.StatusBadRequest, Count: mock.Persistent}
	for _, tc := range []struct {
		name       string
		faults     []mock.Fault
		spec       UserSpec
		adds, puts int
		want       func(error) bool
	}{
		// The look-up fails, so the create is sent again and refused: the earlier
		// attempt stored the user.
		{"lost reply, look-up fails", []mock.Fault{{Route: mock.RouteUserAdd, DropReply: true}, lookUpFails},
			UserSpec{Name: "unsettled", Password: "Configured-1"}, 2, 0, IsAlreadyExists},
		{"HTML page, look-up fails", []mock.Fault{{Route: mock.RouteUserAdd, Rewrite: mock.RewriteHTML}, lookUpFails},
			UserSpec{Name: "unsettled", Password: "Configured-1"}, 1, 0, MayHaveSucceeded},
		// A proxy's page over a create the appliance refused (no password): no user of
		// that name turns up, and the page says nothing of what happened.
		{"HTML page, no user found", []mock.Fault{{Route: mock.RouteUserAdd, Rewrite: mock.RewriteHTML}},
			UserSpec{Name: "unsettled"}, 1, 0, MayHaveSucceeded},
		// The built-in nsroot always exists: finding it says nothing of the create, and
		// its password is never changed behind a lost reply.
		{"lost reply, the built-in user found", []mock.Fault{{Route: mock.RouteUserAdd, DropReply: true}},
			UserSpec{Name: "nsroot", Password: "Configured-1"}, 1, 0, MayHaveSucceeded},
		{"lost reply, update refused", []mock.Fault{{Route: mock.RouteUserAdd, DropReply: true}, {Route: mock.RouteUserUpdate, Status: http.StatusBadRequest}},
			UserSpec{Name: "unsettled", Password: "Configured-1"}, 1, 1, MayHaveSucceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mock.New(mock.Options{})
			client := newClient(t, m, "nsroot")
			ctx := context.Background()
			if _, err := client.ListUsers(ctx, nil, 0); err != nil { // sign in first
				t.Fatal(err)
			}
			m.ResetCounts()
			for _, f := range tc.faults {
				m.InjectFault(f)
			}
			created, err := client.CreateUser(ctx, tc.spec)
			if err == nil || !tc.want(err) {
				t.Fatalf("%+v, error %v; want an error that says the user may exist", created, err)
			}
			if adds, puts := m.Count(mock.RouteUserAdd), m.Count(mock.RouteUserUpdate); adds != tc.adds || puts != tc.puts {
				t.Errorf("%d POSTs, %d PUTs; want %d and %d", adds, puts, tc.adds, tc.puts)
			}
		})
	}
}

func TestCreateRetriesOverloadWithoutDuplicates(t *testing.T) {
	m := mock.New(mock.Options{})
	client := newClient(t, m, "nsroot")
	m.InjectFault(mock.Fault{Route: mock.RouteUserAdd, Status: http.StatusServiceUnavailable, Count: 2})
	if _, err := client.CreateUser(context.Background(), UserSpec{Name: "retried", Password: "Secret-1"}); err != nil {
		t.Fatal(err)
	}
	if n := m.Count(mock.RouteUserAdd); n != 3 {
		t.Fatalf("%d POSTs, want 3 (two 503s, then success)", n)
	}
}

// TestUserPagesStopsWhenTheReaderDoes: a reader that stops after the second page
// (terraform query reached its limit) costs exactly two list calls, and each page
// holds pageSize users.
func TestUserPagesStopsWhenTheReaderDoes(t *testing.T) {
	m := mock.New(mock.Options{})
	m.SeedUsers("page", 45)
	client := newClient(t, m, "nsroot")
	m.ResetCounts()
	var sizes []int
	err := client.UserPages(context.Background(), nil, 10, func(page []User) bool {
		sizes = append(sizes, len(page))
		return len(sizes) < 2
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 2 || sizes[0] != 10 || sizes[1] != 10 || m.Count(mock.RouteUserList) != 2 {
		t.Fatalf("pages %v in %d calls, want [10 10] in 2", sizes, m.Count(mock.RouteUserList))
	}
}
