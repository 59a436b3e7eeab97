package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestViewColumnRename: a hand-written migration renames columns of a
// view and a materialized view (ALTER VIEW, ALTER TABLE and ALTER
// MATERIALIZED VIEW ... RENAME COLUMN); the fold names them as
// PostgreSQL prints the views afterwards, so a schema.sql written that way
// needs no migration, check passes, and apply and verify agree on
// PostgreSQL.
func TestViewColumnRename(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	testdb.Require(t)
	dbURL := testdb.New(t)
	dir := t.TempDir()
	cli(t, dir, "init")
	const table = "CREATE TABLE items (id int PRIMARY KEY, name text);\n"
	writeSchema(t, dir, table+
		"CREATE VIEW v AS SELECT id, upper(name), name::varchar AS n2 FROM items;\n"+
		"CREATE VIEW w (a, b) AS SELECT id, name FROM items;\n"+
		"CREATE MATERIALIZED VIEW mv AS SELECT id, name FROM items;\n"+
		"GRANT SELECT (upper) ON v TO PUBLIC;\n")
	if code, _, errs := cli(t, dir, "generate", "-m", "views"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	handWritten(t, dir, "rename columns",
		"ALTER VIEW v RENAME COLUMN upper TO up;\nALTER TABLE w RENAME COLUMN b TO bee;\nALTER MATERIALIZED VIEW mv RENAME COLUMN name TO nm;\n",
		"ALTER VIEW v RENAME COLUMN up TO upper;\nALTER TABLE w RENAME COLUMN bee TO b;\nALTER MATERIALIZED VIEW mv RENAME COLUMN nm TO name;\n")
	writeSchema(t, dir, table+
		"CREATE VIEW v AS SELECT id, upper(name) AS up, name::varchar AS n2 FROM items;\n"+
		"CREATE VIEW w (a, bee) AS SELECT id, name FROM items;\n"+
		"CREATE MATERIALIZED VIEW mv AS SELECT id, name AS nm FROM items;\n"+
		"GRANT SELECT (up) ON v TO PUBLIC;\n")
	if code, out, errs := cli(t, dir, "generate", "-m", "nothing"); code != 0 || !strings.Contains(out+errs, "no changes") {
		t.Fatalf("generate after the renames: %d %s%s", code, out, errs)
	}
	if code, out, errs := cli(t, dir, "check"); code != 0 {
		t.Fatalf("check: %s%s", out, errs)
	}
	if code, _, errs := cli(t, dir, "apply", "--database-url", dbURL); code != 0 {
		t.Fatalf("apply: %s", errs)
	}
	if code, o, errs := cli(t, dir, "verify", "--dev-url", testdb.ServerURL()); code != 0 || !strings.Contains(o, "verified: 2 migrations agree") {
		t.Errorf("verify: %d\n%s%s", code, o, errs)
	}
}

// handWritten writes a migration pair by hand: generate --empty -m message,
// up and down appended to its blank files, then sum, as a user who
// reviewed the edit does.
func handWritten(t *testing.T, dir, message, up, down string) {
	t.Helper()
	if code, _, errs := cli(t, dir, "generate", "--empty", "-m", message); code != 0 {
		t.Fatal(errs)
	}
	for suffix, stmts := range map[string]string{"up": up, "down": down} {
		files, err := filepath.Glob(filepath.Join(dir, "migrations", "*_"+strings.ReplaceAll(message, " ", "_")+"."+suffix+".sql"))
		if err != nil || len(files) != 1 {
			t.Fatalf("the %s file of %q: %v %v", suffix, message, files, err)
		}
		blank, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, files[0], string(blank)+stmts)
	}
	if code, out, errs := cli(t, dir, "sum"); code != 0 {
		t.Fatalf("sum: %s%s", out, errs)
	}
}
