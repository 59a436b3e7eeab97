package parser

import (
	"slices"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestSearchPath checks where unqualified names land and what they refer
// to under a search path given as an option, as a directive or by SET.
func TestSearchPath(t *testing.T) {
	q := func(s, n string) schema.QualifiedName { return schema.QualifiedName{Schema: s, Name: n} }
	cases := []struct {
		name   string
		path   []string
		src    string
		tables []schema.QualifiedName
		enums  []schema.QualifiedName
		// colType is the type of column c of the first table, when set.
		colType schema.TypeName
	}{
		{"default path", nil,
			"CREATE SCHEMA foo; CREATE TABLE items (id int);",
			[]schema.QualifiedName{q("public", "items")}, nil, schema.TypeName{}},
		{"first existing schema", []string{"foo", "public"},
			"CREATE SCHEMA foo; CREATE TABLE items (id int); COMMENT ON TABLE items IS 'x'; ALTER TABLE items ADD COLUMN c int;",
			[]schema.QualifiedName{q("foo", "items")}, nil, schema.TypeName{Name: "integer"}},
		{"missing schema skipped", []string{"nope", "public"},
			"CREATE TABLE items (id int);",
			[]schema.QualifiedName{q("public", "items")}, nil, schema.TypeName{}},
		{"lookup finds the later schema", []string{"foo", "public"},
			"CREATE TABLE public.items (id int PRIMARY KEY); CREATE SCHEMA foo; ALTER TABLE items ADD COLUMN c int; CREATE TABLE other (x int REFERENCES items (id));",
			[]schema.QualifiedName{q("foo", "other"), q("public", "items")}, nil, schema.TypeName{}},
		{"enum type resolved", []string{"foo", "public"},
			"CREATE SCHEMA foo; CREATE TYPE mood AS ENUM ('a'); CREATE TABLE items (id int, c mood);",
			[]schema.QualifiedName{q("foo", "items")}, []schema.QualifiedName{q("foo", "mood")}, schema.TypeName{Schema: "foo", Name: "mood"}},
		{"directive", nil,
			"-- a schema\n-- ddlmig:search_path foo, public\nCREATE SCHEMA foo;\nCREATE TABLE items (id int, c int);",
			[]schema.QualifiedName{q("foo", "items")}, nil, schema.TypeName{Name: "integer"}},
		{"SET search_path", nil,
			"CREATE SCHEMA foo; CREATE TABLE a (id int); SET search_path TO foo, public; CREATE TABLE b (id int); DROP TABLE a; RESET search_path; CREATE TABLE c (c int);",
			[]schema.QualifiedName{q("foo", "b"), q("public", "c")}, nil, schema.TypeName{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cat, _, err := ParseFile("s.sql", []byte(c.src), Options{SearchPath: c.path})
			if err != nil {
				t.Fatal(err)
			}
			if got := schema.SortedNames(cat.Tables); !slices.Equal(got, c.tables) {
				t.Errorf("tables %v, want %v", got, c.tables)
			}
			if got := schema.SortedNames(cat.Enums); len(c.enums) > 0 && !slices.Equal(got, c.enums) {
				t.Errorf("enums %v, want %v", got, c.enums)
			}
			if c.colType != (schema.TypeName{}) {
				col := cat.Tables[c.tables[0]].Column("c")
				if col == nil || col.Type != c.colType {
					t.Errorf("column c: %+v, want type %+v", col, c.colType)
				}
			}
		})
	}
}

// TestRoutineBodySearchPath wants the calls and relations of a quoted SQL
// body resolved by the path PostgreSQL checks the body with: the
// routine's own SET search_path, else the file's at that point. A CTE
// name stays a CTE. The routines whose bodies need the file's path to be
// created keep it (schema.Function.BodyPath).
func TestRoutineBodySearchPath(t *testing.T) {
	q := func(s, n string) schema.QualifiedName { return schema.QualifiedName{Schema: s, Name: n} }
	src := `CREATE SCHEMA s; CREATE SCHEMA u;
CREATE FUNCTION public.z() RETURNS int LANGUAGE sql RETURN 1;
CREATE FUNCTION u.z() RETURNS int LANGUAGE sql RETURN 3;
SET search_path = s, public;
CREATE FUNCTION z() RETURNS int LANGUAGE sql RETURN 2;
CREATE TABLE y (n int);
CREATE FUNCTION c() RETURNS int LANGUAGE sql AS $$ WITH w AS (SELECT 1) SELECT z() + (SELECT count(*)::int FROM y) FROM w $$;
CREATE FUNCTION public.d() RETURNS int LANGUAGE sql SET search_path = u, public AS $$ SELECT z() $$;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 + public.z() $$;
RESET search_path;
CREATE FUNCTION e() RETURNS int LANGUAGE sql AS $$ SELECT z() $$;
SET LOCAL search_path TO s, public;
CREATE OR REPLACE FUNCTION public.g() RETURNS int LANGUAGE sql AS $$ SELECT count(*)::int FROM y $$;
SET LOCAL search_path TO DEFAULT;
CREATE FUNCTION h() RETURNS int LANGUAGE sql AS $$ SELECT 4 $$;`
	cat, _, err := ParseFile("s.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// BodyPath is the file's path for a body that names what the path
	// finds outside public (c; g, as a migration spells it), and nil for a
	// routine with its own path (d), a body whose names are all public or
	// qualified (f) and the default path (e, h).
	for name, want := range map[string][]string{"s.c": {"s", "public"}, "public.d": nil, "s.f": nil, "public.e": nil, "public.g": {"s", "public"}, "public.h": nil} {
		fn := cat.Functions[name+"()"]
		if fn == nil {
			t.Fatalf("no function %s", name)
		}
		if !slices.Equal(fn.BodyPath, want) {
			t.Errorf("%s: body path %q, want %q", name, fn.BodyPath, want)
		}
	}
	for _, c := range []struct {
		fn, call, ref schema.QualifiedName
	}{
		{q("s", "c"), q("s", "z"), q("s", "y")},
		{q("public", "d"), q("u", "z"), schema.QualifiedName{}},
		{q("public", "e"), q("public", "z"), schema.QualifiedName{}},
	} {
		fn := cat.Functions[c.fn.String()+"()"]
		if fn == nil {
			t.Fatalf("no function %s", c.fn)
		}
		var zs []schema.QualifiedName
		for _, call := range fn.Calls {
			if call.Name == "z" {
				zs = append(zs, call)
			}
		}
		if !slices.Equal(zs, []schema.QualifiedName{c.call}) {
			t.Errorf("%s calls %v, want %v", c.fn, fn.Calls, c.call)
		}
		if c.ref.Name != "" && !slices.Equal(fn.Refs, []schema.QualifiedName{c.ref}) {
			t.Errorf("%s reads %v, want %v", c.fn, fn.Refs, c.ref)
		}
	}
}

// TestSequenceOwnedBySearchPath: OWNED BY names its table as any other
// statement does, on the search path; it was looked up in public alone
// (relation public.b does not exist).
func TestSequenceOwnedBySearchPath(t *testing.T) {
	for _, src := range []string{
		"CREATE SCHEMA s; SET search_path = s; CREATE TABLE b (col int); CREATE SEQUENCE q OWNED BY b.col;",
		"CREATE SCHEMA s; SET search_path = s; CREATE TABLE b (col int); CREATE SEQUENCE q; ALTER SEQUENCE q OWNED BY b.col;",
	} {
		cat, _, err := ParseFile("f.sql", []byte(src), Options{})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		got := cat.Sequences[schema.QualifiedName{Schema: "s", Name: "q"}].OwnedBy
		if want := (schema.ColumnRef{Table: schema.QualifiedName{Schema: "s", Name: "b"}, Column: "col"}); got != want {
			t.Errorf("%s: owned by %v, want %v", src, got, want)
		}
	}
}
