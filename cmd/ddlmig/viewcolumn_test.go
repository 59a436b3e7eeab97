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
	if code, _, errs := cli(t, dir, "generate", "--empty", "-m", "rename columns"); code != 0 {
		t.Fatal(errs)
	}
	file := filepath.Join(dir, "migrations", "000002_rename_columns.up.sql")
	blank, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, file, string(blank)+"ALTER VIEW v RENAME COLUMN upper TO up;\nALTER TABLE w RENAME COLUMN b TO bee;\nALTER MATERIALIZED VIEW mv RENAME COLUMN name TO nm;\n")
	downFile := filepath.Join(dir, "migrations", "000002_rename_columns.down.sql")
	blankDown, err := os.ReadFile(downFile)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, downFile, string(blankDown)+"ALTER VIEW v RENAME COLUMN up TO upper;\nALTER TABLE w RENAME COLUMN bee TO b;\nALTER MATERIALIZED VIEW mv RENAME COLUMN nm TO name;\n")
	if code, out, errs := cli(t, dir, "sum"); code != 0 {
		t.Fatalf("sum: %s%s", out, errs)
	}
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
