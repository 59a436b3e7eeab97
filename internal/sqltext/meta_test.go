package sqltext

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScan(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		meta     []MetaCommand
		open     int
		unclosed string
	}{
		{"none", "SELECT 1;\n", nil, -1, ""},
		{"include lines", "\\i a.sql\nSELECT 1;\n  \\ir  'sub/b.sql'  \n", []MetaCommand{
			{Start: 0, End: 8, Name: "i", Args: "a.sql"},
			{Start: 21, End: 39, Name: "ir", Args: "'sub/b.sql'"},
		}, -1, ""},
		{"after a statement", "SELECT 1 \\gset\n", []MetaCommand{{Start: 9, End: 14, Name: "gset"}}, -1, ""},
		{"in a string", "SELECT '\n\\i x';", nil, -1, ""},
		{"in an E string with an escaped quote", "SELECT E'\\'\n\\i x';", nil, -1, ""},
		{"after an E string", "SELECT E'\\\\';\n\\echo hi", []MetaCommand{{Start: 14, End: 22, Name: "echo", Args: "hi"}}, -1, ""},
		{"in a function body", "CREATE FUNCTION f() RETURNS text AS $body$\n\\i x\n$body$ LANGUAGE sql;", nil, -1, ""},
		{"in comments", "-- \\i a\n/* \\i b /* nested */\n\\i c */", nil, -1, ""},
		{"in a quoted identifier", "CREATE TABLE \"\n\\i\" ();", nil, -1, ""},
		{"double backslash", "\\\\", []MetaCommand{{Start: 0, End: 2, Name: "\\"}}, -1, ""},
		{"unclosed string", "SELECT 1;\nSELECT 'abc;\n", nil, 17, "quoted string"},
		{"unclosed comment", "/* x", nil, 0, "comment"},
		{"unclosed body", "SELECT $$ x", nil, 7, "dollar-quoted string"},
		{"positional parameter is no dollar quote", "SELECT $1, a$b$c;\n\\i x", []MetaCommand{{Start: 18, End: 22, Name: "i", Args: "x"}}, -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Scan(tt.in)
			if diff := cmp.Diff(tt.meta, got.Meta); diff != "" {
				t.Errorf("meta (-want +got):\n%s", diff)
			}
			if got.Open != tt.open || got.Unclosed != tt.unclosed {
				t.Errorf("open %d %q, want %d %q", got.Open, got.Unclosed, tt.open, tt.unclosed)
			}
		})
	}
}

func TestSpliced(t *testing.T) {
	s := NewSpliced()
	main := "CREATE TABLE a ();\n\\i b.sql\nCREATE TABLE c ();\n"
	b := "CREATE TABLE é (x int);\nCREATE TABLE b ()"
	s.AddFile("main.sql", main)
	s.AddFile("inc/b.sql", b)
	s.Copy("main.sql", 0, 27)
	s.Separate(";\n", "main.sql", 19)
	s.Copy("inc/b.sql", 0, len(b))
	s.Separate(";\n", "main.sql", 19)
	s.Copy("main.sql", 27, len(main))
	text := s.Text()
	want := main[:27] + ";\n" + b + ";\n" + main[27:]
	if text != want {
		t.Fatalf("text %q, want %q", text, want)
	}
	for _, tt := range []struct {
		off        int
		file       string
		line, col  int
		roundTrips bool // false: a separator, which maps to a place copied elsewhere
	}{
		{0, "main.sql", 1, 1, true},
		{19, "main.sql", 2, 1, true},
		{28, "main.sql", 2, 1, false}, // the separator stands for the \i line
		{29 + 13, "inc/b.sql", 1, 14, true},
		{29 + 15, "inc/b.sql", 1, 15, true}, // after the two-byte é: columns count characters
		{29 + len(b) + 2 + 14, "main.sql", 3, 14, true},
	} {
		f, l, c := s.Locate(tt.off)
		if f != tt.file || l != tt.line || c != tt.col {
			t.Errorf("Locate(%d) = %s:%d:%d, want %s:%d:%d", tt.off, f, l, c, tt.file, tt.line, tt.col)
		}
		if back, ok := s.Offset(f, l, c); tt.roundTrips && (!ok || back != tt.off) {
			t.Errorf("Offset(%s:%d:%d) = %d, %v; want %d", f, l, c, back, ok, tt.off)
		}
	}
}
