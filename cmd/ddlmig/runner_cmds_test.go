package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/runner"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The -update flag may also be defined by another test file of this
// package; init runs after package-level flags are defined, so define it
// only when nobody did.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

var (
	timeRE = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [A-Z+\-0-9]+`)
	durRE  = regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s)\b`)
	shaRE  = regexp.MustCompile(`sha256 [0-9a-f]{12}… recorded, [0-9a-f]{12}… now`)
	iso    = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)`)
)

// normalize hides what changes between runs: times, durations, the random
// database name.
func normalize(s, db string) string {
	s = timeRE.ReplaceAllString(s, "<time>")
	s = iso.ReplaceAllString(s, "<time>")
	s = durRE.ReplaceAllString(s, "<dur>")
	s = shaRE.ReplaceAllString(s, "sha256 <old> recorded, <new> now")
	return strings.ReplaceAll(s, db, "<db>")
}

// serverPhrase is how ddlmig names the server of connURL in a connection
// error: on HOST:PORT as user "USER" (runner.Connect).
func serverPhrase(t *testing.T, connURL string) string {
	t.Helper()
	cfg, err := pgconn.ParseConfig(connURL)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(cfg.Host, "/") {
		return fmt.Sprintf("on socket %s (port %d) as user %q", cfg.Host, cfg.Port, cfg.User)
	}
	return fmt.Sprintf("on %s as user %q", net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port)), cfg.User)
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if text == "" {
			os.Remove(path)
			continue
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunnerSession drives apply, down, status, history and stamp through
// run, as a user would, and compares the whole transcript with
// testdata/runner/session.golden.
func TestRunnerSession(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dbURL := testdb.New(t)
	u, _ := url.Parse(dbURL)
	db := strings.TrimPrefix(u.Path, "/")
	// The server's address and user come from DDLMIG_TEST_DATABASE_URL: the
	// transcript names them $NO_SUCH_DB_URL, <server> and <user>, so that
	// the golden holds on any test server.
	noSuch := testdb.WithDatabase(dbURL, "ddlmig_no_such_database")
	server := serverPhrase(t, noSuch)
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"000001_users.up.sql":   "-- Message: Create users\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n",
		"000001_users.down.sql": "DROP TABLE users;\n",
		"000002_posts.up.sql":   "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n",
		"000002_posts.down.sql": "DROP TABLE posts;\n",
		"000003_title.up.sql":   "-- Message: Titles for posts\nALTER TABLE posts ADD COLUMN title text;\nUPDATE posts SET title = 1/0;\n",
		"000003_title.down.sql": "ALTER TABLE posts DROP COLUMN title;\n",
	})

	var transcript strings.Builder
	ddlmig := func(args ...string) int {
		var out, errb bytes.Buffer
		full := append([]string{args[0], "--dir", dir}, args[1:]...)
		code := run(full, strings.NewReader(""), &out, &errb)
		shown := runner.Redact(strings.NewReplacer(dbURL, "$URL", noSuch, "$NO_SUCH_DB_URL").Replace(strings.Join(args, " ")))
		fmt.Fprintf(&transcript, "$ ddlmig %s\n%s%s[exit %d]\n\n", shown, out.String(), errb.String(), code)
		return code
	}
	withDB := func(args ...string) int { return ddlmig(append(args, "--database-url", dbURL)...) }

	ddlmig("history")
	withDB("status")
	withDB("status", "--exit-code")
	withDB("apply", "--to", "000002", "--dry-run")
	withDB("apply", "--to", "2")
	withDB("status")
	withDB("apply")
	write(t, dir, map[string]string{"000003_title.up.sql": "-- Message: Titles for posts\nALTER TABLE posts ADD COLUMN title text;\n"})
	withDB("apply")
	withDB("status", "--exit-code")
	withDB("down", "--steps", "2")
	withDB("down", "--steps", "1", "--to", "1")
	withDB("apply")
	write(t, dir, map[string]string{"000002_posts.up.sql": "CREATE TABLE posts (id int);\n"})
	withDB("apply")
	withDB("status", "--exit-code")
	write(t, dir, map[string]string{"000002_posts.up.sql": "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n"})

	// A no-transaction migration fails midway: dirty, refused, recovered.
	write(t, dir, map[string]string{
		"000004_idx.up.sql":   "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY posts_user_idx ON posts (user_id);\nCREATE INDEX CONCURRENTLY posts_nope ON posts (nope);\n",
		"000004_idx.down.sql": "-- ddlmig:no-transaction\nDROP INDEX CONCURRENTLY posts_user_idx;\n",
	})
	withDB("apply")
	withDB("status")
	withDB("apply")
	withDB("stamp", "4")
	withDB("stamp", "--force", "3")
	if err := testdb.Exec(t.Context(), dbURL, "DROP INDEX posts_user_idx"); err != nil {
		t.Fatal(err)
	}
	write(t, dir, map[string]string{"000004_idx.up.sql": "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY posts_user_idx ON posts (user_id);\n"})
	withDB("apply")
	withDB("down", "--to", "0", "--dry-run")
	withDB("stamp", "2")
	withDB("stamp", "--force", "2")

	// What the forced stamp forgot is undone by hand, as it should be.
	if err := testdb.Exec(t.Context(), dbURL, "DROP INDEX posts_user_idx; ALTER TABLE posts DROP COLUMN title"); err != nil {
		t.Fatal(err)
	}

	// A lost file, then two branches merged out of order.
	posts, _ := os.ReadFile(filepath.Join(dir, "000002_posts.up.sql"))
	postsDown, _ := os.ReadFile(filepath.Join(dir, "000002_posts.down.sql"))
	title, _ := os.ReadFile(filepath.Join(dir, "000003_title.up.sql"))
	write(t, dir, map[string]string{"000002_posts.up.sql": "", "000002_posts.down.sql": ""})
	withDB("apply")
	write(t, dir, map[string]string{"000002_posts.up.sql": string(posts), "000002_posts.down.sql": string(postsDown),
		"000003_title.up.sql": "", "000003_title.down.sql": ""})
	withDB("apply")
	write(t, dir, map[string]string{"000003_title.up.sql": string(title), "000003_title.down.sql": "ALTER TABLE posts DROP COLUMN title;\n"})
	withDB("apply")
	withDB("status")
	withDB("apply", "--allow-out-of-order")

	// Connection problems, with a password that must never be printed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	ddlmig("apply")
	ddlmig("history", "--dir", filepath.Join(dir, "nope"))
	code := ddlmig("apply", "--database-url", "postgres://app:hunter2@"+closed+"/app")
	ddlmig("status", "--database-url", noSuch)
	ddlmig("apply", "--database-url", "postgres://app:hunter2@127.0.0.1:notaport/app")
	if code != exitError {
		t.Errorf("unreachable server: exit %d", code)
	}

	got := transcript.String()
	if strings.Contains(got, "hunter2") {
		t.Errorf("password printed:\n%s", got)
	}
	got = strings.ReplaceAll(normalize(got, db), closed, "<closed-port>")
	if !strings.Contains(got, server) {
		t.Errorf("the transcript does not name the server as %q:\n%s", server, got)
	}
	got = strings.ReplaceAll(got, server, `on <server> as user "<user>"`)
	got = strings.ReplaceAll(got, dir, "<dir>")
	golden := filepath.Join("testdata", "runner", "session.golden")
	if updating() {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
}

func TestVersionArg(t *testing.T) {
	cases := map[string]uint64{"12": 12, "000012": 12, "000010_add_email": 10, "0": 0}
	for in, want := range cases {
		var v version
		if err := v.UnmarshalText([]byte(in)); err != nil || uint64(v) != want {
			t.Errorf("%q: %d, %v; want %d", in, v, err, want)
		}
	}
	var v version
	if err := v.UnmarshalText([]byte("x1")); err == nil {
		t.Errorf("x1 accepted")
	}
}

// TestApplySignal sends SIGTERM (and, in a second run, SIGINT) to a real
// ddlmig process while a migration sleeps: the statement is cancelled on
// the server, the migration rolls back, the exit status is non-zero, and
// the next apply completes.
func TestApplySignal(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "ddlmig")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		t.Run(sig.String(), func(t *testing.T) {
			dbURL := testdb.New(t)
			dir := t.TempDir()
			write(t, dir, map[string]string{
				"000001_a.up.sql":      "CREATE TABLE a (id int);\n",
				"000001_a.down.sql":    "DROP TABLE a;\n",
				"000002_slow.up.sql":   "CREATE TABLE slow (id int);\nSELECT pg_sleep(60);\n",
				"000002_slow.down.sql": "DROP TABLE slow;\n",
			})
			cmd := exec.Command(bin, "apply", "--dir", dir)
			cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the slow statement runs on the server.
			deadline := time.Now().Add(30 * time.Second)
			for {
				var n int
				conn, err := pgx.Connect(t.Context(), dbURL)
				if err != nil {
					t.Fatal(err)
				}
				conn.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ddlmig' AND query LIKE '%pg_sleep(60)%' AND state = 'active' AND datname = current_database()`).Scan(&n)
				conn.Close(t.Context())
				if n == 1 {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("migration 2 never started")
				}
				time.Sleep(50 * time.Millisecond)
			}
			start := time.Now()
			cmd.Process.Signal(sig)
			out, _ := io.ReadAll(stdout)
			err = cmd.Wait()
			if took := time.Since(start); took > 15*time.Second {
				t.Errorf("exit took %s after the signal", took)
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitError {
				t.Errorf("exit: %v", err)
			}
			if !strings.Contains(stderr.String(), "000002_slow.up.sql:2:1: ERROR: canceling statement due to user request") ||
				!strings.Contains(stderr.String(), "rolled back") || !strings.Contains(string(out), "applying 000002_slow.up.sql ... FAILED") {
				t.Errorf("stdout:\n%s\nstderr:\n%s", out, stderr.String())
			}
			var tables, rows string
			conn, err := pgx.Connect(t.Context(), dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(t.Context())
			conn.QueryRow(t.Context(), `SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`).Scan(&tables)
			conn.QueryRow(t.Context(), `SELECT string_agg(version::text, ',') FROM ddlmig_migrations`).Scan(&rows)
			if tables != "a,ddlmig_migrations" || rows != "1" {
				t.Errorf("after the signal: tables %s, versions %s", tables, rows)
			}
			write(t, dir, map[string]string{"000002_slow.up.sql": "CREATE TABLE slow (id int);\nSELECT pg_sleep(0.01);\n"})
			if code := run([]string{"apply", "--dir", dir, "--database-url", dbURL}, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
				t.Errorf("apply after the signal: exit %d", code)
			}
		})
	}
}

// TestStatusWhileRunning runs status while another session applies: a
// no-transaction migration, then the second batch of a batched one, wait
// on table locks this test holds. Their rows are marked dirty meanwhile,
// but the run holds the migration lock, so status says "running" with the
// run's server pid, and status --exit-code exits 3 (pending), not 1.
func TestStatusWhileRunning(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dbURL := testdb.New(t)
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"000001_gates.up.sql":   "CREATE TABLE gate (id int);\nCREATE TABLE gate2 (id int);\n",
		"000001_gates.down.sql": "DROP TABLE gate, gate2;\n",
		"000002_idx.up.sql":     "-- ddlmig:no-transaction\nCREATE TABLE c (id int);\nSELECT count(*) FROM gate;\nCREATE INDEX CONCURRENTLY c_id ON c (id);\n",
		"000002_idx.down.sql":   "DROP TABLE c;\n",
		"000003_big.up.sql":     "CREATE TABLE b1 (id int);\n-- ddlmig:batch\nSELECT count(*) FROM gate2;\n-- ddlmig:batch\nCREATE TABLE b3 (id int);\n",
		"000003_big.down.sql":   "DROP TABLE b3, b1;\n",
		"000004_last.up.sql":    "CREATE TABLE last (id int);\n",
		"000004_last.down.sql":  "DROP TABLE last;\n",
	})
	ddlmig := func(args ...string) (string, int) {
		var out, errb bytes.Buffer
		full := append([]string{args[0], "--dir", dir, "--database-url", dbURL}, args[1:]...)
		code := run(full, strings.NewReader(""), &out, &errb)
		return out.String() + errb.String(), code
	}
	if out, code := ddlmig("apply", "--to", "1"); code != exitOK {
		t.Fatalf("apply --to 1: exit %d\n%s", code, out)
	}

	// Hold both gates, each in a transaction of its own.
	gates := map[string]pgx.Tx{}
	gatePIDs := map[string]uint32{}
	for _, g := range []string{"gate", "gate2"} {
		conn, err := pgx.Connect(t.Context(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		tx, err := conn.Begin(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(t.Context(), "LOCK TABLE "+g+" IN ACCESS EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
		gates[g] = tx
		gatePIDs[g] = conn.PgConn().PID()
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := runner.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	pid := conn.PgConn().PID()
	// The run waits for the gates as long as the test needs: the
	// statement lock timeout is longer than the test.
	r, err := runner.New(conn, os.DirFS(dir), runner.Options{StatementLockTimeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	applied := make(chan error, 1)
	go func() {
		_, err := r.Apply(ctx, 0)
		applied <- err
	}()
	// waitFor waits until the run's session waits for a lock on table g.
	waitFor := func(g string) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for {
			var n int
			err := testdbQuery(t, dbURL, `SELECT count(*) FROM pg_locks WHERE pid = $1 AND NOT granted AND relation = $2::regclass`, &n, pid, g)
			if err == nil && n == 1 {
				return
			}
			select {
			case err := <-applied:
				t.Fatalf("apply ended before waiting on %s: %v", g, err)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("the run never waited on %s", g)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	check := func(wantState, wantWait string) {
		t.Helper()
		out, code := ddlmig("status")
		t.Logf("status during the run:\n%s", out)
		if code != exitOK {
			t.Errorf("status: exit %d\n%s", code, out)
		}
		held := fmt.Sprintf("a run holds the migration lock (server pid %d)", pid)
		if !strings.Contains(out, held) || !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(wantState)+`\s`).MatchString(out) || !strings.Contains(out, wantWait) ||
			strings.Contains(out, "DIRTY") || strings.Contains(out, "PARTLY DONE") {
			t.Errorf("status during the run:\n%s\nwant the lines %q, %q and %q, and nothing dirty", out, held, wantState, wantWait)
		}
		if out, code := ddlmig("status", "--exit-code"); code != exitPending {
			t.Errorf("status --exit-code during the run: exit %d, want %d\n%s", code, exitPending, out)
		}
	}

	waitFor("gate")
	check(fmt.Sprintf("000002   idx    running (held by pid %d), waiting for a lock", pid),
		fmt.Sprintf("000002_idx (server pid %d) is waiting for a lock on table gate (AccessShareLock) held by pid %d (application \"\"", pid, gatePIDs["gate"]))
	out, _ := ddlmig("status", "--format", "json")
	var doc StatusJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if w := doc.Migrations[1].LockWait; doc.Migrations[1].State != "running" || w == nil || w.PID != int32(pid) || w.Object != "table gate" ||
		w.Mode != "AccessShareLock" || w.Blocker.PID != int32(gatePIDs["gate"]) || w.Blocker.State != "idle in transaction" ||
		w.Blocker.XactStart == "" || w.Blocker.Query != "LOCK TABLE gate IN ACCESS EXCLUSIVE MODE" {
		t.Errorf("status --format json: %s", out)
	}
	if err := gates["gate"].Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	waitFor("gate2")
	check(fmt.Sprintf("000003   big    running (1 batch done, held by pid %d), waiting for a lock", pid),
		fmt.Sprintf("000003_big (server pid %d) is waiting for a lock on table gate2 (AccessShareLock) held by pid %d", pid, gatePIDs["gate2"]))
	if err := gates["gate2"].Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := <-applied; err != nil {
		t.Fatal(err)
	}
	out, code := ddlmig("status", "--exit-code")
	if code != exitOK || strings.Contains(out, "running") || strings.Contains(out, "migration lock") {
		t.Errorf("status after the run: exit %d\n%s", code, out)
	}
}

// testdbQuery scans one row of sql, run on a fresh connection to url.
func testdbQuery(t *testing.T, url, sql string, dest any, args ...any) error {
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.QueryRow(t.Context(), sql, args...).Scan(dest)
}

// TestTableNotOursCLI: apply --table naming a user's table, and status
// --table naming a system view, fail with exit 1 and say what is there;
// the user's table keeps its columns.
func TestTableNotOursCLI(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dbURL := testdb.New(t)
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"000001_a.up.sql":   "CREATE TABLE a (id int);\n",
		"000001_a.down.sql": "DROP TABLE a;\n",
	})
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), `CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text)`); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"apply", "--table", "customers"}, "ddlmig: bookkeeping table public.customers: the table exists but is not one ddlmig made (its columns are id, name, email; a ddlmig table's are version, name, checksum, applied_at, duration, dirty, failure, batch, batch_file); ddlmig changed nothing."},
		{[]string{"status", "--table", "information_schema.tables"}, "ddlmig: bookkeeping table information_schema.tables: it is a view, not a table ddlmig made; ddlmig changed nothing."},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(append(append([]string{}, c.args...), "--dir", dir, "--database-url", dbURL), strings.NewReader(""), &out, &errb)
		if code != exitError || !strings.Contains(errb.String(), c.want) {
			t.Errorf("ddlmig %s: exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit %d and %q", strings.Join(c.args, " "), code, out.String(), errb.String(), exitError, c.want)
		}
	}
	var cols string
	if err := conn.QueryRow(t.Context(), `SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attnum > 0`).Scan(&cols); err != nil || cols != "id,name,email" {
		t.Errorf("customers has columns %s (%v)", cols, err)
	}
	var a bool
	if err := conn.QueryRow(t.Context(), `SELECT to_regclass('a') IS NULL`).Scan(&a); err != nil || !a {
		t.Errorf("migration 1 ran")
	}
}
