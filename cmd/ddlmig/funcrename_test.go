package main

import (
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestFunctionRenameWithCallers: a hand-written migration renames a
// function that a column default, a check, an index, a view and a
// SQL-standard function body call by name; the fold names it anew in each
// as PostgreSQL (which stores the function's OID) prints them, so a
// schema.sql written with the new name needs no migration, check passes,
// and apply and verify agree on PostgreSQL.
func TestFunctionRenameWithCallers(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	testdb.Require(t)
	dbURL := testdb.New(t)
	dir := t.TempDir()
	cli(t, dir, "init")
	schemaWith := func(fname string) string {
		return strings.ReplaceAll(`CREATE FUNCTION norm(s text) RETURNS text LANGUAGE sql IMMUTABLE RETURN lower(trim(s));
CREATE TABLE items (
    id int PRIMARY KEY,
    name text DEFAULT norm('X'),
    CONSTRAINT name_normal CHECK (name = norm(name))
);
CREATE INDEX items_norm ON items (norm(name));
CREATE VIEW items_v AS SELECT id, norm(name) AS n FROM items;
CREATE FUNCTION twice(s text) RETURNS text LANGUAGE sql IMMUTABLE RETURN norm(s) || norm(s);
`, "norm(", fname+"(")
	}
	writeSchema(t, dir, schemaWith("norm"))
	if code, _, errs := cli(t, dir, "generate", "-m", "items"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	handWritten(t, dir, "rename norm", "ALTER FUNCTION norm(text) RENAME TO normalized;\n", "ALTER FUNCTION normalized(text) RENAME TO norm;\n")
	writeSchema(t, dir, schemaWith("normalized"))
	if code, out, errs := cli(t, dir, "generate", "-m", "nothing"); code != 0 || !strings.Contains(out+errs, "no changes") {
		t.Fatalf("generate after the rename: %d %s%s", code, out, errs)
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
