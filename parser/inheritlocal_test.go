package parser

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/schema"
)

// inheritBase is the schema the inheritance cases start from: c declares
// a and ck itself (local) as well as inheriting them, c2 only inherits
// them and holds a default of its own, g inherits through c.
const inheritBase = `CREATE TABLE p (a int DEFAULT 1, b int, n int, gen int GENERATED ALWAYS AS (n * 2) STORED, CONSTRAINT ck CHECK (a > 0));
CREATE TABLE c (a int, CONSTRAINT ck CHECK (a > 0)) INHERITS (p);
CREATE TABLE c2 () INHERITS (p);
ALTER TABLE ONLY c2 ALTER COLUMN a SET DEFAULT 2;
CREATE TABLE g () INHERITS (c);
`

// TestInheritanceAgainstServer folds statements on inherited columns and
// CHECKs and holds the result against PostgreSQL's: which columns and
// CHECKs each table has, whether it declares them itself (attislocal,
// conislocal) and which default it has; and a statement PostgreSQL
// refuses is refused at its line, with the server's message.
func TestInheritanceAgainstServer(t *testing.T) {
	testdb.Require(t)
	cases := []struct {
		name, sql, wantErr string
	}{
		{name: "parent drops a column a child declares", sql: "ALTER TABLE p DROP COLUMN a;"},
		{name: "parent drops a column, ONLY", sql: "ALTER TABLE ONLY p DROP COLUMN b;"},
		{name: "parent drops a column twice inherited", sql: "CREATE TABLE q (b int);\nCREATE TABLE m () INHERITS (p, q);\nALTER TABLE p DROP COLUMN b;"},
		{name: "parent drops a check", sql: "ALTER TABLE p DROP CONSTRAINT ck;"},
		{name: "parent drops a check, ONLY", sql: "ALTER TABLE ONLY p DROP CONSTRAINT ck;"},
		{name: "child adds an inherited check", sql: "ALTER TABLE c2 ADD CONSTRAINT ck CHECK (a > 0);\nALTER TABLE p DROP CONSTRAINT ck;"},
		{name: "parent renames a column", sql: "ALTER TABLE p RENAME COLUMN a TO z;"},
		{name: "grandchild of a child's own default", sql: "CREATE TABLE g2 () INHERITS (c2);\nALTER TABLE ONLY c2 ALTER COLUMN a SET DEFAULT 5;\nCREATE TABLE g3 () INHERITS (c2);"},
		{name: "parent default reaches the grandchildren", sql: "CREATE TABLE g2 () INHERITS (c2);\nALTER TABLE p ALTER COLUMN a SET DEFAULT 9;"},
		{name: "no inherit makes the columns local", sql: "ALTER TABLE c2 NO INHERIT p;\nALTER TABLE c2 INHERIT p;"},
		{name: "parent adds a column a child declares", sql: "CREATE TABLE m (d int) INHERITS (c2);\nALTER TABLE p ADD COLUMN d int DEFAULT 4;"},
		{name: "parent adds a column a grandchild declares with another type", sql: "CREATE TABLE m (d text) INHERITS (c2);\nALTER TABLE p ADD COLUMN d int;", wantErr: "x.sql:2:1: child table m has different type for column d"},
		{name: "parent adds a column, ONLY", sql: "ALTER TABLE ONLY p ADD COLUMN d int;", wantErr: "x.sql:1:1: column must be added to child tables too"},
		{name: "child drops an inherited expression", sql: "ALTER TABLE c2 ALTER COLUMN gen DROP EXPRESSION;", wantErr: "x.sql:1:1: cannot drop generation expression from inherited column"},
		{name: "parent drops an expression, ONLY", sql: "ALTER TABLE ONLY p ALTER COLUMN gen DROP EXPRESSION;", wantErr: "x.sql:1:1: ALTER TABLE / DROP EXPRESSION must be applied to child tables too"},
		{name: "parent drops an expression", sql: "ALTER TABLE p ALTER COLUMN gen DROP EXPRESSION;"},
		{name: "child alters an inherited type", sql: "\nALTER TABLE c ALTER COLUMN a TYPE bigint;", wantErr: "x.sql:2:1: cannot alter inherited column a"},
		{name: "child drops an inherited column it declares", sql: "ALTER TABLE c DROP COLUMN a;", wantErr: "x.sql:1:1: cannot drop inherited column a"},
		{name: "child drops an inherited column", sql: "ALTER TABLE c2 DROP COLUMN b;", wantErr: "x.sql:1:1: cannot drop inherited column b"},
		{name: "child renames an inherited column", sql: "ALTER TABLE g RENAME COLUMN a TO z;", wantErr: "x.sql:1:1: cannot rename inherited column a"},
		{name: "child drops an inherited check", sql: "ALTER TABLE c DROP CONSTRAINT ck;", wantErr: "x.sql:1:1: cannot drop inherited constraint ck of relation c"},
		{name: "child renames an inherited check", sql: "ALTER TABLE c2 RENAME CONSTRAINT ck TO k;", wantErr: "x.sql:1:1: cannot rename inherited constraint ck"},
		{name: "parent alters a type, ONLY", sql: "ALTER TABLE ONLY p ALTER COLUMN b TYPE bigint;", wantErr: "x.sql:1:1: type of inherited column b must be changed in child tables too"},
		{name: "parent renames a column, ONLY", sql: "ALTER TABLE ONLY p RENAME COLUMN b TO z;", wantErr: "x.sql:1:1: inherited column b must be renamed in child tables too"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cat := schema.New()
			if _, err := Parse(cat, "base.sql", []byte(inheritBase), Options{}); err != nil {
				t.Fatal(err)
			}
			_, foldErr := Parse(cat, "x.sql", []byte(tc.sql), Options{Migration: true})
			url := testdb.New(t)
			ctx := context.Background()
			if err := testdb.Exec(ctx, url, inheritBase); err != nil {
				t.Fatal(err)
			}
			serverErr := testdb.Exec(ctx, url, tc.sql)
			if tc.wantErr != "" {
				if foldErr == nil || !strings.Contains(foldErr.Error(), tc.wantErr) {
					t.Errorf("fold: got %v, want %s", foldErr, tc.wantErr)
				}
				_, msg, _ := strings.Cut(tc.wantErr, ": ")
				if serverErr == nil || !strings.Contains(strings.ReplaceAll(serverErr.Error(), `"`, ""), msg) {
					t.Errorf("server: got %v, want %s", serverErr, msg)
				}
				return
			}
			if foldErr != nil || serverErr != nil {
				t.Fatalf("fold: %v; server: %v", foldErr, serverErr)
			}
			got, want := inheritView(cat), serverInheritView(t, url)
			if got != want {
				t.Errorf("model:\n%s\nserver:\n%s", got, want)
			}
		})
	}
}

// inheritView prints, per table of cat, its columns and CHECKs as the
// server sees them: each with whether the table declares it (local) and
// a column's default.
func inheritView(cat *schema.Catalog) string {
	var lines []string
	for q, t := range cat.Tables {
		for _, m := range effectiveInherited(cat, t) {
			line := fmt.Sprintf("%s.%s local=%v", q.Name, m.name, m.local)
			if m.column {
				line += " default=" + m.def
			}
			lines = append(lines, line)
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// member is a column or CHECK of a table as the server sees it.
type member struct {
	name, def     string
	column, local bool
}

// effectiveInherited lists t's columns and CHECKs, its own and those it
// inherits.
func effectiveInherited(cat *schema.Catalog, t *schema.Table) []member {
	var out []member
	has := func(name string) bool {
		return slices.ContainsFunc(out, func(m member) bool { return m.name == name })
	}
	for _, c := range t.Columns {
		def := c.Default
		if c.Generated != "" {
			def = "generated"
		}
		out = append(out, member{name: c.Name, def: def, column: true, local: !c.Inherited})
	}
	for _, c := range t.Constraints {
		out = append(out, member{name: c.Name, local: true})
	}
	for _, p := range splitInherits(t.Options.Inherits) {
		for _, m := range effectiveInherited(cat, cat.Tables[qualifiedFuncName(p)]) {
			if !has(m.name) {
				m.local = false
				out = append(out, m)
			}
		}
	}
	return out
}

// serverInheritView is inheritView of the database at url.
func serverInheritView(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn := testdb.Connect(t, url)
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT r.relname || '.' || a.attname || ' local=' || a.attislocal || ' default=' || CASE WHEN a.attgenerated <> '' THEN 'generated' ELSE coalesce(pg_get_expr(d.adbin, d.adrelid), '') END
		FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE r.relnamespace = 'public'::regnamespace AND r.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
		UNION ALL
		SELECT r.relname || '.' || co.conname || ' local=' || co.conislocal
		FROM pg_constraint co JOIN pg_class r ON r.oid = co.conrelid
		WHERE r.relnamespace = 'public'::regnamespace AND co.contype = 'c'`)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
