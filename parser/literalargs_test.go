package parser

import "testing"

// TestLiteralArgsAgainstServer asks PostgreSQL which spellings of a call
// with a string literal argument are the same view: two views must have
// the same definition in ddlmig's model exactly when pg_get_viewdef prints
// them the same, so that each literalArgTypes entry is proved, and a cast
// the server keeps (to another type, or where overloads differ) stays.
func TestLiteralArgsAgainstServer(t *testing.T) {
	exprs := []string{
		"current_setting('a')", "current_setting('a'::text)", "current_setting('a'::varchar)", "current_setting('b')",
		"current_setting('a', true)", "current_setting('a'::text, true)",
		"set_config('a', 'b', false)", "set_config('a'::text, 'b'::text, false)",
		"date_trunc('day', ts)", "date_trunc('day'::text, ts)", "date_trunc('day', ts, 'UTC')", "date_trunc('day'::text, ts, 'UTC'::text)",
		"to_char(ts, 'YYYY')", "to_char(ts, 'YYYY'::text)",
		"format('x')", "format('x'::text)", "format('%s', t)", "format('%s'::text, t)", "format('%s %s', t, t)", "format('%s %s'::text, t, t)",
		"concat_ws(',', t, t)", "concat_ws(','::text, t, t)",
		"replace(t, 'a', 'b')", "replace(t, 'a'::text, 'b'::text)",
		"regexp_replace(t, 'a', 'b')", "regexp_replace(t, 'a'::text, 'b'::text)",
		"split_part(t, ',', 1)", "split_part(t, ','::text, 1)", "strpos(t, 'a')", "strpos(t, 'a'::text)",
		"starts_with(t, 'a')", "starts_with(t, 'a'::text)",
		"to_tsvector('english', t)", "to_tsvector('english'::regconfig, t)", "to_tsvector('simple', t)",
		"to_tsquery('english', t)", "to_tsquery('english'::regconfig, t)",
		"plainto_tsquery('english', t)", "plainto_tsquery('english'::regconfig, t)",
		"phraseto_tsquery('english', t)", "phraseto_tsquery('english'::regconfig, t)",
		"websearch_to_tsquery('english', t)", "websearch_to_tsquery('english'::regconfig, t)",
	}
	viewsAgainstServer(t, "CREATE TABLE c (t text, ts timestamptz);", exprs)
}
