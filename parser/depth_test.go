package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// TestDeepNesting folds expressions nested thousands of levels deep (issue
// 12: a 4,600-term + or || chain, which psql loads, killed ddlmig with
// SIGSEGV in libpg_query), and expects the nesting ddlmig does not read to
// be an error at the line where it passes the limit.
func TestDeepNesting(t *testing.T) {
	chain := func(term, op string, n int) string {
		return strings.Repeat(term+" "+op+" ", n-1) + term
	}
	const head = "CREATE TABLE u (id int);\n\n"
	// The column where the limit is passed: at the (MaxDepth-1)th + of
	// the chain (the parenthesis counts a level), 4 bytes a term.
	overCol := len("CREATE TABLE t (a int DEFAULT ") + 4*(pgdecode.MaxDepth-1) + 3
	tests := []struct {
		name string
		src  string
		want string // an error; "" for none
	}{
		{"4,600 + terms", head + "CREATE TABLE t (a int, b int DEFAULT " + chain("1", "+", 4600) + ");\n", ""},
		{"4,600 || terms", head + "CREATE TABLE t (a text DEFAULT " + chain("'x'", "||", 4600) + ");\n", ""},
		{"a view of 4,600 || terms", head + "CREATE VIEW v AS SELECT " + chain("id::text", "||", 4600) + " AS x FROM u;\n", ""},
		{"a check of 4,600 terms", head + "CREATE TABLE t (a int CHECK (" + chain("a", "*", 4600) + " > 0));\n", ""},
		{"at the limit", head + "CREATE TABLE t (a int DEFAULT " + chain("1", "+", pgdecode.MaxDepth-1) + ");\n", ""},
		{"beyond the limit", head + "CREATE TABLE t (a int DEFAULT " + chain("1", "+", pgdecode.MaxDepth+5) + ");\n",
			fmt.Sprintf("f.sql:3:%d: expression too deeply nested: %d levels, ddlmig reads at most %d (PostgreSQL may accept it, ddlmig does not; split the expression, for example into a function or a view)",
				overCol, pgdecode.MaxDepth+5, pgdecode.MaxDepth)},
	}
	for _, tt := range tests {
		for _, migration := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s migration=%v", tt.name, migration), func(t *testing.T) {
				_, _, err := ParseFile("f.sql", []byte(tt.src), Options{Migration: migration})
				got := ""
				if err != nil {
					got = err.Error()
				}
				if got != tt.want {
					t.Errorf("got  %.400s\nwant %.400s", got, tt.want)
				}
				err = CheckSyntax("f.sql", []byte(tt.src))
				got = ""
				if err != nil {
					got = err.Error()
				}
				if got != tt.want {
					t.Errorf("CheckSyntax: got %.400s\nwant %.400s", got, tt.want)
				}
			})
		}
	}
}

// TestDeepNestingCatalog checks that a deep default folds to the same text
// as PostgreSQL's own parenthesized spelling of it, which is just as deep.
func TestDeepNestingCatalog(t *testing.T) {
	const n = 3000
	plain := "CREATE TABLE t (a int DEFAULT " + strings.Repeat("1 + ", n) + "1);"
	parens := "CREATE TABLE t (a int DEFAULT " + strings.Repeat("(", n) + "1" + strings.Repeat(" + 1)", n) + ");"
	a, _, err := ParseFile("a.sql", []byte(plain), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := ParseFile("b.sql", []byte(parens), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ta, tb := a.Tables[schema.QualifiedName{Schema: "public", Name: "t"}], b.Tables[schema.QualifiedName{Schema: "public", Name: "t"}]
	if ta.Columns[0].Default != tb.Columns[0].Default {
		t.Errorf("defaults differ:\n%.200s\n%.200s", ta.Columns[0].Default, tb.Columns[0].Default)
	}
}
