package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/jackc/pgx/v5/pgconn"
)

// LockLimitError is a transaction that needed more locks than the server's
// shared lock table holds (SQLSTATE 53200, out_of_shared_memory, with
// PostgreSQL's hint about max_locks_per_transaction). PostgreSQL keeps the
// lock on every relation a transaction creates, alters or drops until it
// ends, so a migration creating thousands of tables fails this way on a
// server with default settings. The error says what to do; errors.Is(err,
// ErrLockLimit) and errors.As(err, **pgconn.PgError) both work.
type LockLimitError struct {
	Err *pgconn.PgError
	// The server's settings; 0 when they could not be read.
	MaxLocksPerTransaction, MaxConnections, MaxPreparedTransactions int
	// Estimate is how many relations the transaction would lock, counted
	// from its statements (CREATE TABLE counts its toast table and primary
	// key, and so on); a rough figure, on the high side.
	Estimate int
	// Suggested is a max_locks_per_transaction that would fit Estimate,
	// and Batches the number of batches that would fit the current one.
	Suggested, Batches int
}

// ErrLockLimit: a migration needed more locks than the server can hold in
// one transaction; see LockLimitError.
var ErrLockLimit = fmt.Errorf("too many locks for one transaction")

func (e *LockLimitError) Error() string {
	var b strings.Builder
	b.WriteString(describe(e.Err))
	b.WriteString("\nThe migration locks more relations than the server can hold in one transaction: PostgreSQL keeps a lock on every table, index and sequence a transaction creates, alters or drops until it commits")
	if e.MaxLocksPerTransaction > 0 {
		fmt.Fprintf(&b, ", in a shared table of about max_locks_per_transaction (%d) × (max_connections (%d) + max_prepared_transactions (%d)) = %d entries",
			e.MaxLocksPerTransaction, e.MaxConnections, e.MaxPreparedTransactions, e.capacity())
	}
	fmt.Fprintf(&b, "; this transaction locks about %d.", e.Estimate)
	b.WriteString("\nNothing of it was committed. Either:")
	if e.Suggested > 0 {
		fmt.Fprintf(&b, "\n\t- raise max_locks_per_transaction to at least %d (ALTER SYSTEM SET max_locks_per_transaction = %d, or postgresql.conf) and restart the server, then run apply again; or", e.Suggested, e.Suggested)
	} else {
		b.WriteString("\n\t- raise max_locks_per_transaction (ALTER SYSTEM SET or postgresql.conf) and restart the server, then run apply again; or")
	}
	b.WriteString("\n\t- split it into consecutive migrations")
	if e.Batches > 1 {
		fmt.Fprintf(&b, " (at least %d)", e.Batches)
	}
	fmt.Fprintf(&b, ", which ddlmig generate does itself for large changes: delete the unapplied pair and generate it again. Each migration then commits on its own, with any runner. (Lines %q between statements cut a file the same way for ddlmig apply only.) See \"Large migrations\" in the README.", migfile.BatchMarker)
	return b.String()
}

func (e *LockLimitError) Unwrap() []error { return []error{ErrLockLimit, e.Err} }

func (e *LockLimitError) capacity() int {
	return e.MaxLocksPerTransaction * (e.MaxConnections + e.MaxPreparedTransactions)
}

// isLockLimit recognises the lock table running full. Other causes of
// out_of_shared_memory do not carry the hint.
func isLockLimit(pe *pgconn.PgError) bool {
	return pe.Code == "53200" && strings.Contains(pe.Hint, "max_locks_per_transaction")
}

// lockLimit builds the LockLimitError for a transaction that ran text,
// reading the server's settings after the rollback.
func (r *Runner) lockLimit(ctx context.Context, pe *pgconn.PgError, text string) *LockLimitError {
	e := &LockLimitError{Err: pe, Estimate: estimateLocks(text)}
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := r.conn.QueryRow(c, `SELECT current_setting('max_locks_per_transaction')::int, current_setting('max_connections')::int,
	current_setting('max_prepared_transactions')::int`).Scan(&e.MaxLocksPerTransaction, &e.MaxConnections, &e.MaxPreparedTransactions)
	if err != nil || e.MaxConnections+e.MaxPreparedTransactions <= 0 {
		e.MaxLocksPerTransaction = 0
		return e
	}
	backends := e.MaxConnections + e.MaxPreparedTransactions
	// Leave half the table to other sessions, and round up to a multiple
	// of 64 (the default) so the advice reads as a setting.
	e.Suggested = max(e.MaxLocksPerTransaction*2, (2*e.Estimate/backends+64)/64*64)
	if budget := e.capacity() / 4; budget > 0 {
		e.Batches = (e.Estimate + budget - 1) / budget
	}
	return e
}

// estimateLocks counts the relations the statements of text lock, by the
// first words of each statement. It is for advice only: a rough figure that
// errs on the high side for the statements of generated migrations.
func estimateLocks(text string) int {
	n := 0
	for _, s := range splitLoose(text) {
		w := words(s.SQL, 3)
		if len(w) < 2 {
			continue
		}
		switch {
		case w[0] == "CREATE" && (w[1] == "TABLE" || w[1] == "UNLOGGED" || w[1] == "TEMP" || w[1] == "TEMPORARY"):
			n += 5 // table, toast table and index, primary key, one more
		case w[0] == "CREATE" && (w[1] == "INDEX" || w[1] == "UNIQUE"):
			n += 2
		case w[0] == "CREATE" && (w[1] == "SEQUENCE" || w[1] == "VIEW"):
			n++
		case w[0] == "CREATE" && w[1] == "MATERIALIZED":
			n += 4
		case w[0] == "DROP" && w[1] == "TABLE":
			n += 8 * (1 + strings.Count(s.SQL, ","))
		case w[0] == "DROP" || w[0] == "ALTER":
			n += 2
		}
	}
	return n
}
