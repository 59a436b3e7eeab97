package parser

import (
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// PostgreSQL's parse analysis coerces the inputs of a view's query to the
// types it resolves, and pg_get_viewdef prints every coercion it stored:
// COALESCE(sum(s), 0) on a smallint s is COALESCE(sum(s), (0)::bigint), a
// CASE without ELSE ends ELSE NULL::integer, NULL in a UNION arm is
// NULL::integer, an untyped literal a query outputs is text ('a'::text),
// and an integer passed to a function of the schema that takes numeric is
// (n)::numeric. castQuery writes the same coercions into the written query
// so that it compares equal to pg_dump's text of it; on that text, which
// holds them already, it adds nothing. It types expressions as querytype.go
// does and leaves alone what it cannot type: a coercion it is not sure of
// is one it does not write. Normalization for comparing only: the query
// the user wrote is what ddlmig renders.

// queryRole is where a query stands in the one that holds it.
type queryRole struct {
	// arm is a branch of a set operation, whose untyped outputs the set
	// operation resolves.
	arm bool
	// unnamed is a subquery expression's query (or a branch of one):
	// the server prints no AS "?column?" there, the names being unseen.
	unnamed bool
}

// castView writes the coercions into a view's query.
func (f *folder) castView(st *stmt, q *pg_query.Node) {
	f.viewCols = map[*schema.View]viewColsEntry{}
	defer func() { f.viewCols = nil }()
	f.castQuery(st, q, nil, 0, queryRole{})
}

// castQuery writes into one query (and the queries nested in it) the
// coercions the server would store.
func (f *folder) castQuery(st *stmt, q *pg_query.Node, outer *typeScope, depth int, role queryRole) {
	sel := q.GetSelectStmt()
	if sel == nil || depth > maxTypeDepth {
		return
	}
	sc := newTypeScope(outer)
	if w := sel.WithClause; w != nil {
		for _, c := range w.Ctes {
			cte := c.GetCommonTableExpr()
			f.castQuery(st, cte.Ctequery, sc, depth+1, queryRole{})
			if cols, err := f.cteColumns(st, cte, w.Recursive, sc, depth); err == nil {
				sc.ctes[cte.Ctename] = cols
			} else {
				delete(sc.ctes, cte.Ctename)
			}
		}
	}
	if sel.Op != pg_query.SetOperation_SETOP_NONE {
		f.castSetOp(st, sel, sc, depth, role.unnamed)
		return
	}
	if len(sel.ValuesLists) > 0 {
		for _, row := range sel.ValuesLists {
			f.castExpr(st, row, sc, depth)
		}
		return
	}
	for _, fi := range sel.FromClause {
		sc.entries = append(sc.entries, f.castFrom(st, fi, sc, depth)...)
	}
	for _, t := range sel.TargetList {
		f.castExpr(st, t, sc, depth)
	}
	for _, n := range []*pg_query.Node{sel.WhereClause, sel.HavingClause} {
		f.castExpr(st, n, sc, depth)
	}
	for _, list := range [][]*pg_query.Node{sel.GroupClause, sel.SortClause, sel.DistinctClause} {
		for _, n := range list {
			f.castExpr(st, n, sc, depth)
		}
	}
	if !role.arm {
		resolveUnknownTargets(sel.TargetList, role.unnamed)
	}
}

// cteColumns types a CTE as queryColumns does: a recursive one by its
// first branch.
func (f *folder) cteColumns(st *stmt, cte *pg_query.CommonTableExpr, recursive bool, sc *typeScope, depth int) ([]outCol, error) {
	q := cte.Ctequery
	if s := q.GetSelectStmt(); recursive && s != nil && s.Op != pg_query.SetOperation_SETOP_NONE {
		q = &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: s.Larg}}
	}
	cols, err := f.queryColumns(st, q, sc, depth+1)
	if err != nil {
		return nil, err
	}
	renameCols(cols, cte.Aliascolnames)
	return cols, nil
}

// castSetOp coerces the untyped literals a branch of a set operation
// outputs (NULL, 'a') to the column's resolved type, in the branch, as
// transformSetOperationTree does; a typed column of a branch keeps its
// type (the planner converts it, and the view's text does not show it).
func (f *folder) castSetOp(st *stmt, sel *pg_query.SelectStmt, sc *typeScope, depth int, unnamed bool) {
	arms := []*pg_query.SelectStmt{sel.Larg, sel.Rarg}
	// The names of the right branch are not seen: the server prints no
	// AS "?column?" there.
	hidden := [2]bool{unnamed, true}
	var cols [2][]outCol
	for i, a := range arms {
		n := &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: a}}
		f.castQuery(st, n, sc, depth+1, queryRole{arm: true, unnamed: hidden[i]})
		c, err := f.queryColumns(st, n, sc, depth+1)
		if err != nil {
			return
		}
		cols[i] = c
	}
	if len(cols[0]) != len(cols[1]) {
		return
	}
	for i := range cols[0] {
		common, err := commonType([]outCol{cols[0][i], cols[1][i]})
		if err != nil {
			continue
		}
		for j, a := range arms {
			if cols[j][i].unknown {
				if rt := leafTarget(a, i); rt != nil {
					castTarget(rt, common, hidden[j])
				}
			}
		}
	}
}

// leafTarget is the output column i of a SELECT that is not itself a set
// operation, when its select list has no * left to count through.
func leafTarget(sel *pg_query.SelectStmt, i int) *pg_query.ResTarget {
	if sel.Op != pg_query.SetOperation_SETOP_NONE || len(sel.ValuesLists) > 0 || i >= len(sel.TargetList) {
		return nil
	}
	for _, t := range sel.TargetList[:i+1] {
		if cr := t.GetResTarget().GetVal().GetColumnRef(); cr != nil && isStar(cr) {
			return nil
		}
	}
	return sel.TargetList[i].GetResTarget()
}

// resolveUnknownTargets makes the untyped literals a query outputs text,
// as the server does for any query that is not a set operation's branch
// (SELECT NULL AS x is printed NULL::text AS x).
func resolveUnknownTargets(targets []*pg_query.Node, unnamed bool) {
	for _, t := range targets {
		rt := t.GetResTarget()
		if c := rt.GetVal().GetAConst(); c != nil && constType(c).unknown {
			castTarget(rt, tText, unnamed)
		}
	}
}

// castTarget coerces an output column, keeping the name PostgreSQL gave it
// before the cast: SELECT NULL, coerced, is still "?column?" (which a
// subquery expression's query does not print).
func castTarget(rt *pg_query.ResTarget, to outCol, unnamed bool) {
	if name := outputColname(rt.Val); rt.Name == "" && !(unnamed && name == "?column?") {
		rt.Name = name
	}
	castNode(rt.Val, to)
}

// castFrom types one FROM item for castQuery, after writing the coercions
// into the subqueries and join conditions inside it. An item it cannot
// type is kept by its name with no known columns, so that a column that
// might be its own is not taken for another's.
func (f *folder) castFrom(st *stmt, n *pg_query.Node, sc *typeScope, depth int) []rangeEntry {
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeSubselect:
		f.castQuery(st, x.RangeSubselect.Subquery, sc, depth+1, queryRole{})
	case *pg_query.Node_JoinExpr:
		j := x.JoinExpr
		l := f.castFrom(st, j.Larg, sc, depth)
		inner := &typeScope{entries: append(append([]rangeEntry(nil), sc.entries...), l...), ctes: sc.ctes, outer: sc.outer}
		r := f.castFrom(st, j.Rarg, inner, depth)
		inner.entries = append(inner.entries, r...)
		f.castExpr(st, j.Quals, inner, depth)
		if es, err := f.fromEntries(st, n, sc, depth); err == nil {
			return es
		}
		return append(l, r...)
	}
	es, err := f.fromEntries(st, n, sc, depth)
	if err != nil {
		return []rangeEntry{{alias: fromAlias(n), opaque: true}}
	}
	return es
}

// fromAlias is the name a FROM item is known by, "" when it has none.
func fromAlias(n *pg_query.Node) string {
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		if x.RangeVar.Alias != nil {
			return x.RangeVar.Alias.Aliasname
		}
		return x.RangeVar.Relname
	case *pg_query.Node_RangeSubselect:
		return x.RangeSubselect.GetAlias().GetAliasname()
	case *pg_query.Node_RangeFunction:
		return x.RangeFunction.GetAlias().GetAliasname()
	case *pg_query.Node_JoinExpr:
		return x.JoinExpr.GetAlias().GetAliasname()
	}
	return ""
}

// castExpr writes the coercions into one expression of the query level
// sc, inner expressions first; the queries of subquery expressions get
// levels of their own.
func (f *folder) castExpr(st *stmt, n *pg_query.Node, sc *typeScope, depth int) {
	if n != nil {
		f.castIn(st, n.ProtoReflect(), sc, depth)
	}
}

// castIn is castExpr on the expressions in m, any node of a parse tree.
func (f *folder) castIn(st *stmt, m protoreflect.Message, sc *typeScope, depth int) {
	var visit func(m protoreflect.Message)
	visit = func(m protoreflect.Message) {
		if sl, ok := m.Interface().(*pg_query.SubLink); ok {
			if sl.Testexpr != nil {
				visit(sl.Testexpr.ProtoReflect())
			}
			f.castQuery(st, sl.Subselect, sc, depth+1, queryRole{unnamed: true})
			return
		}
		eachChild(m, visit)
		switch x := m.Interface().(type) {
		case *pg_query.CoalesceExpr:
			f.castCommon(st, x.Args, sc, depth)
		case *pg_query.MinMaxExpr:
			f.castCommon(st, x.Args, sc, depth)
		case *pg_query.A_ArrayExpr:
			f.castArray(st, x, sc, depth)
		case *pg_query.CaseExpr:
			f.castCase(st, x, sc, depth)
		case *pg_query.FuncCall:
			f.castArgs(st, x, sc, depth)
		case *pg_query.TypeName:
			canonicalTypeName(x)
		}
	}
	visit(m)
}

// castCommon coerces each of a list of expressions (COALESCE, GREATEST)
// to their common type. False when a type cannot be told: nothing is
// changed then.
func (f *folder) castCommon(st *stmt, args []*pg_query.Node, sc *typeScope, depth int) bool {
	var cs []outCol
	for _, a := range args {
		c, err := f.exprType(st, a, sc, depth)
		if err != nil {
			return false
		}
		cs = append(cs, c)
	}
	common, err := commonType(cs)
	if err != nil {
		return false
	}
	for i, a := range args {
		if needsCast(cs[i], common) {
			castNode(a, common)
		}
	}
	return true
}

// castArray coerces the elements of ARRAY[...] to their common type; an
// array of arrays is left as written.
func (f *folder) castArray(st *stmt, x *pg_query.A_ArrayExpr, sc *typeScope, depth int) {
	for _, e := range x.Elements {
		if e.GetAArrayExpr() != nil {
			return
		}
	}
	if len(x.Elements) > 0 {
		f.castCommon(st, x.Elements, sc, depth)
	}
}

// castCase coerces the results of a CASE to their common type, and spells
// out the ELSE NULL a CASE without ELSE has.
func (f *folder) castCase(st *stmt, x *pg_query.CaseExpr, sc *typeScope, depth int) {
	results := make([]*pg_query.Node, 0, len(x.Args)+1)
	for _, w := range x.Args {
		results = append(results, w.GetCaseWhen().GetResult())
	}
	def := x.Defresult
	if def == nil {
		def = &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Isnull: true, Location: -1}}}
	}
	results = append(results, def)
	if f.castCommon(st, results, sc, depth) {
		x.Defresult = def
	}
}

// castArgs coerces the arguments of a call of one of the schema's own
// functions to its parameters' types, where the server converts them
// implicitly: an untyped literal, or a number or date/time type widened.
func (f *folder) castArgs(st *stmt, fc *pg_query.FuncCall, sc *typeScope, depth int) {
	if fc.AggStar || fc.FuncVariadic {
		return
	}
	fn := f.userFunction(strs(fc.Funcname), len(fc.Args))
	if fn == nil {
		return
	}
	params := f.paramTypes(st, fn)
	if len(params) < len(fc.Args) {
		return
	}
	for i, a := range fc.Args {
		if a.GetNamedArgExpr() != nil {
			return
		}
		want := params[i].t
		if want.Schema == "" && (builtinTypes[want.Name] == "" || isPseudoType(want.Name)) {
			continue
		}
		have, err := f.exprType(st, a, sc, depth)
		if err != nil || !(have.unknown || widens(have.typ, want)) {
			continue
		}
		castNode(a, outCol{typ: want})
	}
}

// widens reports whether the server converts a value of type have to
// want implicitly when it passes it to a function (implicitWidening).
func widens(have, want schema.TypeName) bool {
	if have.Schema != "" || want.Schema != "" || have.ArrayDims+want.ArrayDims > 0 || have.Name == want.Name {
		return false
	}
	for _, w := range implicitWidening[have.Name] {
		if w == want.Name {
			return true
		}
	}
	return false
}

func isPseudoType(name string) bool {
	switch name {
	case "anyelement", "anyarray", "anynonarray", "anyenum", "anyrange", "anymultirange",
		"anycompatible", "anycompatiblearray", "anycompatiblenonarray", "anycompatiblerange",
		"anycompatiblemultirange", "any", "record", "void", "trigger", "event_trigger", "unknown":
		return true
	}
	return false
}

// needsCast reports whether an input of type have is coerced to want: an
// untyped literal always is, a typed input when the type differs (a type
// modifier aside: the common type has none to coerce to).
func needsCast(have, want outCol) bool {
	if have.unknown {
		return true
	}
	a, b := have.typ, want.typ
	a.Mods, b.Mods = "", ""
	return a != b
}

// castNode wraps the expression n, in place, in a cast to the type of to,
// without a type modifier, as the coercion the server stores.
func castNode(n *pg_query.Node, to outCol) {
	t := to.typ
	t.Mods = ""
	tn := typeNameNode(t)
	if tn == nil {
		return
	}
	arg := &pg_query.Node{Node: n.Node}
	n.Node = &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{Arg: arg, TypeName: tn, Location: -1}}
}

// typeNames holds typeNameNode's trees by type, parsed once.
var typeNames sync.Map

// typeNameNode is the parse tree of a type, as a cast to it is written.
func typeNameNode(t schema.TypeName) *pg_query.TypeName {
	key := t.String()
	if tn, ok := typeNames.Load(key); ok {
		return proto.Clone(tn.(*pg_query.TypeName)).(*pg_query.TypeName)
	}
	tree, err := pgdecode.Parse("SELECT NULL::" + key)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	tn := tree.Stmts[0].Stmt.GetSelectStmt().TargetList[0].GetResTarget().Val.GetTypeCast().TypeName
	unknownLocations(tn.ProtoReflect())
	canonicalTypeName(tn)
	typeNames.Store(key, tn)
	return proto.Clone(tn).(*pg_query.TypeName)
}

// keywordTypes are built-in types written by their internal name (bool,
// int4) which the grammar spells with a keyword (boolean, integer) and so
// qualifies with pg_catalog: the server prints the keyword.
var keywordTypes = map[string]bool{
	"bool": true, "int2": true, "int4": true, "int8": true, "float4": true, "float8": true,
	"timestamptz": true, "timetz": true, "varbit": true,
}

// canonicalTypeName writes a built-in type's internal name as the
// keyword's parse tree: x::bool is x::boolean.
func canonicalTypeName(tn *pg_query.TypeName) {
	if len(tn.Names) == 1 && keywordTypes[tn.Names[0].GetString_().GetSval()] {
		tn.Names = append([]*pg_query.Node{pg_query.MakeStrNode("pg_catalog")}, tn.Names...)
	}
}
