package nitro

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Terraform refreshes every user with its own read, up to -parallelism at a time, and
// never says how many reads will follow. One GET by id each would make a refresh cost
// one round trip per user, so that an appliance's latency multiplies with the size of
// the configuration; and reading the first few by id before listing (as this client
// once did) paid that latency ten times over at -parallelism=1. RefreshUser therefore
// answers even the first read from the first page of all users (the provider builds a
// client each time Terraform configures it, so a client never outlives one terraform
// command). Most appliances hold fewer users than a page, and that page is then the
// whole listing, which answers every read: a refresh costs one round trip, whatever
// the number of users or the parallelism. Only a full page leaves users unanswered:
// their first smallRefresh reads go by id, then the client asks how many users there
// are (count=yes) and, as soon as listing them all takes no more pages than the reads
// already made, lists them in pages and answers from that snapshot.

const (
	// smallRefresh reads of users beyond a full first page go by id, so a small
	// configuration on a large appliance costs at most one GET per user and that page.
	smallRefresh = 10
	// snapshotLifetime bounds how stale an answer from a listing can be. Reads by id
	// are spread over the refresh too, so a listing is as good as they are while it
	// is younger than a large refresh takes; an older one is replaced by a new one.
	snapshotLifetime = 30 * time.Second
)

// userRefresh is the batching state of one client. It is safe for concurrent use.
type userRefresh struct {
	now      func() time.Time
	pageSize int

	mu    sync.Mutex
	reads int // reads eligible for a snapshot so far
	// pages is what listing every user costs, from the count; 0 until known.
	pages int
	// off is set when a count or a listing failed: the appliance may not allow them
	// for this account, so the client stops trying and reads by id.
	off bool
	// first is the first page of users, all of them when it is not full; all is a
	// listing of every user, taken only when the first page was full.
	first, all *userSnapshot
	// written holds the ids this client created, updated or deleted. A snapshot may
	// predate the write, so their reads always go to the appliance.
	written map[string]bool
}

// userSnapshot is one listing of users. ready is closed once users (nil when the
// client decided not to list) is set; nothing changes after that.
type userSnapshot struct {
	ready chan struct{}
	taken time.Time
	users map[string]*User
	// complete says users holds every user, so one missing from it is read by id
	// only to confirm that it is gone.
	complete bool
}

func newUserRefresh(now func() time.Time) *userRefresh {
	if now == nil {
		now = time.Now
	}
	return &userRefresh{now: now, pageSize: DefaultPageSize, written: map[string]bool{}}
}

// RefreshUser reads one user for a Terraform refresh, from a listing of users where
// one answers it and with a GET by id otherwise. A user missing from a listing is
// read by id before it is reported gone: it may have been created after the listing,
// or have moved between pages while they were read.
func (c *Client) RefreshUser(ctx context.Context, id string) (*User, error) {
	if user := c.refresh.answer(ctx, c, id); user != nil {
		copied := *user
		return &copied, nil
	}
	return c.GetUser(ctx, id)
}

// wrote records that the client changed or removed the user id.
func (r *userRefresh) wrote(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.written[id] = true
}

// answer returns user id from a listing, taking one if it is due, or nil when the
// read goes by id.
func (r *userRefresh) answer(ctx context.Context, c *Client, id string) *User {
	r.mu.Lock()
	if r.off || r.written[id] {
		r.mu.Unlock()
		return nil
	}
	r.reads++
	reads := r.reads
	r.mu.Unlock()

	first := r.await(ctx, &r.first, func(s *userSnapshot) { r.takeFirstPage(ctx, c, s) })
	if first == nil || first.complete || first.users[id] != nil {
		return first.lookUp(id)
	}
	// The first page was full and id is not on it. Until listing costs no more
	// requests than the reads made so far, reading by id is cheaper whatever
	// follows; once it does, listing at most doubles the cost.
	r.mu.Lock()
	byID := reads <= smallRefresh || (r.pages > 0 && reads < r.pages)
	r.mu.Unlock()
	if byID {
		return nil
	}
	return r.await(ctx, &r.all, func(s *userSnapshot) { r.takeAll(ctx, c, s, reads) }).lookUp(id)
}

// lookUp is user id of a snapshot, nil when there is no snapshot or no such user.
func (s *userSnapshot) lookUp(id string) *User {
	if s == nil {
		return nil
	}
	return s.users[id]
}

// await returns the snapshot in slot once it is ready, having taken a new one with
// take when there is none or it expired; nil when the snapshot holds no listing or
// ctx ends first.
func (r *userRefresh) await(ctx context.Context, slot **userSnapshot, take func(*userSnapshot)) *userSnapshot {
	r.mu.Lock()
	snapshot := *slot
	lead := snapshot == nil || snapshot.expired(r.now())
	if lead {
		snapshot = &userSnapshot{ready: make(chan struct{})}
		*slot = snapshot
	}
	r.mu.Unlock()

	if lead {
		take(snapshot)
		close(snapshot.ready)
	}
	select {
	case <-snapshot.ready:
	case <-ctx.Done():
		return nil
	}
	if snapshot.users == nil {
		return nil
	}
	return snapshot
}

// expired reports whether a finished snapshot is too old to answer reads.
func (s *userSnapshot) expired(now time.Time) bool {
	select {
	case <-s.ready:
		return s.users == nil || now.Sub(s.taken) > snapshotLifetime
	default:
		return false // still being taken: its readers wait for it
	}
}

// takeFirstPage reads the first page of users into snapshot. A page that is not full
// is every user: the appliance holds fewer, or ignored pagesize and sent them all.
func (r *userRefresh) takeFirstPage(ctx context.Context, c *Client, snapshot *userSnapshot) {
	taken := r.now()
	first, err := c.firstUserPage(ctx, r.pageSize)
	if err != nil {
		r.giveUp(ctx, "listing", err)
		return
	}
	snapshot.answer(ctx, taken, first, len(first) != r.pageSize, 1)
}

// takeAll learns what listing every user costs if that is not known yet, and lists
// them when that costs no more pages than reads.
func (r *userRefresh) takeAll(ctx context.Context, c *Client, snapshot *userSnapshot, reads int) {
	r.mu.Lock()
	pages := r.pages
	r.mu.Unlock()
	if pages == 0 {
		count, err := c.CountUsers(ctx, nil)
		if err != nil {
			r.giveUp(ctx, "count", err)
			return
		}
		pages = max(1, int((count+int64(r.pageSize)-1)/int64(r.pageSize)))
		r.mu.Lock()
		r.pages = pages
		r.mu.Unlock()
		if reads < pages {
			tflog.Debug(ctx, "NITRO refresh: reading users by id until listing them is cheaper", map[string]any{"users": count, "pages": pages})
			return
		}
	}
	taken := r.now()
	users, err := c.ListUsers(ctx, nil, r.pageSize)
	if err != nil {
		r.giveUp(ctx, "listing", err)
		return
	}
	snapshot.answer(ctx, taken, users, true, pages)
}

// answer makes the listing begun at taken the snapshot's.
func (s *userSnapshot) answer(ctx context.Context, taken time.Time, users []User, complete bool, pages int) {
	byID := make(map[string]*User, len(users))
	for i := range users {
		byID[users[i].ID] = &users[i]
	}
	s.taken, s.users, s.complete = taken, byID, complete
	tflog.Debug(ctx, "NITRO refresh: answering reads from a listing of users", map[string]any{"users": len(users), "pages": pages, "complete": complete})
}

func (r *userRefresh) giveUp(ctx context.Context, step string, err error) {
	r.mu.Lock()
	r.off = true
	r.mu.Unlock()
	tflog.Debug(ctx, "NITRO refresh: reading users by id, the "+step+" of users failed", map[string]any{"error": err.Error()})
}
