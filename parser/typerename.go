package parser

import (
	"math"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/schema"
)

// rewriteTypedTexts applies fn, which rewrites a parse tree in place, to
// every stored text that may name a type or hold one of its constants,
// compared and the user's alike (rewriteStoredTexts); cols gives fn the
// types of the columns the text can name. Only texts that contain needle
// are parsed.
func (f *folder) rewriteTypedTexts(needle string, fn func(m protoreflect.Message, cols columnTypes)) {
	has := func(s string) bool { return strings.Contains(s, needle) }
	f.rewriteStoredTexts(has, false, nil, func(m protoreflect.Message, at textPlace) { fn(m, at.cols) })
}

// textPlace is what a stored text can name: the columns of its table (or
// VALUE, in a domain's text).
type textPlace struct {
	// cols gives the types of the columns the text names by a bare name
	// (VALUE's in a domain's); nil where none are known, and for a
	// column's default, which names none.
	cols columnTypes
	// entries are the same columns as castExpr sees them: the table's
	// (or materialized view's), NEW and OLD in a trigger's WHEN, VALUE in
	// a domain's texts.
	entries []rangeEntry
}

// rewriteStoredTexts applies fn, which rewrites a parse tree in place, to
// every stored text that holds expressions: indexes (of materialized views
// too), CHECK and EXCLUDE constraints, statistics, triggers' WHEN, column
// defaults and generated expressions, policies, and the defaults and
// checks of domains, and views (not with comparedOnly). Only texts has
// says yes to are parsed. With comparedOnly the compared texts alone are
// rewritten, and the user's keeps what it was (rewriteCompared);
// otherwise both are, and a user's text that does not parse back is
// dropped, so that the compared one is written (policies keep both, as
// their Src is always set). A non-nil only limits the walk to the texts
// of the tables it names (their columns, constraints, policies, indexes,
// statistics and triggers' WHEN): finishTouched passes the tables a file
// changed, as the others, views and domains are as the last finish left
// them.
func (f *folder) rewriteStoredTexts(has func(string) bool, comparedOnly bool, only map[schema.QualifiedName]bool, fn func(m protoreflect.Message, at textPlace)) {
	w := &textWalk{has: has, comparedOnly: comparedOnly, fn: fn}
	outside := func(q schema.QualifiedName) bool { return only != nil && !only[q] }
	for _, ix := range f.allIndexes() {
		if outside(ix.Table) {
			continue
		}
		at := f.tablePlace(ix.Table, false)
		w.store(&ix.Def, &ix.Src, func(s string) (string, bool) {
			return rewriteIndexText(s, ix.Table, func(n *pg_query.IndexStmt) { fn(n.ProtoReflect(), at()) })
		}, false)
	}
	for _, s := range f.cat.Statistics {
		if outside(s.Table) {
			continue
		}
		at := f.tablePlace(s.Table, false)
		w.store(&s.Def, &s.Src, func(text string) (string, bool) {
			return rewriteStatisticsText(text, func(m protoreflect.Message) { fn(m, at()) })
		}, false)
	}
	for tn, tr := range f.cat.Triggers {
		if outside(tn.Table) {
			continue
		}
		at := f.tablePlace(tn.Table, true)
		w.store(&tr.Def, &tr.Src, func(s string) (string, bool) {
			return rewriteTriggerText(s, func(n *pg_query.CreateTrigStmt) { fn(n.WhenClause.ProtoReflect(), at()) })
		}, false)
	}
	for _, t := range f.cat.Tables {
		if !outside(t.Name) {
			w.table(t, f.tablePlace(t.Name, false))
		}
	}
	if only != nil {
		return
	}
	for _, v := range f.cat.Views {
		if !comparedOnly && (has(v.Def) || has(v.Src)) {
			rewriteViewTexts(v, func(n *pg_query.Node) bool { fn(n.ProtoReflect(), textPlace{}); return true })
		}
	}
	for _, d := range f.cat.Domains {
		w.domain(d)
	}
}

// textWalk is one walk of rewriteStoredTexts, whose arguments it holds:
// its methods rewrite the texts of one kind of object.
type textWalk struct {
	has          func(string) bool
	comparedOnly bool
	fn           func(m protoreflect.Message, at textPlace)
}

// store rewrites one pair of texts with rw, which is ok=false for a text
// that does not parse or print back; exprs is an expression text's pair,
// whose user's text is dropped when it does not follow.
func (w *textWalk) store(def, src *string, rw func(string) (string, bool), exprs bool) {
	if !w.has(*def) && !w.has(*src) {
		return
	}
	skip := func(s string) (string, bool) {
		if !w.has(s) {
			return s, true
		}
		return rw(s)
	}
	switch {
	case w.comparedOnly:
		rewriteCompared(def, src, skip)
	case exprs:
		rewriteExprs(def, src, func(s string) string {
			if out, ok := skip(s); ok {
				return out
			}
			return s
		})
	default:
		rewriteDefSrc(def, src, skip)
	}
}

// expr rewrites an expression's text, read at the place at gives.
func (w *textWalk) expr(at func() textPlace) func(string) (string, bool) {
	return func(s string) (string, bool) {
		e, err := parseExpr(s)
		if err != nil {
			return s, false
		}
		w.fn(e.ProtoReflect(), at())
		if out, err := deparseExpr(e); err == nil {
			return out, true
		}
		return s, false
	}
}

// constraint rewrites a CHECK or EXCLUDE constraint's text, read at the
// place at gives.
func (w *textWalk) constraint(at func() textPlace) func(string) (string, bool) {
	return func(s string) (string, bool) {
		return rewriteConstraintText(s, func(n *pg_query.Constraint) { w.fn(n.ProtoReflect(), at()) }), true
	}
}

// table rewrites the texts a table holds itself: its columns' defaults
// (which name no column) and generated expressions, its CHECK and EXCLUDE
// constraints, and its policies.
func (w *textWalk) table(t *schema.Table, at func() textPlace) {
	noCols := func() textPlace { p := at(); p.cols = nil; return p }
	for _, c := range t.Columns {
		w.store(&c.Default, &c.DefaultSrc, w.expr(noCols), true)
		w.store(&c.Generated, &c.GeneratedSrc, w.expr(at), true)
	}
	for _, c := range t.Constraints {
		if c.Kind == schema.Check || c.Kind == schema.Exclude {
			w.store(&c.Def, &c.Src, w.constraint(at), true)
		}
	}
	for _, p := range t.Policies {
		for _, pair := range [][2]*string{{&p.Using, &p.UsingSrc}, {&p.WithCheck, &p.WithCheckSrc}} {
			if w.comparedOnly {
				w.store(pair[0], pair[1], w.expr(at), true)
				continue
			}
			for _, s := range pair {
				if w.has(*s) {
					*s, _ = w.expr(at)(*s)
				}
			}
		}
	}
}

// domain rewrites a domain's default and its checks, which read VALUE.
func (w *textWalk) domain(d *schema.Domain) {
	value := func() textPlace {
		return textPlace{cols: domainValueTypes(d.Type), entries: []rangeEntry{{cols: []outCol{{name: "value", typ: d.Type}}}}}
	}
	w.store(&d.Default, &d.DefaultSrc, w.expr(func() textPlace { return textPlace{} }), true)
	for _, c := range d.Constraints {
		w.store(&c.Def, &c.Src, w.constraint(value), true)
	}
}

// rewriteCompared applies rewrite to the compared text def alone: the
// user's text beside it (src, "" for none) keeps what it was, and holds
// def's old text when that was both.
func rewriteCompared(def, src *string, rewrite func(string) (string, bool)) {
	d, ok := rewrite(*def)
	if !ok || d == *def {
		return
	}
	if *src == "" {
		*src = *def
	}
	*def = d
	if *src == *def {
		*src = ""
	}
}

// tablePlace is what the texts of table (or materialized view) q can
// name, worked out once asked: none of its columns when it is neither.
// A trigger's WHEN names them as NEW's and OLD's.
func (f *folder) tablePlace(q schema.QualifiedName, trigger bool) func() textPlace {
	var at *textPlace
	return func() textPlace {
		if at != nil {
			return *at
		}
		at = &textPlace{cols: f.tableColumns(q)}
		cols, err := f.relationColumns(finishStmt(), rangeVar(q), nil, 0)
		switch {
		case err != nil:
		case trigger:
			at.entries = []rangeEntry{{alias: "new", cols: cols}, {alias: "old", cols: cols}}
		default:
			at.entries = []rangeEntry{{alias: q.Name, cols: cols}}
		}
		return *at
	}
}

// finishStmt is the statement handed to what types expressions once the
// file is folded (finish): any position it reports is the file's start.
func finishStmt() *stmt { return &stmt{off: math.MaxInt} }

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
