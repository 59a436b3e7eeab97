package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestArithWideningAgainstServer asks PostgreSQL how it stores arithmetic
// generated expressions mixing integers, numerics and floats: ddlmig must
// fold the written expression and the server's text (pg_dump's) to one
// text, and two expressions must fold the same exactly when the server
// stores them the same.
func TestArithWideningAgainstServer(t *testing.T) {
	cols := "i integer, b bigint, s smallint, n numeric, r real, d double precision"
	exprs := []string{
		"n * i", "n * (i)::numeric", "i * n", "n * i * 2", "(n * i) * 2", "n * i * 2::numeric",
		"b * n", "(b)::numeric * n", "i * d", "d * 2", "d * 2.5", "n * 2.5", "n + i - 1", "n / 2",
		"i * b", "(i)::bigint * b", "i * 2", "(i)::numeric * 2", "i * 2::numeric", "(i)::numeric * (s)::numeric",
		"r * r", "r * i", "r * n", "s * n", "(i)::double precision * n",
		"d * r", "d * (r)::double precision", "i * r", "(i)::real * r", "r * (n)::real", "b * r", "n * d * i - s / 2.5",
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE g (%s", cols)
	for i, e := range exprs {
		fmt.Fprintf(&b, ", g%d double precision GENERATED ALWAYS AS (%s) STORED", i, e)
	}
	b.WriteString(");\n")
	src := b.String()
	ours := generatedOf(t, src)

	server := serverDefs(t, src, `SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
		JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'g'::regclass`)
	var back strings.Builder
	fmt.Fprintf(&back, "CREATE TABLE g (%s", cols)
	for i := range exprs {
		fmt.Fprintf(&back, ", g%d double precision GENERATED ALWAYS AS (%s) STORED", i, server[fmt.Sprintf("g%d", i)])
	}
	back.WriteString(");\n")
	dumped := generatedOf(t, back.String())
	sameAsServer(t, exprs, "g", ours, server)
	for i, e := range exprs {
		k := fmt.Sprintf("g%d", i)
		if ours[k] != dumped[k] {
			t.Errorf("%s: written folds to %s, the server's %s to %s", e, ours[k], server[k], dumped[k])
		}
	}
}

// generatedOf parses src and returns the generated expressions of table g.
func generatedOf(t *testing.T, src string) map[string]string {
	t.Helper()
	cat, _, err := ParseFile("g.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range cat.Tables[schema.QualifiedName{Schema: "public", Name: "g"}].Columns {
		out[c.Name] = c.Generated
	}
	return out
}
