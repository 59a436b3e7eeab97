package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/migfile"
)

// cliIn is cli with stdin.
func cliIn(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--schema", filepath.Join(dir, "schema.sql"), "--dir", filepath.Join(dir, "migrations")}, args...)
	code := run(full, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// queryFunc connects to dbURL for the rest of the test and returns a
// function that reads one value back.
func queryFunc(t *testing.T, dbURL string) func(sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return func(sql string) string {
		t.Helper()
		var s string
		if err := conn.QueryRow(ctx, sql).Scan(&s); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return s
	}
}

// appliedUsers makes a project in a new folder whose one migration creates
// usersV1, applied to a new database: what the down tests start from.
func appliedUsers(t *testing.T) (dir, dbURL string) {
	t.Helper()
	t.Setenv("DATABASE_URL", "")
	dbURL = testdb.New(t)
	dir = t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, usersV1)
	cli(t, dir, "generate", "-m", "create users")
	if code, _, errs := cli(t, dir, "apply", "--database-url", dbURL); code != 0 {
		t.Fatalf("apply: %s", errs)
	}
	return dir, dbURL
}

// onTerminal makes generate believe stdin is a terminal for one test.
func onTerminal(t *testing.T) {
	t.Helper()
	saved := stdinIsTerminal
	stdinIsTerminal = func(any) bool { return true }
	t.Cleanup(func() { stdinIsTerminal = saved })
}

const usersRenamed = `CREATE TABLE users (
    id bigserial PRIMARY KEY,
    full_name text NOT NULL
);
`

// approveAll does the reviewer's part: every marker read and approved.
func approveAll(t *testing.T, dir string) {
	t.Helper()
	for _, f := range migrationFiles(t, dir) {
		p := filepath.Join(dir, "migrations", f)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, bytes.ReplaceAll(b, []byte("ddlmig:unreviewed"), []byte("ddlmig:reviewed")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// renameProject is a project whose first migration creates users (with
// its down file's drop-table reviewed) and whose schema.sql then renames
// users.name to full_name.
func renameProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, usersV1)
	if code, _, errs := cli(t, dir, "generate", "-m", "one"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	approveAll(t, dir)
	writeSchema(t, dir, usersRenamed)
	return dir
}

func TestGenerateAsksAboutRenamesOnTerminal(t *testing.T) {
	const question = "Did you rename users.name to users.full_name? [y/N] "
	tests := []struct {
		name, stdin string
		args        []string
		asked       bool
		rename      bool
	}{
		{name: "yes", stdin: "y\n", asked: true, rename: true},
		{name: "YES", stdin: "YES\n", asked: true, rename: true},
		{name: "no", stdin: "n\n", asked: true},
		{name: "just enter", stdin: "\n", asked: true},
		{name: "end of input", stdin: "", asked: true},
		{name: "no-input never asks", stdin: "y\n", args: []string{"--no-input"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			onTerminal(t)
			dir := renameProject(t)
			code, _, errs := cliIn(t, dir, tt.stdin, append([]string{"generate", "-m", "two"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("generate: exit %d: %s", code, errs)
			}
			if got := strings.Contains(errs, question); got != tt.asked {
				t.Errorf("asked = %t, want %t; stderr:\n%s", got, tt.asked, errs)
			}
			up := readMigration(t, dir, "000002_two.up.sql")
			if got := strings.Contains(up, "RENAME COLUMN name TO full_name"); got != tt.rename {
				t.Errorf("rename = %t, want %t; up:\n%s", got, tt.rename, up)
			}
			hint := "possible rename users.name -> users.full_name: to write it as a rename instead, run\n"
			switch {
			case tt.rename:
				if strings.Contains(up, "DROP COLUMN") || strings.Contains(errs, "possible rename") {
					t.Errorf("confirmed rename still drops or hints:\nup:\n%s\nstderr:\n%s", up, errs)
				}
			case !strings.Contains(up, "-- ddlmig:unreviewed drop-column: drops column public.users.name and all its data"):
				t.Errorf("refused rename: want a marked drop\nup:\n%s", up)
			case tt.asked && (strings.Contains(errs, "possible rename") || strings.Contains(errs, "--rename")):
				// The user answered no: no advice to do what they declined.
				t.Errorf("answered no, still hinted:\n%s", errs)
			case !tt.asked && !strings.Contains(errs, hint):
				t.Errorf("not asked: want the hint %q\nstderr:\n%s", hint, errs)
			}
		})
	}
}

// TestGenerateWithoutTerminalNeverWaits: stdin holds an answer but is not
// a terminal, so generate must not read it.
func TestGenerateWithoutTerminalNeverWaits(t *testing.T) {
	dir := renameProject(t)
	code, _, errs := cliIn(t, dir, "y\n", "generate", "-m", "two")
	if code != 0 || strings.Contains(errs, "Did you rename") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if up := readMigration(t, dir, "000002_two.up.sql"); !strings.Contains(up, "DROP COLUMN name") {
		t.Errorf("up:\n%s", up)
	}
}

// TestRenameComment: a rename written into schema.sql renames; once the
// migration holds it, generate ignores the comment and check notes that it
// can be removed, and passes.
func TestRenameComment(t *testing.T) {
	for _, comment := range []string{"-- ddlmig:renamed-from name", "-- @renamed from=name", "/* @renamed from=name */"} {
		t.Run(comment, func(t *testing.T) {
			dir := renameProject(t)
			writeSchema(t, dir, strings.Replace(usersRenamed, "full_name text NOT NULL", "full_name text NOT NULL "+comment, 1))
			code, _, errs := cli(t, dir, "generate", "-m", "two")
			if code != 0 {
				t.Fatalf("generate: exit %d: %s", code, errs)
			}
			up := readMigration(t, dir, "000002_two.up.sql")
			if !strings.Contains(up, "ALTER TABLE public.users RENAME COLUMN name TO full_name;") || strings.Contains(up, "DROP COLUMN") {
				t.Fatalf("up:\n%s", up)
			}
			if down := readMigration(t, dir, "000002_two.down.sql"); !strings.Contains(down, "RENAME COLUMN full_name TO name") {
				t.Errorf("down:\n%s", down)
			}
			// Stale now: generate has nothing to do and says so.
			code, out, errs := cli(t, dir, "generate", "-m", "three")
			if code != 0 || strings.TrimSpace(out) != "no changes" || !strings.Contains(errs, "note: ") || !strings.Contains(errs, "schema.sql:3: column public.users.name is already renamed to full_name") {
				t.Fatalf("generate with a stale comment: exit %d\nout:\n%s\nerr:\n%s", code, out, errs)
			}
			// A comment that did its job is a note, not a problem: check
			// prints it and passes.
			code, out, _ = cli(t, dir, "check")
			if code != 0 || !strings.Contains(out, "note: "+filepath.Join(dir, "schema.sql")+":3: column public.users.name is already renamed to full_name in the migrations: this rename comment can be removed\n") || !strings.Contains(out, "ok: ") {
				t.Fatalf("check with a stale comment: exit %d\n%s", code, out)
			}
			writeSchema(t, dir, usersRenamed)
			if code, out, _ := cli(t, dir, "check"); code != 0 {
				t.Fatalf("check without the comment: exit %d\n%s", code, out)
			}
		})
	}
}

// TestHazardSummary: generate lists the hazards on stderr, counted by code,
// with file:line pointing at each marker.
func TestHazardSummary(t *testing.T) {
	dir := renameProject(t)
	code, _, errs := cli(t, dir, "generate", "-m", "two")
	if code != 0 {
		t.Fatal(errs)
	}
	// The up file's markers are to review; the down file's are asked
	// about by down.
	for _, want := range []string{
		"2 hazards to review (1 add-not-null-column, 1 drop-column):",
		"until then ddlmig check and ddlmig apply refuse " + filepath.Join(dir, "migrations", "000002_two.up.sql") + "\n",
		"2 hazards when rolled back (1 add-not-null-column, 1 drop-column):",
		"nothing to review now: ddlmig down lists these and asks before it runs the file",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("summary lacks %q:\n%s", want, errs)
		}
	}
	for _, name := range []string{"000002_two.up.sql", "000002_two.down.sql"} {
		marker := "-- ddlmig:unreviewed "
		if strings.HasSuffix(name, ".down.sql") {
			marker = "-- ddlmig:down-hazard "
		}
		file := filepath.Join(dir, "migrations", name)
		lines := strings.Split(readMigration(t, dir, name), "\n")
		found := regexp.MustCompile(regexp.QuoteMeta(file)+`:(\d+): (\S+):`).FindAllStringSubmatch(errs, -1)
		if len(found) != 2 {
			t.Errorf("%s: %d markers listed, want 2", name, len(found))
		}
		for _, m := range found {
			var n int
			for _, c := range m[1] {
				n = n*10 + int(c-'0')
			}
			if n < 1 || n > len(lines) || !strings.HasPrefix(lines[n-1], marker+m[2]+":") {
				t.Errorf("%s:%s does not point at a %s marker", file, m[1], m[2])
			}
		}
	}
	// The header lists them too.
	text := readMigration(t, dir, "000002_two.up.sql")
	if !strings.Contains(text, "-- Hazards to review") || !strings.Contains(text, "--   drop-column: drops column public.users.name") {
		t.Errorf("header:\n%s", text)
	}
}

// TestFlaskRenameScenario is the lesson of Flask-Migrate's autogenerate, on
// a real PostgreSQL: a column rename written as drop + add would lose every
// value. ddlmig marks that migration, check and apply refuse it, and the
// rename that replaces it keeps the values both ways.
func TestFlaskRenameScenario(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dbURL := testdb.New(t)
	query := queryFunc(t, dbURL)

	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, usersV1)
	if code, _, errs := cli(t, dir, "generate", "-m", "create users"); code != 0 {
		t.Fatal(errs)
	}
	// An initial migration has no hazards up; its down drops the table
	// and the rows added since, which down asks about: nothing to review.
	if ms := migfile.Unreviewed([]byte(readMigration(t, dir, "000001_create_users.up.sql"))); len(ms) != 0 {
		t.Errorf("initial up migration carries hazards: %v", ms)
	}
	down1 := []byte(readMigration(t, dir, "000001_create_users.down.sql"))
	if ms := migfile.DownHazards(down1); len(ms) != 1 || !strings.HasPrefix(ms[0].Text, "drop-table:") || len(migfile.Unreviewed(down1)) != 0 {
		t.Errorf("initial down migration: down hazards %v, want one drop-table and nothing unreviewed", ms)
	}
	if code, _, errs := cli(t, dir, "apply", "--database-url", dbURL); code != 0 {
		t.Fatalf("apply 1: exit %d: %s", code, errs)
	}
	if err := testdb.Exec(context.Background(), dbURL, `INSERT INTO users (name) VALUES ('Ada Lovelace'), ('Grace Hopper'), ('Edsger Dijkstra')`); err != nil {
		t.Fatal(err)
	}
	const names = "Ada Lovelace|Grace Hopper|Edsger Dijkstra"

	// The rename, without saying so: drop + add, marked.
	writeSchema(t, dir, usersRenamed)
	code, _, errs := cli(t, dir, "generate", "-m", "full name")
	if code != 0 {
		t.Fatal(errs)
	}
	up := readMigration(t, dir, "000002_full_name.up.sql")
	if !strings.Contains(up, "-- ddlmig:unreviewed drop-column: drops column public.users.name and all its data\nALTER TABLE public.users DROP COLUMN name;") ||
		!strings.Contains(up, "ADD COLUMN full_name text NOT NULL") {
		t.Fatalf("drop + add not marked:\n%s", up)
	}
	if !strings.Contains(errs, "generate --amend -m 'full name' --rename users.name=users.full_name\n") {
		t.Errorf("no rename hint:\n%s", errs)
	}
	code, out, _ := cli(t, dir, "check")
	if code != 1 || !strings.Contains(out, "000002_full_name.up.sql:") || !strings.Contains(out, "unreviewed drop-column") {
		t.Fatalf("check passed an unreviewed drop: exit %d\n%s", code, out)
	}
	code, _, errs = cli(t, dir, "apply", "--database-url", dbURL)
	if code == 0 || !strings.Contains(errs, "unreviewed") {
		t.Fatalf("apply ran an unreviewed drop: exit %d\n%s", code, errs)
	}
	if got := query(`SELECT string_agg(name, '|' ORDER BY id) FROM users`); got != names {
		t.Fatalf("refused apply changed the data: %q", got)
	}

	// Say it is a rename: delete the pair and generate again.
	for _, f := range []string{"000002_full_name.up.sql", "000002_full_name.down.sql"} {
		if err := os.Remove(filepath.Join(dir, "migrations", f)); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errs = cli(t, dir, "generate", "-m", "full name", "--rename", "users.name=users.full_name")
	if code != 0 {
		t.Fatal(errs)
	}
	up = readMigration(t, dir, "000002_full_name.up.sql")
	if !strings.Contains(up, "ALTER TABLE public.users RENAME COLUMN name TO full_name;") || strings.Contains(up, "DROP") || strings.Contains(up, "ddlmig:unreviewed") {
		t.Fatalf("rename migration:\n%s", up)
	}
	if code, out, _ := cli(t, dir, "check"); code != 0 {
		t.Fatalf("check: exit %d\n%s", code, out)
	}
	if code, _, errs := cli(t, dir, "apply", "--database-url", dbURL); code != 0 {
		t.Fatalf("apply 2: exit %d: %s", code, errs)
	}
	if got := query(`SELECT string_agg(full_name, '|' ORDER BY id) FROM users`); got != names {
		t.Errorf("after the rename: %q, want %q", got, names)
	}
	if code, _, errs := cli(t, dir, "down", "--database-url", dbURL); code != 0 {
		t.Fatalf("down: exit %d: %s", code, errs)
	}
	if got := query(`SELECT string_agg(name, '|' ORDER BY id) FROM users`); got != names {
		t.Errorf("after down: %q, want %q", got, names)
	}
}

// TestGenerateTableRename: a table that disappears while one with the same
// columns appears is a possible rename; --rename in the hint's form makes
// it one, and the down renames back.
func TestGenerateTableRename(t *testing.T) {
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, usersV1)
	cli(t, dir, "generate", "-m", "one")
	writeSchema(t, dir, strings.Replace(usersV1, "TABLE users", "TABLE people", 1))
	code, out, errs := cli(t, dir, "diff")
	if code != 0 || !strings.Contains(out, "DROP TABLE public.users") || !strings.Contains(errs, "possible rename users -> people: rerun with --rename users=people") {
		t.Fatalf("diff: exit %d\nout:\n%s\nerr:\n%s", code, out, errs)
	}
	if code, _, errs := cli(t, dir, "generate", "-m", "two", "--rename", "users=people"); code != 0 {
		t.Fatal(errs)
	}
	up, down := readMigration(t, dir, "000002_two.up.sql"), readMigration(t, dir, "000002_two.down.sql")
	if !strings.Contains(up, "ALTER TABLE public.users RENAME TO people;") || strings.Contains(up, "DROP TABLE") {
		t.Errorf("up:\n%s", up)
	}
	if !strings.Contains(down, "ALTER TABLE public.people RENAME TO users;") || strings.Contains(down, "DROP TABLE") {
		t.Errorf("down:\n%s", down)
	}
}
