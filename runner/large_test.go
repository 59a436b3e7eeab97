package runner_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/runner"
	"github.com/ddlmig/ddlmig/schema"
)

// firstMigration writes the schema of n synthetic tables to a project with
// an empty migrations folder and returns the migrations a first generate
// writes (project.PlanRun), as a folder, with their file names in order.
func firstMigration(t *testing.T, n int) (base []byte, fsys fstest.MapFS, ups []string) {
	t.Helper()
	r := synth.Generate(synth.Options{Tables: n, Seed: 1})
	root := t.TempDir()
	p := project.Project{SchemaFile: filepath.Join(root, "schema.sql"), Dir: filepath.Join(root, "migrations")}
	if err := os.Mkdir(p.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p.SchemaFile, r.Base, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.PlanRun("base schema", planner.Options{}, &st.Online)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Write(p.Dir); err != nil {
		t.Fatal(err)
	}
	fsys = fstest.MapFS{}
	files := m.Steps
	if len(files) == 0 {
		files = []*project.Migration{m}
	}
	for _, f := range files {
		fsys[f.UpFile] = &fstest.MapFile{Data: []byte(f.Up)}
		// The drop-table hazards of the down files are reviewed: this
		// test is about locks.
		fsys[f.DownFile] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(f.Down, render.ReviewMarker, "-- ddlmig:reviewed"))}
		ups = append(ups, f.UpFile)
		if strings.Contains(f.Up, render.BatchMarker) || strings.Contains(f.Down, render.BatchMarker) {
			t.Errorf("%s: generate wrote a batch marker", f.UpFile)
		}
	}
	return r.Base, fsys, ups
}

// unbatched renders the first migration of n synthetic tables as one
// file, as a user might write it by hand.
func unbatched(t *testing.T, n int) fstest.MapFS {
	t.Helper()
	r := synth.Generate(synth.Options{Tables: n, Seed: 1})
	cat, _, err := parser.ParseFile("schema.sql", r.Base, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	up, err := planner.Diff(schema.New(), cat, planner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	upSQL, _ := render.Files(up, &planner.Plan{}, render.Header{Message: "base schema", BatchRelations: -1})
	return fstest.MapFS{"000001_base.up.sql": {Data: []byte(upSQL)}, "000001_base.down.sql": {Data: []byte("-- nothing\n")}}
}

// psqlEach applies files of fsys in order, each with psql -1 -f as
// another runner would: one transaction per file.
func psqlEach(t *testing.T, ctx context.Context, url string, fsys fstest.MapFS, files []string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		path := filepath.Join(dir, f)
		if err := os.WriteFile(path, fsys[f].Data, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.CommandContext(ctx, "psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", path).CombinedOutput(); err != nil {
			t.Fatalf("psql -1 -f %s: %v\n%s", f, err, out)
		}
	}
}

// loadDirectly loads schema.sql into a fresh database with psql, statement
// by statement (as one transaction it would run out of lock space too).
func loadDirectly(t *testing.T, ctx context.Context, base []byte) string {
	t.Helper()
	ref := testdb.New(t)
	path := filepath.Join(t.TempDir(), "schema.sql")
	if err := os.WriteFile(path, base, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.CommandContext(ctx, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", ref, "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("loading the schema with psql: %v\n%s", err, out)
	}
	return ref
}

// compare reports the differences between the catalogs of want and got,
// but for the bookkeeping table ddlmig apply leaves.
func compare(t *testing.T, ctx context.Context, what, want, got string) {
	t.Helper()
	diffs, err := oracle.CompareDatabases(ctx, want, got)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		if !strings.Contains(d, "ddlmig_migrations") {
			t.Errorf("%s: %s", what, d)
		}
	}
}

// applyAndCompare checks the migrations of a first generate both ways: each
// file with psql -1 -f (ups in order, then downs newest first), and with
// ddlmig apply and down; the ups give the catalog of the schema loaded
// directly, the downs an empty database.
func applyAndCompare(t *testing.T, ctx context.Context, base []byte, fsys fstest.MapFS, ups []string) {
	t.Helper()
	ref := loadDirectly(t, ctx, base)
	empty := testdb.New(t)
	var downs []string
	for _, up := range slices.Backward(ups) {
		downs = append(downs, strings.TrimSuffix(up, ".up.sql")+".down.sql")
	}

	byPsql := testdb.New(t)
	start := time.Now()
	psqlEach(t, ctx, byPsql, fsys, ups)
	t.Logf("psql -1 -f applied %d migrations in %s", len(ups), time.Since(start).Round(time.Millisecond))
	compare(t, ctx, "schema loaded directly vs migrations applied by psql -1 -f", ref, byPsql)
	psqlEach(t, ctx, byPsql, fsys, downs)
	compare(t, ctx, "after the downs by psql -1 -f", empty, byPsql)

	url := testdb.New(t)
	r := open(t, url, fsys)
	if _, err := r.Apply(ctx, 0); err != nil {
		t.Fatalf("apply: %v", err)
	}
	compare(t, ctx, "schema loaded directly vs ddlmig apply", ref, url)
	if _, err := r.Down(ctx, len(ups)); err != nil {
		t.Fatalf("down: %v", err)
	}
	compare(t, ctx, "after ddlmig down", empty, url)
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

// TestSmallSchemaInSteps is the always-on variant of
// TestFirstMigration5000: 300 tables lock more than 1,000 relations, so the
// first generate writes consecutive migrations, each applying with psql -1
// -f, to the same catalog as loading the schema.
func TestSmallSchemaInSteps(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	base, fsys, ups := firstMigration(t, 300)
	if len(ups) < 2 {
		t.Fatalf("300 tables gave %d migrations, want more than one", len(ups))
	}
	applyAndCompare(t, ctx, base, fsys, ups)
}

// TestFirstMigration5000 is issue 7 and 14: the first migration of a
// 5,000-table schema applies on a server with default settings, with any
// runner. It needs a few minutes and fills the server's lock table once,
// so it runs with DDLMIG_TEST_LARGE=1.
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

	// As one file, the migration fails with the advice and leaves nothing
	// behind.
	url := testdb.New(t)
	start := time.Now()
	_, err = open(t, url, unbatched(t, 5000)).Apply(ctx, 0)
	var ll *runner.LockLimitError
	if !errors.Is(err, runner.ErrLockLimit) || !errors.As(err, &ll) {
		t.Fatalf("unbatched apply: want ErrLockLimit, got %v", err)
	}
	t.Logf("unbatched apply failed after %s:\n%v", time.Since(start).Round(time.Millisecond), err)
	for _, want := range []string{"out of shared memory (SQLSTATE 53200)", "max_locks_per_transaction (64)", "Nothing of it was committed", "consecutive migrations"} {
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
	base, fsys, ups := firstMigration(t, 5000)
	t.Logf("the first generate wrote %d migrations", len(ups))
	applyAndCompare(t, ctx, base, fsys, ups)
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
