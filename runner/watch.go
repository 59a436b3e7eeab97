package runner

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// While a migration statement runs, its session cannot be asked what it is
// waiting for; a second connection of the same run can. The watcher polls
// pg_stat_activity for the runner's session: when it waits for a lock, who
// holds it (pg_blocking_pids), so that a lock timeout names the blocker;
// and the progress of an index build (pg_stat_progress_create_index).

const defaultPollInterval = 500 * time.Millisecond

// Session is a server session as pg_stat_activity shows it.
type Session struct {
	PID         int32
	Application string
	User        string
	// State is "active", "idle in transaction" and so on; "" when the
	// session is not in pg_stat_activity (a prepared transaction).
	State      string
	XactStart  time.Time // zero outside a transaction
	QueryStart time.Time // zero when unknown
	// Query is the first line of the session's current or last query,
	// at most queryChars characters, with passwords in it hidden.
	Query string
}

// LockWait is a session waiting for a lock, and the session it waits for.
type LockWait struct {
	PID int32 // the waiting session
	// Object is what the lock is on: `table "public.t"`, `index "i"`,
	// "a row of table t", or "the end of another transaction".
	Object string
	Mode   string // the mode asked for, such as AccessExclusiveLock
	// Blocker is the first session in its way; Others counts the rest.
	Blocker Session
	Others  int
}

func (w *LockWait) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "waiting for a lock on %s (%s) held by pid %d", w.Object, w.Mode, w.Blocker.PID)
	if w.Others > 0 {
		fmt.Fprintf(&b, " and %s", nouns(w.Others, "more session"))
	}
	b.WriteString(" (" + w.Blocker.describe() + ")")
	if w.Blocker.Query != "" {
		fmt.Fprintf(&b, ": %q", w.Blocker.Query)
	}
	return b.String()
}

// describe says who a session is and since when it holds what it holds.
func (s Session) describe() string {
	if s.State == "" {
		return "not a client session: a prepared transaction, or one that just ended"
	}
	parts := []string{fmt.Sprintf("application %q", s.Application)}
	if s.User != "" {
		parts = append(parts, fmt.Sprintf("user %q", s.User))
	}
	parts = append(parts, s.State)
	if !s.XactStart.IsZero() {
		parts = append(parts, "transaction started "+stamp(s.XactStart))
	}
	if !s.QueryStart.IsZero() {
		parts = append(parts, "query started "+stamp(s.QueryStart))
	}
	return strings.Join(parts, ", ")
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// Progress is how far a long statement has come, from
// pg_stat_progress_create_index for an index build; a validation
// (VALIDATE CONSTRAINT) reports no more than its running time.
type Progress struct {
	Command string // "CREATE INDEX CONCURRENTLY", "VALIDATE CONSTRAINT", ...
	Index   string // for an index build
	Table   string
	Phase   string
	// Work done and to do in the phase, in blocks and in tuples; zero
	// when the phase does not count them.
	BlocksDone, BlocksTotal, TuplesDone, TuplesTotal int64
	Elapsed                                          time.Duration
}

// Title is the statement and its phase, without the counts: what changes
// only from one phase to the next.
func (p *Progress) Title() string {
	var b strings.Builder
	b.WriteString(p.Command)
	if p.Index != "" {
		b.WriteString(" " + p.Index)
	}
	if p.Table != "" {
		b.WriteString(" on " + p.Table)
	}
	if p.Phase != "" {
		b.WriteString(": " + p.Phase)
	}
	return b.String()
}

// String is Title with the work done in the phase and the time taken.
func (p *Progress) String() string {
	var b strings.Builder
	b.WriteString(p.Title())
	switch {
	case p.BlocksTotal > 0:
		fmt.Fprintf(&b, " %d%% (%d of %d blocks)", 100*p.BlocksDone/p.BlocksTotal, p.BlocksDone, p.BlocksTotal)
	case p.TuplesTotal > 0:
		fmt.Fprintf(&b, " %d%% (%d of %d tuples)", 100*p.TuplesDone/p.TuplesTotal, p.TuplesDone, p.TuplesTotal)
	}
	fmt.Fprintf(&b, ", %s", round(p.Elapsed))
	return b.String()
}

// openWatch opens the watcher's connection, with the runner's settings
// and its own application_name. Without one (no connection slot left, say)
// the run goes on and a lock timeout names no blocker.
func (r *Runner) openWatch(ctx context.Context) {
	if r.opts.PollInterval < 0 || r.mon != nil {
		return
	}
	cfg := r.conn.Config().Copy()
	app := cfg.RuntimeParams["application_name"]
	if app == "" {
		app = "ddlmig"
	}
	cfg.RuntimeParams["application_name"] = app + " (watch)"
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(c, cfg)
	if err != nil {
		return
	}
	// The watcher's queries are quick; a stuck one must not hold it up.
	if _, err := conn.Exec(c, `SET statement_timeout = 5000; SET lock_timeout = 1000`); err != nil {
		conn.Close(context.Background())
		return
	}
	r.mon = conn
}

// closeWatch closes the watcher's connection.
func (r *Runner) closeWatch() {
	if r.mon != nil {
		r.mon.Close(context.Background())
		r.mon = nil
	}
}

// watcher polls while one statement (or one transaction) runs.
type watcher struct {
	r     *Runner
	st    Step
	pid   uint32
	start time.Time
	// validate: text holds VALIDATE CONSTRAINT, whose running time is
	// worth reporting.
	validate bool
	quit     chan struct{}
	done     chan struct{}
	// Written by the polling goroutine, read after done is closed.
	wait  *LockWait
	shown int32 // the blocker last reported by EventStatementWait
}

var validateRE = regexp.MustCompile(`(?i)\bVALIDATE\s+CONSTRAINT\b`)

// watch starts polling the runner's session while text of st runs; stop
// ends it. It does nothing without a watcher connection.
func (r *Runner) watch(ctx context.Context, st Step, text string) *watcher {
	if r.mon == nil {
		return nil
	}
	w := &watcher{r: r, st: st, pid: r.conn.PgConn().PID(), start: time.Now(), validate: validateRE.MatchString(text),
		quit: make(chan struct{}), done: make(chan struct{})}
	go w.loop(ctx)
	return w
}

// stop ends the polling and returns the last lock wait seen, nil if none.
// A poll in flight finishes first: the connection is never left mid-query.
func (w *watcher) stop() *LockWait {
	if w == nil {
		return nil
	}
	close(w.quit)
	<-w.done
	return w.wait
}

func (w *watcher) loop(ctx context.Context) {
	defer close(w.done)
	t := time.NewTicker(w.r.pollInterval())
	defer t.Stop()
	for {
		select {
		case <-w.quit:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := w.poll(ctx); err != nil {
			return // the watcher is a help, never a reason to fail
		}
	}
}

// pollInterval is Options.PollInterval or, by default, often enough to see
// a lock wait a few times before the statement lock timeout ends it.
func (r *Runner) pollInterval() time.Duration {
	if r.opts.PollInterval > 0 {
		return r.opts.PollInterval
	}
	if d := r.statementLockTimeout() / 4; d > 0 {
		return min(defaultPollInterval, max(d, 10*time.Millisecond))
	}
	return defaultPollInterval
}

// pollSQL reads the session's wait and its index build's progress in one
// round trip. pg_blocking_pids is only called for a session waiting for a
// lock: it takes the lock manager's locks, which is not free. An index or
// table the migration's transaction created is not visible here yet: it is
// named "" rather than by its number.
const pollSQL = `SELECT coalesce(a.wait_event_type, ''),
	CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END,
	coalesce(p.command, ''), coalesce(p.phase, ''),
	coalesce((SELECT c.oid::regclass::text FROM pg_class c WHERE c.oid = p.index_relid), ''),
	coalesce((SELECT c.oid::regclass::text FROM pg_class c WHERE c.oid = p.relid), ''),
	coalesce(p.blocks_done, 0), coalesce(p.blocks_total, 0), coalesce(p.tuples_done, 0), coalesce(p.tuples_total, 0)
FROM pg_stat_activity a LEFT JOIN pg_stat_progress_create_index p ON p.pid = a.pid
WHERE a.pid = $1`

func (w *watcher) poll(ctx context.Context) error {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var waitType string
	var blockers []int32
	var p Progress
	err := w.r.mon.QueryRow(c, pollSQL, int32(w.pid)).Scan(&waitType, &blockers, &p.Command, &p.Phase, &p.Index, &p.Table,
		&p.BlocksDone, &p.BlocksTotal, &p.TuplesDone, &p.TuplesTotal)
	if err != nil {
		return err
	}
	if len(blockers) > 0 {
		lw, err := lockWait(c, w.r.mon, int32(w.pid), blockers)
		if err != nil {
			return err
		}
		if lw != nil {
			w.wait = lw
			if lw.Blocker.PID != w.shown {
				w.shown = lw.Blocker.PID
				w.r.emit(Event{Kind: EventStatementWait, Step: w.st, Wait: lw})
			}
			return nil
		}
	}
	switch {
	case p.Command != "":
	case w.validate && waitType != "Lock":
		p.Command, p.Phase = "VALIDATE CONSTRAINT", "checking the rows"
	default:
		return nil
	}
	p.Elapsed = time.Since(w.start)
	w.r.emit(Event{Kind: EventProgress, Step: w.st, Progress: &p})
	return nil
}

// lockWaitSQL describes what session $1 waits for and the session $2 in
// its way. The waiting lock is the session's one ungranted pg_locks row.
const lockWaitSQL = `SELECT w.locktype, w.mode,
	coalesce(CASE c.relkind WHEN 'i' THEN 'index ' WHEN 'I' THEN 'index ' WHEN 'S' THEN 'sequence ' WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' ELSE 'table ' END
		|| format('%s', w.relation::regclass), ''),
	coalesce(b.application_name, ''), coalesce(b.usename::text, ''), coalesce(b.state, ''), b.xact_start, b.query_start, coalesce(b.query, '')
FROM (SELECT * FROM pg_locks WHERE pid = $1 AND NOT granted LIMIT 1) w
LEFT JOIN pg_class c ON c.oid = w.relation
LEFT JOIN pg_stat_activity b ON b.pid = $2`

// lockWait describes the lock session pid waits for and blockers[0], the
// first session pg_blocking_pids names; nil when it no longer waits.
func lockWait(ctx context.Context, conn *pgx.Conn, pid int32, blockers []int32) (*LockWait, error) {
	lw := &LockWait{PID: pid, Blocker: Session{PID: blockers[0]}, Others: len(blockers) - 1}
	var locktype, rel string
	var xact, qstart *time.Time
	err := conn.QueryRow(ctx, lockWaitSQL, pid, blockers[0]).Scan(&locktype, &lw.Mode, &rel,
		&lw.Blocker.Application, &lw.Blocker.User, &lw.Blocker.State, &xact, &qstart, &lw.Blocker.Query)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if xact != nil {
		lw.Blocker.XactStart = *xact
	}
	if qstart != nil {
		lw.Blocker.QueryStart = *qstart
	}
	lw.Blocker.Query = firstLine(lw.Blocker.Query)
	switch locktype {
	case "relation":
		lw.Object = rel
	case "tuple":
		lw.Object = "a row of " + rel
	case "transactionid", "virtualxid":
		lw.Object = "the end of another transaction"
	default:
		lw.Object = "a " + locktype + " object"
	}
	return lw, nil
}

// queryChars bounds the query text quoted in messages.
const queryChars = 200

// firstLine shortens a session's query for a message: its first line that
// is not blank, at most queryChars characters, passwords hidden.
func firstLine(q string) string {
	q = hidePasswords(q)
	for _, l := range strings.Split(q, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if r := []rune(l); len(r) > queryChars {
				l = string(r[:queryChars]) + "…"
			}
			return l
		}
	}
	return ""
}

// Passwords a session's query may hold: CREATE/ALTER ROLE ... PASSWORD
// 'x', and password=x in a connection string (dblink, CREATE SERVER ...
// OPTIONS, CREATE SUBSCRIPTION).
var (
	rolePasswordRE = regexp.MustCompile(`(?i)(\bpassword\s+)(?:E?'(?:[^']|'')*'?|\$[^$]*\$)`)
	connPasswordRE = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)(?:'(?:[^'\\]|\\.)*'?|[^\s']+)`)
	optPasswordRE  = regexp.MustCompile(`(?i)(\bpassword\s+)'(?:[^']|'')*'?`)
)

func hidePasswords(q string) string {
	q = rolePasswordRE.ReplaceAllString(q, "${1}'xxxxx'")
	q = connPasswordRE.ReplaceAllString(q, "${1}xxxxx")
	return optPasswordRE.ReplaceAllString(q, "${1}'xxxxx'")
}

// holderActivity is what the session holding the migration lock is doing,
// for status: the migration file it runs (from the tag its transactions
// start with), and the lock it waits for, if any.
func holderActivity(ctx context.Context, conn *pgx.Conn, pid int32) (file string, wait *LockWait, err error) {
	var query string
	var blockers []int32
	// An idle session's query is its last one, already done.
	err = conn.QueryRow(ctx, `SELECT CASE WHEN state <> 'idle' THEN coalesce(query, '') ELSE '' END,
	CASE WHEN wait_event_type = 'Lock' THEN pg_blocking_pids(pid) END
FROM pg_stat_activity WHERE pid = $1`, pid).Scan(&query, &blockers)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("looking at the session holding the migration lock: %w", err)
	}
	if m := tagRE.FindStringSubmatch(query); m != nil {
		file = m[1]
	}
	if len(blockers) > 0 {
		wait, err = lockWait(ctx, conn, pid, blockers)
		if err != nil {
			return "", nil, fmt.Errorf("looking at the lock the migration waits for: %w", err)
		}
	}
	return file, wait, nil
}

// A transaction the runner sends starts with a comment naming its file, so
// that status (and a person reading pg_stat_activity) can tell which
// migration a session runs.
const tagPrefix = "-- ddlmig: "

var tagRE = regexp.MustCompile(`^-- ddlmig: ([^\n]+)\n`)

func tag(file string) string {
	return tagPrefix + strings.NewReplacer("\n", " ", "\r", " ").Replace(file) + "\n"
}
