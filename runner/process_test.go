package runner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestMain doubles as a tiny ddlmig apply when DDLMIG_RUNNER_CHILD is set,
// so that the tests can run real separate processes (and kill them) without
// building the command, and offline.
func TestMain(m *testing.M) {
	if os.Getenv("DDLMIG_RUNNER_CHILD") == "apply" {
		os.Exit(childApply(os.Getenv("DDLMIG_CHILD_URL"), os.Getenv("DDLMIG_CHILD_DIR")))
	}
	os.Exit(testdb.Main(m))
}

func childApply(url, dir string) int {
	ctx := context.Background()
	conn, err := Connect(ctx, url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer conn.Close(ctx)
	r, err := New(conn, os.DirFS(dir), Options{LockTimeout: 2 * time.Minute, OnEvent: func(e Event) {
		switch e.Kind {
		case EventStart:
			fmt.Printf("start %d\n", e.Step.Version)
		case EventDone:
			fmt.Printf("done %d\n", e.Step.Version)
		case EventLockWait:
			fmt.Printf("wait\n")
		}
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := r.Apply(ctx, 0); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func child(t *testing.T, url, dir string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "DDLMIG_RUNNER_CHILD=apply", "DDLMIG_CHILD_URL="+url, "DDLMIG_CHILD_DIR="+dir)
	return cmd
}

// logged migrations record themselves in a log table that is not the
// bookkeeping table, to count how often each ran.
func loggedMigrations(n int, slow map[int]string) map[string]string {
	ups := map[string]string{"000001_log": "CREATE TABLE log (version int, pid int);\nINSERT INTO log VALUES (1, pg_backend_pid());\n"}
	for v := 2; v <= n; v++ {
		ups[fmt.Sprintf("%06d_t%d", v, v)] = fmt.Sprintf("CREATE TABLE t%d (id int);\n%sINSERT INTO log VALUES (%d, pg_backend_pid());\n", v, slow[v], v)
	}
	return ups
}

// consistent checks that every recorded version ran exactly once and that
// nothing ran without being recorded.
func consistent(t *testing.T, url string) {
	t.Helper()
	if got := query(t, url, `SELECT count(*) FROM (SELECT version FROM log GROUP BY version HAVING count(*) > 1) d`); got != "0" {
		t.Errorf("%s migrations ran more than once", got)
	}
	if got := query(t, url, `SELECT count(*) FROM (
		(SELECT version FROM log EXCEPT SELECT version FROM ddlmig_migrations)
		UNION ALL (SELECT version FROM ddlmig_migrations EXCEPT SELECT version FROM log)) d`); got != "0" {
		t.Errorf("log and bookkeeping disagree: log %s, table %s", query(t, url, `SELECT string_agg(version::text, ',') FROM log`),
			query(t, url, `SELECT string_agg(version::text, ',') FROM ddlmig_migrations`))
	}
}

func TestConcurrentProcesses(t *testing.T) {
	url := testdb.New(t)
	const migrations, procs = 12, 6
	slow := map[int]string{}
	for v := 2; v <= migrations; v += 3 {
		slow[v] = "SELECT pg_sleep(0.05);\n"
	}
	dir := writeDir(t, files(loggedMigrations(migrations, slow), nil))
	var wg sync.WaitGroup
	outs := make([]string, procs)
	errs := make([]error, procs)
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stderr strings.Builder
			cmd := child(t, url, dir)
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			outs[i] = string(out)
			if err != nil {
				errs[i] = fmt.Errorf("%v: %s", err, stderr.String())
			}
		}()
	}
	wg.Wait()
	done := 0
	for i := range procs {
		if errs[i] != nil {
			t.Errorf("process %d: %v", i, errs[i])
		}
		done += strings.Count(outs[i], "done ")
	}
	if done != migrations {
		t.Errorf("processes report %d migrations done, want %d:\n%s", done, migrations, strings.Join(outs, "---\n"))
	}
	if got := query(t, url, `SELECT count(*) FROM log`); got != fmt.Sprint(migrations) {
		t.Errorf("log has %s rows, want %d", got, migrations)
	}
	consistent(t, url)
	t.Logf("outputs:\n%s", strings.Join(outs, "---\n"))
}

// startUntil starts cmd and returns once it printed line.
func startUntil(t *testing.T, cmd *exec.Cmd, line string) {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		ok := false
		for sc.Scan() {
			if sc.Text() == line && !ok {
				ok = true
				seen <- true
			}
		}
		if !ok {
			seen <- false
		}
	}()
	select {
	case ok := <-seen:
		if !ok {
			cmd.Wait()
			t.Fatalf("child ended without printing %q: %s", line, stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("child did not print %q in 30s", line)
	}
}

// waitRunning waits until a ddlmig session is executing query text
// containing s, so the kill lands mid-migration.
func waitRunning(t *testing.T, url, s string) {
	t.Helper()
	for range 400 {
		if query(t, url, fmt.Sprintf(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ddlmig' AND state = 'active' AND query LIKE '%%%s%%'`, s)) == "1" {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("no ddlmig session runs %q", s)
}

func TestKill9MidMigration(t *testing.T) {
	url := testdb.New(t)
	fsys := files(loggedMigrations(3, map[int]string{2: "SELECT pg_sleep(4);\n"}), nil)
	cmd := child(t, url, writeDir(t, fsys))
	startUntil(t, cmd, "start 2")
	waitRunning(t, url, "pg_sleep(4)")
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	killed := time.Now()

	// The killed client's server process may still hold the lock and run
	// the batch; this apply waits for it, then finishes the job.
	ctx := ctxTimeout(t, 2*time.Minute)
	r := newRunner(t, url, fsys, Options{LockTimeout: time.Minute})
	res, err := r.Apply(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second apply ran %d migration(s) after %s", len(res), time.Since(killed))
	if got, want := states(t, r), "version 000003: 000001 applied, 000002 applied, 000003 applied"; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	consistent(t, url)
	if got := query(t, url, `SELECT count(*) FROM log`); got != "3" {
		t.Errorf("log rows %s, want 3", got)
	}
}

func TestKill9NoTransactionLeavesDirty(t *testing.T) {
	url := testdb.New(t)
	fsys := files(map[string]string{
		"000001_a":   "CREATE TABLE a (id int);\n",
		"000002_idx": "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY a_idx ON a (id);\nSELECT pg_sleep(4);\nCREATE INDEX CONCURRENTLY a_idx2 ON a (id);\n",
	}, nil)
	cmd := child(t, url, writeDir(t, fsys))
	startUntil(t, cmd, "start 2")
	waitRunning(t, url, "pg_sleep(4)")
	cmd.Process.Kill()
	cmd.Wait()

	ctx := ctxTimeout(t, 2*time.Minute)
	r := newRunner(t, url, fsys, Options{LockTimeout: time.Minute})
	_, err := r.Apply(ctx, 0)
	if !errors.Is(err, ErrDirty) || !strings.Contains(err.Error(), "000002_idx.up.sql started") || !strings.Contains(err.Error(), "stamp --force") {
		t.Fatalf("error: %v", err)
	}
	if _, err := r.Stamp(ctx, 1, true); err != nil {
		t.Fatal(err)
	}
	execSQL(t, url, "DROP INDEX a_idx")
	if res, err := r.Apply(ctx, 0); err != nil || len(res) != 1 {
		t.Fatalf("apply after recovery: %v %+v", err, res)
	}
}
