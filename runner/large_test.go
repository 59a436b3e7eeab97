package runner_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/runner"
	"github.com/ddlmig/ddlmig/schema"
)

// firstMigration renders the migration pair that creates a synthetic
// schema of n tables from nothing, as a first generate would, with the
// given batch budget.
func firstMigration(t *testing.T, n, budget int) (base []byte, fsys fstest.MapFS) {
	t.Helper()
	r := synth.Generate(synth.Options{Tables: n, Seed: 1})
	cat, _, err := parser.ParseFile("schema.sql", r.Base, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	empty := schema.New()
	up, err := planner.Diff(empty, cat, planner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	down, err := planner.Diff(cat, empty, planner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	upSQL, downSQL := render.Files(up, down, render.Header{Message: "base schema", BatchRelations: budget})
	// The drop-table hazards of the down file are reviewed: this test is
	// about locks.
	downSQL = strings.ReplaceAll(downSQL, render.ReviewMarker, "-- ddlmig:reviewed")
	return r.Base, fstest.MapFS{
		"000001_base.up.sql":   {Data: []byte(upSQL)},
		"000001_base.down.sql": {Data: []byte(downSQL)},
	}
}

// applyAndCompare applies fsys to a fresh database, compares its catalog
// with one where the schema was loaded directly, rolls back and checks the
// database is empty again.
func applyAndCompare(t *testing.T, ctx context.Context, base []byte, fsys fstest.MapFS, wantBatches int) {
	t.Helper()
	url := testdb.New(t)
	r := open(t, url, fsys)
	steps, err := r.Plan(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if steps[0].Batches != wantBatches {
		t.Errorf("up file has %d batches, want %d", steps[0].Batches, wantBatches)
	}
	start := time.Now()
	if _, err := r.Apply(ctx, 0); err != nil {
		t.Fatalf("apply: %v", err)
	}
	t.Logf("applied %d batches in %s", steps[0].Batches, time.Since(start).Round(time.Millisecond))
	ref := testdb.New(t)
	// The reference is loaded statement by statement by psql: as one
	// transaction it would run out of lock space too.
	path := filepath.Join(t.TempDir(), "schema.sql")
	if err := os.WriteFile(path, base, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.CommandContext(ctx, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", ref, "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("loading the schema with psql: %v\n%s", err, out)
	}
	if err := testdb.Exec(ctx, url, "DROP TABLE ddlmig_migrations"); err != nil {
		t.Fatal(err)
	}
	diffs, err := oracle.CompareDatabases(ctx, ref, url)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("schema loaded directly vs applied in batches: %s", d)
	}
	// Put the bookkeeping back (the row is what down reads) and roll back.
	r = open(t, url, fsys)
	if _, err := r.Stamp(ctx, 1, false); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Down(ctx, 1); err != nil {
		t.Fatalf("down: %v", err)
	}
	empty := testdb.New(t)
	if diffs, err := oracle.CompareDatabases(ctx, empty, url); err != nil || len(diffs) > 1 {
		// The bookkeeping table stays; nothing else may.
		t.Errorf("after down the database is not empty (%v): %s", err, strings.Join(diffs, "\n"))
	}
}

func open(t *testing.T, url string, fsys fstest.MapFS) *runner.Runner {
	t.Helper()
	conn, err := runner.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	r, err := runner.New(conn, fsys, runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSmallSchemaInBatches is the always-on variant of TestFirstMigration5000:
// 300 tables with a budget of 1,000 relations per batch cut into several
// batches, which apply to the same catalog as loading the schema.
func TestSmallSchemaInBatches(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	base, fsys := firstMigration(t, 300, 0)
	if n := strings.Count(string(fsys["000001_base.up.sql"].Data), "\n"+render.BatchMarker+" "); n < 1 {
		t.Fatalf("300 tables gave %d batch markers, want some", n)
	}
	n := 1 + strings.Count(string(fsys["000001_base.up.sql"].Data), "\n"+render.BatchMarker+" ")
	applyAndCompare(t, ctx, base, fsys, n)
}

// TestFirstMigration5000 is issue 7: the first migration of a 5,000-table
// schema applies on a server with default settings. It needs a few minutes
// and fills the server's lock table once, so it runs with
// DDLMIG_TEST_LARGE=1.
func TestFirstMigration5000(t *testing.T) {
	if os.Getenv("DDLMIG_TEST_LARGE") == "" {
		t.Skip("set DDLMIG_TEST_LARGE=1 to run the 5,000-table test (a few minutes)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	probe := testdb.New(t)
	conn, err := runner.Connect(ctx, probe)
	if err != nil {
		t.Fatal(err)
	}
	var locks string
	if err := conn.QueryRow(ctx, "SHOW max_locks_per_transaction").Scan(&locks); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if locks != "64" {
		t.Fatalf("max_locks_per_transaction is %s; this test is about the default, 64", locks)
	}

	base, fsys := firstMigration(t, 5000, 0)
	// Unbatched, the file fails with the advice and leaves nothing behind.
	_, one := firstMigration(t, 5000, -1)
	url := testdb.New(t)
	start := time.Now()
	_, err = open(t, url, one).Apply(ctx, 0)
	var ll *runner.LockLimitError
	if !errors.Is(err, runner.ErrLockLimit) || !errors.As(err, &ll) {
		t.Fatalf("unbatched apply: want ErrLockLimit, got %v", err)
	}
	t.Logf("unbatched apply failed after %s:\n%v", time.Since(start).Round(time.Millisecond), err)
	for _, want := range []string{"out of shared memory (SQLSTATE 53200)", "max_locks_per_transaction (64)", "Nothing of it was committed", render.BatchMarker} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q", want)
		}
	}
	if ll.Suggested <= 64 || ll.Batches < 2 {
		t.Errorf("advice: max_locks_per_transaction %d, %d batches", ll.Suggested, ll.Batches)
	}
	if got := count(t, url, `SELECT count(*) FROM pg_class WHERE relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'public')`); got != 0 {
		t.Errorf("the failed apply left %d relations behind", got)
	}
	applyAndCompare(t, ctx, base, fsys, 1+strings.Count(string(fsys["000001_base.up.sql"].Data), "\n"+render.BatchMarker+" "))
}

func count(t *testing.T, url, sql string) int {
	t.Helper()
	conn, err := runner.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
