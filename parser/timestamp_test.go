package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestTimestampDefaultsAgainstServer asks PostgreSQL which spellings of a
// timestamp column's literal default store the same value: two defaults
// must compare the same in ddlmig's model exactly when pg_get_expr prints
// them the same (pg_dump's text), and the text migrations write must be
// the default as written.
func TestTimestampDefaultsAgainstServer(t *testing.T) {
	defaults := []struct{ typ, def string }{
		{"timestamp", "'1970-01-01 00:00:01+00:00'"}, {"timestamp", "'1970-01-01 00:00:01'"},
		{"timestamp", "'1970-01-01 00:00:01'::timestamp"}, {"timestamp", "'1970-01-01 00:00:01+00'::timestamp without time zone"},
		{"timestamp", "'1970-01-01T00:00:01Z'"}, {"timestamp", "'1970-01-01 00:00:01 UTC'"},
		{"timestamp", "'1970-01-01 00:00:01-05'"}, {"timestamp", "'1970-01-01 00:00:01+0530'"},
		{"timestamp", "'1970-01-01 00:00:01.000'"}, {"timestamp", "'1970-01-01 00:00:02'"},
		{"timestamp", "'1970-01-01 00:00:01.500'"}, {"timestamp", "'1970-01-01 00:00:01.5+01'"},
		{"timestamp", "'1970-01-01'"}, {"timestamp", "'1970-01-01 00:00'"}, {"timestamp", "'1970-01-01 00:00:00'"},
		{"timestamp", "'2024-02-29 23:59:59+14'"}, {"timestamp", "'2024-02-29 23:59:59'"},
		{"timestamp(0)", "'1970-01-01 00:00:01+00'"}, {"timestamp(0)", "'1970-01-01 00:00:01'"},
		{"timestamp(0)", "'1970-01-01 00:00:01.4'"},
		{"timestamptz", "'1970-01-01 00:00:01+00'"}, {"timestamptz", "'1970-01-01 00:00:01+01'"},
	}
	var b strings.Builder
	b.WriteString("SET TIME ZONE 'UTC';\nCREATE TABLE c (")
	for i, d := range defaults {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "c%d %s DEFAULT %s", i, d.typ, d.def)
	}
	b.WriteString(");\n")
	src := b.String()
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{}
	for i, c := range cat.Tables[schema.QualifiedName{Schema: "public", Name: "c"}].Columns {
		// The type is part of what a default is: c0 and c17 differ.
		ours[c.Name] = defaults[i].typ + " " + c.Default
		if got, want := c.DefaultSQL(), writtenDefault(t, defaults[i].def); got != want {
			t.Errorf("%s DEFAULT %s: migrations write %s, not %s", defaults[i].typ, defaults[i].def, got, want)
		}
	}
	server := serverDefs(t, src, `SELECT a.attname, format_type(a.atttypid, a.atttypmod) || ' ' || pg_get_expr(d.adbin, d.adrelid)
		FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'c'::regclass`)
	written := make([]string, len(defaults))
	for i, d := range defaults {
		written[i] = d.typ + " DEFAULT " + d.def
	}
	sameAsServer(t, written, "c", ours, server)
}

// writtenDefault is default expression s as written, deparsed: what
// migrations write, cast and all.
func writtenDefault(t *testing.T, s string) string {
	e, err := parseExpr(s)
	if err != nil {
		t.Fatal(err)
	}
	text, err := deparseExpr(e)
	if err != nil {
		t.Fatal(err)
	}
	return text
}
