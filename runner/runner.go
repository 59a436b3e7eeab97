package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/jackc/pgx/v5"
)

// Options tune a Runner. The zero value is usable.
type Options struct {
	// Table is the bookkeeping table, NAME or SCHEMA.NAME; DefaultTable in
	// schema public when empty.
	Table string
	// LockTimeout bounds the wait for another run's lock; 60s when zero.
	LockTimeout time.Duration
	// LockMode is how runs are kept apart: LockAdvisory when zero, or
	// LockTable for engines without advisory locks.
	LockMode LockMode
	// LockTTL is how long a LockTable row lasts unless renewed (the run
	// renews it every third of that); DefaultLockTTL when zero. A killed
	// run's row is taken over once it has expired.
	LockTTL time.Duration
	// StatementTimeout, when set, is the session's statement_timeout for
	// every statement the runner sends.
	StatementTimeout time.Duration
	// AllowOutOfOrder lets Apply run pending migrations whose versions are
	// lower than the highest applied one (two branches merged).
	AllowOutOfOrder bool
	// StatementLockTimeout is the lock_timeout of every statement of a
	// migration: a statement waiting longer for a lock fails (SQLSTATE
	// 55P03) rather than queue the application's queries behind it, and
	// its migration is retried. 2s when zero; negative keeps the
	// session's own setting.
	StatementLockTimeout time.Duration
	// LockRetries is how many times a migration whose statement timed out
	// on a lock is run again (a transaction whole; a no-transaction file
	// only the statement, when that is safe), after pauses starting at
	// LockRetryDelay and doubling, with jitter. 5 when zero; negative: none.
	LockRetries int
	// LockRetryDelay is the first pause before a retry; 1s when zero.
	LockRetryDelay time.Duration
	// PollInterval is how often a second connection looks at the running
	// statement (the lock it waits for and who holds it, an index build's
	// progress). When zero, 500ms or a quarter of StatementLockTimeout,
	// whichever is shorter; negative: no second connection, and a lock
	// timeout then names no blocker.
	PollInterval time.Duration
	// OnEvent, when set, is told about progress as it happens (lock waits,
	// each migration starting and finishing), for a CLI to print. Events
	// of the second connection come from another goroutine, one at a time.
	OnEvent func(Event)
}

// Direction says whether a step applies (up) or rolls back (down).
type Direction int

const (
	Up Direction = iota + 1
	Down
)

func (d Direction) String() string {
	switch d {
	case Up:
		return "up"
	case Down:
		return "down"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// EventKind is the kind of a progress Event.
type EventKind int

const (
	// EventLockWait: another session holds the lock; Holder says which.
	EventLockWait EventKind = iota + 1
	// EventLockTakeover: the lock table's row of another run had expired
	// and was taken over; Holder describes it.
	EventLockTakeover
	// EventStart: a migration file starts running.
	EventStart
	// EventDone: a migration file finished and is recorded.
	EventDone
	// EventBatch: a batch of a file cut by batch markers starts; Batch
	// and Batches say which.
	EventBatch
	// EventBatchDone: that batch committed with the migration's progress.
	EventBatchDone
	// EventStatementWait: a statement of the migration waits for a lock;
	// Wait says on what and who holds it.
	EventStatementWait
	// EventLockRetry: a statement timed out on a lock; the migration (or
	// the statement, outside a transaction) is run again after Delay, as
	// attempt Attempt of at most Attempts. Wait is the last wait seen.
	EventLockRetry
	// EventProgress: a long statement is running; Progress says how far
	// it is (an index build's phase and blocks, a validation's time).
	EventProgress
)

func (k EventKind) String() string {
	switch k {
	case EventLockWait:
		return "lock-wait"
	case EventLockTakeover:
		return "lock-takeover"
	case EventStart:
		return "start"
	case EventDone:
		return "done"
	case EventBatch:
		return "batch"
	case EventBatchDone:
		return "batch-done"
	case EventStatementWait:
		return "statement-wait"
	case EventLockRetry:
		return "lock-retry"
	case EventProgress:
		return "progress"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is progress reported through Options.OnEvent.
type Event struct {
	Kind EventKind
	Step Step          // for EventStart and EventDone
	Took time.Duration // for EventDone and EventBatchDone
	// Batch (1-based) of Batches, for EventBatch and EventBatchDone.
	Batch, Batches int
	// Holder describes the session holding the lock, for EventLockWait
	// and EventLockTakeover.
	Holder string
	// Wait is the lock a statement waits for, for EventStatementWait and
	// EventLockRetry (nil when none was seen).
	Wait *LockWait
	// Attempt of Attempts and the pause before it, for EventLockRetry.
	Attempt, Attempts int
	Delay             time.Duration
	// Progress is for EventProgress.
	Progress *Progress
}

// Step is one migration file the runner will run (or, for a dry run, would
// run).
type Step struct {
	Version       uint64
	Name          string
	File          string // relative to the folder
	Direction     Direction
	SQL           string
	Checksum      string // of the up file
	NoTransaction bool
	// Batches is the number of batches of a file cut by batch markers (1
	// for a file without them); each commits on its own.
	Batches int
	// Resume is the number of batches an earlier run committed: the step
	// starts with batch Resume+1.
	Resume  int
	stmts   []statement
	batches []batch
}

// Result is a step that completed.
type Result struct {
	Version       uint64
	Name          string
	File          string
	Direction     Direction
	NoTransaction bool
	Took          time.Duration // wall time seen by the client
}

// Runner applies one migrations folder to one database connection.
type Runner struct {
	conn  *pgx.Conn
	fsys  fs.FS
	opts  Options
	table table
	// mon is the watcher's connection while steps run (see watch.go).
	mon    *pgx.Conn
	emitMu sync.Mutex
	lk     locker
}

// New returns a Runner for the migrations in the root of fsys (for example
// os.DirFS("migrations")). conn must be used by nothing else while the
// Runner works: the advisory lock belongs to its session. Connect opens a
// suitable one.
func New(conn *pgx.Conn, fsys fs.FS, opts Options) (*Runner, error) {
	t, err := parseTable(opts.Table)
	if err != nil {
		return nil, err
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 60 * time.Second
	}
	if opts.StatementLockTimeout == 0 {
		opts.StatementLockTimeout = defaultStatementLockTimeout
	}
	if opts.LockRetries == 0 {
		opts.LockRetries = defaultLockRetries
	}
	opts.LockRetries = max(opts.LockRetries, 0)
	if opts.LockRetryDelay <= 0 {
		opts.LockRetryDelay = defaultLockRetryDelay
	}
	r := &Runner{conn: conn, fsys: fsys, opts: opts, table: t}
	switch opts.LockMode {
	case 0, LockAdvisory:
		r.lk = advisoryLock{conn, t.lockKey()}
	case LockTable:
		r.lk = newTableLock(conn, t, opts.LockTTL, func(prev string) { r.emit(Event{Kind: EventLockTakeover, Holder: prev}) })
	default:
		return nil, fmt.Errorf("bad lock mode %v", opts.LockMode)
	}
	return r, nil
}

// Table returns the bookkeeping table's qualified name.
func (r *Runner) Table() string { return r.table.display() }

func (r *Runner) emit(e Event) {
	if r.opts.OnEvent != nil {
		r.emitMu.Lock()
		defer r.emitMu.Unlock()
		r.opts.OnEvent(e)
	}
}

// folder reads the migrations folder. A missing down file is not a reason
// to refuse apply (Down checks for it), any other layout problem is.
func (r *Runner) folder() (*migfile.Folder, error) {
	f, err := migfile.Read(r.fsys)
	if err != nil {
		return nil, fmt.Errorf("reading migrations folder: %w", err)
	}
	noDown := map[string]bool{}
	for _, m := range f.Migrations {
		if m.Down == "" {
			noDown[m.Up] = true
		}
	}
	var items []string
	for _, p := range f.Problems {
		if !noDown[p.File] {
			items = append(items, p.String())
		}
	}
	if len(items) > 0 {
		return nil, &listError{sentinel: ErrBadFolder, head: "the migrations folder has problems:", items: items}
	}
	return f, nil
}

// begin prepares the session and takes the lock. A session whose
// synchronous_commit is off (set for the role or the database) gets it on,
// so that every migration reported done is durable. The context it
// returns is cancelled, with ErrLockLost as its cause, if the lock is
// lost while the run lasts (a table lock that could not be renewed).
func (r *Runner) begin(ctx context.Context) (context.Context, func(), error) {
	set := ""
	if r.opts.StatementTimeout > 0 {
		set = fmt.Sprintf("SET statement_timeout = %d;\n", r.opts.StatementTimeout.Milliseconds())
	}
	var sync string
	if err := r.conn.QueryRow(ctx, `SELECT current_setting('synchronous_commit')`).Scan(&sync); err != nil {
		return nil, nil, err
	}
	if sync == "off" {
		set += "SET synchronous_commit = on;\n"
	}
	if set != "" {
		if err := r.conn.PgConn().Exec(ctx, set).Close(); err != nil {
			return nil, nil, err
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	unlock, err := lock(ctx, r.lk, r.opts.LockTimeout, func(holder string) {
		r.emit(Event{Kind: EventLockWait, Holder: holder})
	}, cancel)
	if err != nil {
		cancel(nil)
		return nil, nil, err
	}
	return ctx, func() { unlock(); cancel(nil) }, nil
}

// lostLock names a lost lock as the reason a run stopped, when it was.
func lostLock(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	if err == nil || !errors.Is(cause, ErrLockLost) {
		return err
	}
	if pe, ok := err.(*PartialError); ok {
		pe.Err = fmt.Errorf("%w (%w)", cause, pe.Err)
		return pe
	}
	return fmt.Errorf("%w (%w)", cause, err)
}

// ensureRecords creates the bookkeeping table if needed and reads it: what
// commands that write rows (apply, stamp) do first.
func (r *Runner) ensureRecords(ctx context.Context) ([]Record, error) {
	l, err := r.table.ensure(ctx, r.conn)
	if err != nil {
		return nil, err
	}
	return r.table.load(ctx, r.conn, l)
}

// records loads the table, or nothing when it does not exist yet; it never
// creates or changes it.
func (r *Runner) records(ctx context.Context) ([]Record, error) {
	l, err := r.table.inspect(ctx, r.conn)
	if err != nil {
		return nil, err
	}
	return r.table.load(ctx, r.conn, l)
}

// Apply runs the pending migrations up to and including version to (0: all)
// in version order, each in its own transaction with its bookkeeping row.
// Every check (dirty state, changed or missing applied files, out-of-order
// versions, unreviewed markers) passes before the first file runs. A failure
// during the run is a *PartialError listing what completed.
func (r *Runner) Apply(ctx context.Context, to uint64) ([]Result, error) {
	return r.runLocked(ctx, "apply", r.ensureRecords, func(f *migfile.Folder, recs []Record) ([]Step, error) {
		return r.planUp(f, recs, to)
	})
}

// runLocked runs, under the migration lock, the steps plan picks from the
// folder and the records load reads, once the role is known to hold the
// privileges they need; op names the command in a privilege error. Apply
// and down share it so that both check, lock and report alike.
func (r *Runner) runLocked(ctx context.Context, op string, load func(context.Context) ([]Record, error),
	plan func(*migfile.Folder, []Record) ([]Step, error)) ([]Result, error) {
	f, err := r.folder()
	if err != nil {
		return nil, err
	}
	ctx, unlock, err := r.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	recs, err := load(ctx)
	if err != nil {
		return nil, err
	}
	steps, err := plan(f, recs)
	if err != nil {
		return nil, err
	}
	if err := r.table.checkPrivileges(ctx, r.conn, op, stepPrivileges(steps)...); err != nil {
		return nil, err
	}
	done, err := r.run(ctx, steps)
	return done, lostLock(ctx, err)
}

// Plan returns the steps Apply would run, after the same checks, without
// taking the lock or changing anything (not even creating the table).
func (r *Runner) Plan(ctx context.Context, to uint64) ([]Step, error) {
	f, err := r.folder()
	if err != nil {
		return nil, err
	}
	recs, err := r.records(ctx)
	if err != nil {
		return nil, err
	}
	return r.planUp(f, recs, to)
}

func (r *Runner) planUp(f *migfile.Folder, recs []Record, to uint64) ([]Step, error) {
	partial, recs, err := r.resumable(f, recs, Up)
	if err != nil {
		return nil, err
	}
	if err := dirtyError(recs); err != nil {
		return nil, err
	}
	if err := r.verifyApplied(f, recs); err != nil {
		return nil, err
	}
	applied := map[uint64]bool{}
	var top uint64
	for _, rec := range recs {
		applied[rec.Version] = true
		top = max(top, rec.Version)
	}
	if partial != nil && to != 0 && partial.Version > to {
		return nil, fmt.Errorf("%w: migration %06d is partly applied (%s); finish it with apply (without --to %06d) before going elsewhere",
			ErrDirty, partial.Version, partial.Failure, to)
	}
	if to != 0 {
		if _, ok := f.Find(to); !ok && !applied[to] {
			return nil, fmt.Errorf("%w: no migration %06d in the folder (latest is %06d)", ErrBadTarget, to, f.Latest())
		}
	}
	var pending []migfile.Migration
	var early []string
	for _, m := range f.Migrations {
		if applied[m.Version] || (to != 0 && m.Version > to) {
			continue
		}
		if m.Version < top && (partial == nil || m.Version != partial.Version) {
			early = append(early, fmt.Sprintf("%s is pending but %06d is already applied", m.Up, top))
		}
		pending = append(pending, m)
	}
	if len(early) > 0 && !r.opts.AllowOutOfOrder {
		return nil, &listError{sentinel: ErrOutOfOrder, head: "pending migrations are older than the database's version (two branches merged?):", items: early,
			advice: "Move them after the latest version: on the branch that added them, merge the branch this database follows and run ddlmig renumber (see ddlmig renumber --help); or apply them anyway with --allow-out-of-order."}
	}
	steps, err := r.steps(pending, Up)
	if err != nil {
		return nil, err
	}
	return resume(steps, partial)
}

// resumable takes out of recs the row of a batched file that an earlier
// run of direction dir left partway (dirty, with batches done), when its
// file is still there; it returns that row, and recs without it. The other
// checks then see the rest of the table as usual.
func (r *Runner) resumable(f *migfile.Folder, recs []Record, dir Direction) (*Record, []Record, error) {
	for i, rec := range recs {
		if !rec.Dirty || rec.Batch == 0 {
			continue
		}
		m, ok := f.Find(rec.Version)
		file := m.Up
		if dir == Down {
			file = m.Down
		}
		if !ok || rec.BatchFile != file {
			return nil, nil, partialError(rec)
		}
		if dir == Up {
			text, err := fs.ReadFile(r.fsys, m.Up)
			if err != nil {
				return nil, nil, err
			}
			if sum := prefixChecksum(string(text), rec.Batch); sum != rec.Checksum {
				edited := "those batches were edited since they ran; restore them, or undo them"
				if rec.Batch == 1 {
					edited = "that batch was edited since it ran; restore it, or undo it"
				}
				return nil, nil, fmt.Errorf("%w: %s is partly applied (%s), and %s by hand and run ddlmig stamp --force %06d",
					ErrChecksum, m.Up, firstBatches(rec.Batch, ""), edited, prevVersion(rec.Version))
			}
		}
		rest := append(append([]Record{}, recs[:i]...), recs[i+1:]...)
		return &recs[i], rest, nil
	}
	return nil, recs, nil
}

// resume marks the step of a partly done migration to start after its
// committed batches. The file must still have more batches than that.
func resume(steps []Step, partial *Record) ([]Step, error) {
	if partial == nil {
		return steps, nil
	}
	for i := range steps {
		if steps[i].Version != partial.Version {
			continue
		}
		if partial.Batch >= steps[i].Batches {
			return nil, fmt.Errorf("%w: %s has %s, but %s recorded as done; the file was changed. Resolve it by hand and run ddlmig stamp --force",
				ErrDirty, steps[i].File, nouns(steps[i].Batches, "batch"), firstBatches(partial.Batch, "is"))
		}
		steps[i].Resume = partial.Batch
	}
	return steps, nil
}

// partialError refuses to run past a batched migration that is partway in
// the other direction (or whose file is gone).
func partialError(rec Record) error {
	return fmt.Errorf("%w: migration %06d_%s is partly done (%s).\n"+
		"Finish it first (ddlmig apply resumes a partly applied migration, ddlmig down a partly rolled back one), or undo its batches by hand and run ddlmig stamp --force with the version the database is at.",
		ErrDirty, rec.Version, rec.Name, rec.Failure)
}

// steps reads the files to run and checks them all: unreviewed markers,
// and the file-level rules of migfile.Rules, which check enforces too.
func (r *Runner) steps(ms []migfile.Migration, dir Direction) ([]Step, error) {
	var unreviewed, bad []string
	var steps []Step
	for _, m := range ms {
		name := m.Up
		if dir == Down {
			name = m.Down
		}
		text, err := fs.ReadFile(r.fsys, name)
		if err != nil {
			return nil, err
		}
		st := Step{Version: m.Version, Name: m.Name, File: name, Direction: dir, SQL: string(text), NoTransaction: migfile.NoTransaction(text)}
		if dir == Up {
			st.Checksum = migfile.Checksum(text)
		}
		for _, mk := range migfile.Unreviewed(text) {
			unreviewed = append(unreviewed, fmt.Sprintf("%s:%d: %s", name, mk.Line, mk.Text))
		}
		for _, p := range migfile.Rules(name, text) {
			bad = append(bad, p.String())
		}
		if st.NoTransaction {
			st.stmts, _ = split(st.SQL) // Rules reported a failure
		}
		st.batches = splitBatches(st.SQL)
		st.Batches = len(st.batches)
		steps = append(steps, st)
	}
	if len(unreviewed) > 0 {
		return nil, &listError{sentinel: ErrUnreviewed, head: "migrations still carry unreviewed markers; nothing was run:", items: unreviewed,
			advice: "Review each marked statement, then change \"" + migfile.UnreviewedMarker + "\" to \"" + migfile.ReviewedMarker + "\" (or delete the line)."}
	}
	if len(bad) > 0 {
		return nil, &listError{sentinel: ErrUnsafeStatement, head: "migrations cannot run safely; nothing was run:", items: bad}
	}
	return steps, nil
}

// verifyApplied checks every recorded version against the folder.
func (r *Runner) verifyApplied(f *migfile.Folder, recs []Record) error {
	var reused, missing, changed []string
	for _, rec := range recs {
		m, ok := f.Find(rec.Version)
		if !ok {
			missing = append(missing, fmt.Sprintf("%06d_%s (applied %s) has no up file in the folder", rec.Version, rec.Name, rec.AppliedAt.Format(time.RFC3339)))
			continue
		}
		text, err := fs.ReadFile(r.fsys, m.Up)
		if err != nil {
			return err
		}
		sum := migfile.Checksum(text)
		switch {
		case sum == rec.Checksum:
		case reusedVersion(rec, m):
			reused = append(reused, reusedMessage(f, rec, m))
		default:
			changed = append(changed, fmt.Sprintf("%s changed after it was applied (sha256 %.12s… recorded, %.12s… now)", m.Up, rec.Checksum, sum))
		}
	}
	if len(reused) > 0 {
		return &listError{sentinel: ErrVersionReused, head: "applied version numbers now belong to other migrations; nothing was run:", items: reused}
	}
	if len(missing) > 0 {
		return &listError{sentinel: ErrMissingFile, head: "applied migrations are missing from the folder:", items: missing,
			advice: "Restore the files (for example from version control); if they were removed on purpose, run stamp --force with the version the database is really at."}
	}
	if len(changed) > 0 {
		return &listError{sentinel: ErrChecksum, head: "applied migrations were edited after they ran:", items: changed,
			advice: "Restore the applied text and put further changes in a new migration (ddlmig generate). If the edit is harmless (a comment), accept the current files with stamp --force VERSION."}
	}
	return nil
}

// reusedVersion reports whether the folder's migration m of rec's version
// is another migration than the one applied: its name differs from the
// recorded one, and so does its text (the caller checked). A file renamed
// with its text unchanged is the migration that ran.
func reusedVersion(rec Record, m migfile.Migration) bool {
	return rec.Name != m.Name
}

// reusedMessage says which migration ran under rec's version and which the
// folder has now, and where the applied one went if the folder still has it
// under another version.
func reusedMessage(f *migfile.Folder, rec Record, m migfile.Migration) string {
	s := fmt.Sprintf("version %06d was applied as %06d_%s; the folder now has %06d_%s: another branch reused the version number — renumber one of them",
		rec.Version, rec.Version, rec.Name, m.Version, m.Name)
	for _, o := range f.Migrations {
		if o.Name == rec.Name && o.Version != rec.Version {
			// Renumbered after a merge (ddlmig renumber): the applied
			// file's text is on the branch as it was before the merge.
			return s + fmt.Sprintf(" (%06d_%s is %06d_%s in the folder now: roll it back with the files it ran: git checkout HEAD^1 (this branch before the merge), ddlmig down --to %06d, git checkout -, then ddlmig apply)",
				rec.Version, rec.Name, o.Version, o.Name, rec.Version-1)
		}
	}
	// The other branch's migration, not merged here yet: merging it and
	// renumbering this branch's puts both in the folder, in order.
	return s + fmt.Sprintf(" (%06d_%s is another branch's: merge that branch and run ddlmig renumber, then ddlmig apply; or roll it back with the files it ran: check out that branch, ddlmig down --to %06d, check this one out again)",
		rec.Version, rec.Name, rec.Version-1)
}

func dirtyError(recs []Record) error {
	for _, rec := range recs {
		if rec.Dirty && rec.Batch > 0 {
			return partialError(rec)
		}
		if rec.Dirty {
			failure := rec.Failure
			if failure == "" {
				failure = "the run was interrupted before it finished"
			}
			return fmt.Errorf("%w: migration %06d_%s ran outside a transaction and did not finish (%s); apply and down refuse to continue.\n%s",
				ErrDirty, rec.Version, rec.Name, failure, dirtyAdvice(rec.Version))
		}
	}
	return nil
}

// run executes steps in order and stops at the first failure.
//
// Every commit is durable: the session's synchronous_commit is never off
// (begin sees to it), so when a step is reported done (EventDone, a Result)
// its migration and row survive a server crash. A commit waits for its WAL
// flush, which costs about a millisecond on a typical disk.
func (r *Runner) run(ctx context.Context, steps []Step) (done []Result, err error) {
	if len(steps) > 0 {
		r.openWatch(ctx)
		defer r.closeWatch()
	}
	for _, st := range steps {
		if err := ctx.Err(); err != nil {
			return done, &PartialError{Done: done, Err: fmt.Errorf("interrupted before %s: %w", st.File, err)}
		}
		r.emit(Event{Kind: EventStart, Step: st})
		start := time.Now()
		var err error
		if st.NoTransaction {
			err = r.runNoTx(ctx, st)
		} else {
			err = r.runTx(ctx, st)
		}
		if err != nil {
			return done, &PartialError{Done: done, Err: err}
		}
		res := Result{Version: st.Version, Name: st.Name, File: st.File, Direction: st.Direction, NoTransaction: st.NoTransaction, Took: time.Since(start)}
		r.emit(Event{Kind: EventDone, Step: st, Took: res.Took})
		done = append(done, res)
	}
	return done, nil
}

// Down rolls back the last n applied migrations, newest first, each by its
// down file in one transaction with the deletion of its row.
func (r *Runner) Down(ctx context.Context, n int) ([]Result, error) {
	return r.down(ctx, downSel{steps: n})
}

// DownTo rolls back every applied migration above version (0: all of them).
func (r *Runner) DownTo(ctx context.Context, version uint64) ([]Result, error) {
	return r.down(ctx, downSel{to: version, byVersion: true})
}

// PlanDown returns the steps Down(n) would run, changing nothing.
func (r *Runner) PlanDown(ctx context.Context, n int) ([]Step, error) {
	return r.planDownCtx(ctx, downSel{steps: n})
}

// PlanDownTo returns the steps DownTo(version) would run, changing nothing.
func (r *Runner) PlanDownTo(ctx context.Context, version uint64) ([]Step, error) {
	return r.planDownCtx(ctx, downSel{to: version, byVersion: true})
}

type downSel struct {
	steps     int
	to        uint64
	byVersion bool
}

func (r *Runner) planDownCtx(ctx context.Context, sel downSel) ([]Step, error) {
	f, err := r.folder()
	if err != nil {
		return nil, err
	}
	recs, err := r.records(ctx)
	if err != nil {
		return nil, err
	}
	return r.planDown(f, recs, sel)
}

func (r *Runner) down(ctx context.Context, sel downSel) ([]Result, error) {
	return r.runLocked(ctx, "down", r.records, func(f *migfile.Folder, recs []Record) ([]Step, error) {
		return r.planDown(f, recs, sel)
	})
}

func (r *Runner) planDown(f *migfile.Folder, recs []Record, sel downSel) ([]Step, error) {
	partial, rest, err := r.resumable(f, recs, Down)
	if err != nil {
		return nil, err
	}
	if err := dirtyError(rest); err != nil {
		return nil, err
	}
	// A partly rolled back migration stays in recs: it is the newest
	// row, so it is the first to be rolled back (resumed).
	if err := r.verifyApplied(f, recs); err != nil {
		return nil, err
	}
	if !sel.byVersion && sel.steps < 0 {
		return nil, fmt.Errorf("steps must not be negative (got %d)", sel.steps)
	}
	if sel.byVersion && sel.to != 0 {
		found := false
		for _, rec := range recs {
			found = found || rec.Version == sel.to
		}
		if !found {
			return nil, fmt.Errorf("%w: %06d is not applied, so the database cannot be rolled back to it", ErrBadTarget, sel.to)
		}
	}
	var ms []migfile.Migration
	var noDown []string
	for i := len(recs) - 1; i >= 0; i-- {
		rec := recs[i]
		if sel.byVersion && rec.Version <= sel.to || !sel.byVersion && len(ms)+len(noDown) >= sel.steps {
			break
		}
		m, _ := f.Find(rec.Version) // verifyApplied saw it
		if m.Down == "" {
			noDown = append(noDown, fmt.Sprintf("%s has no down file (%s)", m.Up, migfile.FileName(m.Version, m.Name, "down")))
			continue
		}
		ms = append(ms, m)
	}
	if len(noDown) > 0 {
		return nil, &listError{sentinel: ErrNoDownFile, head: "cannot roll back; nothing was run:", items: noDown}
	}
	steps, err := r.steps(ms, Down)
	if err != nil {
		return nil, err
	}
	return resume(steps, partial)
}

// History lists the migrations in the root of fsys with their messages; it
// needs no database.
func History(fsys fs.FS) ([]Entry, error) {
	f, err := migfile.Read(fsys)
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, m := range f.Migrations {
		text, err := fs.ReadFile(fsys, m.Up)
		if err != nil {
			return nil, err
		}
		out = append(out, Entry{
			Version: m.Version, Name: m.Name, File: m.Up, HasDown: m.Down != "",
			Message: message(text), NoTransaction: migfile.NoTransaction(text), Unreviewed: len(migfile.Unreviewed(text)),
		})
	}
	if err := f.Err(); err != nil {
		return out, fmt.Errorf("%w:\n%v", ErrBadFolder, err)
	}
	return out, nil
}

// Entry is one migration of the folder as History lists it.
type Entry struct {
	Version uint64
	Name    string
	File    string
	// Message is the "-- Message:" header generate writes, or "" if the
	// file has none.
	Message       string
	HasDown       bool
	NoTransaction bool
	Unreviewed    int // number of unreviewed markers
}

// recordsByVersion indexes records.
func recordsByVersion(recs []Record) map[uint64]Record {
	m := make(map[uint64]Record, len(recs))
	for _, r := range recs {
		m[r.Version] = r
	}
	return m
}
