package runner

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// slowFolder is a migration that sleeps for d inside its transaction
// (a long run), then a quick one.
func slowFolder(d time.Duration) map[string]string {
	return map[string]string{
		"000001_slow":  "CREATE TABLE slow (id int);\nSELECT pg_sleep(" + strings.TrimSuffix(d.String(), "s") + ");\n",
		"000002_quick": "CREATE TABLE quick (id int);\n",
	}
}

// startSlow applies slowFolder with a table lock of the given TTL in the
// background and returns once its slow migration has started.
func startSlow(t *testing.T, url string, d, ttl time.Duration) <-chan error {
	t.Helper()
	started := make(chan struct{})
	var once sync.Once
	r1 := newRunner(t, url, files(slowFolder(d), nil), Options{LockMode: LockTable, LockTTL: ttl, OnEvent: func(e Event) {
		if e.Kind == EventStart {
			once.Do(func() { close(started) })
		}
	}})
	done := make(chan error, 1)
	go func() {
		_, err := r1.Apply(context.Background(), 0)
		done <- err
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("first run ended before its migration started: %v", err)
	}
	return done
}

// TestTableLockKeepsSecondRunOut: two concurrent appliers in lock-table
// mode. The first holds a 600ms lock through a 3s migration, so only its
// renewals keep the row alive: the second, waiting 1.5s, fails naming the
// row's owner (without renewal it would have taken the row over). A third,
// waiting longer, gets the lock once the first is done and finds nothing
// left to apply. No advisory lock is used.
func TestTableLockKeepsSecondRunOut(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	done := startSlow(t, url, 3*time.Second, 600*time.Millisecond)
	if got := query(t, url, `SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
		WHERE l.locktype = 'advisory' AND d.datname = current_database()`); got != "0" {
		t.Errorf("%s advisory locks held in lock-table mode", got)
	}
	var waits []string
	r2 := newRunner(t, url, files(slowFolder(3*time.Second), nil), Options{LockMode: LockTable, LockTimeout: 1500 * time.Millisecond,
		OnEvent: func(e Event) {
			if e.Kind == EventLockWait {
				waits = append(waits, e.Holder)
			}
		}})
	if st, err := r2.Status(ctx); err != nil || st.HeldBy == 0 {
		t.Errorf("status during the run: held by %v, %v; want the first run's pid", st, err)
	}
	_, err := r2.Apply(ctx, 0)
	if !errors.Is(err, ErrLockTimeout) || !strings.Contains(err.Error(), "lock table row of") {
		t.Fatalf("second run: %v", err)
	}
	if len(waits) != 1 || strings.Contains(waits[0], "expired") {
		t.Errorf("lock-wait events: %q", waits)
	}
	r3 := newRunner(t, url, files(slowFolder(3*time.Second), nil), Options{LockMode: LockTable, LockTimeout: 30 * time.Second})
	res, err := r3.Apply(ctx, 0)
	if err != nil || len(res) != 0 {
		t.Errorf("third run: applied %d, %v; want nothing left to apply", len(res), err)
	}
	if err := <-done; err != nil {
		t.Fatalf("first run: %v", err)
	}
	if got := tables(t, url); got != "ddlmig_migrations,ddlmig_migrations_lock,quick,slow" {
		t.Errorf("tables: %s", got)
	}
	if got := query(t, url, `SELECT count(*) FROM ddlmig_migrations_lock`); got != "0" {
		t.Errorf("%s lock rows left after the runs", got)
	}
}

// TestTableLockExpiredTakenOver: a row whose expiry has passed (its run
// was killed) is taken over, saying whose it was; a live one is not.
func TestTableLockExpiredTakenOver(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	var taken []string
	r := newRunner(t, url, fiveMigrations(), Options{LockMode: LockTable, LockTimeout: 300 * time.Millisecond, OnEvent: func(e Event) {
		if e.Kind == EventLockTakeover {
			taken = append(taken, e.Holder)
		}
	}})
	if err := r.lk.(*tableLock).ensure(ctx); err != nil {
		t.Fatal(err)
	}
	execSQL(t, url, `INSERT INTO ddlmig_migrations_lock VALUES ('public.ddlmig_migrations', 'live run', NULL, now(), now() + interval '1 hour')`)
	if _, err := r.Apply(ctx, 0); !errors.Is(err, ErrLockTimeout) || !strings.Contains(err.Error(), "live run") {
		t.Fatalf("apply against a live row: %v", err)
	}
	execSQL(t, url, `UPDATE ddlmig_migrations_lock SET owner = 'killed run', expires_at = now() - interval '1 second'`)
	if res, err := r.Apply(ctx, 0); err != nil || len(res) != 5 {
		t.Fatalf("apply after expiry: %d applied, %v", len(res), err)
	}
	if len(taken) != 1 || !strings.Contains(taken[0], "killed run") || !strings.Contains(taken[0], "expired") {
		t.Errorf("takeover events: %q", taken)
	}
}

// TestTableLockLostStopsTheRun: when the row is taken away mid-run (here
// deleted by hand), the next renewal notices, the running migration is
// cancelled and rolled back, and the error says the lock was lost.
func TestTableLockLostStopsTheRun(t *testing.T) {
	url := testdb.New(t)
	done := startSlow(t, url, 20*time.Second, 600*time.Millisecond)
	execSQL(t, url, `DELETE FROM ddlmig_migrations_lock`)
	var err error
	select {
	case err = <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("the run went on without its lock")
	}
	if !errors.Is(err, ErrLockLost) {
		t.Fatalf("error: %v", err)
	}
	if got := tables(t, url); strings.Contains(got, "slow") {
		t.Errorf("the interrupted migration was not rolled back: %s", got)
	}
}

// TestTableLockTTLFloor: a TTL too short to renew in time (or to tick
// at all) is raised to the floor rather than panicking or expiring at once.
func TestTableLockTTLFloor(t *testing.T) {
	for _, ttl := range []time.Duration{1, time.Millisecond} {
		if l := newTableLock(nil, table{"public", "m"}, ttl, nil); l.ttl != minLockTTL {
			t.Errorf("TTL %s became %s, want %s", ttl, l.ttl, minLockTTL)
		}
	}
}
