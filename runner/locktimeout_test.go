package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/jackc/pgx/v5"
)

// holder is another session of the test holding locks, as an application
// would: it names itself, so that the error must name it too.
type holder struct {
	conn *pgx.Conn
	pid  int32
}

const holderApp = "billing-worker"

func holdLocks(t *testing.T, url, sql string) *holder {
	t.Helper()
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["application_name"] = holderApp
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	h := &holder{conn: conn, pid: int32(conn.PgConn().PID())}
	if err := conn.PgConn().Exec(ctx, "BEGIN; "+sql).Close(); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *holder) release(t *testing.T) {
	if err := h.conn.PgConn().Exec(context.Background(), "ROLLBACK").Close(); err != nil {
		t.Error(err)
	}
}

// recorder keeps the events of a run; the watcher sends some from its own
// goroutine.
type recorder struct {
	mu     sync.Mutex
	events []Event
	on     func(Event)
}

func (rec *recorder) add(e Event) {
	rec.mu.Lock()
	rec.events = append(rec.events, e)
	on := rec.on
	rec.mu.Unlock()
	if on != nil {
		on(e)
	}
}

func (rec *recorder) kinds(k EventKind) []Event {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []Event
	for _, e := range rec.events {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// lockOpts are quick settings for tests: a short lock timeout, short
// pauses and a fast watcher.
func lockOpts(rec *recorder, retries int) Options {
	return Options{StatementLockTimeout: 300 * time.Millisecond, LockRetries: retries, LockRetryDelay: 50 * time.Millisecond,
		PollInterval: 20 * time.Millisecond, OnEvent: rec.add}
}

var tableT = map[string]string{"000001_t": "CREATE TABLE t (id int);\n"}

func withStep(name, up string) fsMap {
	m := fsMap{}
	for k, v := range tableT {
		m[k] = v
	}
	m[name] = up
	return m
}

type fsMap = map[string]string

// applyWatched applies ups with a watcher polling every 2 ms, for the
// progress tests, and returns the events it recorded.
func applyWatched(t *testing.T, url string, ups fsMap) *recorder {
	t.Helper()
	rec := &recorder{}
	opts := lockOpts(rec, 0)
	opts.PollInterval = 2 * time.Millisecond
	if _, err := newRunner(t, url, files(ups, nil), opts).Apply(ctxTimeout(t, time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	return rec
}

// blocked is the scene of most tests here: a database where migration 1
// (table t) is applied and migration name (up) is pending, while another
// session holds the locks that hold takes, in a transaction it keeps open.
func blocked(t *testing.T, name, up, hold string) (url string, ups fsMap, h *holder) {
	t.Helper()
	url = testdb.New(t)
	ups = withStep(name, up)
	applyFirst(t, url, ups)
	return url, ups, holdLocks(t, url, hold)
}

// applyFirst applies migration 1 (table t) so that the next one meets a
// table other sessions use.
func applyFirst(t *testing.T, url string, ups fsMap) {
	t.Helper()
	if _, err := newRunner(t, url, files(ups, nil), Options{}).Apply(ctxTimeout(t, time.Minute), 1); err != nil {
		t.Fatal(err)
	}
}

func TestLockTimeoutRetriedUntilReleased(t *testing.T) {
	url, ups, h := blocked(t, "000002_c", "ALTER TABLE t ADD COLUMN c int;\n", "LOCK TABLE t IN ACCESS SHARE MODE")
	rec := &recorder{}
	var once sync.Once
	rec.on = func(e Event) {
		if e.Kind == EventLockRetry {
			once.Do(func() { h.release(t) })
		}
	}
	r := newRunner(t, url, files(ups, nil), lockOpts(rec, 5))
	res, err := r.Apply(ctxTimeout(t, time.Minute), 0)
	if err != nil || len(res) != 1 {
		t.Fatalf("apply: %v %+v", err, res)
	}
	retries := rec.kinds(EventLockRetry)
	if len(retries) != 1 || retries[0].Attempt != 2 || retries[0].Attempts != 6 {
		t.Fatalf("retries: %+v", retries)
	}
	if w := retries[0].Wait; w == nil || w.Blocker.PID != h.pid || w.Blocker.Application != holderApp || w.Object != `table t` || w.Mode != "AccessExclusiveLock" {
		t.Errorf("retry names %+v, want pid %d (%s) holding table t", w, h.pid, holderApp)
	}
	if waits := rec.kinds(EventStatementWait); len(waits) == 0 || waits[0].Wait.Blocker.PID != h.pid {
		t.Errorf("statement waits: %+v", waits)
	}
	if got := query(t, url, `SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'c'`); got != "1" {
		t.Errorf("column c: %s", got)
	}
	consistentRows(t, url, "1,2")
}

// consistentRows checks the bookkeeping rows: the versions, none dirty.
func consistentRows(t *testing.T, url, versions string) {
	t.Helper()
	if got := query(t, url, `SELECT string_agg(version::text, ',' ORDER BY version) || coalesce(' dirty ' || string_agg(version::text, ',') FILTER (WHERE dirty), '') FROM ddlmig_migrations`); got != versions {
		t.Errorf("rows %s, want %s", got, versions)
	}
}

func TestLockTimeoutNamesBlocker(t *testing.T) {
	url, ups, h := blocked(t, "000002_c", "-- the column\nALTER TABLE t ADD COLUMN c int;\n", "LOCK TABLE t IN ACCESS SHARE MODE")
	rec := &recorder{}
	r := newRunner(t, url, files(ups, nil), lockOpts(rec, 2))
	_, err := r.Apply(ctxTimeout(t, time.Minute), 0)
	var me *MigrationError
	if !errors.Is(err, ErrStatementLock) || !errors.As(err, &me) || !me.RolledBack || me.Line != 2 {
		t.Fatalf("error %v (%+v)", err, me)
	}
	for _, want := range []string{
		"000002_c.up.sql:2:1: ERROR: canceling statement due to lock timeout (SQLSTATE 55P03)",
		"waited 300ms (the statement lock timeout) for a lock, on each of 3 attempts",
		fmt.Sprintf(`waiting for a lock on table t (AccessExclusiveLock) held by pid %d (application %q, user "postgres", idle in transaction, transaction started `, h.pid, holderApp),
		`: "BEGIN; LOCK TABLE t IN ACCESS SHARE MODE"`,
		fmt.Sprintf("pg_terminate_backend(%d)), run the command again", h.pid),
		"The migration was rolled back; nothing of it was applied.",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if n := len(rec.kinds(EventLockRetry)); n != 2 {
		t.Errorf("%d retries, want 2", n)
	}
	if got, want := states(t, r), "version 000001: 000001 applied, 000002 pending"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestLockTimeoutNoWatcher: without the second connection the error still
// says what happened, and that the blocker was not seen.
func TestLockTimeoutNoWatcher(t *testing.T) {
	url, ups, _ := blocked(t, "000002_c", "ALTER TABLE t ADD COLUMN c int;\n", "LOCK TABLE t IN ACCESS SHARE MODE")
	opts := lockOpts(&recorder{}, -1)
	opts.PollInterval = -1
	_, err := newRunner(t, url, files(ups, nil), opts).Apply(ctxTimeout(t, time.Minute), 0)
	if !errors.Is(err, ErrStatementLock) || !strings.Contains(err.Error(), "was not seen") || strings.Contains(err.Error(), "attempts") {
		t.Fatalf("error: %v", err)
	}
}

// TestNoTxConcurrentIndexRetried: a concurrent build waits for a writer's
// transaction after creating its index, times out and leaves it INVALID;
// the retry drops the leftover and builds the index again.
func TestNoTxConcurrentIndexRetried(t *testing.T) {
	url, ups, h := blocked(t, "000002_idx", "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY t_idx ON t (id);\n", "INSERT INTO t VALUES (1)")
	rec := &recorder{}
	var once sync.Once
	leftover := make(chan string, 1)
	rec.on = func(e Event) {
		if e.Kind == EventLockRetry {
			once.Do(func() {
				leftover <- query(t, url, `SELECT string_agg(indexrelid::regclass || ' ' || indisvalid, ',') FROM pg_index WHERE indrelid = 't'::regclass`)
				h.release(t)
			})
		}
	}
	r := newRunner(t, url, files(ups, nil), lockOpts(rec, 5))
	if _, err := r.Apply(ctxTimeout(t, time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	if got := <-leftover; got != "t_idx false" {
		t.Errorf("after the first attempt: %s, want the INVALID t_idx", got)
	}
	if w := rec.kinds(EventLockRetry)[0].Wait; w == nil || w.Blocker.PID != h.pid || w.Object != "the end of another transaction" {
		t.Errorf("wait: %+v", w)
	}
	if got := query(t, url, `SELECT string_agg(indexrelid::regclass || ' ' || indisvalid, ',') FROM pg_index WHERE indrelid = 't'::regclass`); got != "t_idx true" {
		t.Errorf("indexes: %s", got)
	}
	consistentRows(t, url, "1,2")
}

// TestNoTxFirstBuildGivesUpClean: a concurrent build that never got its
// table lock left nothing, so its migration is not left dirty: apply runs
// it again once the blocker is gone.
func TestNoTxFirstBuildGivesUpClean(t *testing.T) {
	url, ups, h := blocked(t, "000002_idx", "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY t_idx ON t (id);\n", "LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE")
	r := newRunner(t, url, files(ups, nil), lockOpts(&recorder{}, 1))
	_, err := r.Apply(ctxTimeout(t, time.Minute), 0)
	var me *MigrationError
	if !errors.Is(err, ErrStatementLock) || !errors.As(err, &me) || me.Dirty || !me.RolledBack ||
		!strings.Contains(err.Error(), fmt.Sprintf("held by pid %d", h.pid)) || !strings.Contains(err.Error(), "on each of 2 attempts") {
		t.Fatalf("error %v", err)
	}
	if got, want := states(t, r), "version 000001: 000001 applied, 000002 pending"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	h.release(t)
	if _, err := r.Apply(ctxTimeout(t, time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	consistentRows(t, url, "1,2")
}

// TestNoTxNotRetried: a statement that may commit part of its work is not
// run twice; the migration stays dirty and the error says how to resume.
func TestNoTxNotRetried(t *testing.T) {
	url, ups, h := blocked(t, "000002_c", "-- ddlmig:no-transaction\nCREATE TABLE u (id int);\nALTER TABLE t ADD COLUMN c int;\n", "LOCK TABLE t IN ACCESS SHARE MODE")
	rec := &recorder{}
	r := newRunner(t, url, files(ups, nil), lockOpts(rec, 5))
	_, err := r.Apply(ctxTimeout(t, time.Minute), 0)
	var me *MigrationError
	if !errors.Is(err, ErrStatementLock) || !errors.As(err, &me) || !me.Dirty || me.Line != 3 {
		t.Fatalf("error %v", err)
	}
	for _, want := range []string{
		"and was not retried: it is not safe to run twice outside a transaction",
		fmt.Sprintf("held by pid %d", h.pid),
		"Nothing of this statement was applied. Once that session has finished",
		"run it and the rest of the file by hand, and record that as below.",
		"stamp --force 000002",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if n := len(rec.kinds(EventLockRetry)); n != 0 {
		t.Errorf("%d retries", n)
	}
	consistentRows(t, url, "1,2 dirty 2")
}

func TestRetryable(t *testing.T) {
	for _, c := range []struct {
		sql  string
		want *rerun
	}{
		{"CREATE INDEX CONCURRENTLY i ON t (a)", &rerun{index: "i", table: "t"}},
		{`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "I x" ON ONLY s."T" (a)`, &rerun{index: "I x", schema: "s", table: "T"}},
		{"CREATE INDEX CONCURRENTLY ON t (a)", nil}, // named by the server
		{"CREATE INDEX i ON t (a)", nil},
		{"DROP INDEX CONCURRENTLY IF EXISTS i", &rerun{}},
		{"DROP INDEX CONCURRENTLY s.i", &rerun{}},
		{"DROP INDEX i", nil},
		{"REINDEX INDEX CONCURRENTLY i", nil},
		{"ALTER TABLE t DETACH PARTITION p CONCURRENTLY", nil},
		{"not sql", nil},
	} {
		got := retryable(c.sql)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %+v, want %+v", c.sql, got, c.want)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	r := &Runner{opts: Options{LockRetryDelay: time.Second}}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 6: 30 * time.Second, 40: 30 * time.Second} {
		for range 20 {
			if d := r.retryDelay(n); d < want/2 || d > want {
				t.Errorf("retry %d: %s, want %s..%s", n, d, want/2, want)
			}
		}
	}
}

func TestHidePasswords(t *testing.T) {
	for in, want := range map[string]string{
		"ALTER ROLE app PASSWORD 'hunter2'":                               "ALTER ROLE app PASSWORD 'xxxxx'",
		"CREATE ROLE a LOGIN password 'it''s'":                            "CREATE ROLE a LOGIN password 'xxxxx'",
		"SELECT dblink_connect('host=x password=hunter2 user=u')":         "SELECT dblink_connect('host=x password=xxxxx user=u')",
		"CREATE USER MAPPING FOR u SERVER s OPTIONS (password 'hunter2')": "CREATE USER MAPPING FOR u SERVER s OPTIONS (password 'xxxxx')",
		"LOCK TABLE t": "LOCK TABLE t",
	} {
		if got := firstLine(in); got != want {
			t.Errorf("%s:\n got %s\nwant %s", in, got, want)
		}
	}
}

// TestProgressOfConcurrentBuild: while an index is built concurrently the
// watcher reports its phases from pg_stat_progress_create_index.
func TestProgressOfConcurrentBuild(t *testing.T) {
	url := testdb.New(t)
	ups := fsMap{
		"000001_t":   "CREATE TABLE t (id int, v text);\nINSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 200000) g;\n",
		"000002_idx": "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY t_v_idx ON t (v);\n",
	}
	applyFirst(t, url, ups)
	rec := applyWatched(t, url, ups)
	phases := map[string]bool{}
	counted := false
	for _, e := range rec.kinds(EventProgress) {
		p := e.Progress
		if p.Command != "CREATE INDEX CONCURRENTLY" || p.Table != "t" || e.Step.Version != 2 {
			t.Errorf("progress %+v", p)
		}
		if p.Index != "" && p.Index != "t_v_idx" {
			t.Errorf("index %q", p.Index)
		}
		phases[p.Phase] = true
		counted = counted || p.BlocksTotal > 0 && p.BlocksDone <= p.BlocksTotal
	}
	if len(phases) < 2 || !counted {
		t.Errorf("phases seen: %v; blocks counted: %v", phases, counted)
	}
	t.Logf("phases: %v", phases)
}

// TestStatusShowsLockWait: status, from another session, shows the
// migration a run is applying as running and waiting for a lock, and who
// holds it.
func TestStatusShowsLockWait(t *testing.T) {
	url, ups, h := blocked(t, "000002_c", "ALTER TABLE t ADD COLUMN c int;\n", "LOCK TABLE t IN ACCESS SHARE MODE")
	rec := &recorder{}
	waiting := make(chan struct{})
	var once sync.Once
	rec.on = func(e Event) {
		if e.Kind == EventStatementWait {
			once.Do(func() { close(waiting) })
		}
	}
	opts := lockOpts(rec, 0)
	opts.StatementLockTimeout = time.Minute
	r := newRunner(t, url, files(ups, nil), opts)
	done := make(chan error, 1)
	go func() {
		_, err := r.Apply(ctxTimeout(t, time.Minute), 0)
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("apply ended: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("apply never waited")
	}
	st, err := newRunner(t, url, files(ups, nil), Options{}).Status(ctxTimeout(t, time.Minute))
	h.release(t)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	m := st.Migrations[1]
	if m.State != StateRunning || st.Running() != 1 || st.Pending() != 0 || st.File != "000002_c.up.sql" {
		t.Fatalf("status: %+v, %+v", st, m)
	}
	if m.Wait == nil || m.Wait.Blocker.PID != h.pid || m.Wait.Blocker.Application != holderApp || m.Wait.Object != "table t" || m.Wait.PID != st.HeldBy {
		t.Errorf("wait %+v, want table t held by %d", m.Wait, h.pid)
	}
}

// TestLockTimeoutBatchRetried: in a file cut by batch markers the batch
// that timed out is retried, not the batches that committed before it.
func TestLockTimeoutBatchRetried(t *testing.T) {
	url, ups, h := blocked(t, "000002_b", "CREATE TABLE log (n int);\nINSERT INTO log VALUES (1);\n-- ddlmig:batch\nINSERT INTO log VALUES (2);\nALTER TABLE t ADD COLUMN c int;\n", "LOCK TABLE t IN ACCESS SHARE MODE")
	rec := &recorder{}
	var once sync.Once
	rec.on = func(e Event) {
		if e.Kind == EventLockRetry {
			once.Do(func() { h.release(t) })
		}
	}
	if _, err := newRunner(t, url, files(ups, nil), lockOpts(rec, 5)).Apply(ctxTimeout(t, time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	if got := query(t, url, `SELECT string_agg(n::text, ',' ORDER BY n) FROM log`); got != "1,2" {
		t.Errorf("log %s, want 1,2: each batch ran once", got)
	}
	if n := len(rec.kinds(EventLockRetry)); n != 1 {
		t.Errorf("%d retries", n)
	}
	consistentRows(t, url, "1,2")
}

// TestProgressOfValidation: a VALIDATE CONSTRAINT has no progress view;
// the watcher reports that it runs, and for how long.
func TestProgressOfValidation(t *testing.T) {
	url := testdb.New(t)
	ups := fsMap{
		"000001_t": "CREATE TABLE t (id int);\nINSERT INTO t SELECT generate_series(1, 300000);\nALTER TABLE t ADD CONSTRAINT t_id_check CHECK (id > 0) NOT VALID;\n",
		"000002_v": "ALTER TABLE t VALIDATE CONSTRAINT t_id_check;\n",
	}
	applyFirst(t, url, ups)
	rec := applyWatched(t, url, ups)
	ps := rec.kinds(EventProgress)
	if len(ps) == 0 {
		t.Fatal("no progress")
	}
	if p := ps[len(ps)-1].Progress; p.Command != "VALIDATE CONSTRAINT" || p.Phase != "checking the rows" || p.Elapsed <= 0 {
		t.Errorf("progress %+v", p)
	}
}

// TestInterruptedWhileRetrying: Ctrl-C during the pause before a retry
// ends the run at once, saying so, with the migration rolled back.
func TestInterruptedWhileRetrying(t *testing.T) {
	url, ups, _ := blocked(t, "000002_c", "ALTER TABLE t ADD COLUMN c int;\n", "LOCK TABLE t IN ACCESS SHARE MODE")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rec := &recorder{on: func(e Event) {
		if e.Kind == EventLockRetry {
			cancel()
		}
	}}
	opts := lockOpts(rec, 5)
	opts.LockRetryDelay = time.Minute
	start := time.Now()
	_, err := newRunner(t, url, files(ups, nil), opts).Apply(ctx, 0)
	var me *MigrationError
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrStatementLock) || !errors.As(err, &me) || !me.RolledBack ||
		!strings.Contains(err.Error(), "The run was interrupted (context canceled) while it paused before trying again.") || time.Since(start) > 30*time.Second {
		t.Fatalf("error after %s: %v", time.Since(start), err)
	}
}

// TestNoTxBuildLeftoverReported: a concurrent build that keeps timing out
// behind a writer's transaction leaves its INVALID index; the migration
// stays dirty and the error says to drop the index.
func TestNoTxBuildLeftoverReported(t *testing.T) {
	url, ups, h := blocked(t, "000002_idx", "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY t_idx ON t (id);\n", "INSERT INTO t VALUES (1)")
	_, err := newRunner(t, url, files(ups, nil), lockOpts(&recorder{}, 1)).Apply(ctxTimeout(t, time.Minute), 0)
	var me *MigrationError
	if !errors.Is(err, ErrStatementLock) || !errors.As(err, &me) || !me.Dirty {
		t.Fatalf("error %v", err)
	}
	for _, want := range []string{
		"on each of 2 attempts",
		fmt.Sprintf("held by pid %d", h.pid),
		"The failed build left the INVALID index public.t_idx; drop it with DROP INDEX CONCURRENTLY public.t_idx before building it again.",
		"drop that index, run this statement and the rest of the file by hand",
		"stamp --force 000001",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	consistentRows(t, url, "1,2 dirty 2")
}

// TestNoTxGeneratedBuildRerun: the file generate writes for an index built
// online drops the leftover of a failed build before building; when its
// build keeps timing out the migration is not left dirty, and the next
// apply runs the file again, leftover and all.
func TestNoTxGeneratedBuildRerun(t *testing.T) {
	url, ups, h := blocked(t, "000002_idx", "-- ddlmig:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS public.t_idx;\nCREATE INDEX CONCURRENTLY t_idx ON public.t USING btree (id);\n", "INSERT INTO t VALUES (1)")
	r := newRunner(t, url, files(ups, nil), lockOpts(&recorder{}, 1))
	_, err := r.Apply(ctxTimeout(t, time.Minute), 0)
	var me *MigrationError
	if !errors.Is(err, ErrStatementLock) || !errors.As(err, &me) || me.Dirty || !me.RolledBack || me.Line != 3 ||
		!strings.Contains(err.Error(), "The failed build left the INVALID index public.t_idx, which the file drops first when it runs again.") ||
		!strings.Contains(err.Error(), "run the command again") {
		t.Fatalf("error %v", err)
	}
	if got, want := states(t, r), "version 000001: 000001 applied, 000002 pending"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	h.release(t)
	if _, err := r.Apply(ctxTimeout(t, time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	if got := query(t, url, `SELECT string_agg(indexrelid::regclass || ' ' || indisvalid, ',') FROM pg_index WHERE indrelid = 't'::regclass`); got != "t_idx true" {
		t.Errorf("indexes: %s", got)
	}
	consistentRows(t, url, "1,2")
}

func TestRerunnable(t *testing.T) {
	const build = "CREATE INDEX CONCURRENTLY i ON t (a)"
	for _, c := range []struct {
		stmts    []string
		leftover bool
		want     bool
	}{
		{[]string{build}, false, true},
		{[]string{build}, true, false},
		{[]string{"DROP INDEX CONCURRENTLY IF EXISTS s.i", build}, true, true},
		{[]string{"DROP INDEX CONCURRENTLY IF EXISTS j", build}, true, false},
		{[]string{"DROP INDEX CONCURRENTLY IF EXISTS j", build}, false, true},
		{[]string{"DROP INDEX CONCURRENTLY i", build}, false, false},
		{[]string{"CREATE TABLE u (id int)", build}, false, false},
		{[]string{"DROP INDEX CONCURRENTLY IF EXISTS i"}, false, false},
		{[]string{"CREATE INDEX CONCURRENTLY ON t (a)"}, false, false},
	} {
		var stmts []statement
		for _, s := range c.stmts {
			stmts = append(stmts, statement{SQL: s})
		}
		if got := rerunnable(stmts, len(stmts)-1, c.leftover); got != c.want {
			t.Errorf("%q, leftover %v: %v, want %v", c.stmts, c.leftover, got, c.want)
		}
	}
}

// TestProgressInTransaction: an index built in the transaction that
// created its table is reported without names (the watcher cannot see
// them yet), never by object numbers.
func TestProgressInTransaction(t *testing.T) {
	url := testdb.New(t)
	ups := fsMap{"000001_u": "CREATE TABLE u AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 200000) g;\nCREATE INDEX u_v_idx ON u (v);\n"}
	rec := applyWatched(t, url, ups)
	ps := rec.kinds(EventProgress)
	if len(ps) == 0 {
		t.Fatal("no progress")
	}
	for _, e := range ps {
		if p := e.Progress; p.Command != "CREATE INDEX" || p.Index != "" || p.Table != "" {
			t.Errorf("progress %+v", p)
		}
	}
}

func TestLastSeen(t *testing.T) {
	a, b := &LockWait{PID: 1}, &LockWait{PID: 2}
	if lastSeen(nil, a) != a || lastSeen(b, a) != b || lastSeen(nil, nil) != nil {
		t.Error("lastSeen keeps the newest wait seen")
	}
}
