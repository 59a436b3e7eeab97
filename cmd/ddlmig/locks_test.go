package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/runner"
	"github.com/jackc/pgx/v5"
)

// TestApplyLockTimeoutCLI: apply meets a table another session keeps
// locked; it says what it waits for, retries, and fails naming the
// session, with the migration rolled back.
func TestApplyLockTimeoutCLI(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dbURL := testdb.New(t)
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"000001_t.up.sql":   "CREATE TABLE t (id int);\n",
		"000001_t.down.sql": "DROP TABLE t;\n",
		"000002_c.up.sql":   "ALTER TABLE t ADD COLUMN c int;\n",
		"000002_c.down.sql": "ALTER TABLE t DROP COLUMN c;\n",
	})
	ddlmig := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := run(append(append([]string{}, args...), "--dir", dir, "--database-url", dbURL), strings.NewReader(""), &out, &errb)
		return out.String(), errb.String(), code
	}
	if out, errs, code := ddlmig("apply", "--to", "1"); code != exitOK {
		t.Fatalf("apply --to 1: exit %d\n%s%s", code, out, errs)
	}
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["application_name"] = "report-job"
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.PgConn().Exec(t.Context(), "BEGIN; LOCK TABLE t IN ACCESS SHARE MODE").Close(); err != nil {
		t.Fatal(err)
	}
	pid := conn.PgConn().PID()

	out, errs, code := ddlmig("apply", "--statement-lock-timeout", "300ms", "--lock-retries", "1")
	t.Logf("stdout:\n%s\nstderr:\n%s", out, errs)
	held := fmt.Sprintf("held by pid %d (application \"report-job\"", pid)
	if n := strings.Count(errs, "  waiting for a lock"); n != 1 {
		t.Errorf("%d lines say what apply waits for, want 1 (the retry waits for the same session)", n)
	}
	for _, want := range []string{
		"  waiting for a lock on table t (AccessExclusiveLock) " + held,
		fmt.Sprintf("  lock timeout (pid %d, application \"report-job\", is in the way); rolled back, trying again in ", pid),
		"(attempt 2 of 2)",
		"ddlmig: 000002_c.up.sql:1:1: ERROR: canceling statement due to lock timeout (SQLSTATE 55P03)",
		"on each of 2 attempts",
		"It was waiting for a lock on table t (AccessExclusiveLock) " + held,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if code != exitError || !strings.Contains(out, "applying 000002_c.up.sql ... \n") || !strings.HasSuffix(out, "FAILED\n") {
		t.Errorf("exit %d, stdout:\n%s", code, out)
	}

	// --statement-lock-timeout 0 keeps the server's lock_timeout: here
	// 100ms, set for the database, so the error comes from the server's
	// setting and apply does not retry.
	if err := testdb.Exec(t.Context(), dbURL, "DO $$BEGIN EXECUTE format('ALTER DATABASE %I SET lock_timeout = 100', current_database()); END$$"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		testdb.Exec(context.Background(), dbURL, "DO $$BEGIN EXECUTE format('ALTER DATABASE %I RESET lock_timeout', current_database()); END$$")
	})
	// Set by the environment, as a deploy would.
	t.Setenv("DDLMIG_STATEMENT_LOCK_TIMEOUT", "0")
	t.Setenv("DDLMIG_LOCK_RETRIES", "0")
	start := time.Now()
	_, errs, code = ddlmig("apply")
	if code != exitError || !strings.Contains(errs, "The statement timed out waiting for a lock.\n") || strings.Contains(errs, "attempts") {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("apply took %s", time.Since(start))
	}
}

// TestProgressPrinter: progress on a terminal rewrites one line; in a log
// it is one line per phase; waits and retries are lines of their own.
func TestProgressPrinter(t *testing.T) {
	step := runner.Step{Version: 2, File: "000002_idx.up.sql", Direction: runner.Up}
	wait := &runner.LockWait{PID: 10, Object: "table t", Mode: "ShareUpdateExclusiveLock",
		Blocker: runner.Session{PID: 11, Application: "app", User: "u", State: "idle in transaction"}}
	prog := func(phase string, done, total int64) runner.Event {
		return runner.Event{Kind: runner.EventProgress, Step: step, Progress: &runner.Progress{
			Command: "CREATE INDEX CONCURRENTLY", Index: "i", Table: "t", Phase: phase, BlocksDone: done, BlocksTotal: total, Elapsed: time.Second}}
	}
	events := []runner.Event{
		{Kind: runner.EventStart, Step: step},
		{Kind: runner.EventStatementWait, Step: step, Wait: wait},
		{Kind: runner.EventLockRetry, Step: step, Wait: wait, Attempt: 2, Attempts: 6, Delay: 1500 * time.Millisecond},
		prog("building index: scanning table", 10, 100),
		prog("building index: scanning table", 50, 100),
		prog("index validation: scanning table", 10, 100),
		{Kind: runner.EventDone, Step: step, Took: 3 * time.Second},
	}
	for _, tty := range []bool{false, true} {
		var out, errs bytes.Buffer
		g := &Globals{Stdout: &out, Stderr: &errs, RawErr: &errs}
		f := &DBFlags{}
		on := progress(g, f)
		// progress decides itself whether stderr is a terminal; the
		// test sets it.
		for _, e := range events {
			if e.Kind == runner.EventStart {
				on = progressTTY(g, f, tty)
			}
			on(e)
		}
		want := map[bool]string{
			false: `  waiting for a lock on table t (ShareUpdateExclusiveLock) held by pid 11 (application "app", user "u", idle in transaction)
  lock timeout (pid 11, application "app", is in the way); rolled back, trying again in 1.5s (attempt 2 of 6)
  CREATE INDEX CONCURRENTLY i on t: building index: scanning table
  CREATE INDEX CONCURRENTLY i on t: index validation: scanning table
`,
			true: `  waiting for a lock on table t (ShareUpdateExclusiveLock) held by pid 11 (application "app", user "u", idle in transaction)
  lock timeout (pid 11, application "app", is in the way); rolled back, trying again in 1.5s (attempt 2 of 6)
` + "\r\x1b[K  CREATE INDEX CONCURRENTLY i on t: building index: scanning table 10% (10 of 100 blocks), 1s" +
				"\r\x1b[K  CREATE INDEX CONCURRENTLY i on t: building index: scanning table 50% (50 of 100 blocks), 1s" +
				"\r\x1b[K  CREATE INDEX CONCURRENTLY i on t: index validation: scanning table 10% (10 of 100 blocks), 1s" +
				"\r\x1b[K",
		}[tty]
		if errs.String() != want {
			t.Errorf("tty %v: stderr\n%q\nwant\n%q", tty, errs.String(), want)
		}
		if got := out.String(); got != "applying 000002_idx.up.sql ... \n000002_idx.up.sql ok (3s)\n" {
			t.Errorf("tty %v: stdout %q", tty, got)
		}
	}
}

// TestLockConfigFile: ddlmig.json sets the lock discipline for the
// project; a flag still wins.
func TestLockConfigFile(t *testing.T) {
	url := testdb.New(t)
	t.Setenv("DATABASE_URL", url)
	root := repo(t)
	write(t, root, map[string]string{"ddlmig.json": `{"statement_lock_timeout": "250ms", "lock_retries": 0}`})
	dir := filepath.Join(root, "migrations")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, map[string]string{
		"000001_t.up.sql":   "CREATE TABLE t (id int);\n",
		"000001_t.down.sql": "DROP TABLE t;\n",
		"000002_c.up.sql":   "ALTER TABLE t ADD COLUMN c int;\n",
		"000002_c.down.sql": "ALTER TABLE t DROP COLUMN c;\n",
	})
	expect(t, root, exitOK, []string{"apply", "--to", "1"}, "applied 1 migration")
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.PgConn().Exec(t.Context(), "BEGIN; LOCK TABLE t IN ACCESS SHARE MODE").Close(); err != nil {
		t.Fatal(err)
	}
	out := expect(t, root, exitError, []string{"apply"}, "The statement waited 250ms (the statement lock timeout) for a lock.\n")
	if strings.Contains(out, "attempts") || strings.Contains(out, "trying again") {
		t.Errorf("lock_retries 0 retried:\n%s", out)
	}
	expect(t, root, exitError, []string{"apply", "--lock-retries", "1"}, "on each of 2 attempts")
}

// TestApplyOnlineUnderLoad: the online migrations generate writes, applied
// while a writer keeps a transaction open on the table: the concurrent
// build times out waiting for it, leaves an INVALID index, and is retried
// after the leftover is dropped; once the writer commits, everything is
// applied and the index is valid.
func TestApplyOnlineUnderLoad(t *testing.T) {
	url := testdb.New(t)
	t.Setenv("DATABASE_URL", url)
	dir := onlineProject(t)
	if code, _, errs := cli(t, dir, "generate", "-m", "email"); code != 0 {
		t.Fatal(errs)
	}
	approveAll(t, dir)
	if code, out, errs := cli(t, dir, "apply", "--to", "1"); code != exitOK {
		t.Fatalf("apply --to 1: exit %d\n%s%s", code, out, errs)
	}
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.PgConn().Exec(t.Context(), "BEGIN; INSERT INTO users VALUES (1, 'a@example.com')").Close(); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(1500 * time.Millisecond)
		conn.PgConn().Exec(context.Background(), "COMMIT").Close()
	}()
	code, out, errs := cli(t, dir, "apply", "--statement-lock-timeout", "300ms", "--lock-retries", "10")
	t.Logf("stdout:\n%s\nstderr:\n%s", out, errs)
	if code != exitOK || !strings.Contains(errs, "is in the way); trying the statement again in ") || !strings.Contains(errs, "waiting for a lock on the end of another transaction") ||
		!strings.Contains(out, "000002_email.up.sql ok") || !strings.Contains(out, "applied 4 migrations") {
		t.Fatalf("exit %d", code)
	}
	var got string
	if err := testdbQuery(t, url, `SELECT string_agg(indexrelid::regclass || ' ' || indisvalid, ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'users'::regclass`, &got); err != nil || got != "users_email true,users_pkey true" {
		t.Errorf("indexes %s (%v)", got, err)
	}
}
