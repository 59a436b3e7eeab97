package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// gitTry runs git in dir and returns its output and error, for commands
// that may fail (a merge that conflicts).
func gitTry(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

const (
	branchBase  = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL\n);\n"
	branchEmail = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    email text\n);\n"
	branchPhone = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    phone text\n);\n"
	branchBoth  = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    phone text,\n    email text\n);\n"
)

// twoBranches makes a git repository in a temporary folder where main
// and feature each generated 000002 from 000001 (main: add phone,
// feature: add email), with feature checked out; it returns the folder
// and a function that runs ddlmig there, failing on another exit code.
func twoBranches(t *testing.T) (string, func(want int, args ...string) (string, string)) {
	t.Helper()
	dir := t.TempDir()
	must := func(want int, args ...string) (string, string) {
		t.Helper()
		code, out, errs := cli(t, dir, args...)
		if code != want {
			t.Fatalf("ddlmig %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out, errs
	}
	commit := func(msg string) {
		t.Helper()
		must(exitOK, "check")
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "-m", msg)
	}
	git(t, dir, "init", "-q", "-b", "main")
	must(exitOK, "init")
	writeSchema(t, dir, branchBase)
	must(exitOK, "generate", "-m", "create users")
	commit("create users")
	git(t, dir, "checkout", "-q", "-b", "feature")
	writeSchema(t, dir, branchEmail)
	must(exitOK, "generate", "-m", "add email")
	commit("add email")
	git(t, dir, "checkout", "-q", "main")
	writeSchema(t, dir, branchPhone)
	must(exitOK, "generate", "-m", "add phone")
	commit("add phone")
	git(t, dir, "checkout", "-q", "feature")
	return dir, must
}

// mergeMain merges main into feature, which stops on conflicts in the
// sum file (and schema.sql, resolved here as a person would).
func mergeMain(t *testing.T, dir string) {
	t.Helper()
	out, err := gitTry(dir, "merge", "main")
	if err == nil || !strings.Contains(out, "CONFLICT (content): Merge conflict in migrations/ddlmig.sum") {
		t.Fatalf("merging two branches that each added 000002 did not conflict in the sum file (%v):\n%s", err, out)
	}
	writeSchema(t, dir, branchBoth)
	git(t, dir, "add", "schema.sql")
}

// TestBranchesMerge: two branches each generate 000002; the merge stops
// on the sum file; check and generate name ddlmig renumber, which moves
// this branch's migration to 000003 and generates it again from the
// merged schema; check passes and apply builds the merged schema.
func TestBranchesMerge(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir, must := twoBranches(t)
	mergeMain(t, dir)

	out, _ := must(exitError, "check")
	for _, want := range []string{
		"ddlmig.sum: holds git merge conflict markers: two branches added migrations; resolve any conflict in the schema file, then run ddlmig renumber",
		"version 000002 is also used by 000002_add_email.up.sql (two branches generated the same version: on the branch that merged the other, run ddlmig renumber",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check after the merge lacks %q:\n%s", want, out)
		}
	}
	if _, errs := must(exitError, "generate", "-m", "more"); !strings.Contains(errs, "holds git merge conflict markers (two branches added migrations): run ddlmig renumber first") {
		t.Errorf("generate during the conflict:\n%s", errs)
	}

	out, _ = must(exitOK, "renumber")
	if !strings.Contains(out, "generated 000002_add_email again from") || !strings.Contains(out, "as 000003_add_email") {
		t.Errorf("renumber says:\n%s", out)
	}
	files := strings.Join(migrationFiles(t, dir), " ")
	if want := "000001_create_users.down.sql 000001_create_users.up.sql 000002_add_phone.down.sql 000002_add_phone.up.sql 000003_add_email.down.sql 000003_add_email.up.sql"; files != want {
		t.Errorf("folder after renumber:\n%s\nwant\n%s", files, want)
	}
	if up := readMigration(t, dir, "000003_add_email.up.sql"); !strings.Contains(up, "ADD COLUMN email text") || strings.Contains(up, "phone") {
		t.Errorf("regenerated migration:\n%s", up)
	}
	if out, _ := must(exitOK, "check"); strings.Contains(out, "note:") {
		t.Errorf("check after renumber:\n%s", out)
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "--no-edit")

	url := testdb.New(t)
	must(exitOK, "apply", "--database-url", url)
	if got := queryFunc(t, url)(`SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users'`); got != "id,name,phone,email" {
		t.Errorf("columns after apply: %s", got)
	}
}

// TestBranchesDevDatabase: the dev database applied this branch's 000002
// before the merge. renumber --database-url refuses and names the
// commands; run as printed, they lead to a database at the merged schema
// with its rows kept. Without the check, apply refuses the reused
// version and names the same way back.
func TestBranchesDevDatabase(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir, must := twoBranches(t)
	url := testdb.New(t)
	db := func(args ...string) []string { return append(args, "--database-url", url) }
	must(exitOK, db("apply")...)
	query := queryFunc(t, url)
	query(`INSERT INTO users (name, email) VALUES ('Ada', 'ada@example.com') RETURNING 'ok'`)
	mergeMain(t, dir)

	_, errs := must(exitError, db("renumber")...)
	want := "the database applied this branch's 000002_add_email, which renumber would move: roll back first with the files it ran, then renumber:\n" +
		"  git merge --abort\n  ddlmig down --to 000001 --database-url ...\n  git merge main\n  ddlmig renumber\n"
	if !strings.Contains(errs, want) {
		t.Fatalf("renumber with the dev database:\n%s", errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "migrations", "000003_add_email.up.sql")); err == nil {
		t.Fatal("refused renumber moved files")
	}
	git(t, dir, "merge", "--abort")
	must(exitOK, db("down", "--to", "000001", "--yes")...)
	mergeMain(t, dir)
	must(exitOK, db("renumber")...)
	must(exitOK, db("apply")...)
	if got := query(`SELECT string_agg(name || ':' || coalesce(email, '-'), ',') FROM users`); got != "Ada:-" {
		t.Errorf("rows after the way back: %s", got)
	}
	if got := query(`SELECT string_agg(version::text, ',' ORDER BY version) FROM ddlmig_migrations`); got != "1,2,3" {
		t.Errorf("versions applied: %s", got)
	}
}

// TestBranchesApplyNamesWayBack: a dev database that applied this
// branch's 000002 before renumber ran without --database-url: apply
// refuses and says how to roll it back from the branch as it was.
func TestBranchesApplyNamesWayBack(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir, must := twoBranches(t)
	url := testdb.New(t)
	must(exitOK, "apply", "--database-url", url)
	mergeMain(t, dir)
	must(exitOK, "renumber")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "--no-edit")
	_, errs := must(exitError, "apply", "--database-url", url)
	want := "(000002_add_email is 000003_add_email in the folder now: roll it back with the files it ran: git checkout HEAD^1 (this branch before the merge), ddlmig down --to 000001, git checkout -, then ddlmig apply)"
	if !strings.Contains(errs, want) {
		t.Fatalf("apply after renumber:\n%s", errs)
	}
	git(t, dir, "checkout", "-q", "HEAD^1")
	must(exitOK, "down", "--to", "000001", "--yes", "--database-url", url)
	git(t, dir, "checkout", "-q", "-")
	must(exitOK, "apply", "--database-url", url)
}
