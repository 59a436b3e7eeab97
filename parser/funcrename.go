package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// renameCallers names function old anew (nq) in the stored texts that call
// it by name, compared and the user's alike: column defaults and generated
// columns, checks, EXCLUDE constraints and defaults of tables and domains,
// policies, indexes (of materialized views too), statistics, triggers'
// WHEN, views and SQL-standard function bodies. PostgreSQL stores the
// function's OID in those, so after ALTER FUNCTION ... RENAME TO it prints
// them with the new name. A name written with its schema keeps it. Quoted
// bodies (AS $$...$$) are text PostgreSQL leaves as written, and so does
// the fold. The caller makes sure no other function has old's name, so that
// a one-part name in a text is this function.
func (f *folder) renameCallers(old, nq schema.QualifiedName) {
	for _, tn := range schema.SortedNames(f.cat.Tables) {
		t := f.cat.Tables[tn]
		rename := func(s string) string { return renameCallInExpr(s, old, nq) }
		for _, c := range t.Columns {
			rewriteExprs(&c.Default, &c.DefaultSrc, rename)
			rewriteExprs(&c.Generated, &c.GeneratedSrc, rename)
		}
		for _, c := range t.Constraints {
			if (c.Kind == schema.Check || c.Kind == schema.Exclude) && (strings.Contains(c.Def, old.Name) || strings.Contains(c.Src, old.Name)) {
				rewriteConstraint(c, func(n *pg_query.Constraint) { renameCalls(n.ProtoReflect(), old, nq) })
			}
		}
		for _, p := range t.Policies {
			p.Using = rename(p.Using)
			p.WithCheck = rename(p.WithCheck)
			p.UsingSrc = rename(p.UsingSrc)
			p.WithCheckSrc = rename(p.WithCheckSrc)
		}
	}
	f.renameCallsInDomains(old, nq)
	for _, ix := range f.allIndexes() {
		if strings.Contains(ix.Def, old.Name) || strings.Contains(ix.Src, old.Name) {
			rewriteIndex(ix, func(n *pg_query.IndexStmt) { renameCalls(n.ProtoReflect(), old, nq) })
		}
	}
	for _, s := range f.cat.Statistics {
		if strings.Contains(s.Def, old.Name) || strings.Contains(s.Src, old.Name) {
			rewriteStatistics(s, func(m protoreflect.Message) { renameCalls(m, old, nq) })
		}
	}
	for _, tr := range f.cat.Triggers {
		if strings.Contains(tr.Def, old.Name) || strings.Contains(tr.Src, old.Name) {
			rewriteTrigger(tr, func(n *pg_query.CreateTrigStmt) { renameCalls(n.WhenClause.ProtoReflect(), old, nq) })
		}
	}
	for _, v := range f.cat.Views {
		if slices.Contains(v.Funcs, old) {
			renameCallInView(v, old, nq)
		}
	}
	for _, fn := range f.cat.Functions {
		if slices.Contains(fn.Calls, old) {
			renameCallInBody(fn, old, nq)
		}
	}
}

// renameCallsInDomains is renameCallers for the domains' defaults and
// checks.
func (f *folder) renameCallsInDomains(old, nq schema.QualifiedName) {
	rename := func(s string) string { return renameCallInExpr(s, old, nq) }
	constraint := func(s string) string {
		if !strings.Contains(s, old.Name) {
			return s
		}
		return rewriteConstraintText(s, func(n *pg_query.Constraint) { renameCalls(n.ProtoReflect(), old, nq) })
	}
	for _, d := range f.cat.Domains {
		rewriteExprs(&d.Default, &d.DefaultSrc, rename)
		for _, c := range d.Constraints {
			rewriteExprs(&c.Def, &c.Src, constraint)
		}
	}
}

// renameCalls renames the calls of old in the tree under m, and reports
// whether it found one. An output column that was such a call, unnamed,
// keeps the name PostgreSQL gave it when the query was stored (the old
// function's): SELECT norm(s) is printed SELECT normalized(s) AS norm.
func renameCalls(m protoreflect.Message, old, nq schema.QualifiedName) bool {
	calls := func(fc *pg_query.FuncCall) bool {
		names := strs(fc.Funcname)
		return len(names) == 2 && names[0] == old.Schema && names[1] == old.Name || len(names) == 1 && names[0] == old.Name
	}
	walk(m, func(m protoreflect.Message) {
		if rt, ok := m.Interface().(*pg_query.ResTarget); ok && old.Name != nq.Name && rt.Name == "" && rt.Val.GetFuncCall() != nil && calls(rt.Val.GetFuncCall()) {
			rt.Name = old.Name
		}
	})
	found := false
	walk(m, func(m protoreflect.Message) {
		fc, ok := m.Interface().(*pg_query.FuncCall)
		if !ok || !calls(fc) {
			return
		}
		// A name moved into public is written bare, as the canonical
		// texts name public's functions; out of the schema a bare name
		// was found in, qualified.
		switch {
		case len(fc.Funcname) == 1 && nq.Schema == old.Schema, nq.Schema != old.Schema && nq.Schema == schema.DefaultSchema:
			fc.Funcname = []*pg_query.Node{pg_query.MakeStrNode(nq.Name)}
		default:
			fc.Funcname = []*pg_query.Node{pg_query.MakeStrNode(nq.Schema), pg_query.MakeStrNode(nq.Name)}
		}
		found = true
	})
	return found
}

// renameCallInExpr is renameCalls on an expression's text; a text that
// does not call old, or does not parse back, is returned as it is.
func renameCallInExpr(s string, old, nq schema.QualifiedName) string {
	if !strings.Contains(s, old.Name) {
		return s
	}
	e, err := parseExpr(s)
	if err != nil || !renameCalls(e.ProtoReflect(), old, nq) {
		return s
	}
	if out, err := deparseExpr(e); err == nil {
		return out
	}
	return s
}

// renameCallInView renames the calls of old in a view's text, and its
// list of the functions it calls.
func renameCallInView(v *schema.View, old, nq schema.QualifiedName) {
	if !rewriteViewTexts(v, func(n *pg_query.Node) bool { return renameCalls(n.ProtoReflect(), old, nq) }) {
		return
	}
	for i, q := range v.Funcs {
		if q == old {
			v.Funcs[i] = nq
		}
	}
}

// renameCallInBody renames the calls of old in a SQL-standard body
// (RETURN, BEGIN ATOMIC), compared and the user's alike (the user's text
// is what a migration writes: left as it was, it would call old's name),
// and fn's list of the functions it calls; a quoted body is left as
// written.
func renameCallInBody(fn *schema.Function, old, nq schema.QualifiedName) {
	def, ok := renameCallInRoutine(fn.Def, old, nq)
	if !ok {
		return
	}
	fn.Def = def
	if src, ok := renameCallInRoutine(fn.Src, old, nq); ok {
		fn.Src = src
	}
	for i, q := range fn.Calls {
		if q == old {
			fn.Calls[i] = nq
		}
	}
}

// renameCallInRoutine is renameCalls on the SQL-standard body of a
// routine's text (CREATE FUNCTION ...); ok is false when the text does not
// parse or print back, or its body does not call old.
func renameCallInRoutine(text string, old, nq schema.QualifiedName) (string, bool) {
	tree, err := pgdecode.Parse(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	cf := tree.Stmts[0].Stmt.GetCreateFunctionStmt()
	if cf == nil || !renameCalls(cf.SqlBody.ProtoReflect(), old, nq) {
		return "", false
	}
	s, err := deparse(tree.Stmts[0].Stmt)
	return s, err == nil
}

// nameShared reports whether a function or aggregate other than the one
// keyed key has name q's Name, in any schema: a call written without a
// schema could then be that one.
func (f *folder) nameShared(key string, q schema.QualifiedName) bool {
	for k, fn := range f.cat.Functions {
		if k != key && fn.Name.Name == q.Name {
			return true
		}
	}
	for k, a := range f.cat.Aggregates {
		if k != key && a.Name.Name == q.Name {
			return true
		}
	}
	return false
}
