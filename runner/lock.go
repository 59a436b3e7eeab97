package runner

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LockMode chooses how a run keeps other runs on the same bookkeeping
// table out. The zero value of Options means LockAdvisory.
type LockMode int

const (
	// LockAdvisory is a session-level advisory lock (PostgreSQL): released
	// by the server when the session ends, so it can never be left behind.
	LockAdvisory LockMode = iota + 1
	// LockTable is a row in a lock table next to the bookkeeping table,
	// with an owner and an expiry that the run renews while it lasts; an
	// expired row is taken over. For engines without advisory locks
	// (CockroachDB). See locktable.go.
	LockTable
)

func (m LockMode) String() string {
	switch m {
	case LockAdvisory:
		return "advisory"
	case LockTable:
		return "table"
	}
	return fmt.Sprintf("LockMode(%d)", int(m))
}

// ParseLockMode reads a LockMode's name, as a flag or config file gives it.
func ParseLockMode(s string) (LockMode, error) {
	switch s {
	case "", "advisory":
		return LockAdvisory, nil
	case "table":
		return LockTable, nil
	}
	return 0, fmt.Errorf("bad lock mode %q: want advisory or table", s)
}

// locker is one way of keeping two runs on a bookkeeping table apart.
type locker interface {
	// try takes the lock if it is free, without waiting. When it is not,
	// holder describes who has it, for messages. lost, when not nil, is
	// called if the lock is lost later (a table lock that could not be
	// renewed before it expired); the run must then stop.
	try(ctx context.Context, lost func(error)) (ok bool, holder string, unlock func(), err error)
	// running returns the server process id of another session holding
	// the lock, 0 if none, without taking it (for Status).
	running(ctx context.Context) (int32, error)
}

// lock takes l, polling until timeout. wait is told once who holds it.
func lock(ctx context.Context, l locker, timeout time.Duration, wait func(holder string), lost func(error)) (unlock func(), err error) {
	deadline := time.Now().Add(timeout)
	delay := 50 * time.Millisecond
	waited := false
	for {
		ok, holder, unlock, err := l.try(ctx, lost)
		if err != nil {
			return nil, fmt.Errorf("taking the migration lock: %w", err)
		}
		if ok {
			return unlock, nil
		}
		if !waited && wait != nil {
			wait(holder)
		}
		waited = true
		left := time.Until(deadline)
		if left <= 0 {
			return nil, fmt.Errorf("%w: another session holds it (%s) and did not release it within %s; "+
				"another ddlmig apply/down is probably running (or a killed one's server process has not ended yet)",
				ErrLockTimeout, holder, timeout)
		}
		if delay > left {
			delay = left
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("interrupted while waiting for the migration lock (%s): %w", holder, ctx.Err())
		case <-t.C:
		}
		if delay < time.Second {
			delay *= 2
		}
	}
}

// advisoryLock is LockAdvisory: a session lock (not a transaction lock)
// held across the per-migration transactions and released by the server
// if the process dies, so a killed run never leaves the lock behind.
type advisoryLock struct {
	conn *pgx.Conn
	key  int64
}

func (a advisoryLock) try(ctx context.Context, _ func(error)) (bool, string, func(), error) {
	var ok bool
	if err := a.conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, a.key).Scan(&ok); err != nil {
		return false, "", nil, err
	}
	if !ok {
		return false, lockHolder(ctx, a.conn, a.key), nil, nil
	}
	return true, "", func() {
		// Release even when ctx was cancelled (Ctrl-C): the
		// connection may still be used by the caller.
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if !a.conn.IsClosed() {
			a.conn.Exec(c, `SELECT pg_advisory_unlock($1)`, a.key)
		}
	}, nil
}

func (a advisoryLock) running(ctx context.Context) (int32, error) {
	return runningHolder(ctx, a.conn, a.key)
}

// lockHolder describes the session holding the lock, for messages.
func lockHolder(ctx context.Context, conn *pgx.Conn, key int64) string {
	var pid int32
	var app, addr string
	var since time.Time
	err := conn.QueryRow(ctx, `SELECT l.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local'), coalesce(a.backend_start, now())
FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE `+lockedBy+`
LIMIT 1`, uint32(uint64(key)>>32), uint32(uint64(key))).Scan(&pid, &app, &addr, &since)
	if err != nil {
		return "holder unknown"
	}
	return fmt.Sprintf("pid %d, application %q, client %s, connected %s", pid, app, addr, since.Format(time.RFC3339))
}

// lockedBy selects the pg_locks row of the migration lock ($1, $2: the
// key's high and low halves) held in this database: advisory locks are
// per database, and another database may use the same key.
const lockedBy = `l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1
	AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`

// runningHolder returns the process id of another session holding the
// migration lock, 0 if none does, by looking at pg_locks: it never takes
// the lock, so a status during a run neither waits nor gets in the way.
func runningHolder(ctx context.Context, conn *pgx.Conn, key int64) (int32, error) {
	var pid int32
	err := conn.QueryRow(ctx, `SELECT coalesce((SELECT l.pid FROM pg_locks l WHERE `+lockedBy+` AND l.pid <> pg_backend_pid() LIMIT 1), 0)`,
		uint32(uint64(key)>>32), uint32(uint64(key))).Scan(&pid)
	if err != nil {
		return 0, fmt.Errorf("looking for a run holding the migration lock: %w", err)
	}
	return pid, nil
}
