package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// Outside a transaction a statement that times out on a lock is run again
// only when running it twice is the same as running it once. CREATE INDEX
// CONCURRENTLY is, once the INVALID index its failed build may have left
// is dropped (a build that timed out while waiting for older transactions
// has already created it). DROP INDEX CONCURRENTLY is: the index it failed
// to drop is still there (invalid, at worst), so the retry drops it. Any
// other statement is not retried: it may be one of those that commit
// part of their work (REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY,
// a procedure that commits), and a person decides how to resume.

// rerun says how a no-transaction statement is made safe to run again.
type rerun struct {
	// For CREATE INDEX CONCURRENTLY: the index's name and its table as
	// the statement names them (the index lives in the table's schema).
	index, schema, table string
}

// retryable returns how stmt can be run again after a lock timeout, nil
// when it must not be.
func retryable(stmt string) *rerun {
	tree, err := pg_query.Parse(stmt)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	n := tree.Stmts[0].Stmt
	if is := n.GetIndexStmt(); is != nil && is.Concurrent {
		if is.Idxname == "" || is.Relation == nil {
			// A name chosen by the server: a retry would build a
			// second index beside the leftover of the first.
			return nil
		}
		return &rerun{index: is.Idxname, schema: is.Relation.Schemaname, table: is.Relation.Relname}
	}
	if ds := n.GetDropStmt(); ds != nil && ds.Concurrent && ds.RemoveType == pg_query.ObjectType_OBJECT_INDEX {
		return &rerun{}
	}
	return nil
}

// droppedIfExists returns the names of the indexes stmt drops when it is
// a DROP INDEX CONCURRENTLY IF EXISTS, which run again is a no-op (or
// drops the leftover of a failed build); ok is false for any other.
func droppedIfExists(stmt string) (names []string, ok bool) {
	tree, err := pg_query.Parse(stmt)
	if err != nil || len(tree.Stmts) != 1 {
		return nil, false
	}
	ds := tree.Stmts[0].Stmt.GetDropStmt()
	if ds == nil || !ds.Concurrent || !ds.MissingOk || ds.RemoveType != pg_query.ObjectType_OBJECT_INDEX {
		return nil, false
	}
	for _, o := range ds.Objects {
		if items := o.GetList().GetItems(); len(items) > 0 {
			names = append(names, items[len(items)-1].GetString_().GetSval())
		}
	}
	return names, true
}

// rerunnable reports whether running the file of stmts again from the
// start is the same as running it once, after statement i failed on a
// lock timeout: it is a named concurrent build, every statement before it
// is a DROP INDEX CONCURRENTLY IF EXISTS, and the INVALID index the build
// left (leftover) is none, or one of those drops it. That is the file
// generate writes for an index built online.
func rerunnable(stmts []statement, i int, leftover bool) bool {
	rr := retryable(stmts[i].SQL)
	if rr == nil || rr.index == "" {
		return false
	}
	dropped := !leftover
	for _, s := range stmts[:i] {
		names, ok := droppedIfExists(s.SQL)
		if !ok {
			return false
		}
		dropped = dropped || slices.Contains(names, rr.index)
	}
	return dropped
}

// leftoverSQL finds the INVALID index named $1 on the table $2.$3 ($2
// empty: found by search_path, as the statement found it).
const leftoverSQL = `SELECT format('%I.%I', n.nspname, c.relname)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT i.indisvalid AND c.relname = $1
	AND i.indrelid = to_regclass(CASE WHEN $2 = '' THEN quote_ident($3) ELSE format('%I.%I', $2, $3) END)`

// leftover returns the qualified name of the INVALID index a failed build
// left, "" when there is none.
func (r *Runner) leftover(ctx context.Context, rr *rerun) (string, error) {
	if rr == nil || rr.index == "" {
		return "", nil
	}
	var name string
	err := r.conn.QueryRow(ctx, leftoverSQL, rr.index, rr.schema, rr.table).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// cleanup drops the leftover of a failed concurrent build, concurrently
// and under the lock timeout too: the application keeps writing meanwhile.
func (r *Runner) cleanup(ctx context.Context, rr *rerun) error {
	name, err := r.leftover(ctx, rr)
	if err != nil || name == "" {
		return err
	}
	if err := r.conn.PgConn().Exec(ctx, "DROP INDEX CONCURRENTLY IF EXISTS "+name).Close(); err != nil {
		return fmt.Errorf("dropping the INVALID index %s, left by the failed attempt, before the next one: %w", name, err)
	}
	return nil
}

// execStatement runs one statement of a no-transaction step. On a lock
// timeout a retryable statement is run again, after a pause and after
// dropping the leftover of the failed attempt, up to Options.LockRetries
// times; any other gives up at once. Either way the final error is a
// *StatementLockError naming the blocker.
func (r *Runner) execStatement(ctx context.Context, st Step, s statement) error {
	rr := retryable(s.SQL)
	start := time.Now()
	var wait *LockWait
	for n := 1; ; n++ {
		w := r.watch(ctx, st, s.SQL)
		err := r.attempt(ctx, s, rr, n)
		wait = lastSeen(w.stop(), wait)
		pe, ok := isLockTimeout(err)
		if !ok {
			return err
		}
		if rr != nil && n <= r.opts.LockRetries && r.pause(ctx, st, n, wait) {
			continue
		}
		e := &StatementLockError{Err: pe, Timeout: r.statementLockTimeout(), Attempts: n, Took: time.Since(start), Wait: wait, Retryable: rr != nil}
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		e.Leftover, _ = r.leftover(c, rr)
		cancel()
		if ctx.Err() != nil {
			return interrupted(ctx, e)
		}
		return e
	}
}

// attempt is try n of statement s: after the first, the leftover of the
// previous one is dropped first.
func (r *Runner) attempt(ctx context.Context, s statement, rr *rerun, n int) error {
	if n > 1 {
		if err := r.cleanup(ctx, rr); err != nil {
			return err
		}
	}
	_, err := r.conn.PgConn().Exec(ctx, s.SQL).ReadAll()
	return err
}
