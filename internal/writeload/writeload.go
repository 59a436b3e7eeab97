// Package writeload drives a constant write load against PostgreSQL and
// records how long each write took, for the benchmarks of issue 17: what a
// migration does to the application's writes is the longest and the p99
// wait of the writes that overlapped it, compared with the same load's
// waits while nothing else ran. runner's BenchmarkLockQueue and
// bench/online share it, so both measure waits the same way.
package writeload

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Write is one write as a client saw it: when it started (since the load
// began), how long it took, and whether it failed.
type Write struct {
	At, Took time.Duration
	Err      error
	Client   int
	Insert   bool // the write was an insert (what a count of rows checks)
}

// Op performs write number i of a client on its connection. It reports
// whether the write was an insert.
type Op func(ctx context.Context, conn *pgx.Conn, client, i int) (insert bool, err error)

// Load is a running load: one goroutine per connection, each calling op in
// a loop until Stop.
type Load struct {
	start   time.Time
	stop    chan struct{}
	wg      sync.WaitGroup
	results [][]Write
}

// Start runs op on each connection in a loop. every > 0 paces each client
// to one write per every (a steady rate, as an application's; a write that
// took longer is followed by the next at once, not by a burst); every <= 0
// writes as fast as the server answers.
func Start(ctx context.Context, conns []*pgx.Conn, every time.Duration, op Op) *Load {
	l := &Load{start: time.Now(), stop: make(chan struct{}), results: make([][]Write, len(conns))}
	for c, conn := range conns {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.results[c] = l.client(ctx, conn, c, every, op)
		}()
	}
	return l
}

func (l *Load) client(ctx context.Context, conn *pgx.Conn, c int, every time.Duration, op Op) []Write {
	var ws []Write
	next := time.Now()
	for i := 0; ; i++ {
		if every > 0 {
			next = next.Add(every)
			if d := time.Until(next); d > 0 {
				select {
				case <-l.stop:
					return ws
				case <-time.After(d):
				}
			} else {
				next = time.Now()
			}
		}
		select {
		case <-l.stop:
			return ws
		default:
		}
		t0 := time.Now()
		insert, err := op(ctx, conn, c, i)
		ws = append(ws, Write{At: t0.Sub(l.start), Took: time.Since(t0), Err: err, Client: c, Insert: insert})
	}
}

// Since is the time since the load started, the clock of Write.At.
func (l *Load) Since() time.Duration { return time.Since(l.start) }

// Stop ends the load after each client's write in flight and returns every
// write, client by client.
func (l *Load) Stop() []Write {
	close(l.stop)
	l.wg.Wait()
	var all []Write
	for _, ws := range l.results {
		all = append(all, ws...)
	}
	return all
}

// Stats sums up a set of writes.
type Stats struct {
	Writes, Failed int           // writes, and how many of them failed
	Max, P99       time.Duration // of the successful writes
	Inserted       int           // successful inserts
}

// Summarize sums up the writes keep selects.
func Summarize(ws []Write, keep func(Write) bool) Stats {
	var s Stats
	var took []time.Duration
	for _, w := range ws {
		if !keep(w) {
			continue
		}
		s.Writes++
		if w.Err != nil {
			s.Failed++
			continue
		}
		if w.Insert {
			s.Inserted++
		}
		took = append(took, w.Took)
	}
	slices.Sort(took)
	if len(took) > 0 {
		s.Max = took[len(took)-1]
		s.P99 = took[len(took)*99/100]
	}
	return s
}

// Overlapping selects the writes that were in flight at some moment of
// [from, to] (load time): those a migration running then could delay.
func Overlapping(from, to time.Duration) func(Write) bool {
	return func(w Write) bool { return w.At+w.Took >= from && w.At <= to }
}

// Before selects the writes that started before t: the load alone, when the
// migration starts at t.
func Before(t time.Duration) func(Write) bool {
	return func(w Write) bool { return w.At < t }
}

// All selects every write.
func All(Write) bool { return true }
