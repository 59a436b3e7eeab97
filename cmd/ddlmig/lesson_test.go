package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestLessonFlow is the Flask-Migrate lesson end to end, as a team runs it
// in git with check as the pre-commit hook: init, generate, apply; add a
// column and commit with no file edited; rename following the printed hint
// exactly; drop a column (gated until reviewed); down asks before it drops.
func TestLessonFlow(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dbURL := testdb.New(t)
	query := queryFunc(t, dbURL)
	dir := t.TempDir()
	must := func(want int, args ...string) (string, string) {
		t.Helper()
		code, out, errs := cli(t, dir, args...)
		if code != want {
			t.Fatalf("ddlmig %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out, errs
	}
	db := func(args ...string) []string { return append(args, "--database-url", dbURL) }
	// commit is the pre-commit hook on what is staged, and the commit.
	commit := func(msg string) {
		t.Helper()
		git(t, dir, "add", "-A")
		must(exitOK, "check", "--staged")
		git(t, dir, "commit", "-q", "-m", msg)
	}
	git(t, dir, "init", "-q")

	must(exitOK, "init")
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL\n);\n")
	must(exitOK, "generate", "-m", "create users")
	commit("create users")
	must(exitOK, db("apply")...)
	if err := testdb.Exec(context.Background(), dbURL, `INSERT INTO users (name) VALUES ('Ada'), ('Grace')`); err != nil {
		t.Fatal(err)
	}

	// Add a column: nothing to review, check passes with no file edited.
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    about_me text\n);\n")
	must(exitOK, "generate", "-m", "add about me")
	commit("add about me")
	must(exitOK, db("apply")...)
	if err := testdb.Exec(context.Background(), dbURL, `UPDATE users SET about_me = 'likes ' || name`); err != nil {
		t.Fatal(err)
	}

	// Rename about_me to bio without saying so: drop + add, and a hint
	// whose command, run as printed, makes it a rename.
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    bio text\n);\n")
	_, errs := must(exitOK, "generate", "-m", "rename about me")
	must(exitNo, "check") // the drop is unreviewed
	if code, out, errs := runHint(t, errs); code != 0 {
		t.Fatalf("the hint's command: exit %d\n%s%s", code, out, errs)
	}
	up := readMigration(t, dir, "000003_rename_about_me.up.sql")
	if !strings.Contains(up, "RENAME COLUMN about_me TO bio") || strings.Contains(up, "DROP") {
		t.Fatalf("amended migration:\n%s", up)
	}
	commit("rename about me")
	must(exitOK, db("apply")...)
	if got := query(`SELECT string_agg(bio, '|' ORDER BY id) FROM users`); got != "likes Ada|likes Grace" {
		t.Fatalf("bio after the rename: %q", got)
	}

	// Drop a column: gated until a person reviews the up file.
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL\n);\n")
	must(exitOK, "generate", "-m", "drop bio")
	if out, _ := must(exitNo, "check"); !strings.Contains(out, "000004_drop_bio.up.sql:") || !strings.Contains(out, "unreviewed drop-column") {
		t.Fatalf("check of an unreviewed drop:\n%s", out)
	}
	if _, errs := must(exitError, db("apply")...); !strings.Contains(errs, "unreviewed") {
		t.Fatalf("apply of an unreviewed drop:\n%s", errs)
	}
	if got := query(`SELECT string_agg(bio, '|' ORDER BY id) FROM users`); got != "likes Ada|likes Grace" {
		t.Fatalf("refused apply changed the data: %q", got)
	}
	p := filepath.Join(dir, "migrations", "000004_drop_bio.up.sql")
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(readMigration(t, dir, "000004_drop_bio.up.sql"), "ddlmig:unreviewed", "ddlmig:reviewed")), 0o644); err != nil {
		t.Fatal(err)
	}
	commit("drop bio")
	must(exitOK, db("apply")...)

	// Down to 000001: the down of 000002 drops a column, so down asks;
	// without a terminal it refuses until --yes.
	_, errs = must(exitError, db("down", "--to", "1")...)
	if !strings.Contains(errs, "000002_add_about_me.down.sql:") || !strings.Contains(errs, "rerun with --yes") {
		t.Fatalf("down without a terminal:\n%s", errs)
	}
	if got := query(`SELECT count(*)::text FROM ddlmig_migrations`); got != "4" {
		t.Fatalf("refused down rolled back: %s migrations recorded", got)
	}
	must(exitOK, db("down", "--to", "1", "--yes")...)
	if got := query(`SELECT string_agg(name, '|' ORDER BY id) FROM users`); got != "Ada|Grace" {
		t.Fatalf("after down: %q", got)
	}
}
