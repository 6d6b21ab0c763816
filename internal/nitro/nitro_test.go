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

	user, _, err := client.CreateUser(ctx, UserSpec{Name: "counted", Password: "Secret-1", Groups: &[]string{"readonly"}})
	if err != nil {
		t.Fatal(err)
	}
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
	if _, _, err := client.CreateUser(ctx, UserSpec{Name: "nsroot", Password: "x"}); !IsAlreadyExists(err) {
		t.Errorf("create duplicate: %v, want already exists", err)
	}
	var nitroErr *Error
	_, _, err := client.CreateUser(ctx, UserSpec{Name: "nsroot", Password: "x"})
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

// TestLostCreateReplyAdoptsTheUser: the appliance stores the user, the reply is lost;
// the retry finds the user by name instead of adding a duplicate.
func TestLostCreateReplyAdoptsTheUser(t *testing.T) {
	m := mock.New(mock.Options{})
	client := newClient(t, m, "nsroot")
	ctx := context.Background()
	if _, err := client.ListUsers(ctx, nil, 0); err != nil { // sign in first
		t.Fatal(err)
	}
	m.InjectFault(mock.Fault{Route: mock.RouteUserAdd, DropReply: true})
	user, _, err := client.CreateUser(ctx, UserSpec{Name: "once", Password: "Secret-1"})
	if err != nil {
		t.Fatal(err)
	}
	stored := 0
	for _, u := range m.Users() {
		if u.Name == "once" {
			stored++
			if u.ID != user.ID {
				t.Errorf("adopted id %s, stored id %s", user.ID, u.ID)
			}
		}
	}
	if stored != 1 || m.Count(mock.RouteUserAdd) != 1 {
		t.Fatalf("%d users stored after %d POSTs, want exactly 1 and 1", stored, m.Count(mock.RouteUserAdd))
	}
}

func TestCreateRetriesOverloadWithoutDuplicates(t *testing.T) {
	m := mock.New(mock.Options{})
	client := newClient(t, m, "nsroot")
	m.InjectFault(mock.Fault{Route: mock.RouteUserAdd, Status: http.StatusServiceUnavailable, Count: 2})
	if _, _, err := client.CreateUser(context.Background(), UserSpec{Name: "retried", Password: "Secret-1"}); err != nil {
		t.Fatal(err)
	}
	if n := m.Count(mock.RouteUserAdd); n != 3 {
		t.Fatalf("%d POSTs, want 3 (two 503s, then success)", n)
	}
}
