package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestCoercionsAgainstServer asks PostgreSQL which spellings of a view's
// query are the same view once parse analysis has coerced its inputs: two
// views must have the same definition in ddlmig's model exactly when
// pg_get_viewdef prints them the same. Each coercion castQuery writes is
// proved by a spelling with the cast written out (the same view), and a
// cast to another type stays another view.
func TestCoercionsAgainstServer(t *testing.T) {
	exprs := []string{
		"coalesce(c.s, 0)", "coalesce(c.s::integer, 0)", "coalesce(c.s::bigint, 0)", "coalesce(c.s, 0::bigint)",
		"coalesce(sum(c.s), 0)", "coalesce(sum(c.s), 0::bigint)", "coalesce(sum(c.s), 0::numeric)", "coalesce(sum(c.s)::numeric, 0)",
		"coalesce(c.v, c.t)", "coalesce(c.v, c.t::varchar)", "coalesce(c.v::text, c.t)", "coalesce(c.t, c.v)", "coalesce(c.t, c.v::text)",
		"coalesce(NULL, c.s)", "coalesce(NULL::smallint, c.s)", "coalesce(NULL::integer, c.s)",
		"coalesce(c.t, 'a')", "coalesce(c.t, 'a'::text)", "coalesce(c.v, 'a')", "coalesce(c.v, 'a'::varchar)", "coalesce(c.v, 'a'::text)",
		"greatest(c.s, 1, 2.5)", "greatest(c.s::numeric, 1::numeric, 2.5)", "greatest(c.s, 1)", "greatest(c.s::integer, 1)",
		"ARRAY[c.s, 1]", "ARRAY[c.s::integer, 1]", "ARRAY[c.s, 1::smallint]",
		"CASE WHEN c.i = 1 THEN 1 END", "CASE WHEN c.i = 1 THEN 1 ELSE NULL END", "CASE WHEN c.i = 1 THEN 1 ELSE NULL::integer END",
		"CASE WHEN c.i = 1 THEN 1 ELSE NULL::bigint END", "CASE WHEN c.i = 1 THEN 1 ELSE 2 END",
		"CASE WHEN c.i = 1 THEN c.s ELSE c.i END", "CASE WHEN c.i = 1 THEN c.s::integer ELSE c.i END", "CASE WHEN c.i = 1 THEN c.s::bigint ELSE c.i END",
		"CASE WHEN c.i = 1 THEN 'a' END", "CASE WHEN c.i = 1 THEN 'a'::text ELSE NULL::text END", "CASE WHEN c.i = 1 THEN 'a'::varchar END",
		"hr(c.i, c.ts)", "hr(c.i::numeric, c.ts)", "hr(c.n, c.ts)", "hr(1, c.ts)", "hr(1::numeric, c.ts)", "hr('1', c.ts)", "hr('1'::numeric, c.ts)",
		"hr(NULL, NULL)", "hr(NULL::numeric, NULL::timestamptz)", "hr(c.s, c.ts)", "hr(c.s::numeric, c.ts)", "hr(c.s::integer::numeric, c.ts)",
		"d.ok::bool", "d.ok::boolean", "c.b::int2", "c.b::smallint", "c.n::float8", "c.n::double precision", "c.n::float4", "c.n::real",
		"c.ts::timestamptz", "c.ts::timestamp", "c.i::int8", "c.i::bigint",
		"NULL", "NULL::text", "NULL::integer", "'a'", "'a'::text", "'a'::varchar",
		// (SELECT NULL) is printed (SELECT NULL::text), which loads as
		// (SELECT NULL::text AS text): the name of a subquery
		// expression's column is not seen, and ddlmig takes the two for
		// one view, as they are.
		"(SELECT NULL)", "(SELECT NULL::integer)", "(SELECT 'a')", "(SELECT 'a'::varchar)",
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE c (id integer, s smallint, i integer, b bigint, n numeric, t text, v varchar(10), ts timestamptz);\n")
	b.WriteString("CREATE TABLE d (id integer, ok boolean);\n")
	b.WriteString("CREATE FUNCTION hr(numeric, timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE RETURN 1;\n")
	for i, e := range exprs {
		group := ""
		if strings.Contains(e, "sum(") {
			group = " GROUP BY c.id"
		}
		fmt.Fprintf(&b, "CREATE VIEW v%d AS SELECT %s AS x FROM c JOIN d ON c.id = d.id%s;\n", i, e, group)
	}
	src := b.String()
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{}
	for i := range exprs {
		ours[fmt.Sprintf("v%d", i)] = cat.Views[schema.QualifiedName{Schema: "public", Name: fmt.Sprintf("v%d", i)}].Def
	}
	server := serverDefs(t, src, "SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace")
	sameAsServer(t, exprs, "v", ours, server)
}

// TestSetOperationsAgainstServer holds castQuery's coercion of the untyped
// literals of a set operation's branches, and the names the server prints
// each branch with, against pg_get_viewdef.
func TestSetOperationsAgainstServer(t *testing.T) {
	queries := []string{
		"SELECT c.i FROM c UNION SELECT NULL",
		"SELECT c.i FROM c UNION SELECT NULL::integer",
		"SELECT c.i FROM c UNION SELECT NULL::bigint",
		"SELECT c.i AS a FROM c UNION SELECT d.id FROM d",
		"SELECT c.i AS a FROM c UNION SELECT d.id AS a FROM d",
		"SELECT c.i AS a FROM c UNION SELECT d.id AS b FROM d",
		"SELECT c.s FROM c UNION ALL SELECT d.id FROM d UNION ALL SELECT NULL",
		"SELECT c.s FROM c UNION ALL SELECT d.id FROM d UNION ALL SELECT NULL::smallint",
		"SELECT c.s FROM c UNION ALL SELECT d.id FROM d UNION ALL SELECT NULL::integer",
		"SELECT NULL AS a UNION ALL SELECT NULL",
		"SELECT NULL::text AS a UNION ALL SELECT NULL::text",
		"SELECT 'x' AS a UNION SELECT c.t FROM c",
		"SELECT 'x'::text AS a UNION SELECT c.t FROM c",
		"SELECT 'x' AS a UNION SELECT c.v FROM c",
		"SELECT 'x'::varchar AS a UNION SELECT c.v FROM c",
		// In a CTE each branch keeps its own names, and the right one's
		// "?column?" is not printed.
		"WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r",
		"WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 AS n FROM r WHERE n < 10) SELECT n FROM r",
		// SELECT NULL there is printed SELECT NULL::integer, which loads
		// as NULL::integer AS int4, a name not seen: one view for ddlmig.
		"WITH q AS (SELECT c.i FROM c UNION SELECT NULL) SELECT q.i FROM q",
		"WITH q AS (SELECT c.i FROM c UNION SELECT NULL::bigint) SELECT q.i FROM q",
		"WITH q AS (SELECT c.i FROM c UNION SELECT NULL::integer AS i) SELECT q.i FROM q",
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE c (id integer, s smallint, i integer, t text, v varchar(10));\n")
	b.WriteString("CREATE TABLE d (id integer);\n")
	for i, q := range queries {
		fmt.Fprintf(&b, "CREATE VIEW v%d AS %s;\n", i, q)
	}
	src := b.String()
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{}
	for i := range queries {
		ours[fmt.Sprintf("v%d", i)] = cat.Views[schema.QualifiedName{Schema: "public", Name: fmt.Sprintf("v%d", i)}].Def
	}
	server := serverDefs(t, src, "SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace")
	sameAsServer(t, queries, "v", ours, server)
}
