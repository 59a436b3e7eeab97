package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestNullDefaultsAgainstServer declares DEFAULT NULL on columns of many
// types and checks that ddlmig models a default exactly where PostgreSQL
// stores one: none for a bare NULL constant, one where coercing the NULL
// to the column's type modifier calls a length function (varchar(16),
// numeric(10,2)) and so is no constant (sqldef's NullCast).
func TestNullDefaultsAgainstServer(t *testing.T) {
	types := []string{"int", "text", "varchar", "varchar(16)", "character(3)", "numeric", "numeric(10,2)",
		"bit(4)", "varbit(8)", "timestamp(0)", "timestamptz(3)", "time(2)", "interval(1)", "date", "int[]",
		"varchar(16)[]", "jsonb", "uuid", "timetz(1)", "decimal(4)", "char"}
	var b strings.Builder
	b.WriteString("CREATE TABLE c (")
	for i, typ := range types {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "c%d %s DEFAULT NULL", i, typ)
	}
	b.WriteString(");\n")
	src := b.String()
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	server := serverDefs(t, src, `SELECT a.attname, pg_get_expr(d.adbin, d.adrelid)
		FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'c'::regclass`)
	for i, c := range cat.Tables[schema.QualifiedName{Schema: "public", Name: "c"}].Columns {
		def, stored := server[c.Name]
		if ours := c.Default != ""; ours != stored {
			t.Errorf("%s DEFAULT NULL: ddlmig models a default %t (%q), the server stores one %t (%s)", types[i], ours, c.Default, stored, def)
		}
	}
}
