package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// newProject writes schema.sql and the migrations folder's files into a new
// directory and returns it, for cli.
func newProject(t *testing.T, schemaSQL string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeSchema(t, dir, schemaSQL)
	write(t, filepath.Join(dir, "migrations"), files)
	return dir
}

// A version written with other zero padding is the same version: the
// folder is refused everywhere, where apply used to run only one of the two
// migrations.
func TestSameVersionOtherPadding(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	dir := newProject(t, "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n", map[string]string{
		"000001_init.up.sql":   "CREATE TABLE a (id int);\n",
		"000001_init.down.sql": "DROP TABLE a;\n",
		"1_init.up.sql":        "CREATE TABLE b (id int);\n",
		"1_init.down.sql":      "DROP TABLE b;\n",
	})
	const clash = "1_init.up.sql: version 000001 is also used by 000001_init.up.sql (versions compare as numbers"
	code, out, _ := cli(t, dir, "check")
	if code != exitNo || !strings.Contains(out, clash) {
		t.Errorf("check: exit %d, want 1 naming the clash:\n%s", code, out)
	}
	code, out, errs := cli(t, dir, "history")
	if code != exitError || !strings.Contains(errs, clash) {
		t.Errorf("history: exit %d, want 2 naming the clash:\n%s%s", code, out, errs)
	}
	code, out, errs = cli(t, dir, "apply", "--database-url", url)
	if code != exitError || !strings.Contains(errs, clash) {
		t.Errorf("apply: exit %d, want 2 naming the clash:\n%s%s", code, out, errs)
	}
	code, out, errs = cli(t, dir, "generate")
	if code != exitError || !strings.Contains(errs, clash) {
		t.Errorf("generate: exit %d, want 2 naming the clash:\n%s%s", code, out, errs)
	}
	if _, out, _ := cli(t, dir, "status", "--database-url", url); !strings.Contains(out, "table public.ddlmig_migrations does not exist") {
		t.Errorf("apply ran something:\n%s", out)
	}
}

// A version the bookkeeping table's bigint column cannot hold is refused by
// check, not found out by apply.
func TestVersionBeyondBigint(t *testing.T) {
	dir := newProject(t, "CREATE TABLE a (id int);\n", map[string]string{
		"9223372036854775808_a.up.sql":   "CREATE TABLE a (id int);\n",
		"9223372036854775808_a.down.sql": "DROP TABLE a;\n",
	})
	code, out, _ := cli(t, dir, "check")
	if code != exitNo || !strings.Contains(out, "9223372036854775808_a.up.sql: version 9223372036854775808 is too large: the bookkeeping table keeps versions as bigint") {
		t.Errorf("check: exit %d:\n%s", code, out)
	}
}

// TestCheckAndApplyAgree: every file-level rule apply (and down) enforces,
// check enforces too, with the same message at the same place; a file that
// breaks none passes both.
func TestCheckAndApplyAgree(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	const first = "CREATE TABLE a (id int);\n"
	for _, tc := range []struct {
		name string
		up   string
		down string
		want string // the rule broken, as apply reports it; "" for none
	}{
		{"clean", "ALTER TABLE a ADD b int;\nSAVEPOINT s;\nRELEASE s;\n", "ALTER TABLE a DROP b;\n", ""},
		{"commit", "ALTER TABLE a ADD b int;\nCOMMIT;\n", "ALTER TABLE a DROP b;\n", "000002_x.up.sql:2:1: COMMIT would end the migration's transaction early"},
		{"begin", "BEGIN;\nALTER TABLE a ADD b int;\n", "ALTER TABLE a DROP b;\n", "000002_x.up.sql:1:1: BEGIN would end the migration's transaction early"},
		{"rollback in a down file", "ALTER TABLE a ADD b int;\n", "ALTER TABLE a DROP b;\n\n  ROLLBACK;\n", "000002_x.down.sql:3:3: ROLLBACK would end the migration's transaction early"},
		{"copy from stdin", "ALTER TABLE a ADD b int;\nCOPY a (b) FROM stdin;\n", "ALTER TABLE a DROP b;\n", "000002_x.up.sql:2:1: COPY ... FROM STDIN needs data"},
		{"no-transaction marker below line 1", "-- index\n-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY ai ON a (id);\n", "DROP INDEX ai;\n",
			"000002_x.up.sql:2:1: -- ddlmig:no-transaction takes effect only on the file's first line"},
		{"batch marker in a no-transaction file", "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY ai ON a (id);\n-- ddlmig:batch\nCREATE INDEX CONCURRENTLY bi ON a (id);\n", "DROP INDEX ai;\nDROP INDEX bi;\n",
			"000002_x.up.sql:3:1: -- ddlmig:batch in a no-transaction file"},
		{"batch marker inside a statement", "ALTER TABLE a ADD b int;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n-- ddlmig:batch\nSELECT 1 $$;\n", "DROP FUNCTION f();\nALTER TABLE a DROP b;\n",
			"000002_x.up.sql:3:1: -- ddlmig:batch is inside a statement"},
		{"not UTF-8", "ALTER TABLE a ADD b int;\nCOMMENT ON COLUMN a.b IS 'caf\xe9';\n", "ALTER TABLE a DROP b;\n", `000002_x.up.sql:2:30: byte \xe9 is not UTF-8`},
		{"not UTF-8 in a down file", "ALTER TABLE a ADD b int;\n", "-- \xff\nALTER TABLE a DROP b;\n", `000002_x.down.sql:1:4: byte \xff is not UTF-8`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := newProject(t, "CREATE TABLE a (id int, b int);\n", map[string]string{
				"000001_a.up.sql": first, "000001_a.down.sql": "DROP TABLE a;\n",
				"000002_x.up.sql": tc.up, "000002_x.down.sql": tc.down,
			})
			code, out, _ := cli(t, dir, "check")
			checkSays := ""
			for _, l := range strings.Split(out, "\n") {
				if rest, ok := strings.CutPrefix(l, filepath.Join(dir, "migrations")+string(filepath.Separator)); ok && strings.Contains(rest, ".sql:") && !strings.Contains(rest, "syntax error") {
					checkSays += rest + "\n"
				}
			}
			// apply refuses the up file's rules before running anything;
			// down refuses the down file's when it comes to run it.
			applyCode, aout, aerrs := cli(t, dir, "apply", "--dry-run", "--database-url", url)
			if strings.Contains(tc.name, "down file") {
				if applyCode != exitOK {
					t.Fatalf("apply of a good up file: exit %d\n%s%s", applyCode, aout, aerrs)
				}
				cli(t, dir, "stamp", "--force", "2", "--database-url", url) // the files are not applied: --force
				t.Cleanup(func() { cli(t, dir, "stamp", "--force", "0", "--database-url", url) })
				applyCode, aout, aerrs = cli(t, dir, "down", "--dry-run", "--database-url", url)
			}
			if tc.want == "" {
				if code != exitOK || applyCode != exitOK {
					t.Fatalf("a clean file: check exit %d, apply exit %d\n%s\n%s%s", code, applyCode, out, aout, aerrs)
				}
				return
			}
			if code != exitNo || !strings.Contains(checkSays, tc.want) {
				t.Errorf("check: exit %d, want 1 with %q:\n%s", code, tc.want, out)
			}
			if applyCode != exitError || !strings.Contains(aerrs, tc.want) {
				t.Errorf("apply/down: exit %d, want 2 with %q:\n%s%s", applyCode, tc.want, aout, aerrs)
			}
			// check says what apply says, line for line.
			for _, l := range strings.Split(strings.TrimSpace(checkSays), "\n") {
				if !strings.Contains(aerrs, l) {
					t.Errorf("check reports %q, which apply does not:\n%s", l, aerrs)
				}
			}
		})
	}
}

// A schema file that is not UTF-8 is refused at its first bad byte; it was
// parsed and its bytes copied into the migration.
func TestSchemaNotUTF8(t *testing.T) {
	dir := newProject(t, "CREATE TABLE a (\n    id int\n);\nCOMMENT ON TABLE a IS 'na\xefve';\n", nil)
	const want = `schema.sql:4:26: byte \xef is not UTF-8: save the file as UTF-8`
	code, _, errs := cli(t, dir, "generate", "-m", "a")
	if code != exitError || !strings.Contains(errs, want) {
		t.Errorf("generate: exit %d, want 2 with %q:\n%s", code, want, errs)
	}
	if files := migrationFiles(t, dir); len(files) != 0 {
		t.Errorf("generate wrote %v", files)
	}
	code, out, _ := cli(t, dir, "check")
	if code != exitNo || !strings.Contains(out, want) {
		t.Errorf("check: exit %d, want 1 with %q:\n%s", code, want, out)
	}
}

// Files that look meant as migrations but are not named like one are
// reported by every command that reads the folder, never skipped.
func TestNearMissNames(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	dir := newProject(t, "CREATE TABLE a (id int);\n", map[string]string{
		"000001_a.up.sql": "CREATE TABLE a (id int);\n", "000001_a.down.sql": "DROP TABLE a;\n",
		"000002_b.UP.SQL": "CREATE TABLE b (id int);\n", "000002_b.down.sql": "DROP TABLE b;\n",
		"0003_c.upsql": "SELECT 1;\n", "0004-d.up.sql": "SELECT 1;\n", "e.up.sql": "SELECT 1;\n",
		"README.md": "notes\n", ".gitkeep": "x", "000001_a.up.sql~": "old\n",
	})
	wants := []string{
		"000002_b.UP.SQL: not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql): rename it to 000002_b.up.sql",
		"000002_b.down.sql: down migration without its up migration",
		"0003_c.upsql: not a migration file name",
		"0004-d.up.sql: not a migration file name",
		"e.up.sql: not a migration file name",
	}
	code, out, _ := cli(t, dir, "check")
	if code != exitNo || strings.Count(out, "\n") != len(wants) {
		t.Errorf("check: exit %d, want 1 and %d lines:\n%s", code, len(wants), out)
	}
	_, hout, herrs := cli(t, dir, "history")
	_, aout, aerrs := cli(t, dir, "apply", "--database-url", url)
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("check does not report %q:\n%s", w, out)
		}
		if !strings.Contains(herrs, w) {
			t.Errorf("history does not report %q:\n%s%s", w, hout, herrs)
		}
		if !strings.Contains(aerrs, w) {
			t.Errorf("apply does not report %q:\n%s%s", w, aout, aerrs)
		}
	}
	if strings.Contains(out+herrs+aerrs, "README") || strings.Contains(out+herrs+aerrs, "gitkeep") || strings.Contains(out+herrs+aerrs, "sql~") {
		t.Errorf("a file that is no migration is reported:\n%s%s%s", out, herrs, aerrs)
	}
}

// --dir naming a file is not "missing, run init": it is not a directory.
func TestDirIsAFile(t *testing.T) {
	dir := t.TempDir()
	writeSchema(t, dir, "CREATE TABLE a (id int);\n")
	if err := os.WriteFile(filepath.Join(dir, "migrations"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"generate"}, {"check"}, {"diff"}, {"generate", "--empty"}} {
		code, out, errs := cli(t, dir, args...)
		if code != exitError || !strings.Contains(errs, "migrations is not a directory") || strings.Contains(errs, "init") {
			t.Errorf("%s: exit %d, want 2 saying it is not a directory:\n%s%s", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"history"}, {"apply", "--database-url", "postgres://nowhere.invalid/x"}} {
		code, out, errs := cli(t, dir, args...)
		if code != exitUsage || !strings.Contains(errs, "migrations is not a directory: --dir names the migrations folder") {
			t.Errorf("%s: exit %d, want 2 saying it is not a directory:\n%s%s", args, code, out, errs)
		}
	}
	code, _, errs := cli(t, dir, "init")
	if code != exitError || !strings.Contains(errs, "already exists and is not a directory") {
		t.Errorf("init: exit %d:\n%s", code, errs)
	}
}

// generate writes both files of the pair or neither: when the down file
// cannot be written, the up file is not left behind alone.
func TestGenerateWritesBothOrNeither(t *testing.T) {
	dir := newProject(t, "CREATE TABLE a (id int);\n", nil)
	// Something already holds the down file's name.
	if err := os.Mkdir(filepath.Join(dir, "migrations", "000001_a.down.sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, dir, "generate", "-m", "a")
	if code != exitError || !strings.Contains(errs, "000001_a.down.sql already exists; nothing was written") {
		t.Errorf("generate: exit %d:\n%s%s", code, out, errs)
	}
	code, out, errs = cli(t, dir, "generate", "--empty", "-m", "a")
	if code != exitError {
		t.Errorf("generate --empty: exit %d:\n%s%s", code, out, errs)
	}
	got := migrationFiles(t, dir)
	sort.Strings(got)
	if strings.Join(got, " ") != "000001_a.down.sql" {
		t.Errorf("files after the failures: %v, want only the folder in the way", got)
	}
	os.Remove(filepath.Join(dir, "migrations", "000001_a.down.sql"))
	if code, _, errs := cli(t, dir, "generate", "-m", "a"); code != exitOK {
		t.Fatalf("generate: exit %d:\n%s", code, errs)
	}
	if got := migrationFiles(t, dir); strings.Join(got, " ") != "000001_a.down.sql 000001_a.up.sql" {
		t.Errorf("files: %v", got)
	}
	if info, err := os.Stat(filepath.Join(dir, "migrations", "000001_a.up.sql")); err != nil || info.Mode().Perm()&0o044 != 0o044 {
		t.Errorf("up file mode: %v, %v; want readable by all (0644 less the umask)", info.Mode(), err)
	}
}

// Control characters in file names and SQL identifiers are printed
// escaped, never raw to the terminal: in the hazard summary, the rename
// hint, check's findings and errors.
func TestControlCharactersEscaped(t *testing.T) {
	dir := newProject(t, "CREATE TABLE keep (id int);\nCREATE TABLE \"x\x1b[31m\" (id int);\n", nil)
	if code, _, errs := cli(t, dir, "generate", "-m", "a"); code != exitOK {
		t.Fatalf("generate: exit %d:\n%s", code, errs)
	}
	writeSchema(t, dir, "CREATE TABLE keep (id int);\nCREATE TABLE \"y\x1b[31m\" (id int);\n")
	_, dout, _ := cli(t, dir, "diff", "--down")
	_, gout, gerrs := cli(t, dir, "generate", "-m", "b")
	_, cout, cerrs := cli(t, dir, "check")
	write(t, filepath.Join(dir, "migrations"), map[string]string{"000009_z\x1b]0;owned\x07.up.sql": "SELECT 1;\n"})
	_, _, herrs := cli(t, dir, "history")
	for what, s := range map[string]string{"generate": gout + gerrs, "check": cout + cerrs, "history": herrs} {
		if strings.ContainsAny(s, "\x1b\x07") {
			t.Errorf("%s prints a control character raw:\n%q", what, s)
		}
	}
	for _, want := range []string{
		`possible rename x\x1b[31m -> y\x1b[31m: to write it as a rename instead, run`,
		`generate --amend -m b --rename $'x\x1b[31m=y\x1b[31m'` + "\n",
		`000002_b.up.sql:13: drop-table: drops table public."x\x1b[31m" and all its data`,
	} {
		if !strings.Contains(gerrs, want) {
			t.Errorf("generate does not print %q:\n%s", want, gerrs)
		}
	}
	if want := `000002_b.up.sql:13: unreviewed drop-table: drops table public."x\x1b[31m"`; !strings.Contains(cout, want) {
		t.Errorf("check does not print %q:\n%s", want, cout)
	}
	if want := `000009_z\x1b]0;owned\x07.up.sql: file name holds a control character`; !strings.Contains(herrs, want) {
		t.Errorf("history does not print %q:\n%s", want, herrs)
	}
	// An error naming an identifier with a newline stays on its line.
	os.Remove(filepath.Join(dir, "migrations", "000009_z\x1b]0;owned\x07.up.sql"))
	writeSchema(t, dir, "CREATE TABLE \"a\nb\" (id int);\nCREATE TABLE \"a\nb\" (id int);\n")
	if _, _, errs := cli(t, dir, "diff"); errs != "ddlmig: "+filepath.Join(dir, "schema.sql")+`:3:14: relation public."a\nb" already exists`+"\n" {
		t.Errorf("diff: %q", errs)
	}
	// SQL is SQL: diff prints the identifier as it is.
	if !strings.Contains(dout, "\"y\x1b[31m\"") {
		t.Errorf("diff changed the SQL:\n%q", dout)
	}
}
