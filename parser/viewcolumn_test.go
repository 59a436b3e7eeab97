package parser

import (
	"slices"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestViewColumnRenameErrors: what the fold of ALTER VIEW ... RENAME
// COLUMN refuses, at the statement's line: a column the view lacks or
// already has, a view whose column names it cannot read, and a view that
// another view reads (its text would name the old column).
func TestViewColumnRenameErrors(t *testing.T) {
	const base = "CREATE TABLE items (id int, name text);\nCREATE VIEW v AS SELECT id, name FROM items;\nCREATE VIEW u AS SELECT id FROM items UNION SELECT id FROM items;\n" +
		"CREATE VIEW r AS SELECT id FROM items;\nCREATE VIEW reader AS SELECT id FROM r;\n" +
		"CREATE TABLE k (z int, free int);\nCREATE FUNCTION kz() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT z FROM k; END;\n" +
		"CREATE TABLE par (p int);\nCREATE TABLE ch () INHERITS (par);\nCREATE VIEW chv AS SELECT p FROM ch;\n"
	tests := []struct{ name, src, want string }{
		{"missing", "ALTER VIEW v RENAME COLUMN nope TO x;", "m.sql:1:1: column nope does not exist"},
		{"taken", "ALTER VIEW v RENAME COLUMN id TO name;", "m.sql:1:1: column name of relation v already exists"},
		{"set operation", "ALTER VIEW u RENAME COLUMN id TO x;", "m.sql:1:1: unsupported statement ALTER VIEW ... RENAME COLUMN of a view whose output column names ddlmig cannot read (SELECT * or a set operation): write the view's CREATE OR REPLACE instead (to carry it as written, put a line -- ddlmig:unmanaged right above it)"},
		{"read by a view", "ALTER VIEW r RENAME COLUMN id TO x;", "m.sql:1:1: ddlmig cannot follow the rename of column id of view public.r into view public.reader, which reads the view; way out: drop view public.reader, rename the column, and create view public.reader again reading the new name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantMigrationError(t, base, tt.src, tt.want) })
	}
}

// TestColumnRenameNotRead: a rename of a column nothing reads is folded,
// though a view reads its table.
func TestColumnRenameNotRead(t *testing.T) {
	cat, _, err := ParseFile("f.sql", []byte("CREATE TABLE k (z int, free int);\nCREATE VIEW kv AS SELECT z FROM k;\nALTER TABLE k RENAME COLUMN free TO taken;\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cat.Tables[schema.QualifiedName{Schema: "public", Name: "k"}].Column("taken") == nil {
		t.Fatal("column free was not renamed to taken")
	}
}

// TestColumnRenameReadersWarned: ALTER TABLE ... RENAME COLUMN of a column
// a view or a SQL-standard body reads is warned of at its line, unless the
// file drops and creates the reader again: PostgreSQL renames the column
// inside them, and the fold keeps the old name (it used to say nothing,
// and the migration created a view reading a column that is gone).
func TestColumnRenameReadersWarned(t *testing.T) {
	const base = "CREATE TABLE items (id int, name text);\nCREATE VIEW v AS SELECT id, name FROM items;\n" +
		"CREATE TABLE k (z int, free int);\nCREATE FUNCTION kz() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT z FROM k; END;\n" +
		"CREATE TABLE par (p int);\nCREATE TABLE ch () INHERITS (par);\nCREATE VIEW chv AS SELECT p FROM ch;\n"
	msg := func(at, col, table, what string) string {
		return "m.sql:" + at + ": ddlmig does not follow the rename of column " + col + " of table " + table + " into " + what +
			", which reads it, and keeps its old text; drop " + what + " and create it again reading the new name, in the same file as the rename"
	}
	tests := []struct {
		name, src string
		want      []string
	}{
		{"view", "ALTER TABLE items RENAME COLUMN name TO title;", []string{msg("1:1", "name", "public.items", "view public.v")}},
		{"SQL-standard body", "ALTER TABLE k RENAME COLUMN z TO y;", []string{msg("1:1", "z", "public.k", "function public.kz()")}},
		{"view of an inheriting table", "ALTER TABLE par RENAME COLUMN p TO q;", []string{msg("1:1", "p", "public.ch", "view public.chv")}},
		{"dropped and created again", "ALTER TABLE items RENAME COLUMN name TO title;\nDROP VIEW v;\nCREATE VIEW v AS SELECT id, title FROM items;", nil},
		{"a column nothing reads", "ALTER TABLE k RENAME COLUMN free TO taken;", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, _, err := ParseFile("base.sql", []byte(base), Options{})
			if err != nil {
				t.Fatal(err)
			}
			warns, err := Parse(cat, "m.sql", []byte(tt.src), Options{Migration: true})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range warns {
				got = append(got, w.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("warnings:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}
