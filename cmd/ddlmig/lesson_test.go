//go:build linux

// The lesson answers down's question on a pseudo-terminal (openPTY, Linux).

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
// in git with the README's pre-commit hook: init, generate, apply; add a
// column and commit with no file edited; rename following the printed hint
// exactly; drop a column (gated until reviewed); down asks on the
// terminal before it drops; then two branches that each add a migration
// merge, following what ddlmig prints.
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
	// commit commits everything; the hook decides.
	commit := func(msg string) (string, error) {
		t.Helper()
		git(t, dir, "add", "-A")
		return gitTry(dir, "commit", "-q", "-m", msg)
	}
	mustCommit := func(msg string) {
		t.Helper()
		if out, err := commit(msg); err != nil {
			t.Fatalf("commit %q refused: %v\n%s", msg, err, out)
		}
	}
	users := func() string { return query(`SELECT string_agg(name, '|' ORDER BY id) FROM users`) }
	git(t, dir, "init", "-q", "-b", "main")
	installHook(t, dir)

	must(exitOK, "init")
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL\n);\n")
	must(exitOK, "generate", "-m", "create users")
	mustCommit("create users")
	must(exitOK, db("apply")...)
	if err := testdb.Exec(context.Background(), dbURL, `INSERT INTO users (name) VALUES ('Ada'), ('Grace')`); err != nil {
		t.Fatal(err)
	}

	// Add a column: nothing to review, the hook passes with no file edited.
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    about_me text\n);\n")
	must(exitOK, "generate", "-m", "add about me")
	mustCommit("add about me")
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
	mustCommit("rename about me")
	must(exitOK, db("apply")...)
	if got := query(`SELECT string_agg(bio, '|' ORDER BY id) FROM users`); got != "likes Ada|likes Grace" {
		t.Fatalf("bio after the rename: %q", got)
	}

	// Drop a column: gated until a person reviews the up file; the hook
	// refuses the commit and apply refuses to run it.
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL\n);\n")
	must(exitOK, "generate", "-m", "drop bio")
	if out, err := commit("drop bio"); err == nil || !strings.Contains(out, "000004_drop_bio.up.sql:") || !strings.Contains(out, "unreviewed drop-column") {
		t.Fatalf("the hook let an unreviewed drop through (%v):\n%s", err, out)
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
	mustCommit("drop bio")
	must(exitOK, db("apply")...)

	// Down to 000001: the down of 000002 drops a column, so down lists it
	// and asks on the terminal; N keeps everything, y rolls back.
	for _, answer := range []string{"n", "y"} {
		ptmx, pts := openPTY(t)
		if _, err := ptmx.WriteString(answer + "\n"); err != nil {
			t.Fatal(err)
		}
		var out, errb strings.Builder
		code := run([]string{"--schema", filepath.Join(dir, "schema.sql"), "--dir", filepath.Join(dir, "migrations"), "down", "--to", "1", "--database-url", dbURL}, pts, &out, &errb)
		want, recorded := exitError, "4"
		if answer == "y" {
			want, recorded = exitOK, "1"
		}
		if code != want || !strings.Contains(errb.String(), "000002_add_about_me.down.sql:") || !strings.Contains(errb.String(), "Roll back anyway? [y/N] ") {
			t.Fatalf("down answered %q: exit %d, want %d\n%s%s", answer, code, want, out.String(), errb.String())
		}
		if got := query(`SELECT count(*)::text FROM ddlmig_migrations`); got != recorded {
			t.Fatalf("down answered %q: %s migrations recorded, want %s", answer, got, recorded)
		}
	}
	if got := users(); got != "Ada|Grace" {
		t.Fatalf("after down: %q", got)
	}
	must(exitOK, db("apply")...)

	// Two branches each add a migration 000005; the dev database applied
	// feature's. The merge stops on the sum file, and the printed
	// commands lead to the merged schema with the rows kept.
	git(t, dir, "checkout", "-q", "-b", "feature")
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    email text\n);\n")
	must(exitOK, "generate", "-m", "add email")
	mustCommit("add email")
	must(exitOK, db("apply")...)
	git(t, dir, "checkout", "-q", "main")
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    phone text\n);\n")
	must(exitOK, "generate", "-m", "add phone")
	mustCommit("add phone")
	git(t, dir, "checkout", "-q", "feature")
	merge := func() {
		t.Helper()
		if out, err := gitTry(dir, "merge", "main"); err == nil || !strings.Contains(out, "Merge conflict in migrations/ddlmig.sum") {
			t.Fatalf("merge (%v):\n%s", err, out)
		}
		writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    phone text,\n    email text\n);\n")
	}
	merge()
	if out, _ := must(exitNo, "check"); !strings.Contains(out, "run ddlmig renumber") {
		t.Fatalf("check after the merge:\n%s", out)
	}
	_, errs = must(exitError, db("renumber")...)
	_, steps, _ := strings.Cut(errs, "then renumber:\n")
	steps, _, _ = strings.Cut(steps, "nothing was changed")
	for _, step := range strings.Split(strings.TrimSpace(steps), "\n") {
		args := strings.Fields(strings.ReplaceAll(strings.TrimSpace(step), "--database-url ...", ""))
		switch {
		case args[0] == "git" && args[1] == "merge" && args[2] == "main":
			merge()
		case args[0] == "git":
			git(t, dir, args[1:]...)
		case args[1] == "down":
			must(exitOK, db(append(args[1:], "--yes")...)...) // no terminal here: the question was tested above
		default:
			must(exitOK, db(args[1:]...)...)
		}
	}
	mustCommit("merge main")
	must(exitOK, "check")
	if got := query(`SELECT string_agg(version::text, ',' ORDER BY version) FROM ddlmig_migrations`); got != "1,2,3,4,5,6" {
		t.Errorf("versions applied after the merge: %s", got)
	}
	if got := query(`SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users'`); got != "id,name,phone,email" {
		t.Errorf("columns after the merge: %s", got)
	}
	if got := users(); got != "Ada|Grace" {
		t.Errorf("rows after the merge: %q", got)
	}
}
