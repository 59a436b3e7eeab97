package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/project"
)

// asCLIEnv makes the test binary run as ddlmig (see TestMain), so that a
// git hook can call "ddlmig" on PATH.
const asCLIEnv = "DDLMIG_TEST_AS_CLI"

// readmeHook returns the plain git pre-commit hook the README documents.
func readmeHook(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "As a plain git hook")
	if !ok {
		t.Fatal(`README.md has no "As a plain git hook" paragraph`)
	}
	_, after, ok = strings.Cut(after, "```sh\n")
	hook, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 || !strings.HasPrefix(hook, "#!/bin/sh\n") {
		t.Fatalf("README.md's plain git hook is not a ```sh block starting #!/bin/sh:\n%s", after)
	}
	return hook
}

// installHook puts the README's hook into dir's repository and a "ddlmig"
// on PATH that is this test binary running as the CLI.
func installHook(t *testing.T, dir string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	shim := "#!/bin/sh\n" + asCLIEnv + "=1 exec '" + exe + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "ddlmig"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	if err := os.WriteFile(filepath.Join(dir, ".git", "hooks", "pre-commit"), []byte(readmeHook(t)), 0o755); err != nil {
		t.Fatal(err)
	}
}

// stagedProject is a git repository holding an initialised project with
// usersV1 generated and committed.
func stagedProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "-c", "init.defaultBranch=main", "init", "-q")
	expect(t, dir, exitOK, []string{"init"})
	writeSchema(t, dir, usersV1)
	expect(t, dir, exitOK, []string{"generate", "-m", "users"})
	git(t, dir, "add", "-A")
	expect(t, dir, exitOK, []string{"check", "--staged"}, "ok: migrations matches schema.sql (as staged); nothing unreviewed")
	git(t, dir, "commit", "-q", "-m", "users")
	return dir
}

// TestCheckStaged: check --staged judges the index, which the commit
// holds, not the work tree: a staged marker fails it even when the work
// tree's copy is reviewed, and an unstaged change is not its business.
func TestCheckStaged(t *testing.T) {
	dir := stagedProject(t)
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY\n);\n")
	expect(t, dir, exitOK, []string{"generate", "-m", "drop name"})
	up := filepath.Join(dir, "migrations", "000002_drop_name.up.sql")
	git(t, dir, "add", "-A")
	marker := "migrations/000002_drop_name.up.sql:"
	expect(t, dir, exitNo, []string{"check", "--staged"}, marker, "unreviewed drop-column")

	// Reviewed in the work tree only: the commit would still hold the marker.
	write(t, filepath.Dir(up), map[string]string{filepath.Base(up): strings.ReplaceAll(readFile(t, up), "ddlmig:unreviewed", "ddlmig:reviewed")})
	expect(t, dir, exitOK, []string{"check"})
	if out := expect(t, dir, exitNo, []string{"check", "--staged"}, marker); strings.Contains(out, "ok:") {
		t.Errorf("check --staged passed with the marker staged:\n%s", out)
	}
	git(t, dir, "add", up)
	expect(t, dir, exitOK, []string{"check", "--staged"}, "(as staged)")
	git(t, dir, "commit", "-q", "-m", "drop name")

	// A schema change that is not staged is not in the commit: --staged
	// passes, while the work tree check says a migration is missing.
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    email text\n);\n")
	expect(t, dir, exitNo, []string{"check"}, "schema.sql: 1 change that no migration holds yet")
	expect(t, dir, exitOK, []string{"check", "--staged"})
	// Staged without its migration, it fails; the same from a subfolder
	// names the paths from there.
	git(t, dir, "add", "schema.sql")
	sub := filepath.Join(dir, "app")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	expect(t, sub, exitNo, []string{"check", "--staged"}, "../schema.sql: 1 change that no migration holds yet")
	// A staged file whose work tree copy is deleted is still checked.
	expect(t, dir, exitOK, []string{"generate", "-m", "email"})
	git(t, dir, "add", "-A")
	if err := os.Remove(filepath.Join(dir, "migrations", "000003_email.down.sql")); err != nil {
		t.Fatal(err)
	}
	expect(t, dir, exitOK, []string{"check", "--staged"})
	expect(t, dir, exitNo, []string{"check"}, "up migration without its down migration")
}

// TestCheckStagedRefuses: conflicted files in a merge, a schema file git
// does not track, and a folder outside git are errors (exit 2) that say
// what to do; a merge without conflicts is checked as it will be committed.
func TestCheckStagedRefuses(t *testing.T) {
	dir := stagedProject(t)
	git(t, dir, "checkout", "-q", "-b", "other")
	writeSchema(t, dir, usersV1+"CREATE TABLE a (id int);\n")
	expect(t, dir, exitOK, []string{"generate", "-m", "a"})
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "a")
	git(t, dir, "checkout", "-q", "main")
	writeSchema(t, dir, usersV1+"CREATE TABLE b (id int);\n")
	expect(t, dir, exitOK, []string{"generate", "-m", "b"})
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "b")
	if out, err := gitTry(dir, "merge", "other"); err == nil {
		t.Fatalf("the merge did not conflict:\n%s", out)
	}
	expect(t, dir, exitError, []string{"check", "--staged"},
		"ddlmig: the git index holds unresolved merge conflicts in migrations/ddlmig.sum, schema.sql: a conflicted file has no staged version to check; resolve the schema file's conflicts, run ddlmig renumber (it rewrites ddlmig.sum), git add, and commit again")
	git(t, dir, "merge", "--abort")
	expect(t, dir, exitOK, []string{"check", "--staged"})

	// A conflict in the schema file alone: resolve it and git add it.
	git(t, dir, "checkout", "-q", "-b", "fourth", "HEAD~1")
	writeSchema(t, dir, usersV1+"CREATE TABLE d (id int);\n")
	git(t, dir, "commit", "-q", "-a", "-m", "d, no migration")
	git(t, dir, "checkout", "-q", "main")
	if out, err := gitTry(dir, "merge", "fourth"); err == nil {
		t.Fatalf("the merge did not conflict:\n%s", out)
	}
	expect(t, dir, exitError, []string{"check", "--staged"},
		"ddlmig: the git index holds unresolved merge conflicts in schema.sql: a conflicted file has no staged version to check; resolve each, git add it, and commit again")
	git(t, dir, "merge", "--abort")

	// A merge with no conflict is checked as it will be committed: here a
	// branch that changed schema.sql without generating its migration.
	git(t, dir, "checkout", "-q", "-b", "third", "HEAD~1")
	writeSchema(t, dir, "CREATE TABLE c (id int);\n"+usersV1)
	git(t, dir, "commit", "-q", "-a", "-m", "c, no migration")
	git(t, dir, "checkout", "-q", "main")
	git(t, dir, "merge", "-q", "--no-commit", "--no-ff", "third")
	expect(t, dir, exitNo, []string{"check", "--staged"}, "schema.sql: 1 change that no migration holds yet")
	git(t, dir, "merge", "--abort")

	write(t, dir, map[string]string{"other.sql": usersV1})
	expect(t, dir, exitError, []string{"check", "--staged", "--schema", "other.sql"}, "ddlmig: other.sql is not in the git index, so the commit would not hold it: git add it")

	outside := t.TempDir()
	if _, err := gitTry(outside, "rev-parse", "--show-toplevel"); err == nil {
		t.Skip("the temp folder is inside a git work tree")
	}
	write(t, outside, map[string]string{"schema.sql": usersV1})
	if err := os.Mkdir(filepath.Join(outside, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	expect(t, outside, exitError, []string{"check", "--staged"}, "ddlmig: check --staged reads the git index, and the working directory is not in a git work tree")
}

// TestPreCommitHook commits through the README's plain hook, with this
// test binary as ddlmig (installHook): the commit of a staged marker is
// refused though the work tree's copy is reviewed, and goes through once
// the reviewed file is staged.
func TestPreCommitHook(t *testing.T) {
	if !strings.Contains(readmeHook(t), "ddlmig check --staged") {
		t.Fatalf("README's plain hook does not run ddlmig check --staged:\n%s", readmeHook(t))
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := stagedProject(t)
	t.Chdir(wd) // installHook reads the README from here
	installHook(t, dir)
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY\n);\n")
	expect(t, dir, exitOK, []string{"generate", "-m", "drop name"})
	git(t, dir, "add", "-A")
	up := filepath.Join(dir, "migrations", "000002_drop_name.up.sql")
	write(t, filepath.Dir(up), map[string]string{filepath.Base(up): strings.ReplaceAll(readFile(t, up), "ddlmig:unreviewed", "ddlmig:reviewed")})
	out, err := gitTry(dir, "commit", "-q", "-m", "drop name")
	if err == nil || !strings.Contains(out, "migrations/000002_drop_name.up.sql:") || !strings.Contains(out, "unreviewed drop-column") {
		t.Fatalf("the hook let the staged marker through (err %v):\n%s", err, out)
	}
	git(t, dir, "add", up)
	if out, err := gitTry(dir, "commit", "-q", "-m", "drop name"); err != nil {
		t.Fatalf("the hook refused a reviewed commit: %v\n%s", err, out)
	}
	// git commit -a stages into a temporary index (GIT_INDEX_FILE): the
	// hook reads that one.
	writeSchema(t, dir, "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    email text\n);\n")
	if out, err := gitTry(dir, "commit", "-a", "-q", "-m", "schema only"); err == nil || !strings.Contains(out, "schema.sql: 1 change that no migration holds yet") {
		t.Fatalf("commit -a of a schema change without its migration: err %v\n%s", err, out)
	}
}

// TestCheckStagedFoldCache: check --staged folds unchanged staged
// migrations once: it writes them to the same folder every run, so the
// fold cache (whose key holds the folder) answers the next runs; and the
// folder is gone afterwards. A temporary folder per run added a cache
// entry each time, evicting generate's.
func TestCheckStagedFoldCache(t *testing.T) {
	t.Setenv(project.CacheEnv, "")
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir := stagedProject(t) // one staged check
	entries := func() int {
		es, _ := filepath.Glob(filepath.Join(cache, "ddlmig", "fold", "*.gob"))
		return len(es)
	}
	before := entries()
	for range 3 {
		expect(t, dir, exitOK, []string{"check", "--staged"})
	}
	if n := entries(); n != before || n == 0 {
		t.Errorf("fold cache entries: %d after the first staged check, %d after three more; want the same, not 0", before, n)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".git", "ddlmig-staged*"))
	if len(left) > 0 {
		t.Errorf("check --staged left %v", left)
	}
	// A run that holds the folder (or a lock a killed run left) sends the
	// next to a temporary folder of its own, without the cache.
	if err := os.Mkdir(filepath.Join(dir, ".git", "ddlmig-staged.lock"), 0o755); err != nil {
		t.Fatal(err)
	}
	expect(t, dir, exitOK, []string{"check", "--staged"})
	if n := entries(); n != before {
		t.Errorf("a check --staged beside a held folder added a fold cache entry: %d, was %d", n, before)
	}
}
