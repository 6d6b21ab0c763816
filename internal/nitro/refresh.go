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
// the configuration. RefreshUser therefore counts the reads of its client (the provider
// builds one each time Terraform configures it, so a client never outlives one
// terraform command): the first smallRefresh go by
// id, exactly as before; past them, the client reads the first page of all users. Most
// appliances hold fewer users than a page, and that page is then the whole listing,
// which answers every later read. Only a full page makes the client ask how many users
// there are (count=yes); as soon as listing them all takes no more pages than the
// reads already made, it lists them in pages and answers from that snapshot.

const (
	// smallRefresh reads are answered with one GET by id each, so a small
	// configuration costs exactly one request per user.
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
	// pages is what one listing costs, from the first page or the count; 0 until
	// known.
	pages int
	// off is set when a count or a listing failed: the appliance may not allow them
	// for this account, so the client stops trying and reads by id.
	off     bool
	current *userSnapshot
	// written holds the ids this client created, updated or deleted. A snapshot may
	// predate the write, so their reads always go to the appliance.
	written map[string]bool
}

// userSnapshot is one listing of every user. ready is closed once users (nil when
// the client decided not to list) is set; nothing changes after that.
type userSnapshot struct {
	ready chan struct{}
	taken time.Time
	users map[string]*User
}

func newUserRefresh(now func() time.Time) *userRefresh {
	if now == nil {
		now = time.Now
	}
	return &userRefresh{now: now, pageSize: DefaultPageSize, written: map[string]bool{}}
}

// RefreshUser reads one user for a Terraform refresh: with one GET by id while few
// users have been read, and from a paged listing of all users once many have. A user
// missing from the listing is read by id before it is reported gone: it may have been
// created after the listing, or have moved between pages while they were read.
func (c *Client) RefreshUser(ctx context.Context, id string) (*User, error) {
	snapshot := c.refresh.snapshotFor(ctx, c, id)
	if snapshot != nil {
		if user, found := snapshot.users[id]; found {
			copied := *user
			return &copied, nil
		}
	}
	return c.GetUser(ctx, id)
}

// wrote records that the client changed or removed the user id.
func (r *userRefresh) wrote(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.written[id] = true
}

// snapshotFor returns the snapshot that answers the read of id, taking one if it is
// due, or nil when the read goes by id.
func (r *userRefresh) snapshotFor(ctx context.Context, c *Client, id string) *userSnapshot {
	r.mu.Lock()
	if r.off || r.written[id] {
		r.mu.Unlock()
		return nil
	}
	r.reads++
	// Until listing costs no more requests than the reads made so far, reading by id
	// is cheaper whatever follows; once it does, listing at most doubles the cost.
	if r.reads <= smallRefresh || (r.pages > 0 && r.reads < r.pages) {
		r.mu.Unlock()
		return nil
	}
	snapshot := r.current
	lead := snapshot == nil || snapshot.expired(r.now())
	if lead {
		snapshot = &userSnapshot{ready: make(chan struct{})}
		r.current = snapshot
	}
	reads, pages := r.reads, r.pages
	r.mu.Unlock()

	if lead {
		r.take(ctx, c, snapshot, reads, pages)
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

// take learns what listing the users costs if that is not known yet, and lists them
// when that costs no more pages than reads. It closes snapshot.ready however it ends.
func (r *userRefresh) take(ctx context.Context, c *Client, snapshot *userSnapshot, reads, pages int) {
	defer close(snapshot.ready)
	if pages == 0 {
		taken := r.now()
		first, err := c.firstUserPage(ctx, r.pageSize)
		if err != nil {
			r.giveUp(ctx, "listing", err)
			return
		}
		// A page that is not full is every user: the appliance holds fewer, or ignored
		// pagesize and sent them all. A full one may have more behind it.
		if len(first) != r.pageSize {
			r.mu.Lock()
			r.pages = 1
			r.mu.Unlock()
			snapshot.answer(ctx, taken, first, 1)
			return
		}
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
	snapshot.answer(ctx, taken, users, pages)
}

// answer makes the listing of all users, begun at taken, the snapshot's.
func (s *userSnapshot) answer(ctx context.Context, taken time.Time, users []User, pages int) {
	byID := make(map[string]*User, len(users))
	for i := range users {
		byID[users[i].ID] = &users[i]
	}
	s.taken, s.users = taken, byID
	tflog.Debug(ctx, "NITRO refresh: answering reads from a listing of all users", map[string]any{"users": len(users), "pages": pages})
}

func (r *userRefresh) giveUp(ctx context.Context, step string, err error) {
	r.mu.Lock()
	r.off = true
	r.mu.Unlock()
	tflog.Debug(ctx, "NITRO refresh: reading users by id, the "+step+" of all users failed", map[string]any{"error": err.Error()})
}
