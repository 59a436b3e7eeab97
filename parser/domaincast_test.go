package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestDomainCastsAgainstServer asks PostgreSQL which spellings of a
// generated column over a domain column are the same expression: the
// server prints the coercion of the domain to its base type, which
// stripDomainCasts drops, and keeps a cast to another type or modifier.
func TestDomainCastsAgainstServer(t *testing.T) {
	exprs := []string{
		"price * 1.2", "price::numeric * 1.2", "(price)::numeric * 1.2", "price::numeric(12,2) * 1.2",
		"price::numeric(10,2) * 1.2", "price::float8 * 1.2", "round(price, 1)", "round(price::numeric, 1)",
		"n * 2", "n::integer * 2", "n::bigint * 2",
	}
	var b strings.Builder
	b.WriteString("CREATE DOMAIN amount AS numeric(12,2);\nCREATE DOMAIN small AS integer;\nCREATE TABLE c (price amount, n small")
	for i, e := range exprs {
		fmt.Fprintf(&b, ", g%d numeric GENERATED ALWAYS AS (%s) STORED", i, e)
	}
	b.WriteString(");\n")
	src := b.String()
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{}
	for _, c := range cat.Tables[schema.QualifiedName{Schema: "public", Name: "c"}].Columns {
		ours[c.Name] = c.Generated
	}
	server := serverDefs(t, src, columnDefaultsQuery("c"))
	if len(server) != len(exprs) {
		t.Fatalf("%d expressions, the server has %d", len(exprs), len(server))
	}
	sameAsServer(t, exprs, "g", ours, server)
}
