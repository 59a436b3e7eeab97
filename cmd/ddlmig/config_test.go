package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// typed runs ddlmig in wd with args exactly as a user types them there:
// no --schema or --dir is added, so the project is found by walking up.
func typed(t *testing.T, wd string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(wd)
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// expect runs typed and fails the test unless it exits with code and its
// stdout+stderr holds each of wants.
func expect(t *testing.T, wd string, code int, args []string, wants ...string) string {
	t.Helper()
	got, out, errs := typed(t, wd, args...)
	all := out + errs
	if got != code {
		t.Fatalf("ddlmig %s in %s: exit %d, want %d\n%s", strings.Join(args, " "), wd, got, code, all)
	}
	for _, w := range wants {
		if !strings.Contains(all, w) {
			t.Errorf("ddlmig %s in %s: output lacks %q:\n%s", strings.Join(args, " "), wd, w, all)
		}
	}
	return all
}

// repo is a fresh folder with a .git folder, so that the walk up to the
// project's root stops there whatever lies above the temp folder.
func repo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInitAndSubdirectories: init writes the project (config, starter
// schema, migrations/.gitkeep); from a subdirectory every command works on
// the project as at its root, printing paths relative to where it runs,
// and init there says where the project is.
func TestInitAndSubdirectories(t *testing.T) {
	t.Setenv("DATABASE_URL", testdb.New(t))
	root := repo(t)
	expect(t, root, exitOK, []string{"init"},
		"created migrations/.gitkeep (git keeps the empty folder) and migrations/ddlmig.sum", "created schema.sql (an example, in comments)", "created ddlmig.json",
		`next: declare your tables in schema.sql, then run ddlmig generate -m "initial schema"`)
	const wantConfig = `{
  "schema": "schema.sql",
  "dir": "migrations",
  "table": "ddlmig_migrations",
  "database_url_env": "DATABASE_URL"
}
`
	if got := readFile(t, filepath.Join(root, "ddlmig.json")); got != wantConfig {
		t.Errorf("ddlmig.json:\n%s\nwant:\n%s", got, wantConfig)
	}
	if got := readFile(t, filepath.Join(root, "schema.sql")); got != starterSchema {
		t.Errorf("schema.sql:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(root, "migrations", ".gitkeep")); err != nil {
		t.Error(err)
	}
	// The starter schema is all comments: nothing to generate, check passes.
	expect(t, root, exitOK, []string{"generate", "-m", "nothing"}, "no changes")
	if out := expect(t, root, exitOK, []string{"check"}, "ok: migrations matches schema.sql"); strings.Contains(out, "note:") {
		t.Errorf("check on a fresh project has something to say:\n%s", out)
	}
	expect(t, root, exitUsage, []string{"init"}, "ddlmig.json already exists: this project is initialised")

	sub := filepath.Join(root, "app", "models")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	expect(t, sub, exitUsage, []string{"init"},
		"ddlmig: . is inside the project at ../.. (its config file ../../ddlmig.json): ddlmig works from any folder in it, nothing to init; to start a second project here, run ddlmig init --here")
	if es, _ := os.ReadDir(sub); len(es) != 0 {
		t.Errorf("init in a subdirectory wrote %v", es)
	}

	writeSchema(t, root, usersV1)
	expect(t, sub, exitNo, []string{"check"}, "../../schema.sql: 3 changes that no migration holds yet")
	expect(t, sub, exitOK, []string{"generate", "-m", "users"},
		"wrote ../../migrations/000001_users.up.sql", "wrote ../../migrations/000001_users.down.sql")
	expect(t, sub, exitOK, []string{"check"}, "ok: ../../migrations matches ../../schema.sql")
	expect(t, sub, exitOK, []string{"history"}, "000001   users")
	// Not "applying ... ok" on one line: on a slow machine the index
	// build's progress is reported and breaks that line (printer.breakLine).
	expect(t, sub, exitOK, []string{"apply"}, "applied 1 migration; the database is at version 000001")
	expect(t, filepath.Join(root, "migrations"), exitOK, []string{"status"}, "table public.ddlmig_migrations: version 000001; 0 pending")
	expect(t, root, exitOK, []string{"diff", "--exit-code"}, "no changes")

	// The rename hint works as printed from the subdirectory.
	writeSchema(t, root, strings.Replace(usersV1, "name text", "full_name text", 1))
	hint := "ddlmig generate --amend -m 'full name' --rename users.name=users.full_name"
	if out := expect(t, sub, exitOK, []string{"generate", "-m", "full name"}, hint); strings.Contains(out, "--schema") {
		t.Errorf("the hint repeats the project's paths:\n%s", out)
	}
	expect(t, sub, exitOK, strings.Fields(strings.ReplaceAll(strings.TrimPrefix(hint, "ddlmig "), "'full name'", "full_name")),
		"replaced ../../migrations/000002_full_name.up.sql")
	if up := readFile(t, filepath.Join(root, "migrations", "000002_full_name.up.sql")); !strings.Contains(up, "RENAME COLUMN name TO full_name") {
		t.Errorf("the amended pair does not rename:\n%s", up)
	}

	// A second project inside the first, on purpose.
	expect(t, sub, exitOK, []string{"init", "--here"}, "created migrations/.gitkeep", "created schema.sql", "created ddlmig.json")
	if got := readFile(t, filepath.Join(sub, "ddlmig.json")); got != wantConfig {
		t.Errorf("nested ddlmig.json:\n%s", got)
	}
	expect(t, sub, exitOK, []string{"check"}, "ok: migrations matches schema.sql")
}

// TestConfigFile: the config file's paths are relative to its folder, its
// table and database variable are used, flags and environment variables
// win over it, and a key it does not know is refused.
func TestConfigFile(t *testing.T) {
	url := testdb.New(t)
	t.Setenv("DATABASE_URL", "")
	t.Setenv("APP_DB", url)
	root := repo(t)
	write(t, root, map[string]string{"ddlmig.json": `{"schema": "db/schema.sql", "dir": "db/migrations", "table": "app_migrations", "database_url_env": "APP_DB", "lock_timeout": "5s"}`})
	if err := os.MkdirAll(filepath.Join(root, "db", "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "db"), map[string]string{"schema.sql": usersV1})
	web := filepath.Join(root, "web")
	if err := os.Mkdir(web, 0o755); err != nil {
		t.Fatal(err)
	}
	expect(t, web, exitOK, []string{"generate", "-m", "users"}, "wrote ../db/migrations/000001_users.up.sql")
	expect(t, root, exitOK, []string{"apply"}, "applied 1 migration")
	expect(t, web, exitOK, []string{"status"}, "table public.app_migrations: version 000001")

	// "online": false is --online=false for generate and diff; the flag wins.
	write(t, filepath.Join(root, "db"), map[string]string{"schema.sql": usersV1 + "CREATE INDEX users_name ON users (name);\n"})
	expect(t, web, exitOK, []string{"diff"}, "CREATE INDEX CONCURRENTLY users_name")
	write(t, root, map[string]string{"ddlmig.json": `{"schema": "db/schema.sql", "dir": "db/migrations", "online": false}`})
	if out := expect(t, web, exitOK, []string{"diff"}, "CREATE INDEX users_name ON"); strings.Contains(out, "CREATE INDEX CONCURRENTLY users_name") {
		t.Errorf(`diff with "online": false wrote the online form:\n%s`, out)
	}
	expect(t, web, exitOK, []string{"diff", "--online"}, "CREATE INDEX CONCURRENTLY users_name")

	// "schema" may list files and folders, as --schema repeats.
	if err := os.MkdirAll(filepath.Join(root, "db", "more"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "db"), map[string]string{"schema.sql": usersV1, "more/posts.sql": "CREATE TABLE posts (id int);\n"})
	write(t, root, map[string]string{"ddlmig.json": `{"schema": ["db/schema.sql", "db/more"], "dir": "db/migrations"}`})
	expect(t, web, exitOK, []string{"diff"}, "CREATE TABLE public.posts")
	write(t, root, map[string]string{"ddlmig.json": `{"schema": "db/schema.sql", "dir": "db/migrations", "table": "app_migrations", "database_url_env": "APP_DB"}`})

	// The config names APP_DB: DATABASE_URL, another application's, is not read.
	t.Setenv("APP_DB", "")
	t.Setenv("DATABASE_URL", url)
	expect(t, web, exitUsage, []string{"status"}, "ddlmig: no database: pass --database-url or set APP_DB (../ddlmig.json names it; DATABASE_URL is not read)")
	expect(t, web, exitOK, []string{"status", "--database-url", url, "--table", "other"}, "table public.other does not exist")

	// Flags and the environment win over the config file.
	expect(t, web, exitUsage, []string{"check", "--dir", "nowhere"}, "ddlmig: nowhere: migrations folder does not exist")
	t.Setenv("DDLMIG_DIR", "elsewhere")
	expect(t, web, exitUsage, []string{"check"}, "ddlmig: elsewhere: migrations folder does not exist")
	os.Unsetenv("DDLMIG_DIR")

	for _, tc := range []struct{ config, want string }{
		{`{"shema": "x.sql"}`, `ddlmig: ../ddlmig.json: unknown key "shema" (the keys are schema, dir, table, database_url_env, online, lock_timeout, statement_timeout, statement_lock_timeout, lock_retries, lock_mode, lock_ttl, lint_since, lint_style, lint_disable)`},
		{`{"schema": ""}`, `ddlmig: ../ddlmig.json: "schema" must be a path or a list of paths`},
		{`{"schema": ["a.sql", 1]}`, `ddlmig: ../ddlmig.json: "schema" must be a path or a list of paths`},
		{`{"dir": 1}`, `ddlmig: ../ddlmig.json: "dir" must be a non-empty string`},
		{`schema = "x.sql"`, `ddlmig: ../ddlmig.json: not a JSON object`},
		{`{"lock_timeout": "soon"}`, `lock-timeout`},
	} {
		write(t, root, map[string]string{"ddlmig.json": tc.config})
		expect(t, web, exitUsage, []string{"status"}, tc.want)
		// --help and --version still work, to find out what is wrong.
		expect(t, web, exitOK, []string{"--version"}, "ddlmig ")
		expect(t, web, exitOK, []string{"check", "--help"}, "--staged")
	}
}

// TestRootWithoutConfig: a project from before config files is found by
// its migrations folder, and init at its root adds the config file and
// keeps the rest.
func TestRootWithoutConfig(t *testing.T) {
	root := repo(t)
	if err := os.Mkdir(filepath.Join(root, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeSchema(t, root, usersV1)
	sub := filepath.Join(root, "src")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	expect(t, sub, exitOK, []string{"generate", "-m", "users"}, "wrote ../migrations/000001_users.up.sql")
	expect(t, sub, exitUsage, []string{"init"}, "is inside the project at .. (its migrations folder ../migrations)")
	expect(t, root, exitOK, []string{"init"}, "kept migrations as it is", "kept schema.sql as it is", "created ddlmig.json")
	expect(t, sub, exitOK, []string{"check"}, "ok: ../migrations matches ../schema.sql")
	if readFile(t, filepath.Join(root, "schema.sql")) != usersV1 {
		t.Error("init changed schema.sql")
	}
}
