package runner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/internal/sqltext"
)

func TestSplitKeepsOffsets(t *testing.T) {
	text := "-- ddlmig:no-transaction\n-- head\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n/* block /* nested */ */ CREATE FUNCTION f() RETURNS int\n  LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n" +
		"DO $$ BEGIN PERFORM 1; END $$;\n;;\n  SELECT 'é;☃' AS x -- trailing\n"
	st, err := split(text)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range st {
		l, c := sqltext.LineCol(text, s.Off)
		got = append(got, fmt.Sprintf("%d:%d %s", l, c, strings.Fields(text[s.Off:])[0]))
	}
	want := []string{"3:1 CREATE", "5:26 CREATE", "7:1 DO", "9:3 SELECT"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	if _, err := split("CREATE TABLE (;"); err == nil {
		t.Errorf("split accepted a syntax error")
	}
	if n := len(splitLoose("SELECT 1 +; SELECT 2;")); n != 2 {
		t.Errorf("splitLoose found %d statements, want 2", n)
	}
}

func TestLineColAndPositions(t *testing.T) {
	text := "ab\ncé☃x\n"
	cases := []struct {
		off, line, col int
	}{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2}, {9, 2, 4}, {99, 3, 1}}
	for _, c := range cases {
		if l, col := sqltext.LineCol(text, c.off); l != c.line || col != c.col {
			t.Errorf("sqltext.LineCol(%d) = %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
	}
	// PostgreSQL counts characters from 1: x is character 7.
	if got := sqltext.CharOffset(text, 7); text[got] != 'x' {
		t.Errorf("sqltext.CharOffset(7) = %d (%q)", got, text[got:])
	}
	if got := sqltext.CharOffset(text, 1); got != 0 {
		t.Errorf("sqltext.CharOffset(1) = %d", got)
	}
}

func TestMessage(t *testing.T) {
	cases := map[string]string{
		"-- Message: Add e-mail to users\nALTER TABLE users ADD email text;\n":            "Add e-mail to users",
		"-- ddlmig:no-transaction\n--   message:  Index it  \n\nCREATE INDEX i ON t (a);": "Index it",
		"CREATE TABLE t (id int);\n-- Message: too late\n":                                "",
		"": "",
	}
	for in, want := range cases {
		if got := message([]byte(in)); got != want {
			t.Errorf("message(%q) = %q, want %q", in, got, want)
		}
	}
}
