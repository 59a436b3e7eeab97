package parser

import (
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestUsingDirective checks that a -- ddlmig:using comment gives the
// column on its line its canonical USING expression, and that one ddlmig
// could not attach is an error at the comment, not ignored.
func TestUsingDirective(t *testing.T) {
	tests := []struct {
		name, src string
		want      map[string]string // column -> Using
		err       string
		down      map[string]string // column -> DownUsing, when set
	}{
		{"line comment", "CREATE TABLE t (\n  a timestamp, -- ddlmig:using to_timestamp( a )\n  b int\n);",
			map[string]string{"a": "to_timestamp(a)", "b": ""}, "", nil},
		{"block comment, last column", "CREATE TABLE t (\n  a int,\n  b uuid /* ddlmig:using md5(b::text)::uuid */\n);",
			map[string]string{"a": "", "b": "md5(b::text)::uuid"}, "", nil},
		{"a literal is not a comment", "CREATE TABLE t (\n  a text DEFAULT '-- ddlmig:using x'\n);",
			map[string]string{"a": ""}, "", nil},
		{"a longer word is not the directive", "CREATE TABLE t (\n  a int -- ddlmig:usingx y\n);",
			map[string]string{"a": ""}, "", nil},
		{"not on a column's line", "CREATE TABLE t (\n  a int\n);\n-- ddlmig:using a + 1\n",
			nil, "f.sql:4:1: -- ddlmig:using is not on the line of a column in CREATE TABLE; put it after the column whose values it converts", nil},
		{"two columns on the line", "CREATE TABLE t (a int, b int); -- ddlmig:using a + 1",
			nil, "f.sql:1:32: -- ddlmig:using: the line holds more than one column; put the column it is for on a line of its own", nil},
		{"no expression", "CREATE TABLE t (\n  a int -- ddlmig:using\n);",
			nil, "f.sql:2:9: -- ddlmig:using: want an expression after it (), e.g. -- ddlmig:using to_timestamp(created)", nil},
		{"not an expression", "CREATE TABLE t (\n  a int -- ddlmig:using a +\n);",
			nil, "f.sql:2:9: -- ddlmig:using: want an expression after it (a +), e.g. -- ddlmig:using to_timestamp(created)", nil},
		{"using and down-using on one line", "CREATE TABLE t (\n  a timestamp, /* ddlmig:using to_timestamp(a) */ -- ddlmig:down-using extract(epoch FROM a)::bigint\n  b int -- ddlmig:down-using b\n);",
			map[string]string{"a": "to_timestamp(a)", "b": ""}, "", map[string]string{"a": "extract ('epoch' FROM a)::bigint", "b": "b"}},
		{"a longer word is not down-using", "CREATE TABLE t (\n  a int -- ddlmig:down-usingx y\n);",
			map[string]string{"a": ""}, "", map[string]string{"a": ""}},
		{"down-using not on a column's line", "CREATE TABLE t (\n  a int\n);\n-- ddlmig:down-using a + 1\n",
			nil, "f.sql:4:1: -- ddlmig:down-using is not on the line of a column in CREATE TABLE; put it after the column whose values it converts", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, _, err := ParseFile("f.sql", []byte(tt.src), Options{})
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tbl := cat.Tables[schema.QualifiedName{Schema: "public", Name: "t"}]
			for col, want := range tt.want {
				if got := tbl.Column(col).Using; got != want {
					t.Errorf("%s.Using = %q, want %q", col, got, want)
				}
			}
			for col, want := range tt.down {
				if got := tbl.Column(col).DownUsing; got != want {
					t.Errorf("%s.DownUsing = %q, want %q", col, got, want)
				}
			}
		})
	}
}
