package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestConstantCastsAgainstServer asks PostgreSQL which spellings of a
// constant compared with a column are the same CHECK: two CHECKs must have
// the same definition in ddlmig's model exactly when pg_get_constraintdef
// prints them the same. Folding two spellings the server keeps apart would
// hide a change; keeping apart two it prints the same would plan a
// spurious one.
func TestConstantCastsAgainstServer(t *testing.T) {
	cols := map[string]string{
		"n": "numeric(10,2)", "r": "real", "d": "double precision", "i": "integer",
		"b": "bigint", "s": "smallint", "dt": "date", "t": "text", "v": "varchar(20)", "j": "jsonb",
	}
	checks := []string{
		"n > 0", "n > (0)::numeric", "n > 0::numeric", "n > '0'::numeric", "n > '0'", "n > 0.0",
		"n > -1", "n > ('-1'::integer)::numeric", "n > '-1'::numeric", "n > -1.5", "n > '-1.5'::numeric",
		"n > 1.5", "n > '1.5'::numeric",
		"r > 0", "r > (0)::double precision", "r > 0::real", "r > '0'::real",
		"d > 0", "d > (0)::double precision", "d > 0.5", "d > (0.5)::double precision", "d > '0.5'::double precision",
		"i > 0", "i > 0::integer", "i > -1", "i > '-1'::integer", "i > '5'::integer", "i > 5",
		"i > 3000000000", "i > '3000000000'::bigint", "i > 5::bigint", "i > '5'::bigint",
		"b > 5", "b > 5::bigint", "b > '5'::bigint", "b > -3000000000", "b > '-3000000000'::bigint",
		"s > 5", "s > 5::smallint", "s > '5'::smallint",
		"dt > '2020-01-01'", "dt > '2020-01-01'::date",
		"t <> ''", "t <> ''::text", "v <> 'x'", "v <> 'x'::text", "v <> 'x'::varchar",
		"j ? 'a'", "j ? 'a'::text", "j @> '{}'", "j @> '{}'::jsonb",
		"n IN (1, 2)", "n = ANY (ARRAY[(1)::numeric, (2)::numeric])", "n IN ('1', '2')", "n IN (1.5, 2.5)",
		"t IN ('a', 'b')", "t = ANY (ARRAY['a'::text, 'b'::text])", "v IN ('a', 'b')",
		"(v)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])",
		"n BETWEEN 0 AND 100", "n >= (0)::numeric AND n <= (100)::numeric",
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE c (")
	first := true
	for name, typ := range cols {
		if !first {
			b.WriteString(", ")
		}
		first = false
		fmt.Fprintf(&b, "%s %s", name, typ)
	}
	head := b.String()
	for i, c := range checks {
		fmt.Fprintf(&b, ", CONSTRAINT k%d CHECK (%s)", i, c)
	}
	b.WriteString(");\n")
	src := b.String()

	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{}
	for _, c := range cat.Tables[schema.QualifiedName{Schema: "public", Name: "c"}].Constraints {
		ours[c.Name] = c.Def
	}

	const query = "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'c'::regclass"
	server := serverDefs(t, src, query)
	if len(server) != len(checks) || len(ours) != len(checks) {
		t.Fatalf("%d checks, the server has %d, ddlmig %d", len(checks), len(server), len(ours))
	}
	// The server's print is not always a fixed point: v IN ('a', 'b') on a
	// varchar column prints as ((ARRAY['a'::character varying, ...])::text[]),
	// which loads as ARRAY[('a'::character varying)::text, ...]. pg_dump
	// writes the first print, and a schema bootstrapped from it must
	// converge, so the server's judgement is its print once loaded again.
	var again strings.Builder
	again.WriteString(head)
	for i := range checks {
		fmt.Fprintf(&again, ", CONSTRAINT k%d %s", i, server[fmt.Sprintf("k%d", i)])
	}
	again.WriteString(");\n")
	sameAsServer(t, checks, "k", ours, serverDefs(t, again.String(), query))
}
