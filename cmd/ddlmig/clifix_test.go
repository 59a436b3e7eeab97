package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// runDir runs ddlmig in-process on the migrations folder dir and returns
// its exit code and output (stdout then stderr).
func runDir(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{args[0], "--dir", dir}, args[1:]...)
	code := run(full, strings.NewReader(""), &out, &errb)
	return code, out.String() + errb.String()
}

// threeMigrations is a folder of three small migrations with down files.
func threeMigrations(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"000001_a.up.sql":   "CREATE TABLE a (id int);\n",
		"000001_a.down.sql": "DROP TABLE a;\n",
		"000002_b.up.sql":   "CREATE TABLE b (id int);\n",
		"000002_b.down.sql": "DROP TABLE b;\n",
		"000003_c.up.sql":   "CREATE TABLE c (id int);\n",
		"000003_c.down.sql": "DROP TABLE c;\n",
	})
	return dir
}

func mustRun(t *testing.T, dir string, want int, args ...string) string {
	t.Helper()
	code, out := runDir(t, dir, args...)
	if code != want {
		t.Fatalf("ddlmig %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
	}
	return out
}

// An explicit --steps 0 rolls back nothing; only a missing --steps means 1.
// Likewise apply --to 0 applies nothing, not everything.
func TestStepsZero(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	dir := threeMigrations(t)
	db := func(args ...string) []string { return append(args, "--database-url", url) }

	out := mustRun(t, dir, exitOK, db("apply", "--to", "0")...)
	if !strings.Contains(out, "nothing applied") {
		t.Errorf("apply --to 0 says:\n%s", out)
	}
	if out := mustRun(t, dir, exitOK, db("status")...); !strings.Contains(out, "3 pending") {
		t.Fatalf("apply --to 0 applied something:\n%s", out)
	}
	mustRun(t, dir, exitOK, db("apply")...)

	for _, args := range [][]string{{"down", "--steps", "0"}, {"down", "--steps", "0", "--dry-run"}, {"down", "--steps=0"}} {
		out := mustRun(t, dir, exitOK, db(args...)...)
		if !strings.Contains(out, "nothing rolled back") {
			t.Errorf("%v says:\n%s", args, out)
		}
		if out := mustRun(t, dir, exitOK, db("status")...); !strings.Contains(out, "version 000003; 0 pending") {
			t.Fatalf("%v rolled something back:\n%s", args, out)
		}
	}

	mustRun(t, dir, exitOK, db("down")...)
	if out := mustRun(t, dir, exitOK, db("status")...); !strings.Contains(out, "version 000002; 1 pending") {
		t.Fatalf("down without --steps did not roll back one:\n%s", out)
	}
	out = mustRun(t, dir, exitUsage, db("down", "--steps=-1")...)
	if !strings.Contains(out, "must not be negative") {
		t.Errorf("down --steps=-1 says:\n%s", out)
	}
	out = mustRun(t, dir, exitUsage, db("down", "--steps", "0", "--to", "1")...)
	if !strings.Contains(out, "not both") {
		t.Errorf("down --steps 0 --to 1 says:\n%s", out)
	}
}

// A version number reused by another branch: status and apply name the
// conflict, neither calls it an edited file nor suggests stamp.
func TestVersionReusedCLI(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	dir := t.TempDir()
	db := func(args ...string) []string { return append(args, "--database-url", url) }
	write(t, dir, map[string]string{
		"000001_users.up.sql":   "CREATE TABLE users (id int);\n",
		"000001_users.down.sql": "DROP TABLE users;\n",
		"000002_posts.up.sql":   "CREATE TABLE posts (id int);\n",
		"000002_posts.down.sql": "DROP TABLE posts;\n",
		"000003_b.up.sql":       "CREATE TABLE b (id int);\n",
		"000003_b.down.sql":     "DROP TABLE b;\n",
	})
	mustRun(t, dir, exitOK, db("apply")...)
	write(t, dir, map[string]string{
		"000003_b.up.sql":   "",
		"000003_b.down.sql": "",
		"000003_a.up.sql":   "CREATE TABLE a (id int);\n",
		"000003_a.down.sql": "DROP TABLE a;\n",
		"000004_b.up.sql":   "CREATE TABLE b (id int);\n",
		"000004_b.down.sql": "DROP TABLE b;\n",
	})
	want := "ersion 000003 was applied as 000003_b; the folder now has 000003_a: another branch reused the version number — renumber one of them"
	out := mustRun(t, dir, exitNo, db("status", "--exit-code")...)
	if !strings.Contains(out, "VERSION REUSED (applied as 000003_b)") || strings.Contains(out, "folder problem:") || !strings.Contains(out, want) || strings.Contains(out, "file changed since") {
		t.Errorf("status says:\n%s", out)
	}
	out = mustRun(t, dir, exitError, db("apply")...)
	if !strings.Contains(out, want) || strings.Contains(out, "stamp") || strings.Contains(out, "changed") {
		t.Errorf("apply says:\n%s", out)
	}
	out = mustRun(t, dir, exitError, db("down")...)
	if !strings.Contains(out, want) {
		t.Errorf("down says:\n%s", out)
	}
	if out := mustRun(t, dir, exitOK, db("status")...); !strings.Contains(out, "version 000003; 1 pending") {
		t.Errorf("apply or down ran something:\n%s", out)
	}
}

// apply --to a version below the database's says the database is past it
// and how to go back; down --steps more than applied says how many were.
func TestTargetsBeyondTheDatabase(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	dir := threeMigrations(t)
	db := func(args ...string) []string { return append(args, "--database-url", url) }
	mustRun(t, dir, exitOK, db("apply")...)

	want := "the database is already at version 000003, past 000001; to go back to 000001, run ddlmig down --to 000001"
	for _, args := range [][]string{{"apply", "--to", "1"}, {"apply", "--to", "1", "--dry-run"}} {
		out := mustRun(t, dir, exitOK, db(args...)...)
		if !strings.Contains(out, want) || strings.Contains(out, "up to date") {
			t.Errorf("%v says:\n%s", args, out)
		}
	}
	if out := mustRun(t, dir, exitOK, db("apply", "--to", "3")...); !strings.Contains(out, "nothing to apply: the database is up to date") {
		t.Errorf("apply --to 3 at 3 says:\n%s", out)
	}

	out := mustRun(t, dir, exitOK, db("down", "--steps", "100", "--dry-run")...)
	if !strings.Contains(out, "3 migrations would be rolled back") || !strings.Contains(out, "--steps 100, but only 3 were applied") {
		t.Errorf("down --steps 100 --dry-run says:\n%s", out)
	}
	out = mustRun(t, dir, exitOK, db("down", "--steps", "100")...)
	if !strings.Contains(out, "rolled back 3 migrations; the database is at version 000000") || !strings.Contains(out, "--steps 100, but only 3 were applied") {
		t.Errorf("down --steps 100 says:\n%s", out)
	}
	if out := mustRun(t, dir, exitOK, db("down", "--steps", "2")...); !strings.Contains(out, "nothing to roll back: no migration is applied") {
		t.Errorf("down --steps 2 with none applied says:\n%s", out)
	}
	mustRun(t, dir, exitOK, db("apply")...)
	if out := mustRun(t, dir, exitOK, db("down", "--steps", "2")...); strings.Contains(out, "only") {
		t.Errorf("down --steps 2 with 3 applied says:\n%s", out)
	}
}

// Counts agree with their nouns: a migration that stopped after its first
// batch is "PARTLY DONE (1 batch)" and "batch 1 stays applied".
func TestWordingOneBatch(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	dir := t.TempDir()
	db := func(args ...string) []string { return append(args, "--database-url", url) }
	write(t, dir, map[string]string{
		"000001_abc.up.sql":   "CREATE TABLE a (id int);\n-- ddlmig:batch\nINSERT INTO nope VALUES (1);\n-- ddlmig:batch\nCREATE TABLE c (id int);\n",
		"000001_abc.down.sql": "DROP TABLE c;\nDROP TABLE a;\n",
	})
	out := mustRun(t, dir, exitError, db("apply")...)
	// One dot per committed batch: batch 2 began but never committed.
	for _, want := range []string{"3 batches .FAILED", "Batch 2 of 3 was rolled back; batch 1 stays applied", "undo batch 1 by hand"} {
		if !strings.Contains(out, want) {
			t.Errorf("apply does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "1-1") || strings.Contains(out, "(s)") {
		t.Errorf("apply says:\n%s", out)
	}
	out = mustRun(t, dir, exitOK, db("status")...)
	for _, want := range []string{"PARTLY DONE (1 batch) ", "(batch 1 is applied; ddlmig apply resumes at batch 2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("status does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "1 batches") || strings.Contains(out, "1-1") {
		t.Errorf("status says:\n%s", out)
	}

	write(t, dir, map[string]string{
		"000001_abc.up.sql": "CREATE TABLE a (id int);\n-- ddlmig:batch\nCREATE TABLE b (id int);\n-- ddlmig:batch\nCREATE TABLE c (id int);\n",
		"000002_d.up.sql":   "CREATE TABLE d (id int);\n",
		"000002_d.down.sql": "DROP TABLE d;\n",
	})
	out = mustRun(t, dir, exitOK, db("apply")...)
	if !strings.Contains(out, "applied 2 migrations;") {
		t.Errorf("apply says:\n%s", out)
	}
	out = mustRun(t, dir, exitOK, db("down", "--dry-run")...)
	if !strings.Contains(out, "-- dry run: 1 migration would be rolled back") {
		t.Errorf("down --dry-run says:\n%s", out)
	}
	out = mustRun(t, dir, exitOK, db("down", "--steps", "5")...)
	if !strings.Contains(out, "rolled back 2 migrations;") || !strings.Contains(out, "--steps 5, but only 2 were applied") {
		t.Errorf("down --steps 5 says:\n%s", out)
	}
}
