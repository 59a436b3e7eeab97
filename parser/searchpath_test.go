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
