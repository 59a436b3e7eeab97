package parser

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/schema"
)

// typedBase is the schema the typed table cases start from.
const typedBase = `CREATE TYPE p AS (a integer, b text, c date);
CREATE TABLE t OF p (PRIMARY KEY (a), b WITH OPTIONS NOT NULL DEFAULT 'x');
CREATE TABLE plain (a integer, b text, c date);
`

// TestTypedTablesAgainstServer folds statements on typed tables and their
// types and holds the result against PostgreSQL's: each table's type
// (reloftype) and columns; a statement PostgreSQL refuses is refused at
// its line, with the server's message (quotes aside).
func TestTypedTablesAgainstServer(t *testing.T) {
	testdb.Require(t)
	cases := []struct {
		name, sql, fold, server string
	}{
		{name: "type changes reach the typed table", sql: "ALTER TYPE p ADD ATTRIBUTE d numeric(10,2) CASCADE;\nALTER TYPE p ALTER ATTRIBUTE d TYPE numeric(12,2) CASCADE, DROP ATTRIBUTE c CASCADE;"},
		{name: "not of, then of", sql: "ALTER TABLE t NOT OF;\nALTER TABLE plain OF p;\nALTER TABLE t ADD COLUMN z int;"},
		{name: "drop type cascade drops the table", sql: "DROP TYPE p CASCADE;"},
		{name: "create with options", sql: "CREATE TABLE u OF p (c WITH OPTIONS NOT NULL, UNIQUE (b), CHECK (a > 0));"},
		{name: "type change without cascade", sql: "ALTER TYPE p ADD ATTRIBUTE d int;",
			fold: "x.sql:1:1: cannot alter type p because it is the type of a typed table", server: "cannot alter type p because it is the type of a typed table"},
		{name: "add column", sql: "ALTER TABLE t ADD COLUMN d int;", fold: "x.sql:1:1: cannot add column to typed table", server: "cannot add column to typed table"},
		{name: "drop column", sql: "ALTER TABLE t DROP COLUMN c;", fold: "x.sql:1:1: cannot drop column from typed table", server: "cannot drop column from typed table"},
		{name: "retype column", sql: "ALTER TABLE t ALTER COLUMN c TYPE text;", fold: "x.sql:1:1: cannot alter column type of typed table", server: "cannot alter column type of typed table"},
		{name: "rename column", sql: "ALTER TABLE t RENAME COLUMN c TO d;", fold: "x.sql:1:1: cannot rename column of typed table", server: "cannot rename column of typed table"},
		{name: "not of a plain table", sql: "ALTER TABLE plain NOT OF;", fold: "x.sql:1:1: plain is not a typed table", server: "plain is not a typed table"},
		{name: "of with other columns", sql: "CREATE TABLE o (a integer, c date);\nALTER TABLE o OF p;", fold: "x.sql:2:1: table has column c where type requires b", server: "table has column c where type requires b"},
		{name: "of with another type", sql: "CREATE TABLE o (a integer, b varchar, c date);\nALTER TABLE o OF p;", fold: "x.sql:2:1: table o has different type for column b", server: "table o has different type for column b"},
		{name: "of with a column too many", sql: "CREATE TABLE o (a integer, b text, c date, d int);\nALTER TABLE o OF p;", fold: "x.sql:2:1: table has extra column d", server: "table has extra column d"},
		{name: "of a type that is not composite", sql: "CREATE TYPE e AS ENUM ('x');\nCREATE TABLE o OF e;", fold: "x.sql:2:19: type e is not a composite type", server: "type e is not a composite type"},
		{name: "rename attribute cascade", sql: "CREATE INDEX ON t (c);\nALTER TYPE p RENAME ATTRIBUTE c TO d CASCADE;"},
		{name: "rename attribute", sql: "ALTER TYPE p RENAME ATTRIBUTE c TO d;",
			fold: "x.sql:1:1: cannot alter type p because it is the type of a typed table", server: "cannot alter type p because it is the type of a typed table"},
		{name: "drop type", sql: "DROP TYPE p;", fold: "x.sql:1:1: cannot drop type public.p because table public.t depends on it", server: "cannot drop type p because other objects depend on it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cat := schema.New()
			if _, err := Parse(cat, "base.sql", []byte(typedBase), Options{}); err != nil {
				t.Fatal(err)
			}
			_, foldErr := Parse(cat, "x.sql", []byte(tc.sql), Options{Migration: true})
			url := testdb.New(t)
			ctx := context.Background()
			if err := testdb.Exec(ctx, url, typedBase); err != nil {
				t.Fatal(err)
			}
			serverErr := testdb.Exec(ctx, url, tc.sql)
			if tc.fold != "" {
				if foldErr == nil || !strings.Contains(foldErr.Error(), tc.fold) {
					t.Errorf("fold: got %v, want %s", foldErr, tc.fold)
				}
				if serverErr == nil || !strings.Contains(strings.ReplaceAll(serverErr.Error(), `"`, ""), tc.server) {
					t.Errorf("server: got %v, want %s", serverErr, tc.server)
				}
				return
			}
			if foldErr != nil || serverErr != nil {
				t.Fatalf("fold: %v; server: %v", foldErr, serverErr)
			}
			if got, want := typedView(cat), serverTypedView(t, url); got != want {
				t.Errorf("model:\n%s\nserver:\n%s", got, want)
			}
		})
	}
}

// typedView prints each table of cat with its type and its columns.
func typedView(cat *schema.Catalog) string {
	var lines []string
	for q, tb := range cat.Tables {
		var cols []string
		for _, c := range tb.Columns {
			s := c.Name + " " + c.Type.String()
			if c.NotNull {
				s += " NOT NULL"
			}
			cols = append(cols, s)
		}
		lines = append(lines, fmt.Sprintf("%s of %q: %s", q.Name, tb.Options.OfType.Name, strings.Join(cols, ", ")))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// serverTypedView is typedView of the database at url.
func serverTypedView(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn := testdb.Connect(t, url)
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT format('%s of %s: %s', r.relname, '"' || coalesce(ty.typname, '') || '"',
			string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, ', ' ORDER BY a.attnum))
		FROM pg_class r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
		LEFT JOIN pg_type ty ON ty.oid = r.reloftype
		WHERE r.relkind = 'r' AND r.relnamespace = 'public'::regnamespace
		GROUP BY r.relname, ty.typname ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
