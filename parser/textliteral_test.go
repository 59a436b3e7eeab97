package parser

import "testing"

// TestTextLiteralsAgainstServer proves stripTextLiteralCasts and the
// AT TIME ZONE entry of literalArgTypes: spellings with and without the
// ::text the server adds to a string literal are one view exactly when
// pg_get_viewdef prints them the same; casts to other types, and literals
// meeting operands of other types, stay apart.
func TestTextLiteralsAgainstServer(t *testing.T) {
	exprs := []string{
		"'x' || t", "'x'::text || t", "'x'::varchar || t", "'y' || t", "t || 'x'", "t || 'x'::text",
		"'UT' || 'C'", "'UT'::text || 'C'::text", "'UT'::text || 'C'", "'UT' || 'C'::text",
		"t || 'x' || 'y'", "t || 'x'::text || 'y'::text", "'a' || 'b' || t", "'a'::text || 'b'::text || t",
		"'false' <> (b AND b)::text", "'false'::text <> (b AND b)::text", "'false' <> b::text", "'false'::text <> b::text",
		"'x' || (t IS NULL)::text", "'x'::text || (t IS NULL)::text",
		"'a' = t", "'a'::text = t", "'a'::varchar = t", "'a' < t", "'a'::text < t",
		"t ~ 'a'", "t ~ 'a'::text", "'a' ~ t", "'a'::text ~ t", "t LIKE 'a%'", "t LIKE 'a%'::text", "t ^@ 'a'", "t ^@ 'a'::text",
		"COALESCE(t, '')", "COALESCE(t, ''::text)", "COALESCE(t, 'x')", "COALESCE(v, '')", "COALESCE(v, ''::text)",
		"COALESCE(n::text, '-')", "COALESCE(n::text, '-'::text)", "COALESCE(n, 0)",
		"NULL IS NULL", "NULL::unknown IS NULL", "NULL::text IS NULL",
		"ts AT TIME ZONE 'utc'", "ts AT TIME ZONE 'utc'::text", "ts AT TIME ZONE 'utc'::varchar",
		"ts AT TIME ZONE interval '1 hour'", "ts AT TIME ZONE '1 hour'::interval",
		"ts AT TIME ZONE ('UT' || 'C')", "ts AT TIME ZONE ('UT'::text || 'C'::text)",
		"(ts AT TIME ZONE 'utc')::date", "(ts AT TIME ZONE 'utc'::text)::date",
		"j #>> '{a,b}'", "j #>> '{a,b}'::text[]", "j #>> '{a,c}'", "j #>> ARRAY['a', 'b']", "j #> '{a}'", "j #> '{a}'::text[]",
		"j #- '{a}'", "j #- '{a}'::text[]", "js #>> '{a,b}'", "js #>> '{a,b}'::text[]", "js #> '{a}'", "js #> '{a}'::text[]",
	}
	viewsAgainstServer(t, "CREATE TABLE c (t text, ts timestamptz, v varchar, b boolean, n integer, j jsonb, js json);", exprs)
}
