package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ddlmig/ddlmig/fleet"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/runner"
)

// DBFlags are the flags of the commands that talk to the database.
type DBFlags struct {
	DatabaseURL      string        `name:"database-url" env:"DATABASE_URL" placeholder:"URL" help:"PostgreSQL connection URL or key=value string (libpq syntax). A password in it is never printed."`
	Table            string        `default:"ddlmig_migrations" placeholder:"[SCHEMA.]NAME" help:"Bookkeeping table (schema public unless qualified)."`
	LockTimeout      time.Duration `default:"60s" help:"How long to wait for another apply/down/stamp holding the migration lock (the wait for table locks is --statement-lock-timeout)."`
	StatementTimeout time.Duration `help:"statement_timeout for every statement (0: the server's setting)."`
	LockMode         string        `default:"advisory" enum:"advisory,table" env:"DDLMIG_LOCK_MODE" help:"How runs on one database are kept apart: a PostgreSQL advisory lock (advisory), or a row with owner and expiry in TABLE_lock next to the bookkeeping table (table), for engines without advisory locks such as CockroachDB."`
	LockTTL          time.Duration `default:"30s" name:"lock-ttl" help:"With --lock-mode table: how long the lock row lasts unless renewed (it is renewed every third of that while the run lasts; a killed run's row is taken over once expired)."`
}

// lockOptions sets the lock mode and TTL in o.
func (f *DBFlags) lockOptions(o runner.Options) runner.Options {
	o.LockMode, _ = runner.ParseLockMode(f.LockMode) // kong checked the enum
	o.LockTTL = f.LockTTL
	return o
}

// LockFlags are the lock discipline of the commands that run migrations.
type LockFlags struct {
	StatementLockTimeout time.Duration `default:"2s" env:"DDLMIG_STATEMENT_LOCK_TIMEOUT" help:"lock_timeout of every migration statement: one that waits longer for a table lock (and so queues the application's queries behind it) fails, and its migration is rolled back and retried (0: the server's setting)."`
	LockRetries          int           `default:"5" env:"DDLMIG_LOCK_RETRIES" placeholder:"N" help:"How many times a migration whose statement timed out on a lock is retried, after pauses of about 1s, 2s, 4s, ...; then it fails naming the session holding the lock (default 5; 0: no retry)."`
}

// options sets the lock discipline in o. The runner's zero values mean
// "the default"; the flags' 0 means "none".
func (l *LockFlags) options(o runner.Options) runner.Options {
	o.StatementLockTimeout, o.LockRetries = l.StatementLockTimeout, l.LockRetries
	if o.StatementLockTimeout <= 0 {
		o.StatementLockTimeout = -1
	}
	if o.LockRetries <= 0 {
		o.LockRetries = -1
	}
	return o
}

// version is a migration version on the command line. Written by hand as
// 000012 or 12; never octal, as kong's integer parsing would make 000012.
type version uint64

func (v *version) UnmarshalText(b []byte) error {
	s := string(b)
	if i := strings.IndexByte(s, '_'); i > 0 { // 000012_add_email
		s = s[:i]
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("bad version %q: want a number such as 000012", string(b))
	}
	*v = version(n)
	return nil
}

// session connects, builds the runner and arranges for Ctrl-C and SIGTERM
// to cancel the work: the statement running is cancelled on the server and
// its transaction rolled back. A second signal kills the process at once,
// which is also safe.
func (f *DBFlags) session(g *Globals, opts runner.Options) (context.Context, *runner.Runner, func(), error) {
	if f.DatabaseURL == "" {
		return nil, nil, nil, g.noDatabase()
	}
	if err := checkDir(g.Dir); err != nil {
		return nil, nil, nil, err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // restore default handling for a second signal
	}()
	conn, err := runner.Connect(ctx, f.DatabaseURL)
	if err != nil {
		stop()
		return nil, nil, nil, err
	}
	opts.Table = f.Table
	opts.LockTimeout = f.LockTimeout
	opts.StatementTimeout = f.StatementTimeout
	opts = f.lockOptions(opts)
	if opts.OnEvent == nil {
		opts.OnEvent = func(e runner.Event) {
			switch e.Kind {
			case runner.EventLockWait:
				fmt.Fprintf(g.Stderr, "waiting up to %s for the migration lock, held by another session (%s)\n", f.LockTimeout, e.Holder)
			case runner.EventLockTakeover:
				fmt.Fprintf(g.Stderr, "took over the migration lock: its row had expired (%s)\n", e.Holder)
			}
		}
	}
	r, err := runner.New(conn, os.DirFS(g.Dir), opts)
	if err != nil {
		conn.Close(context.Background())
		stop()
		return nil, nil, nil, &exitCodeError{exitUsage, err}
	}
	return ctx, r, func() {
		conn.Close(context.Background())
		stop()
	}, nil
}

// checkDir turns a missing folder into a message naming it (fs.FS errors
// name only ".").
func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &exitCodeError{exitUsage, fmt.Errorf("migrations folder %s does not exist: run ddlmig init, or pass --dir", dir)}
	case err != nil:
		return err
	case !fi.IsDir():
		return &exitCodeError{exitUsage, fmt.Errorf("%s is not a directory: --dir names the migrations folder", dir)}
	}
	return nil
}

// fail scrubs the password from an error before it is printed.
func (f *DBFlags) fail(err error) error {
	if err == nil {
		return nil
	}
	var ee *exitCodeError
	if errors.As(err, &ee) {
		return &exitCodeError{ee.code, runner.ScrubError(ee.err, f.DatabaseURL)}
	}
	return runner.ScrubError(err, f.DatabaseURL)
}

// progress prints each step as it runs, so that a long migration shows
// which file it is in, and what it waits for or how far it is (progress.go).
func progress(g *Globals, f *DBFlags) func(runner.Event) {
	return progressTTY(g, f, isTerminal(g.RawErr))
}

func progressTTY(g *Globals, f *DBFlags, tty bool) func(runner.Event) {
	p := &printer{g: g, tty: tty}
	return func(e runner.Event) {
		switch e.Kind {
		case runner.EventLockWait:
			fmt.Fprintf(g.Stderr, "waiting up to %s for the migration lock, held by another session (%s)\n", f.LockTimeout, e.Holder)
		case runner.EventLockTakeover:
			fmt.Fprintf(g.Stderr, "took over the migration lock: its row had expired (%s)\n", e.Holder)
		case runner.EventStart:
			verb := "applying"
			if e.Step.Direction == runner.Down {
				verb = "rolling back"
			}
			fmt.Fprintf(g.Stdout, "%s %s ... ", verb, e.Step.File)
			p.start()
		case runner.EventDone:
			p.done(e)
		case runner.EventStatementWait, runner.EventLockRetry, runner.EventProgress:
			p.event(e)
		case runner.EventBatch:
			if e.Batch == e.Step.Resume+1 {
				if e.Step.Resume > 0 {
					fmt.Fprintf(g.Stdout, "resuming at batch %d of %d ", e.Batch, e.Batches)
				} else {
					fmt.Fprintf(g.Stdout, "%s ", plural(e.Batches, "batch"))
				}
			}
		case runner.EventBatchDone:
			// One dot per batch committed (durably), not begun.
			fmt.Fprint(g.Stdout, ".")
		}
	}
}

// finish prints the outcome of a run; the steps already printed themselves.
func finish(g *Globals, err error) {
	var pe *runner.PartialError
	if errors.As(err, &pe) {
		fmt.Fprintln(g.Stdout, "FAILED")
	}
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// ApplyCmd is `ddlmig apply`.
type ApplyCmd struct {
	DBFlags   `embed:""`
	LockFlags `embed:""`
	// To is a pointer so that an explicit --to 0 applies nothing rather
	// than everything (the runner's 0 means "all").
	To              *version `placeholder:"VERSION" help:"Apply up to and including this version (default: all; 0 applies nothing)."`
	DryRun          bool     `help:"Print the SQL that would run, after all checks; change nothing."`
	AllowOutOfOrder bool     `help:"Also apply pending migrations numbered below the database's version (after merging branches)."`
	CheckDrift      bool     `help:"First compare the database with the fold of its applied migrations (as ddlmig drift does); refuse, listing the drift, with drift's exit code 1 when they differ."`
	FleetFlags      `embed:""`
	Format          string `help:"With --targets: output format, text or json (one entry per target)." enum:"text,json" default:"text"`
}

func (c *ApplyCmd) Help() string {
	return `Each migration runs in its own transaction together with its row in the bookkeeping
table, so a failing or interrupted migration leaves nothing behind; the error names the
file and line. Nothing runs unless every check passes first: applied files unchanged and
present, no pending version below the database's, no "-- ddlmig:unreviewed" markers.

A file whose first line is "-- ddlmig:no-transaction" runs statement by statement
instead (for CREATE INDEX CONCURRENTLY and the like). If it fails midway the database is
marked dirty and apply refuses to run until it is resolved: see ddlmig stamp --help.

No statement waits longer than --statement-lock-timeout for a table lock (so the
application's queries never queue behind it): a migration that times out is rolled back
and retried up to --lock-retries times, then apply fails naming the session holding the
lock. Index builds and validations show their progress on stderr.`
}

func (c *ApplyCmd) Run(g *Globals) error {
	return c.fail(c.run(g))
}

func (c *ApplyCmd) run(g *Globals) error {
	var to uint64 // 0: all
	if c.To != nil {
		if *c.To == 0 {
			// Asked for nothing: do nothing, not even connect.
			fmt.Fprintln(g.Stdout, "--to 0: nothing applied")
			return nil
		}
		to = uint64(*c.To)
	}
	if c.fleet() {
		opts := c.fleetOptions(c.options(runner.Options{AllowOutOfOrder: c.AllowOutOfOrder}))
		job := fleet.Apply(os.DirFS(g.Dir), opts, to)
		if c.DryRun {
			job = fleet.DryRun(os.DirFS(g.Dir), opts, to, false)
		}
		if c.CheckDrift {
			var err error
			if job, err = checkDriftFirst(g, &c.FleetFlags, c.Table, job); err != nil {
				return err
			}
		}
		return c.runFleet(g, c.DatabaseURL, job, c.Format)
	}
	if c.CheckDrift {
		if c.DatabaseURL == "" {
			return g.noDatabase()
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := checkDrift(ctx, g, c.DatabaseURL, c.Table)
		stop()
		if err != nil {
			return err
		}
	}
	ctx, r, done, err := c.session(g, c.options(runner.Options{AllowOutOfOrder: c.AllowOutOfOrder, OnEvent: progress(g, &c.DBFlags)}))
	if err != nil {
		return err
	}
	defer done()
	if c.DryRun {
		steps, err := r.Plan(ctx, to)
		if err != nil {
			return err
		}
		printPlan(g.Raw, r, steps, "applied")
		if len(steps) == 0 {
			past, err := pastTarget(ctx, r, to)
			if err != nil {
				return err
			}
			if past != "" {
				fmt.Fprintf(g.Stdout, "-- %s\n", past)
			}
		}
		return nil
	}
	res, err := r.Apply(ctx, to)
	finish(g, err)
	if err != nil {
		return err
	}
	if len(res) == 0 {
		past, err := pastTarget(ctx, r, to)
		switch {
		case err != nil:
			return err
		case past != "":
			fmt.Fprintf(g.Stdout, "nothing to apply: %s\n", past)
		default:
			fmt.Fprintln(g.Stdout, "nothing to apply: the database is up to date")
		}
		return nil
	}
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "applied %s; the database is at version %06d\n", plural(len(res), "migration"), st.Version)
	return nil
}

// pastTarget says, when apply --to VERSION found nothing to do because the
// database is already above VERSION, where it is and how to go back; it
// returns "" otherwise.
func pastTarget(ctx context.Context, r *runner.Runner, to uint64) (string, error) {
	if to == 0 {
		return "", nil
	}
	st, err := r.Status(ctx)
	if err != nil || st.Version <= to {
		return "", err
	}
	return fmt.Sprintf("the database is already at version %06d, past %06d; to go back to %06d, run ddlmig down --to %06d", st.Version, to, to, to), nil
}

func printPlan(w io.Writer, r *runner.Runner, steps []runner.Step, verb string) {
	fmt.Fprintf(w, "-- dry run: %s would be %s (table %s); nothing was changed\n", plural(len(steps), "migration"), verb, r.Table())
	for _, s := range steps {
		tx := ""
		if s.NoTransaction {
			tx = " (no transaction)"
		}
		fmt.Fprintf(w, "\n-- %s%s\n%s", s.File, tx, s.SQL)
		if !strings.HasSuffix(s.SQL, "\n") {
			fmt.Fprintln(w)
		}
	}
}

// DownCmd is `ddlmig down`.
type DownCmd struct {
	DBFlags   `embed:""`
	LockFlags `embed:""`
	// Steps is a pointer so that an explicit --steps 0 (a deploy script
	// that computed nothing to undo) is told from the flag left out.
	Steps      *int     `placeholder:"N" help:"Roll back the last N applied migrations (default 1; 0 rolls back nothing)."`
	To         *version `placeholder:"VERSION" help:"Roll back every migration above VERSION; --to 0 rolls back all of them."`
	DryRun     bool     `help:"Print the SQL that would run, after all checks; change nothing."`
	Yes        bool     `help:"Run a down file that drops data (-- ddlmig:down-hazard lines) without asking; without a terminal, down refuses such a file unless given --yes."`
	FleetFlags `embed:""`
	Format     string `help:"With a fleet: output format, text or json (one entry per target)." enum:"text,json" default:"text"`
}

func (c *DownCmd) Run(g *Globals) error {
	return c.fail(c.run(g))
}

func (c *DownCmd) run(g *Globals) error {
	if c.Steps != nil && c.To != nil {
		return &exitCodeError{exitUsage, errors.New("down: give --steps or --to, not both")}
	}
	if c.fleet() {
		return c.downFleet(g)
	}
	n := 1
	if c.Steps != nil {
		n = *c.Steps
	}
	if n < 0 {
		return &exitCodeError{exitUsage, errors.New("down: --steps must not be negative")}
	}
	if c.Steps != nil && n == 0 {
		// Asked for nothing: do nothing, not even connect, so that a
		// dirty database or a folder problem does not fail a no-op.
		fmt.Fprintln(g.Stdout, "--steps 0: nothing rolled back")
		return nil
	}
	ctx, r, done, err := c.session(g, c.options(runner.Options{OnEvent: progress(g, &c.DBFlags)}))
	if err != nil {
		return err
	}
	defer done()
	if c.DryRun {
		var steps []runner.Step
		if c.To != nil {
			steps, err = r.PlanDownTo(ctx, uint64(*c.To))
		} else {
			steps, err = r.PlanDown(ctx, n)
		}
		if err != nil {
			return err
		}
		printPlan(g.Raw, r, steps, "rolled back")
		if c.To == nil && len(steps) < n {
			fmt.Fprintf(g.Stdout, "-- %s\n", fewerApplied(n, len(steps)))
		}
		return nil
	}
	var steps []runner.Step
	if c.To != nil {
		steps, err = r.PlanDownTo(ctx, uint64(*c.To))
	} else {
		steps, err = r.PlanDown(ctx, n)
	}
	if err != nil {
		return err
	}
	if err := c.confirmDrops(g, steps); err != nil {
		return err
	}
	var res []runner.Result
	if c.To != nil {
		res, err = r.DownTo(ctx, uint64(*c.To))
	} else {
		res, err = r.Down(ctx, n)
	}
	finish(g, err)
	if err != nil {
		return err
	}
	if len(res) == 0 {
		if c.To == nil {
			fmt.Fprintln(g.Stdout, "nothing to roll back: no migration is applied")
		} else {
			fmt.Fprintln(g.Stdout, "nothing to roll back")
		}
		return nil
	}
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "rolled back %s; the database is at version %06d\n", plural(len(res), "migration"), st.Version)
	if c.To == nil && len(res) < n {
		fmt.Fprintln(g.Stdout, fewerApplied(n, len(res)))
	}
	return nil
}

// confirmDrops lists what the down files about to run drop (their
// -- ddlmig:down-hazard lines) and asks before running them: on a
// terminal with a [y/N] question; without one, it refuses unless --yes.
// Files without such lines run without a question.
func (c *DownCmd) confirmDrops(g *Globals, steps []runner.Step) error {
	var lines []string
	for _, s := range steps {
		for _, mk := range migfile.DownHazards([]byte(s.SQL)) {
			lines = append(lines, fmt.Sprintf("%s:%d: %s", filepath.Join(g.Dir, s.File), mk.Line, mk.Text))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	fmt.Fprintf(g.Stderr, "rolling back %s runs %s (-- ddlmig:down-hazard lines):\n", plural(len(steps), "migration"), plural(len(lines), "hazardous statement"))
	for _, l := range lines {
		fmt.Fprintf(g.Stderr, "  %s\n", migfile.Escape(l))
	}
	switch {
	case c.Yes:
		return nil
	case !stdinIsTerminal(g.Stdin):
		return errors.New("down refused: its files drop data or may fail as listed above, and there is no terminal to ask; rerun with --yes to confirm, or with --dry-run to see the SQL")
	case confirm(g, "Roll back anyway? [y/N] "):
		return nil
	}
	return errors.New("down cancelled; nothing was rolled back")
}

// fewerApplied says that down --steps N rolled back (or would roll back)
// fewer migrations than asked, because only that many were applied.
func fewerApplied(asked, applied int) string {
	were := "were"
	if applied == 1 {
		were = "was"
	}
	return fmt.Sprintf("note: --steps %d, but only %d %s applied", asked, applied, were)
}

// StatusCmd is `ddlmig status`.
type StatusCmd struct {
	DBFlags    `embed:""`
	ExitCode   bool   `help:"Exit with status 3 when migrations are pending or running, 1 when the database is dirty or applied files changed (for deploy scripts)."`
	Format     string `help:"Output format: text or json (see Machine-readable output in the README)." enum:"text,json" default:"text"`
	FleetFlags `embed:""`
}

func (c *StatusCmd) Run(g *Globals) error {
	return c.fail(c.run(g))
}

func (c *StatusCmd) run(g *Globals) error {
	if c.fleet() {
		doc, err := c.runFleetDoc(g, c.DatabaseURL, fleet.Status(os.DirFS(g.Dir), c.fleetOptions(runner.Options{})), c.Format)
		if err == nil && c.ExitCode {
			for _, r := range doc.Targets {
				if r.Pending > 0 {
					return &exitCodeError{code: exitPending}
				}
			}
		}
		return err
	}
	ctx, r, done, err := c.session(g, runner.Options{})
	if err != nil {
		return err
	}
	defer done()
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	pending, running := st.Pending(), st.Running()
	if c.Format == "json" {
		if err := writeJSON(g, statusDocument(st)); err != nil {
			return err
		}
		return c.exitCode(st)
	}
	counts := fmt.Sprintf("%d pending", pending)
	if running > 0 {
		counts += fmt.Sprintf(", %d running", running)
	}
	if !st.TableExists {
		fmt.Fprintf(g.Stdout, "table %s does not exist: no migration applied yet; %s\n", st.Table, counts)
	} else {
		fmt.Fprintf(g.Stdout, "table %s: version %06d; %s\n", st.Table, st.Version, counts)
	}
	if st.HeldBy != 0 {
		fmt.Fprintf(g.Stdout, "a run holds the migration lock (server pid %d): an apply, down or stamp is at work, and this may change as it goes\n", st.HeldBy)
	}
	if len(st.Migrations) > 0 {
		tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT\tDURATION")
		for _, m := range st.Migrations {
			state, at, took := m.State.String(), "", ""
			if m.OutOfOrder {
				state += " (out of order)"
			}
			if !m.AppliedAt.IsZero() {
				at = m.AppliedAt.Local().Format("2006-01-02 15:04:05 MST")
				took = round(m.Took).String()
				if m.Stamped {
					took = "stamped"
				}
			}
			switch m.State {
			case runner.StateDirty:
				took = "-"
			case runner.StatePartial:
				state = fmt.Sprintf("%s (%s)", state, plural(m.Batch, "batch"))
			case runner.StateRunning:
				took = "-"
				state = fmt.Sprintf("%s (held by pid %d)", state, st.HeldBy)
				if m.Batch > 0 {
					state = fmt.Sprintf("running (%s done, held by pid %d)", plural(m.Batch, "batch"), st.HeldBy)
				}
				if m.Wait != nil {
					state += ", waiting for a lock"
				}
			case runner.StateReused:
				state = fmt.Sprintf("%s (applied as %06d_%s)", state, m.Version, m.AppliedName)
			}
			fmt.Fprintf(tw, "%06d\t%s\t%s\t%s\t%s\n", m.Version, m.Name, state, at, took)
		}
		tw.Flush()
	}
	for _, p := range st.Problems {
		fmt.Fprintf(g.Stdout, "folder problem: %s\n", p)
	}
	printWait(g, st)
	for _, m := range st.Migrations {
		switch m.State {
		case runner.StateDirty:
			fmt.Fprintf(g.Stdout, "\n%06d_%s is DIRTY: %s\nResolve it by hand, then run ddlmig stamp --force %06d (finished) or %06d (undone); see ddlmig stamp --help.\n",
				m.Version, m.Name, m.Failure, m.Version, m.Version-1)
		case runner.StatePartial:
			fmt.Fprintf(g.Stdout, "\n%06d_%s is PARTLY DONE: %s\n", m.Version, m.Name, m.Failure)
		case runner.StateReused:
			fmt.Fprintf(g.Stdout, "\n%s; apply and down refuse to run until then.\n", upperFirst(m.Message))
		}
	}
	return c.exitCode(st)
}

// printWait says what lock the run holding the migration lock waits for,
// and who holds it: under the migration it is running, or for the run.
func printWait(g *Globals, st *runner.Status) {
	if st.Wait == nil {
		return
	}
	for _, m := range st.Migrations {
		if m.Wait != nil {
			fmt.Fprintf(g.Stdout, "\n%06d_%s (server pid %d) is %s\n", m.Version, m.Name, m.Wait.PID, m.Wait)
			return
		}
	}
	fmt.Fprintf(g.Stdout, "\nthe run (server pid %d) is %s\n", st.Wait.PID, st.Wait)
}

// exitCode is the error that --exit-code makes of st, nil without it.
func (c *StatusCmd) exitCode(st *runner.Status) error {
	if !c.ExitCode {
		return nil
	}
	if needsAttention(st) {
		return &exitCodeError{exitNo, errors.New("status: the database or the folder needs attention (dirty, applied files changed or missing, reused version numbers, or folder problems)")}
	}
	if st.Pending() > 0 || st.Running() > 0 {
		return &exitCodeError{code: exitPending}
	}
	return nil
}

// needsAttention reports whether a person must act before apply or down
// runs: the folder is malformed, or a migration is dirty, partly done,
// reused, changed or missing.
func needsAttention(st *runner.Status) bool {
	if len(st.Problems) > 0 {
		return true
	}
	for _, m := range st.Migrations {
		switch m.State {
		case runner.StateDirty, runner.StatePartial, runner.StateReused, runner.StateChanged, runner.StateMissing:
			return true
		}
	}
	return false
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// HistoryCmd is `ddlmig history`.
type HistoryCmd struct {
	Format string `help:"Output format: text or json (see Machine-readable output in the README)." enum:"text,json" default:"text"`
}

func (c *HistoryCmd) Run(g *Globals) error {
	if err := checkDir(g.Dir); err != nil {
		return err
	}
	entries, err := runner.History(os.DirFS(g.Dir))
	if c.Format == "json" {
		if werr := writeJSON(g, historyDocument(g.Dir, entries)); werr != nil {
			return werr
		}
		return err
	}
	if len(entries) == 0 && err == nil {
		fmt.Fprintf(g.Stdout, "no migrations in %s\n", g.Dir)
		return nil
	}
	tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tMESSAGE\tNOTES")
	for _, e := range entries {
		msg := e.Message
		if msg == "" {
			msg = strings.ReplaceAll(e.Name, "_", " ")
		}
		var notes []string
		if e.NoTransaction {
			notes = append(notes, "no transaction")
		}
		if e.Unreviewed > 0 {
			notes = append(notes, fmt.Sprintf("%d unreviewed", e.Unreviewed))
		}
		if !e.HasDown {
			notes = append(notes, "no down file")
		}
		fmt.Fprintf(tw, "%06d\t%s\t%s\n", e.Version, msg, strings.Join(notes, ", "))
	}
	tw.Flush()
	return err
}

// StampCmd is `ddlmig stamp`.
type StampCmd struct {
	DBFlags `embed:""`
	Version version `arg:"" help:"Mark the folder's migrations up to this version as applied (0: none)."`
	Force   bool    `help:"Make the table say exactly \"migrations up to VERSION are applied, as the files are now\": clears a dirty state, forgets versions above VERSION without running down files, and re-records changed checksums, without comparing the database's schema with the migrations. The way out of a failed no-transaction migration: fix the database by hand, then stamp --force N if you finished migration N, or N-1 if you undid it."`
}

func (c *StampCmd) Help() string {
	return `Stamp records migrations as applied without running them, to adopt a database whose
schema already matches the folder (as flask db stamp does). Without --force it only adds
rows, refuses a dirty database, and first compares the database's schema with what the
migrations up to VERSION fold to (read from the catalogs, as drift does): a difference is
refused, listing the changes, unless --force.

Recovering from a dirty state: a migration marked "-- ddlmig:no-transaction" runs
statement by statement; if one fails (or the process is killed) the database is marked
dirty and apply refuses to run. Look at "ddlmig status", finish or undo the migration's
statements by hand, then run "ddlmig stamp --force N" (finished) or
"ddlmig stamp --force N-1" (undone), and apply again.`
}

func (c *StampCmd) Run(g *Globals) error {
	return c.fail(c.run(g))
}

func (c *StampCmd) run(g *Globals) error {
	ctx, r, done, err := c.session(g, runner.Options{})
	if err != nil {
		return err
	}
	defer done()
	if !c.Force {
		if err := c.checkCatalog(ctx, g, r); err != nil {
			return err
		}
	}
	res, err := r.Stamp(ctx, uint64(c.Version), c.Force)
	if err != nil {
		return err
	}
	list := func(vs []uint64) string {
		s := make([]string, len(vs))
		for i, v := range vs {
			s[i] = fmt.Sprintf("%06d", v)
		}
		return strings.Join(s, ", ")
	}
	changed := false
	for _, l := range []struct {
		what string
		vs   []uint64
	}{{"marked applied", res.Added}, {"forgotten", res.Removed}, {"dirty state cleared", res.Cleared}, {"checksum re-recorded", res.Updated}} {
		if len(l.vs) > 0 {
			changed = true
			fmt.Fprintf(g.Stdout, "%s: %s\n", l.what, list(l.vs))
		}
	}
	if !changed {
		fmt.Fprintln(g.Stdout, "nothing to stamp")
	}
	fmt.Fprintf(g.Stdout, "the database is recorded at version %06d\n", c.Version)
	return nil
}
