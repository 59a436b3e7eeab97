package runner

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Lock discipline. A statement waiting for a lock (an ALTER TABLE behind a
// long transaction) makes every later query on that table queue behind it:
// the application stalls although the migration does nothing. So each
// statement of a migration runs with a short lock_timeout, and a migration
// that times out is rolled back and tried again after a pause, when the
// long transaction may be gone, rather than left waiting.

// Defaults of the Options of the lock discipline.
const (
	defaultStatementLockTimeout = 2 * time.Second
	defaultLockRetries          = 5
	defaultLockRetryDelay       = time.Second
	maxLockRetryDelay           = 30 * time.Second
)

// ErrStatementLock: a statement of a migration gave up waiting for a lock
// (lock_timeout, SQLSTATE 55P03) on every attempt; see StatementLockError.
var ErrStatementLock = errors.New("statement lock timeout")

// StatementLockError is a migration statement that could not get its lock
// within Options.StatementLockTimeout, on the first try and on each retry.
// Wait names the session it waited for, as last seen; errors.Is(err,
// ErrStatementLock) and errors.As(err, **pgconn.PgError) both work.
type StatementLockError struct {
	Err      *pgconn.PgError
	Timeout  time.Duration // the lock_timeout; 0 when it was the server's
	Attempts int           // how many times the statement ran
	Took     time.Duration // from the first attempt to the last failure
	Wait     *LockWait     // nil when no wait was seen
	// Retryable is false for a statement of a no-transaction file that
	// is not safe to run twice, which was therefore not retried.
	Retryable bool
	// Leftover is the INVALID index a failed CREATE INDEX CONCURRENTLY
	// left behind (qualified name), when one remains.
	Leftover string
	// Dirty: a statement of a no-transaction file after others had
	// run; the migration is left dirty.
	Dirty bool
	// Interrupted is the context's error when the run was cancelled
	// (Ctrl-C) while it paused before a retry.
	Interrupted error
}

func (e *StatementLockError) Error() string {
	var b strings.Builder
	b.WriteString(describe(e.Err))
	b.WriteString("\nThe statement ")
	if e.Timeout > 0 {
		fmt.Fprintf(&b, "waited %s (the statement lock timeout) for a lock", e.Timeout)
	} else {
		b.WriteString("timed out waiting for a lock")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, ", on each of %d attempts over %s", e.Attempts, round(e.Took))
	} else if !e.Retryable {
		b.WriteString(" and was not retried: it is not safe to run twice outside a transaction")
	}
	b.WriteString(".")
	if e.Interrupted != nil {
		fmt.Fprintf(&b, "\nThe run was interrupted (%v) while it paused before trying again.", e.Interrupted)
	}
	if e.Wait != nil {
		fmt.Fprintf(&b, "\nIt was %s.", e.Wait)
	} else {
		b.WriteString("\nThe session holding the lock was not seen (it let go, or the wait was shorter than the poll interval).")
	}
	switch {
	case e.Leftover != "" && e.Dirty:
		fmt.Fprintf(&b, "\nThe failed build left the INVALID index %s; drop it with DROP INDEX CONCURRENTLY %s before building it again.", e.Leftover, e.Leftover)
	case e.Leftover != "":
		fmt.Fprintf(&b, "\nThe failed build left the INVALID index %s, which the file drops first when it runs again.", e.Leftover)
	}
	pid := "PID"
	if e.Wait != nil {
		pid = fmt.Sprint(e.Wait.Blocker.PID)
	}
	switch {
	case e.Dirty && e.Leftover != "":
		fmt.Fprintf(&b, "\nOnce that session has finished (or was ended: SELECT pg_terminate_backend(%s)), drop that index, run this statement and the rest of the file by hand, and record that as below.", pid)
	case e.Dirty:
		fmt.Fprintf(&b, "\nNothing of this statement was applied. Once that session has finished (or was ended: SELECT pg_terminate_backend(%s)), run it and the rest of the file by hand, and record that as below.", pid)
	default:
		fmt.Fprintf(&b, "\nOnce that session has finished (or was ended: SELECT pg_terminate_backend(%s)), run the command again; --statement-lock-timeout and --lock-retries make it wait longer.", pid)
	}
	return b.String()
}

func (e *StatementLockError) Unwrap() []error {
	if e.Interrupted != nil {
		return []error{ErrStatementLock, e.Err, e.Interrupted}
	}
	return []error{ErrStatementLock, e.Err}
}

// round keeps durations in messages readable.
func round(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// isLockTimeout recognises a statement cancelled by lock_timeout (and
// NOWAIT): SQLSTATE 55P03, lock_not_available.
func isLockTimeout(err error) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55P03" {
		return pe, true
	}
	return nil, false
}

// statementLockTimeout is the lock_timeout the runner sets, 0 for none.
func (r *Runner) statementLockTimeout() time.Duration {
	return max(r.opts.StatementLockTimeout, 0)
}

// lockTimeoutSQL is the SET (LOCAL inside a migration's transaction)
// giving the statements their lock_timeout, "" when the session's own
// setting is kept.
func (r *Runner) lockTimeoutSQL(local bool) string {
	d := r.statementLockTimeout()
	if d <= 0 {
		return ""
	}
	scope := ""
	if local {
		scope = "LOCAL "
	}
	return fmt.Sprintf("SET %slock_timeout = %d;\n", scope, max(d.Milliseconds(), 1))
}

// retryDelay is the pause before retry n (1-based): the delay doubled for
// each earlier retry, at most maxLockRetryDelay, of which a random half is
// taken off so that several blocked runs do not come back in step.
func (r *Runner) retryDelay(n int) time.Duration {
	d := r.opts.LockRetryDelay
	for i := 1; i < n && d < maxLockRetryDelay; i++ {
		d *= 2
	}
	d = min(d, maxLockRetryDelay)
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// pause waits before retry n of st, saying so through OnEvent; false when
// ctx ended first.
func (r *Runner) pause(ctx context.Context, st Step, n int, wait *LockWait) bool {
	d := r.retryDelay(n)
	r.emit(Event{Kind: EventLockRetry, Step: st, Attempt: n + 1, Attempts: r.opts.LockRetries + 1, Delay: d, Wait: wait})
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// interrupted marks sle as the error of a run cancelled while it paused
// before a retry.
func interrupted(ctx context.Context, sle *StatementLockError) error {
	sle.Interrupted = ctx.Err()
	return sle
}

// lastSeen is the wait an attempt saw, or the one an earlier attempt saw
// when the watcher missed it this time (a wait shorter than its interval).
func lastSeen(now, before *LockWait) *LockWait {
	if now != nil {
		return now
	}
	return before
}

// execTxRetry is execTx with the lock discipline: a transaction that fails
// on a lock timeout was rolled back entirely, so it is run again whole,
// after a pause, up to Options.LockRetries times.
func (r *Runner) execTxRetry(ctx context.Context, st Step, text string, base int, book string) *MigrationError {
	start := time.Now()
	var wait *LockWait
	for n := 1; ; n++ {
		w := r.watch(ctx, st, text)
		me := r.execTx(ctx, st, text, base, book)
		wait = lastSeen(w.stop(), wait)
		if me == nil {
			return nil
		}
		pe, ok := isLockTimeout(me.Err)
		if !ok || !me.RolledBack {
			return me
		}
		sle := &StatementLockError{Err: pe, Timeout: r.statementLockTimeout(), Attempts: n, Took: time.Since(start), Wait: wait, Retryable: true}
		if n > r.opts.LockRetries {
			me.Err = sle
			return me
		}
		if !r.pause(ctx, st, n, wait) {
			me.Err = interrupted(ctx, sle)
			return me
		}
	}
}
