package runner

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Sentinel errors. Callers test for them with errors.Is; the errors returned
// carry the details (versions, files, lines) in their messages.
var (
	// ErrDirty: a no-transaction migration failed or was interrupted
	// midway, so the database is in a state no file describes. Resolve it
	// by hand, then run Stamp with force.
	ErrDirty = errors.New("database is dirty")
	// ErrChecksum: an applied migration's up file changed since it ran.
	ErrChecksum = errors.New("applied migration changed")
	// ErrVersionReused: the table records a version under another name
	// than the folder's file of that version, whose text differs: another
	// branch reused the version number. The file never ran.
	ErrVersionReused = errors.New("applied version reused by another migration")
	// ErrMissingFile: the table records a version whose up file is gone.
	ErrMissingFile = errors.New("applied migration missing")
	// ErrOutOfOrder: a pending version is lower than an applied one.
	ErrOutOfOrder = errors.New("pending migration older than the database version")
	// ErrUnreviewed: a file to run still carries -- ddlmig:unreviewed.
	ErrUnreviewed = errors.New("unreviewed migration")
	// ErrLockTimeout: another run held the migration lock for longer than
	// Options.LockTimeout.
	ErrLockTimeout = errors.New("migration lock not acquired")
	// ErrLockLost: a table lock (LockTable) could not be renewed before
	// it expired, so another run may have taken it; the run stopped.
	ErrLockLost = errors.New("migration lock lost")
	// ErrNoDownFile: a migration to roll back has no down file.
	ErrNoDownFile = errors.New("down file missing")
	// ErrBadFolder: the migrations folder has layout problems.
	ErrBadFolder = errors.New("migrations folder has problems")
	// ErrBadTarget: the requested version is not one the runner knows.
	ErrBadTarget = errors.New("unknown target version")
	// ErrUnsafeStatement: a file holds a statement the runner cannot run
	// safely: BEGIN, COMMIT or ROLLBACK in a transactional file (it would
	// break the one-transaction guarantee), COPY FROM STDIN (no data to
	// send), or a no-transaction file that cannot be split into statements.
	ErrUnsafeStatement = errors.New("statement cannot run safely")
)

// MigrationError is a failure while running one migration file. It points
// at the file, line and column of the failing statement when PostgreSQL or
// the statement count tells which one it was, and keeps the PostgreSQL error
// reachable through Unwrap (errors.As with *pgconn.PgError).
type MigrationError struct {
	Version uint64
	File    string // file name relative to the folder
	Line    int    // 1-based; 0 when unknown
	Col     int    // 1-based, in characters; 0 when unknown
	// Dirty is set when the migration ran outside a transaction and the
	// database is now marked dirty.
	Dirty bool
	// RolledBack is set when the migration's transaction was rolled back,
	// so nothing of it remains.
	RolledBack bool
	// Batch and Batches are set for a file cut by batch markers: batch
	// Batch of Batches failed (and was rolled back when RolledBack);
	// batches before it stay applied, and the next run of the same
	// Direction resumes at Batch.
	Batch, Batches int
	Direction      Direction
	Err            error
}

func (e *MigrationError) Error() string {
	var b strings.Builder
	var te *TableError
	if errors.As(e.Err, &te) {
		// The bookkeeping failed, not a statement of the file: the
		// table error names the file and the table.
		b.WriteString(te.Error())
	} else {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Col > 0 {
				fmt.Fprintf(&b, ":%d", e.Col)
			}
		}
		b.WriteString(": ")
		b.WriteString(describe(e.Err))
	}
	switch {
	case e.Dirty:
		fmt.Fprintf(&b, "\nThe migration ran outside a transaction and stopped midway: the database is marked dirty at version %06d.", e.Version)
		b.WriteString("\n" + dirtyAdvice(e.Version))
	case e.Batch > 1:
		// Giving up means returning to where the run started: before
		// the migration going up, with it applied going down.
		cmd, back := "apply", prevVersion(e.Version)
		if e.Direction == Down {
			cmd, back = "down", e.Version
		}
		if e.RolledBack {
			fmt.Fprintf(&b, "\nBatch %d of %d was rolled back; %s applied", e.Batch, e.Batches, firstBatches(e.Batch-1, "stays"))
		} else {
			fmt.Fprintf(&b, "\nBatch %d of %d has not run; %s applied", e.Batch, e.Batches, firstBatches(e.Batch-1, "is"))
		}
		fmt.Fprintf(&b, ", and ddlmig status shows migration %06d as partly done.\n"+
			"Fix the cause and run ddlmig %s again: it resumes at batch %d (the batches that ran must not be edited).\n"+
			"To give up instead, undo %s by hand and run ddlmig stamp --force %06d.",
			e.Version, cmd, e.Batch, firstBatches(e.Batch-1, ""), back)
	case e.RolledBack && e.Batches > 1:
		fmt.Fprintf(&b, "\nBatch 1 of %d was rolled back; nothing of the migration was applied.", e.Batches)
	case e.RolledBack:
		b.WriteString("\nThe migration was rolled back; nothing of it was applied.")
	}
	return b.String()
}

func (e *MigrationError) Unwrap() error { return e.Err }

// describe formats a PostgreSQL error with its SQLSTATE, detail, hint and
// context, which the one-line pgconn message leaves out.
func describe(err error) string {
	var te *TableError
	if errors.As(err, &te) {
		return te.Error()
	}
	var ll *LockLimitError
	if errors.As(err, &ll) {
		return ll.Error()
	}
	var sl *StatementLockError
	if errors.As(err, &sl) {
		return sl.Error()
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (SQLSTATE %s)", pe.Severity, pe.Message, pe.Code)
	if pe.Detail != "" {
		b.WriteString("\n\tDETAIL: " + pe.Detail)
	}
	if pe.Hint != "" {
		b.WriteString("\n\tHINT: " + pe.Hint)
	}
	if pe.Where != "" {
		b.WriteString("\n\tCONTEXT: " + strings.ReplaceAll(pe.Where, "\n", "\n\t\t"))
	}
	return b.String()
}

// dirtyAdvice is the recovery procedure, repeated wherever a dirty state is
// reported so that the person on call does not have to look it up.
func dirtyAdvice(version uint64) string {
	return fmt.Sprintf("To recover: inspect the database and finish or undo the statements of %06d by hand, then run\n"+
		"\tddlmig stamp --force %06d    (if you completed the migration), or\n"+
		"\tddlmig stamp --force %06d    (if you undid it)\n"+
		"and run apply again.", version, version, prevVersion(version))
}

func prevVersion(v uint64) uint64 {
	if v == 0 {
		return 0
	}
	return v - 1
}

// PartialError reports a run that stopped after applying (or rolling back)
// some migrations, as goose's PartialError does: the completed steps are
// data, so the caller can print them before the error.
type PartialError struct {
	Done []Result // steps completed before the failure, in order
	Err  error    // usually a *MigrationError, or the context's error
}

func (e *PartialError) Error() string {
	if len(e.Done) == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("%v\n(%s completed before the failure: %06d..%06d)",
		e.Err, nouns(len(e.Done), "migration"), e.Done[0].Version, e.Done[len(e.Done)-1].Version)
}

func (e *PartialError) Unwrap() error { return e.Err }

// listError joins several problems found in one check, so that a person
// fixes them all at once rather than one per run. It wraps a sentinel.
type listError struct {
	sentinel error
	head     string
	items    []string
	advice   string
}

func (e *listError) Error() string {
	var b strings.Builder
	b.WriteString(e.head)
	for _, it := range e.items {
		b.WriteString("\n\t" + strings.ReplaceAll(it, "\n", "\n\t"))
	}
	if e.advice != "" {
		b.WriteString("\n" + e.advice)
	}
	return b.String()
}

func (e *listError) Unwrap() error { return e.sentinel }
