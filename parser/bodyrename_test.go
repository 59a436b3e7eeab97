package parser

import (
	"strings"
	"testing"
)

// TestRenamedCallsInBodySrc: ALTER FUNCTION ... SET SCHEMA and RENAME TO
// name the function anew in the user's text of a SQL-standard body that
// calls it, which a migration writes, not only in the compared one: left
// as it was, CREATE FUNCTION calls() ... SELECT bump(2) fails once bump is
// lib.bump (TestPgDumpConverges, pgdump/moved_routines.sql, failed so).
func TestRenamedCallsInBodySrc(t *testing.T) {
	src := `CREATE SCHEMA lib;
CREATE FUNCTION bump(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN x + 1;
CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN x * 2;
CREATE FUNCTION calls() RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT bump(2) + twice(3); END;
ALTER FUNCTION bump(integer) SET SCHEMA lib;
ALTER FUNCTION twice(integer) RENAME TO thrice;
`
	cat, _, err := ParseFile("s.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fn := cat.Functions["public.calls()"]
	if fn == nil {
		t.Fatalf("no calls(): %v", cat.Functions)
	}
	for _, text := range []string{fn.Def, fn.Src} {
		if !strings.Contains(text, "lib.bump(2)") || !strings.Contains(text, "thrice(3)") {
			t.Errorf("body does not call lib.bump and thrice: %s", text)
		}
	}
}
