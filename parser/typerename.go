package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/schema"
)

// rewriteTypedTexts applies fn, which rewrites a parse tree in place, to
// every stored text that may name a type or hold one of its constants,
// compared and the user's alike: indexes (of materialized views too),
// CHECK and EXCLUDE constraints, statistics, triggers' WHEN, column
// defaults and generated expressions, policies, views, and the defaults
// and checks of domains; cols gives fn the types of the columns the text can
// name (VALUE's in a domain's; nil where none are known). Only texts that
// contain needle are parsed. A user's
// text that does not parse back is dropped, so that the compared one is
// written (policies keep both, as their Src is always set).
func (f *folder) rewriteTypedTexts(needle string, fn func(m protoreflect.Message, cols columnTypes)) {
	has := func(texts ...string) bool {
		for _, s := range texts {
			if strings.Contains(s, needle) {
				return true
			}
		}
		return false
	}
	expr := func(cols columnTypes) func(string) string {
		return func(s string) string {
			if !has(s) {
				return s
			}
			e, err := parseExpr(s)
			if err != nil {
				return s
			}
			fn(e.ProtoReflect(), cols)
			if out, err := deparseExpr(e); err == nil {
				return out
			}
			return s
		}
	}
	constraint := func(cols columnTypes) func(string) string {
		return func(s string) string {
			if !has(s) {
				return s
			}
			return rewriteConstraintText(s, func(n *pg_query.Constraint) { fn(n.ProtoReflect(), cols) })
		}
	}
	for _, ix := range f.allIndexes() {
		if has(ix.Def, ix.Src) {
			cols := f.tableColumns(ix.Table)
			rewriteIndex(ix, func(n *pg_query.IndexStmt) { fn(n.ProtoReflect(), cols) })
		}
	}
	for _, s := range f.cat.Statistics {
		if has(s.Def, s.Src) {
			cols := f.tableColumns(s.Table)
			rewriteStatistics(s, func(m protoreflect.Message) { fn(m, cols) })
		}
	}
	for tn, tr := range f.cat.Triggers {
		if has(tr.Def, tr.Src) {
			cols := f.tableColumns(tn.Table)
			rewriteTrigger(tr, func(n *pg_query.CreateTrigStmt) { fn(n.WhenClause.ProtoReflect(), cols) })
		}
	}
	for _, t := range f.cat.Tables {
		cols := tableTypes(t)
		for _, c := range t.Columns {
			rewriteExprs(&c.Default, &c.DefaultSrc, expr(nil))
			rewriteExprs(&c.Generated, &c.GeneratedSrc, expr(cols))
		}
		for _, c := range t.Constraints {
			if c.Kind == schema.Check || c.Kind == schema.Exclude {
				rewriteExprs(&c.Def, &c.Src, constraint(cols))
			}
		}
		for _, p := range t.Policies {
			p.Using, p.UsingSrc = expr(cols)(p.Using), expr(cols)(p.UsingSrc)
			p.WithCheck, p.WithCheckSrc = expr(cols)(p.WithCheck), expr(cols)(p.WithCheckSrc)
		}
	}
	for _, v := range f.cat.Views {
		if has(v.Def, v.Src) {
			rewriteViewTexts(v, func(n *pg_query.Node) bool { fn(n.ProtoReflect(), nil); return true })
		}
	}
	for _, d := range f.cat.Domains {
		value := func(name string) (schema.TypeName, bool) { return d.Type, name == "value" }
		rewriteExprs(&d.Default, &d.DefaultSrc, expr(nil))
		for _, c := range d.Constraints {
			rewriteExprs(&c.Def, &c.Src, constraint(value))
		}
	}
}

// tableColumns is tableTypes of table q; nil when q is not a table (a
// materialized view's index).
func (f *folder) tableColumns(q schema.QualifiedName) columnTypes {
	if t := f.cat.Tables[q]; t != nil {
		return tableTypes(t)
	}
	return nil
}

// allIndexes lists the indexes of tables and of materialized views.
func (f *folder) allIndexes() []*schema.Index {
	var out []*schema.Index
	for _, ix := range f.cat.Indexes {
		out = append(out, ix)
	}
	for _, v := range f.cat.Views {
		for _, ix := range v.Indexes {
			out = append(out, ix)
		}
	}
	return out
}

// rewriteStatistics applies fn to a statistics object's parsed text,
// compared and the user's, and stores the rendered results; a user's text
// that does not parse or render back is dropped, so that Def is written.
func rewriteStatistics(s *schema.Statistics, fn func(protoreflect.Message)) {
	rewriteDefSrc(&s.Def, &s.Src, func(text string) (string, bool) { return rewriteStatisticsText(text, fn) })
}

// rewriteStatisticsText applies fn to a statistics object's text (Def or
// Src), parsed, and renders it again.
func rewriteStatisticsText(text string, fn func(protoreflect.Message)) (string, bool) {
	tree, err := pg_query.Parse(statisticsPrefix + text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	fn(tree.ProtoReflect())
	d, err := deparse(tree.Stmts[0].Stmt)
	if err != nil {
		return "", false
	}
	return strings.TrimPrefix(d, statisticsPrefix), true
}

// renameTypeRefs renames the type names that name old in the tree under m;
// an unqualified name is public's, where the file's search path (if it
// sets one) has qualified the others. The new name is written qualified
// unless it is public's, as normalizeExpr leaves it.
func renameTypeRefs(m protoreflect.Message, old, nq schema.QualifiedName) {
	walk(m, func(m protoreflect.Message) {
		tn, ok := m.Interface().(*pg_query.TypeName)
		if !ok {
			return
		}
		if !namesType(tn, old) {
			return
		}
		names := strs(tn.Names)
		tn.Names = []*pg_query.Node{pg_query.MakeStrNode(nq.Schema), pg_query.MakeStrNode(nq.Name)}
		if nq.Schema == schema.DefaultSchema && len(names) == 1 {
			tn.Names = tn.Names[1:]
		}
	})
}

// renameLabelRefs renames enum label old of type typ to nv in the tree
// under m, where PostgreSQL has made it a constant of the type, which it
// stores by the label's OID and prints with the new label after ALTER
// TYPE ... RENAME VALUE: a constant cast to typ ('sad'::mood), and a bare
// constant compared with (=, <>, IN, ...) a column of the type, as in
// CHECK (m <> 'sad') or a trigger's WHEN (NEW.m = 'sad'), or passed to a
// function where its parameter is of the type, as in f('sad'); cols gives
// the columns' types, params the parameter types of the schema's function
// a call names (nil when not one of them).
func renameLabelRefs(m protoreflect.Message, cols columnTypes, params func(*pg_query.FuncCall) []schema.TypeName, typ schema.QualifiedName, old, nv string) {
	rename := func(n *pg_query.Node) {
		if c := n.GetAConst(); c != nil && c.GetSval() != nil && c.GetSval().Sval == old {
			c.GetSval().Sval = nv
		}
	}
	walk(m, func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg_query.TypeCast:
			if x.TypeName != nil && len(x.TypeName.ArrayBounds) == 0 && namesType(x.TypeName, typ) {
				rename(x.Arg)
			}
		case *pg_query.FuncCall:
			for i, t := range params(x) {
				if i < len(x.Args) && t.ArrayDims == 0 && t.Schema == typ.Schema && t.Name == typ.Name {
					rename(x.Args[i])
				}
			}
		case *pg_query.A_Expr:
			if x.Kind != pg_query.A_Expr_Kind_AEXPR_OP && x.Kind != pg_query.A_Expr_Kind_AEXPR_IN {
				return
			}
			for _, pair := range [][2]*pg_query.Node{{x.Lexpr, x.Rexpr}, {x.Rexpr, x.Lexpr}} {
				if !columnOfType(pair[0], cols, typ) {
					continue
				}
				rename(pair[1])
				for _, item := range pair[1].GetList().GetItems() {
					rename(item)
				}
			}
		}
	})
}

// columnOfType reports whether n names a column (c, t.c, NEW.c) that cols
// gives type typ, not an array of it.
func columnOfType(n *pg_query.Node, cols columnTypes, typ schema.QualifiedName) bool {
	cr := n.GetColumnRef()
	if cr == nil || cols == nil || len(cr.Fields) > 2 {
		return false
	}
	name := cr.Fields[len(cr.Fields)-1].GetString_().GetSval()
	t, ok := cols(name)
	return ok && t.ArrayDims == 0 && t.Schema == typ.Schema && t.Name == typ.Name
}

// namesType reports whether tn names type q: with its schema, or without
// when q is public's (the file's search path, if it sets one, has
// qualified the others).
func namesType(tn *pg_query.TypeName, q schema.QualifiedName) bool {
	names := strs(tn.Names)
	return len(names) == 1 && q.Schema == schema.DefaultSchema && names[0] == q.Name ||
		len(names) == 2 && names[0] == q.Schema && names[1] == q.Name
}
