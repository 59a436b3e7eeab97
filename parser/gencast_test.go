package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// constantSpellings are constants of a column's type, spelled bare, cast,
// and cast with a modifier, for the server checks of column expressions.
var constantSpellings = []struct{ typ, expr string }{
	{"text", "'item'"}, {"text", "'item'::text"}, {"text", "('item'::text)"}, {"text", "'item'::varchar"},
	{"text", "'other'"}, {"text", "'it' || 'em'"}, {"text", "'it'::text || 'em'::text"},
	{"varchar(5)", "'ab'"}, {"varchar(5)", "'ab'::varchar"}, {"varchar(5)", "'ab'::character varying"},
	{"varchar(5)", "'ab'::varchar(5)"}, {"varchar(5)", "'ab'::text"},
	{"integer", "1"}, {"integer", "'1'::integer"}, {"integer", "1::integer"}, {"bigint", "1"}, {"bigint", "'1'::bigint"},
	{"numeric", "1.5"}, {"numeric", "'1.5'::numeric"}, {"numeric", "1"},
	{"numeric(5,2)", "1.5"}, {"numeric(5,2)", "1.5::numeric"}, {"numeric(5,2)", "1.5::numeric(5,2)"},
	{"boolean", "true"}, {"boolean", "'t'::boolean"},
	{"date", "'2020-01-01'"}, {"date", "'2020-01-01'::date"},
	{"jsonb", "'{}'"}, {"jsonb", "'{}'::jsonb"},
}

// TestGeneratedConstantsAgainstServer asks PostgreSQL which spellings of a
// generated column's constant, and of a default's, are the same
// expression: the server stores the constant coerced to the column's type
// and prints the cast (pg_dump writes GENERATED ALWAYS AS ('item'::text)
// for ('item') on a text column), but keeps a cast with a modifier
// ('ab'::character varying(5)), so a schema and its pg_dump must compare
// alike exactly where the server's texts are the same.
func TestGeneratedConstantsAgainstServer(t *testing.T) {
	for _, kind := range []struct{ name, column string }{
		{"generated", "%s GENERATED ALWAYS AS (%s) STORED"}, {"default", "%s DEFAULT %s"},
	} {
		t.Run(kind.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("CREATE TABLE c (id int")
			exprs := make([]string, len(constantSpellings))
			for i, c := range constantSpellings {
				fmt.Fprintf(&b, ", g%d "+kind.column, i, c.typ, c.expr)
				exprs[i] = c.typ + " " + c.expr
			}
			b.WriteString(");\n")
			src := b.String()
			cat, _, err := ParseFile("c.sql", []byte(src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			ours := map[string]string{}
			for _, c := range cat.Tables[schema.QualifiedName{Schema: "public", Name: "c"}].Columns {
				ours[c.Name] = c.Type.String() + " " + c.Generated + c.Default
			}
			server := serverDefs(t, src, columnDefaultsQuery("c"))
			if len(server) != len(exprs) {
				t.Fatalf("%d expressions, the server has %d", len(exprs), len(server))
			}
			for i, c := range constantSpellings {
				k := fmt.Sprintf("g%d", i)
				server[k] = c.typ + " " + server[k] // the same text in two types is two expressions
			}
			sameAsServer(t, exprs, "g", ours, server)
		})
	}
}
