package parser_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/schema"
)

// recorder notes what an observer sees: the column's type before and after
// each statement, the statement's position, and its text's first line.
type recorder struct{ log []string }

func colType(cat *schema.Catalog) string {
	t := cat.Tables[schema.QualifiedName{Schema: "app", Name: "t"}]
	if t == nil || t.Column("a") == nil {
		return "-"
	}
	return t.Column("a").Type.String()
}

func (r *recorder) Before(st parser.Statement, cat *schema.Catalog) {
	first, _, _ := strings.Cut(strings.TrimSpace(st.Text), "\n")
	rel := ""
	if a := st.Node.GetAlterTableStmt(); a != nil {
		rel = " rel=" + a.Relation.Schemaname + "." + a.Relation.Relname
	}
	r.log = append(r.log, fmt.Sprintf("before %s %q a:%s%s", st.Pos, first, colType(cat), rel))
}

func (r *recorder) After(st parser.Statement, cat *schema.Catalog, err error) {
	r.log = append(r.log, fmt.Sprintf("after %d a:%s err:%v", st.Pos.Line, colType(cat), err != nil))
}

// TestObserver: an observer sees each statement with the catalog before
// and after it, the statement's own position (on a line other than 1,
// after a comment), its text with the comments before it, names qualified
// by the search path, and a statement that fails.
func TestObserver(t *testing.T) {
	src := `CREATE SCHEMA app;
SET search_path TO app;
CREATE TABLE t (a int);
-- widen it
ALTER TABLE t ALTER COLUMN a TYPE bigint;
ALTER TABLE t DROP COLUMN missing;
`
	r := &recorder{}
	_, err := parser.Parse(schema.New(), "m.sql", []byte(src), parser.Options{Migration: true, Observer: r})
	if err == nil {
		t.Fatal("want the fold error of the last statement")
	}
	want := []string{
		`before m.sql:1:1 "CREATE SCHEMA app" a:-`,
		`after 1 a:- err:false`,
		`before m.sql:3:1 "CREATE TABLE t (a int)" a:-`,
		`after 3 a:integer err:false`,
		`before m.sql:5:1 "-- widen it" a:integer rel=app.t`,
		`after 5 a:bigint err:false`,
		`before m.sql:6:1 "ALTER TABLE t DROP COLUMN missing" a:bigint rel=app.t`,
		`after 6 a:bigint err:true`,
	}
	if got := strings.Join(r.log, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}
