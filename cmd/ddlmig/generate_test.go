package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/jackc/pgx/v5"
)

// cli runs ddlmig in-process inside dir (its working directory, where
// init writes the config file) and returns exit code and output.
func cli(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	full := append([]string{"--schema", filepath.Join(dir, "schema.sql"), "--dir", filepath.Join(dir, "migrations")}, args...)
	code := run(full, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func writeSchema(t *testing.T, dir, sql string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(sql), 0o644); err != nil {
		t.Fatal(err)
	}
}

func migrationFiles(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(filepath.Join(dir, "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		if !strings.HasPrefix(e.Name(), ".") && e.Name() != migfile.SumFile { // init's .gitkeep
			names = append(names, e.Name())
		}
	}
	return names
}

func readMigration(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "migrations", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const usersV1 = `CREATE TABLE users (
    id bigserial PRIMARY KEY,
    name text NOT NULL
);
`

func TestInitGenerateCheck(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := cli(t, dir, "init"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errs)
	}
	if code, _, errs := cli(t, dir, "init"); code != exitError || !strings.Contains(errs, "already exists") {
		t.Fatalf("second init: exit %d, stderr %q; want exit 2 and 'already exists'", code, errs)
	}

	writeSchema(t, dir, usersV1)
	code, out, errs := cli(t, dir, "generate", "-m", "Create users!")
	if code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	want := []string{"000001_create_users.down.sql", "000001_create_users.up.sql"}
	if got := migrationFiles(t, dir); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("files = %v, want %v", got, want)
	}
	if !strings.Contains(out, "000001_create_users.up.sql") {
		t.Errorf("generate output %q does not name the file", out)
	}
	if up := readMigration(t, dir, want[1]); !strings.Contains(up, "CREATE TABLE public.users") {
		t.Errorf("up file lacks CREATE TABLE:\n%s", up)
	}

	// Nothing changed: nothing written.
	if code, out, _ := cli(t, dir, "generate", "-m", "again"); code != 0 || strings.TrimSpace(out) != "no changes" {
		t.Fatalf("generate without changes: exit %d, out %q", code, out)
	}
	if n := len(migrationFiles(t, dir)); n != 2 {
		t.Fatalf("generate without changes wrote files: %d files", n)
	}

	// A new column: diff shows it, generate writes 000002.
	writeSchema(t, dir, strings.Replace(usersV1, "name text NOT NULL", "name text NOT NULL,\n    email text", 1))
	code, out, _ = cli(t, dir, "diff")
	if code != 0 || !strings.Contains(out, "ADD COLUMN email text") {
		t.Fatalf("diff: exit %d, out:\n%s", code, out)
	}
	if n := len(migrationFiles(t, dir)); n != 2 {
		t.Fatalf("diff wrote files")
	}
	// check fails while schema.sql is ahead of the migrations.
	code, out, _ = cli(t, dir, "check")
	if code != 1 || !strings.Contains(out, "no migration holds yet") {
		t.Fatalf("check with ungenerated change: exit %d, out:\n%s", code, out)
	}
	if code, _, errs := cli(t, dir, "generate", "-m", "add email"); code != 0 {
		t.Fatalf("generate 2: exit %d: %s", code, errs)
	}
	if up := readMigration(t, dir, "000002_add_email.up.sql"); !strings.Contains(up, "ALTER TABLE public.users ADD COLUMN email text;") {
		t.Errorf("000002 up:\n%s", up)
	}

	// Undoing a generate is deleting its files: the next generate writes
	// the same migration again.
	before := readMigration(t, dir, "000002_add_email.up.sql")
	for _, f := range []string{"000002_add_email.up.sql", "000002_add_email.down.sql"} {
		os.Remove(filepath.Join(dir, "migrations", f))
	}
	if code, _, errs := cli(t, dir, "generate", "-m", "add email"); code != 0 {
		t.Fatalf("regenerate: exit %d: %s", code, errs)
	}
	if after := readMigration(t, dir, "000002_add_email.up.sql"); after != before {
		t.Errorf("regenerated migration differs:\n%s\nwant:\n%s", after, before)
	}
}

func TestCheckReportsUnreviewedUntilApproved(t *testing.T) {
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, usersV1)
	cli(t, dir, "generate", "-m", "one")
	writeSchema(t, dir, "CREATE TABLE users (id bigserial PRIMARY KEY);\n")
	code, _, errs := cli(t, dir, "generate", "-m", "drop name")
	if code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "hazard") {
		t.Errorf("generate did not summarize hazards on stderr: %q", errs)
	}
	code, out, _ := cli(t, dir, "check")
	if code != 1 || !strings.Contains(out, "000002_drop_name.up.sql:") || !strings.Contains(out, "unreviewed") {
		t.Fatalf("check: exit %d, out:\n%s", code, out)
	}
	// Approve every marker in every file.
	for _, f := range migrationFiles(t, dir) {
		p := filepath.Join(dir, "migrations", f)
		b, _ := os.ReadFile(p)
		os.WriteFile(p, bytes.ReplaceAll(b, []byte("ddlmig:unreviewed"), []byte("ddlmig:reviewed")), 0o644)
	}
	if code, out, _ := cli(t, dir, "check"); code != 0 || !strings.HasPrefix(out, "ok") {
		t.Fatalf("check after review: exit %d, out:\n%s", code, out)
	}
}

func TestGenerateRename(t *testing.T) {
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, usersV1)
	cli(t, dir, "generate", "-m", "one")
	writeSchema(t, dir, strings.Replace(usersV1, "name text", "full_name text", 1))

	// Without --rename: drop + add, and a hint naming the flag.
	code, out, errs := cli(t, dir, "diff")
	if code != 0 || !strings.Contains(out, "DROP COLUMN name") || !strings.Contains(errs, "--rename") {
		t.Fatalf("diff without rename: exit %d\nout:\n%s\nerr:\n%s", code, out, errs)
	}
	code, out, errs = cli(t, dir, "diff", "--rename", "users.name=full_name")
	if code != 0 || !strings.Contains(out, "RENAME COLUMN name TO full_name") || strings.Contains(out, "DROP COLUMN") {
		t.Fatalf("diff with rename: exit %d\nout:\n%s\nerr:\n%s", code, out, errs)
	}
	if code, _, errs := cli(t, dir, "diff", "--rename", "users.nope=full_name"); code != exitError || !strings.Contains(errs, "nope") {
		t.Fatalf("rename matching nothing: exit %d, stderr %q", code, errs)
	}
}

func TestErrorsNamePositions(t *testing.T) {
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, "CREATE TABLE a (id int);\n\nCREATE TABLE b (id int,, x int);\n")
	code, _, errs := cli(t, dir, "generate")
	if code != exitError || !strings.Contains(errs, "schema.sql:3:") || !strings.Contains(errs, "syntax error") {
		t.Fatalf("syntax error: exit %d, stderr %q", code, errs)
	}
	writeSchema(t, dir, "CREATE TABLE a (id int);\nCREATE TYPE base (INPUT = base_in, OUTPUT = base_out);\n")
	code, _, errs = cli(t, dir, "generate")
	if code != exitError || !strings.Contains(errs, "schema.sql:2:1") || !strings.Contains(errs, "unsupported") {
		t.Fatalf("unsupported statement: exit %d, stderr %q", code, errs)
	}
	if code, _, _ := cli(t, dir, "generate", "--bogus"); code != 2 {
		t.Fatalf("usage error: exit %d, want 2", code)
	}
}

func TestGenerateRefusesMalformedFolder(t *testing.T) {
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, usersV1)
	cli(t, dir, "generate", "-m", "one")
	// A second branch also generated 000001.
	os.WriteFile(filepath.Join(dir, "migrations", "000001_other.up.sql"), []byte("CREATE TABLE x (id int);\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "migrations", "000001_other.down.sql"), []byte("DROP TABLE x;\n"), 0o644)
	code, _, errs := cli(t, dir, "generate", "-m", "two")
	if code != exitError || !strings.Contains(errs, "two branches") {
		t.Fatalf("duplicate version: exit %d, stderr %q", code, errs)
	}
	code, out, _ := cli(t, dir, "check")
	if code != 1 || !strings.Contains(out, "000001_other") {
		t.Fatalf("check on duplicate version: exit %d, out %q", code, out)
	}
}

func TestNoFolder(t *testing.T) {
	dir := t.TempDir()
	writeSchema(t, dir, usersV1)
	code, _, errs := cli(t, dir, "generate")
	if code != exitError || !strings.Contains(errs, "ddlmig init") {
		t.Fatalf("no folder: exit %d, stderr %q", code, errs)
	}
}

// TestGenerateEmpty: generate --empty writes the next pair for a data
// migration, which apply and down run on a real database, and which check
// and the next generate build on (its data statements are not folded).
func TestGenerateEmpty(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dbURL := testdb.New(t)
	dir := t.TempDir()
	writeSchema(t, dir, usersV1)
	for _, args := range [][]string{{"init"}, {"generate", "-m", "users"}} {
		if code, _, errs := cli(t, dir, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	if code, _, errs := cli(t, dir, "generate", "--empty", "--rename", "users.name=full_name"); code != 2 || !strings.Contains(errs, "--rename") {
		t.Fatalf("--empty --rename: exit %d, stderr %q", code, errs)
	}
	// The schema file need not parse: --empty does not read it.
	writeSchema(t, dir, usersV1+"CREATE TABLE broken (;\n")
	code, out, errs := cli(t, dir, "generate", "--empty", "-m", "Backfill names")
	if code != 0 {
		t.Fatalf("generate --empty: exit %d: %s", code, errs)
	}
	up, down := "000002_backfill_names.up.sql", "000002_backfill_names.down.sql"
	if !strings.Contains(out, up) || !strings.Contains(out, down) {
		t.Fatalf("generate --empty output %q does not name %s and %s", out, up, down)
	}
	for _, f := range []string{up, down} {
		text := readMigration(t, dir, f)
		if !strings.HasPrefix(text, "-- Message: Backfill names\n") {
			t.Errorf("%s does not start with its message:\n%s", f, text)
		}
	}
	writeSchema(t, dir, usersV1)
	approve(t, dir, "000001_users.down.sql")
	if code, out, errs := cli(t, dir, "check"); code != 0 {
		t.Fatalf("check after --empty: exit %d\n%s%s", code, out, errs)
	}

	// Fill it in: a data migration, and a third pair from generate proper.
	if err := os.WriteFile(filepath.Join(dir, "migrations", up), []byte(readMigration(t, dir, up)+
		"INSERT INTO users (name) VALUES ('a'), ('b');\nUPDATE users SET name = upper(name);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "migrations", down), []byte(readMigration(t, dir, down)+
		"DELETE FROM users WHERE name IN ('A', 'B');\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeSchema(t, dir, usersV1+"CREATE INDEX users_name ON users (name);\n")
	if code, _, errs := cli(t, dir, "generate", "-m", "index names"); code != 0 {
		t.Fatalf("generate after the data migration: exit %d: %s", code, errs)
	}
	if got := migrationFiles(t, dir); len(got) != 6 || !strings.HasPrefix(got[4], "000003_index_names.") {
		t.Fatalf("migrations: %v", got)
	}
	approve(t, dir, "000003_index_names.up.sql")
	if code, _, errs := cli(t, dir, "apply", "--database-url", dbURL); code != 0 {
		t.Fatalf("apply: exit %d: %s", code, errs)
	}
	names := func() string {
		conn, err := pgx.Connect(t.Context(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(t.Context())
		var s string
		if err := conn.QueryRow(t.Context(), "SELECT coalesce(string_agg(name, ',' ORDER BY name), '') FROM users").Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := names(); got != "A,B" {
		t.Fatalf("after apply, users.name = %q, want A,B", got)
	}
	if code, _, errs := cli(t, dir, "down", "--steps", "2", "--database-url", dbURL); code != 0 {
		t.Fatalf("down: exit %d: %s", code, errs)
	}
	if got := names(); got != "" {
		t.Fatalf("after down, users.name = %q, want no rows", got)
	}
}

// approve marks every hazard of a migration file reviewed.
func approve(t *testing.T, dir, name string) {
	t.Helper()
	text := strings.ReplaceAll(readMigration(t, dir, name), "ddlmig:unreviewed", "ddlmig:reviewed")
	if err := os.WriteFile(filepath.Join(dir, "migrations", name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
