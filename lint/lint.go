// Package lint finds lock and data hazards in hand-written migrations, the
// statements the planner's hazard markers cannot cover because ddlmig did
// not write them. It walks each statement's parse tree with positions so a
// finding points at file:line:col, and honours the same review markers as
// generated files: "-- ddlmig:reviewed CODE: reason" before a statement
// silences that code for that statement.
package lint

import (
	"fmt"
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/migfile"
)

// Finding is one hazard in one statement.
type Finding struct {
	Code string
	Line int // 1-based
	Col  int // 1-based
	Msg  string
}

func (f Finding) String() string {
	return fmt.Sprintf("%d:%d: %s: %s", f.Line, f.Col, f.Code, f.Msg)
}

// Rule describes one hazard code the linter reports and the safer form,
// for --format sarif and the README table.
type Rule struct {
	Code  string
	Short string
	Help  string
}

// file is the linter's state while it walks one migration.
type file struct {
	src     string
	noTx    bool
	created map[string]bool // tables created earlier in this file
	out     []Finding
	cur     stmt
}

type stmt struct {
	start, end int // byte range of the statement with its leading comments
	pos        int // offset of the statement's first token
}

// File lints one migration's text. Statements in a table created earlier in
// the same file take no locks worth reporting, so they are exempt.
func File(src []byte) ([]Finding, error) {
	tree, err := pg_query.Parse(string(src))
	if err != nil {
		return nil, err
	}
	f := &file{src: string(src), noTx: migfile.NoTransaction(src), created: map[string]bool{}}
	for _, raw := range tree.Stmts {
		start := int(raw.StmtLocation)
		end := start + int(raw.StmtLen)
		if raw.StmtLen == 0 {
			end = len(f.src)
		}
		f.cur = stmt{start: start, end: end, pos: skipComments(f.src, start)}
		f.statement(raw.Stmt)
	}
	sort.SliceStable(f.out, func(i, j int) bool { return f.out[i].Line < f.out[j].Line })
	return f.out, nil
}

// skipComments returns the offset of the first token at or after off.
func skipComments(s string, off int) int {
	for off < len(s) {
		switch {
		case s[off] == ' ' || s[off] == '\t' || s[off] == '\n' || s[off] == '\r':
			off++
		case strings.HasPrefix(s[off:], "--"):
			i := strings.IndexByte(s[off:], '\n')
			if i < 0 {
				return len(s)
			}
			off += i + 1
		case strings.HasPrefix(s[off:], "/*"):
			i := strings.Index(s[off+2:], "*/")
			if i < 0 {
				return len(s)
			}
			off += i + 4
		default:
			return off
		}
	}
	return off
}

// reviewed reports whether the current statement carries a reviewed or
// unreviewed marker for code: the planner's markers already report it.
func (f *file) reviewed(code string) bool {
	for _, l := range strings.Split(f.src[f.cur.start:min(f.cur.end, len(f.src))], "\n") {
		t := strings.TrimSpace(l)
		for _, m := range []string{migfile.ReviewedMarker, migfile.UnreviewedMarker} {
			if rest, ok := strings.CutPrefix(t, m); ok {
				rest = strings.TrimLeft(rest, " ")
				if rest == code || strings.HasPrefix(rest, code+":") || strings.HasPrefix(rest, code+" ") {
					return true
				}
			}
		}
	}
	return false
}

// report adds a finding at the current statement unless it is reviewed.
func (f *file) report(code, format string, args ...any) {
	if f.reviewed(code) {
		return
	}
	line, col := 1, 1
	for _, r := range f.src[:f.cur.pos] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	f.out = append(f.out, Finding{Code: code, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// key names a table the same way however it is qualified.
func key(rv *pg_query.RangeVar) string {
	if rv == nil {
		return ""
	}
	if rv.Schemaname == "" || rv.Schemaname == "public" {
		return rv.Relname
	}
	return rv.Schemaname + "." + rv.Relname
}

func (f *file) isNew(rv *pg_query.RangeVar) bool { return f.created[key(rv)] }

func (f *file) statement(n *pg_query.Node) {
	switch {
	case n.GetCreateStmt() != nil:
		f.created[key(n.GetCreateStmt().Relation)] = true
	case n.GetCreateTableAsStmt() != nil && n.GetCreateTableAsStmt().Into != nil:
		f.created[key(n.GetCreateTableAsStmt().Into.Rel)] = true
	case n.GetAlterTableStmt() != nil:
		f.alterTable(n.GetAlterTableStmt())
	case n.GetIndexStmt() != nil:
		f.createIndex(n.GetIndexStmt())
	case n.GetDropStmt() != nil:
		f.drop(n.GetDropStmt())
	case n.GetRenameStmt() != nil:
		f.rename(n.GetRenameStmt())
	case n.GetTruncateStmt() != nil:
		f.truncate(n.GetTruncateStmt())
	case n.GetDropdbStmt() != nil:
		f.report(CodeDropDatabase, "DROP DATABASE destroys every table in it")
	case n.GetTransactionStmt() != nil:
		f.transaction(n.GetTransactionStmt())
	}
}
