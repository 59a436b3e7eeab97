package parser

import "testing"

// TestViewColumnRenameErrors: what the fold of ALTER VIEW ... RENAME
// COLUMN refuses, at the statement's line: a column the view lacks or
// already has, a view whose column names it cannot read, and a view that
// another view reads (its text would name the old column).
func TestViewColumnRenameErrors(t *testing.T) {
	const base = "CREATE TABLE items (id int, name text);\nCREATE VIEW v AS SELECT id, name FROM items;\nCREATE VIEW u AS SELECT id FROM items UNION SELECT id FROM items;\n" +
		"CREATE VIEW r AS SELECT id FROM items;\nCREATE VIEW reader AS SELECT id FROM r;\n"
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
