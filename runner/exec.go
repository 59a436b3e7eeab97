package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddlmig/ddlmig/internal/sqltext"
)

// txPrefix opens the migration's transaction in the same batch as the
// file: a comment naming the file (for status and pg_stat_activity), BEGIN
// and the statement lock timeout. stmts is the number of its statements,
// each of which sends a result before the file's first.
func (r *Runner) txPrefix(st Step) (prefix string, stmts int) {
	set := r.lockTimeoutSQL(true)
	if set == "" {
		return tag(st.File) + "BEGIN;\n", 1
	}
	return tag(st.File) + "BEGIN;\n" + set, 2
}

// runTx runs a transactional step as one simple-protocol batch, one round
// trip: BEGIN, the file, the bookkeeping change, COMMIT. A file cut by batch
// markers runs batch by batch instead (runBatches).
func (r *Runner) runTx(ctx context.Context, st Step) error {
	if len(st.batches) > 1 {
		return r.runBatches(ctx, st)
	}
	book := r.table.insertSQL(st.Version, st.Name, st.Checksum)
	if st.Direction == Down {
		book = r.table.deleteSQL(st.Version)
	}
	if me := r.execTxRetry(ctx, st, st.SQL, 0, book); me != nil {
		return me
	}
	return nil
}

// durableSQL runs first in the bookkeeping part of every transaction: a
// file may have turned synchronous_commit off (SET lasts past its
// transaction), and the commit that records a migration must be durable.
// Stronger settings (remote_apply, say) are kept.
const durableSQL = `SELECT set_config('synchronous_commit', 'on', true) WHERE current_setting('synchronous_commit') = 'off'`

// execTx runs text (found at byte offset base of the step's file) and the
// bookkeeping statement book in one transaction, sent as one batch.
// PostgreSQL skips the rest of a batch after an error, so a failure never
// reaches COMMIT; the explicit ROLLBACK afterwards only ends the aborted
// transaction. A failure of the bookkeeping statement is reported as a
// *TableError, not as one of the file's statements.
func (r *Runner) execTx(ctx context.Context, st Step, text string, base int, book string) *MigrationError {
	txPrefix, pre := r.txPrefix(st)
	head := txPrefix + text + "\n;\n"
	q := head + durableSQL + ";\n" + book + ";\nCOMMIT"
	results, err := r.conn.PgConn().Exec(ctx, q).ReadAll()
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		// The connection broke: the server either committed the whole
		// batch or nothing of it; only the table can tell.
		return &MigrationError{Version: st.Version, File: st.File,
			Err: fmt.Errorf("%w\nThe connection was lost while the migration ran: it committed completely or not at all; run ddlmig status to see which", err)}
	}
	me := &MigrationError{Version: st.Version, File: st.File, RolledBack: true, Err: err}
	r.rollback(ctx)
	inBook := false
	switch {
	case pe.Position > 0:
		off := sqltext.CharOffset(q, int(pe.Position)) - len(txPrefix)
		if off >= 0 && off <= len(text) {
			me.Line, me.Col = sqltext.LineCol(st.SQL, base+off)
		}
		inBook = sqltext.CharOffset(q, int(pe.Position)) >= len(head)
	default:
		// No position (a runtime error): each statement that completed
		// sent a result, the prefix's first, so their count names the
		// failing one: a statement of the file, the bookkeeping
		// (durableSQL, then book), or COMMIT (a deferred constraint of the
		// file's). A statement returning rows opens a result before it
		// fails.
		n := -pre
		for _, res := range results {
			if res.Err == nil {
				n++
			}
		}
		stmts := splitLoose(text)
		switch {
		case n >= 0 && n < len(stmts):
			me.Line, me.Col = sqltext.LineCol(st.SQL, base+stmts[n].Off)
		case n == len(stmts) || n == len(stmts)+1:
			// Should the split have miscounted the file's statements,
			// an error about another table stays the file's.
			inBook = pe.TableName == r.table.name || strings.Contains(pe.Message, r.table.name)
		}
	}
	if inBook {
		action := fmt.Sprintf("recording %s in it", st.File)
		if st.Direction == Down {
			action = fmt.Sprintf("removing the row of %s from it", st.File)
		}
		me.Err = r.table.privilegeError(ctx, r.conn, err, action, bookPrivilege(book))
		return me
	}
	if isLockLimit(pe) {
		me.Err = r.lockLimit(ctx, pe, text)
	}
	return me
}

// noTxFailure makes the error of statement i (s) of a no-transaction
// step, and records it in the step's dirty row for status and for whoever
// resolves the dirty state later. A CREATE INDEX CONCURRENTLY that timed
// out on a lock where running the file again is safe (rerunnable: it
// starts the file, or follows only DROP INDEX CONCURRENTLY IF EXISTS) is
// not left dirty: its row is put back as it was, so apply simply runs the
// file again.
func (r *Runner) noTxFailure(ctx context.Context, st Step, i int, s statement, err error) *MigrationError {
	me := &MigrationError{Version: st.Version, File: st.File, Dirty: true, Err: err}
	off := s.Off
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Position > 0 {
		off = s.Off - skipSpaceAndComments(s.SQL) + sqltext.CharOffset(s.SQL, int(pe.Position))
	}
	me.Line, me.Col = sqltext.LineCol(st.SQL, off)
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var sle *StatementLockError
	if errors.As(err, &sle) {
		if rerunnable(st.stmts, i, sle.Leftover != "") && r.unmark(c, st) {
			me.Dirty, me.RolledBack = false, true
			return me
		}
		sle.Dirty = true
	}
	failure := fmt.Sprintf("%s:%d:%d: %s", st.File, me.Line, me.Col, describe(err))
	r.conn.PgConn().Exec(c, fmt.Sprintf(`UPDATE %s SET failure = %s WHERE version = %d`, r.table, quoteLiteral(failure), st.Version)).Close()
	return me
}

// unmark undoes the dirty mark of st; it reports whether it did.
func (r *Runner) unmark(ctx context.Context, st Step) bool {
	undo := fmt.Sprintf(`DELETE FROM %s WHERE version = %d AND dirty`, r.table, st.Version)
	if st.Direction == Down {
		undo = fmt.Sprintf(`UPDATE %s SET dirty = false, failure = NULL WHERE version = %d`, r.table, st.Version)
	}
	return r.conn.PgConn().Exec(ctx, durableSQL+";\n"+undo).Close() == nil
}

// rollback ends an aborted transaction, even after ctx was cancelled.
func (r *Runner) rollback(ctx context.Context) {
	pc := r.conn.PgConn()
	if pc.IsClosed() || pc.TxStatus() == 'I' {
		return
	}
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	pc.Exec(c, "ROLLBACK").ReadAll()
}

// runNoTx runs a no-transaction step statement by statement. Its row is
// marked dirty (committed) before the first statement and made clean (or
// deleted, going down) after the last, so a failure or a killed process
// leaves the dirty mark behind for a person to resolve.
func (r *Runner) runNoTx(ctx context.Context, st Step) error {
	start := time.Now()
	note := fmt.Sprintf("%s started %s outside a transaction and did not finish (the process was interrupted or killed)", st.File, start.UTC().Format(time.RFC3339))
	var mark string
	if st.Direction == Up {
		mark = fmt.Sprintf(`INSERT INTO %s (version, name, checksum, dirty, failure) VALUES (%d, %s, %s, true, %s)`,
			r.table, st.Version, quoteLiteral(st.Name), quoteLiteral(st.Checksum), quoteLiteral(note))
	} else {
		mark = fmt.Sprintf(`UPDATE %s SET dirty = true, failure = %s WHERE version = %d`, r.table, quoteLiteral(note), st.Version)
	}
	// One simple query is one transaction: durableSQL covers the mark.
	// The lock timeout is set for the session, so a SET lock_timeout of
	// the file's own rules the statements after it.
	if err := r.conn.PgConn().Exec(ctx, r.lockTimeoutSQL(false)+durableSQL+";\n"+mark).Close(); err != nil {
		return &MigrationError{Version: st.Version, File: st.File,
			Err: r.table.privilegeError(ctx, r.conn, err, fmt.Sprintf("marking %s as running (dirty) in it, before its first statement,", st.File), bookPrivilege(mark))}
	}
	for i, s := range st.stmts {
		if err := r.execStatement(ctx, st, s); err != nil {
			return r.noTxFailure(ctx, st, i, s, err)
		}
	}
	var done string
	if st.Direction == Up {
		done = fmt.Sprintf(`UPDATE %s SET dirty = false, failure = NULL, applied_at = clock_timestamp(), duration = '%d microseconds' WHERE version = %d`,
			r.table, time.Since(start).Microseconds(), st.Version)
	} else {
		done = r.table.deleteSQL(st.Version)
	}
	if err := r.conn.PgConn().Exec(ctx, durableSQL+";\n"+done).Close(); err != nil {
		return &MigrationError{Version: st.Version, File: st.File, Dirty: true,
			Err: r.table.privilegeError(ctx, r.conn, err, fmt.Sprintf("all statements of %s ran, but recording that in it", st.File), bookPrivilege(done))}
	}
	return nil
}
