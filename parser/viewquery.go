package parser

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
)

// pg_get_viewdef (and so pg_dump) prints a view's query in a form of its
// own: every column reference qualified by the name of the FROM item it
// reads (SELECT t.a, u.name FROM t JOIN u ON t.a = u.id), * expanded to the
// columns it stood for, GROUP BY and ORDER BY positions replaced by the
// expressions they name, and an output column named AS whenever the name
// PostgreSQL gave it is not the column's own (count(*) AS count). The
// functions here bring a written query to that form, which means the same
// query: columns are qualified only where the fold knows every column of
// every FROM item in reach, so that the item a name resolves to is certain;
// elsewhere the query stays as written. nameDefaults then drops the AS
// names PostgreSQL would give anyway, on both spellings.

// nameEntry is a FROM item by the name a query gives it, with its columns;
// known is false when the fold cannot tell them (a function in FROM, a
// relation it does not hold).
type nameEntry struct {
	ref   string
	cols  []string
	known bool
}

// nameScope is what an unqualified column of one query level can name: its
// FROM items, the columns merged by JOIN ... USING (by the FROM item the
// server prints them with, "" for one it prints bare), the CTEs in reach
// and the enclosing level. The outermost level of a SQL function's body
// holds the function's name and its parameters' names instead.
type nameScope struct {
	entries []nameEntry
	merged  map[string]string
	ctes    map[string][]string
	outer   *nameScope
	fn      string
	params  []string
}

// Outcomes of resolve.
const (
	resolveAbsent  = iota // no FROM item in reach has the column
	resolveFound          // ref names the one that has it
	resolveBlocked        // which one is not certain
)

// resolve finds the FROM item an unqualified column name reads: the
// innermost level that has it decides.
func (sc *nameScope) resolve(col string) (string, int) {
	for s := sc; s != nil; s = s.outer {
		if r, isMerged := s.merged[col]; isMerged {
			if r == "" {
				return "", resolveBlocked
			}
			return r, resolveFound
		}
		found := -1
		for i, e := range s.entries {
			if !e.known {
				return "", resolveBlocked
			}
			if containsStr(e.cols, col) {
				if found >= 0 {
					return "", resolveBlocked
				}
				found = i
			}
		}
		if found >= 0 {
			return s.entries[found].ref, resolveFound
		}
	}
	return "", resolveAbsent
}

// param finds a SQL function's parameter that name reads (no FROM item in
// reach having that column or name), and the name it is printed with: the
// function's name before it when some level in reach reads a relation, as
// the server prints it (j.x; a bare x in RETURN x + 1).
func (sc *nameScope) param(name string, asColumn bool) ([]string, bool) {
	qualified := false
	for s := sc; s != nil; s = s.outer {
		if !asColumn && s.entry(name) != nil {
			return nil, false
		}
		if len(s.entries) > 0 {
			qualified = true
		}
		if s.outer == nil && s.fn != "" && containsStr(s.params, name) {
			if qualified {
				return []string{s.fn, name}, true
			}
			return []string{name}, true
		}
	}
	return nil, false
}

// wholeRow reports whether name, read as a column that no FROM item in
// reach has, is the whole row of one of them (a(t) passes row t), which
// the server prints as t.*.
func (sc *nameScope) wholeRow(name string) bool {
	for s := sc; s != nil; s = s.outer {
		if e := s.entry(name); e != nil {
			return e.known
		}
	}
	return false
}

// entry finds a FROM item of this level by name.
func (sc *nameScope) entry(ref string) *nameEntry {
	for i := range sc.entries {
		if sc.entries[i].ref == ref {
			return &sc.entries[i]
		}
	}
	return nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// qualifyQuery brings one query (and the queries nested in it) to the
// server's form, in place, and returns its output column names; ok is
// false when they are not known.
func (f *folder) qualifyQuery(q *pg_query.Node, outer *nameScope, depth int) ([]string, bool) {
	sel := q.GetSelectStmt()
	if sel == nil || depth > maxTypeDepth {
		return nil, false
	}
	sc := &nameScope{outer: outer, ctes: map[string][]string{}}
	if outer != nil {
		for k, v := range outer.ctes {
			sc.ctes[k] = v
		}
	}
	if w := sel.WithClause; w != nil {
		for _, c := range w.Ctes {
			cte := c.GetCommonTableExpr()
			// A recursive CTE reads itself: its columns are unknown
			// while its own query is qualified.
			sc.ctes[cte.Ctename] = nil
			names, ok := f.qualifyQuery(cte.Ctequery, sc, depth+1)
			if al := strs(cte.Aliascolnames); len(al) > 0 {
				names, ok = applyAliases(names, al, ok)
			}
			if ok {
				sc.ctes[cte.Ctename] = names
			}
		}
	}
	if sel.Op != pg_query.SetOperation_SETOP_NONE {
		names, ok := f.qualifyQuery(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel.Larg}}, sc, depth+1)
		f.qualifyQuery(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel.Rarg}}, sc, depth+1)
		if ok && outer == nil && depth == 0 && !f.stars {
			// A view's own set operation: the server prints each
			// branch with the view's column names. Compared form
			// only: the user's text (f.stars) keeps its own names.
			nameBranches(sel, names)
		}
		return names, ok
	}
	if len(sel.ValuesLists) > 0 {
		for _, row := range sel.ValuesLists {
			f.qualifyExpr(row, sc, depth)
		}
		names := make([]string, len(sel.ValuesLists[0].GetList().GetItems()))
		for i := range names {
			names[i] = "column" + strconv.Itoa(i+1)
		}
		return names, true
	}
	for _, fi := range sel.FromClause {
		sc.entries = append(sc.entries, f.fromNames(fi, sc, depth)...)
	}
	sel.TargetList = expandStars(sel.TargetList, sc)
	if !f.stars {
		resolvePositions(sel)
	}
	for _, n := range sel.TargetList {
		if cr := n.GetResTarget().GetVal().GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
			// A whole row (SELECT t FROM t) is printed t.*::t here:
			// left as written.
			if _, st := sc.resolve(strs(cr.Fields)[0]); st == resolveAbsent && sc.wholeRow(strs(cr.Fields)[0]) {
				continue
			}
		}
		f.qualifyExpr(n, sc, depth)
	}
	for _, n := range []*pg_query.Node{sel.WhereClause, sel.HavingClause} {
		f.qualifyExpr(n, sc, depth)
	}
	for _, list := range [][]*pg_query.Node{sel.GroupClause, sel.SortClause, sel.DistinctClause, sel.WindowClause} {
		for _, n := range list {
			f.qualifyExpr(n, sc, depth)
		}
	}
	return targetNames(sel.TargetList)
}

// nameBranches names the output columns of every branch of a view's set
// operation as the first branch names them: pg_get_viewdef prints each
// branch with the view's column names (SELECT d.id AS a after SELECT c.a);
// elsewhere (a CTE, a subquery) each branch keeps its own.
func nameBranches(sel *pg_query.SelectStmt, names []string) {
	if sel.Op != pg_query.SetOperation_SETOP_NONE {
		nameBranches(sel.Larg, names)
		nameBranches(sel.Rarg, names)
		return
	}
	if _, ok := targetNames(sel.TargetList); !ok || len(sel.TargetList) != len(names) {
		return
	}
	for i, t := range sel.TargetList {
		t.GetResTarget().Name = names[i]
	}
}

// applyAliases renames the first columns of a FROM item or CTE.
func applyAliases(names, aliases []string, ok bool) ([]string, bool) {
	if !ok {
		return nil, false
	}
	out := append([]string(nil), names...)
	for i, a := range aliases {
		if i < len(out) {
			out[i] = a
		}
	}
	return out, true
}

// targetNames are the output column names of a target list with no * left.
func targetNames(targets []*pg_query.Node) ([]string, bool) {
	var names []string
	for _, n := range targets {
		rt := n.GetResTarget()
		if cr := rt.GetVal().GetColumnRef(); cr != nil && isStar(cr) {
			return nil, false
		}
		name := rt.GetName()
		if name == "" {
			name = outputColname(rt.GetVal())
		}
		names = append(names, name)
	}
	return names, true
}

// fromNames names the columns of one FROM item, qualifying the queries and
// join conditions inside it.
func (f *folder) fromNames(n *pg_query.Node, sc *nameScope, depth int) []nameEntry {
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		rv := x.RangeVar
		cols, ok := f.relationNames(rv, sc)
		ref := rv.Relname
		if rv.Alias != nil {
			ref = rv.Alias.Aliasname
			cols, ok = applyAliases(cols, strs(rv.Alias.Colnames), ok)
		}
		return []nameEntry{{ref: ref, cols: cols, known: ok}}
	case *pg_query.Node_RangeSubselect:
		rs := x.RangeSubselect
		outer := &nameScope{ctes: sc.ctes, outer: sc.outer}
		if rs.Lateral {
			outer = sc
		}
		cols, ok := f.qualifyQuery(rs.Subquery, outer, depth+1)
		if rs.Alias == nil {
			return []nameEntry{{}}
		}
		cols, ok = applyAliases(cols, strs(rs.Alias.Colnames), ok)
		return []nameEntry{{ref: rs.Alias.Aliasname, cols: cols, known: ok}}
	case *pg_query.Node_JoinExpr:
		return f.joinNames(x.JoinExpr, sc, depth)
	case *pg_query.Node_RangeFunction:
		for _, fn := range x.RangeFunction.Functions {
			f.qualifyExpr(fn, sc, depth)
		}
		ref := ""
		if a := x.RangeFunction.Alias; a != nil {
			ref = a.Aliasname
		}
		return []nameEntry{{ref: ref}}
	}
	return []nameEntry{{}}
}

// joinNames names the FROM items of a join. A column merged by USING is
// printed qualified by the side whose value it is (the left one of an inner
// or left join, the right one of a right join) and bare for a full join.
func (f *folder) joinNames(j *pg_query.JoinExpr, sc *nameScope, depth int) []nameEntry {
	l := f.fromNames(j.Larg, sc, depth)
	r := f.fromNames(j.Rarg, sc, depth)
	all := append(append([]nameEntry(nil), l...), r...)
	inner := &nameScope{entries: append(append([]nameEntry(nil), sc.entries...), all...), merged: sc.merged, ctes: sc.ctes, outer: sc.outer}
	if j.IsNatural || j.Alias != nil || j.JoinUsingAlias != nil {
		f.qualifyExpr(j.Quals, &nameScope{outer: sc.outer, ctes: sc.ctes, entries: []nameEntry{{}}}, depth)
		return []nameEntry{{}}
	}
	if len(j.UsingClause) > 0 {
		side := l
		switch j.Jointype {
		case pg_query.JoinType_JOIN_RIGHT:
			side = r
		case pg_query.JoinType_JOIN_FULL:
			side = nil
		}
		if sc.merged == nil {
			sc.merged = map[string]string{}
		}
		for _, col := range strs(j.UsingClause) {
			ref, st := (&nameScope{entries: side}).resolve(col)
			if st != resolveFound {
				ref = ""
			}
			sc.merged[col] = ref
		}
	}
	f.qualifyExpr(j.Quals, inner, depth)
	return all
}

// relationNames are the columns of a CTE, table or view.
func (f *folder) relationNames(rv *pg_query.RangeVar, sc *nameScope) ([]string, bool) {
	if rv.Schemaname == "" {
		if cols, ok := sc.ctes[rv.Relname]; ok {
			return cols, cols != nil
		}
	}
	q := rangeVarName(rv)
	if t := f.cat.Tables[q]; t != nil {
		cols := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = c.Name
		}
		return cols, true
	}
	if v := f.cat.Views[q]; v != nil {
		return viewNames(v.Def, v.Materialized)
	}
	return nil, false
}

// viewNames are the output columns of a view, from its canonical text.
func viewNames(def string, materialized bool) ([]string, bool) {
	kw := "CREATE VIEW v "
	if materialized {
		kw = "CREATE MATERIALIZED VIEW v "
	}
	tree, err := pgdecode.Parse(kw + def)
	if err != nil || len(tree.Stmts) != 1 {
		return nil, false
	}
	var query *pg_query.Node
	var aliases []*pg_query.Node
	switch x := tree.Stmts[0].Stmt.Node.(type) {
	case *pg_query.Node_ViewStmt:
		query, aliases = x.ViewStmt.Query, x.ViewStmt.Aliases
	case *pg_query.Node_CreateTableAsStmt:
		query, aliases = x.CreateTableAsStmt.Query, x.CreateTableAsStmt.Into.GetColNames()
	}
	sel := query.GetSelectStmt()
	for sel != nil && sel.Op != pg_query.SetOperation_SETOP_NONE {
		sel = sel.Larg
	}
	if sel == nil || len(sel.ValuesLists) > 0 {
		return nil, false
	}
	names, ok := targetNames(sel.TargetList)
	return applyAliases(names, strs(aliases), ok)
}

// expandStars replaces * and ref.* in a target list with the columns they
// stand for, qualified, when every FROM item they cover is known.
func expandStars(targets []*pg_query.Node, sc *nameScope) []*pg_query.Node {
	var out []*pg_query.Node
	for _, n := range targets {
		cr := n.GetResTarget().GetVal().GetColumnRef()
		if cr == nil || !isStar(cr) || len(cr.Fields) > 2 || len(sc.merged) > 0 {
			out = append(out, n)
			continue
		}
		entries := sc.entries
		if len(cr.Fields) == 2 {
			e := sc.entry(cr.Fields[0].GetString_().GetSval())
			if e == nil {
				out = append(out, n)
				continue
			}
			entries = []nameEntry{*e}
		}
		var cols []*pg_query.Node
		for _, e := range entries {
			if !e.known || e.ref == "" {
				cols = nil
				break
			}
			for _, c := range e.cols {
				cols = append(cols, &pg_query.Node{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{
					Val: &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{
						Fields: []*pg_query.Node{pg_query.MakeStrNode(e.ref), pg_query.MakeStrNode(c)}, Location: -1}}},
					Location: -1,
				}}})
			}
		}
		if cols == nil {
			cols = []*pg_query.Node{n}
		}
		out = append(out, cols...)
	}
	return out
}

// resolvePositions replaces GROUP BY and ORDER BY positions (GROUP BY 1)
// with the output expressions they name, and ORDER BY an output column's
// AS name with its expression, as the server stores them.
func resolvePositions(sel *pg_query.SelectStmt) {
	byPos := func(n *pg_query.Node) *pg_query.Node {
		iv := n.GetAConst().GetIval()
		if iv == nil {
			return nil
		}
		i := int(iv.Ival)
		if i < 1 || i > len(sel.TargetList) {
			return nil
		}
		return proto.Clone(sel.TargetList[i-1].GetResTarget().GetVal()).(*pg_query.Node)
	}
	for i, g := range sel.GroupClause {
		if e := byPos(g); e != nil {
			sel.GroupClause[i] = e
		}
	}
	for _, s := range sel.SortClause {
		sb := s.GetSortBy()
		if sb == nil {
			continue
		}
		if e := byPos(sb.Node); e != nil {
			sb.Node = e
			continue
		}
		cr := sb.Node.GetColumnRef()
		if cr == nil || len(cr.Fields) != 1 || cr.Fields[0].GetString_() == nil {
			continue
		}
		name := cr.Fields[0].GetString_().Sval
		for _, t := range sel.TargetList {
			if rt := t.GetResTarget(); rt.Name == name {
				sb.Node = proto.Clone(rt.Val).(*pg_query.Node)
				break
			}
		}
	}
}

// qualifyExpr qualifies the column references of an expression of the
// query level sc; the queries of subquery expressions get levels of their
// own.
func (f *folder) qualifyExpr(n *pg_query.Node, sc *nameScope, depth int) {
	if n == nil {
		return
	}
	var visit func(m protoreflect.Message)
	visit = func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg_query.SubLink:
			if x.Testexpr != nil {
				visit(x.Testexpr.ProtoReflect())
			}
			f.qualifyQuery(x.Subselect, sc, depth+1)
			return
		case *pg_query.Node:
			if f.qualifyRef(x, sc) {
				return
			}
		}
		eachChild(m, visit)
	}
	visit(n.ProtoReflect())
}

// qualifyRef qualifies node n when it is a column reference: an
// unqualified column by the FROM item it reads, a parameter of a SQL
// function by the function's name where the server prints that, and a
// field of a composite parameter (r.id) as the field selection the server
// prints ((r).id). It reports whether n was a reference.
func (f *folder) qualifyRef(n *pg_query.Node, sc *nameScope) bool {
	if f.stars {
		return n.GetColumnRef() != nil // only * is expanded
	}
	if p := n.GetParamRef(); p != nil && sc != nil {
		outermost := sc
		for outermost.outer != nil {
			outermost = outermost.outer
		}
		if i := int(p.Number) - 1; i >= 0 && i < len(outermost.params) && outermost.params[i] != "" {
			n.Node = &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: []*pg_query.Node{pg_query.MakeStrNode(outermost.params[i])}, Location: -1}}
		}
	}
	cr := n.GetColumnRef()
	if cr == nil {
		return false
	}
	names := strs(cr.Fields)
	for _, f := range cr.Fields {
		if f.GetString_() == nil {
			return true
		}
	}
	ref, st := sc.resolve(names[0])
	switch {
	case len(names) == 1 && st == resolveFound:
		cr.Fields = append([]*pg_query.Node{pg_query.MakeStrNode(ref)}, cr.Fields...)
	case len(names) == 1 && st == resolveAbsent:
		if q, ok := sc.param(names[0], true); ok {
			cr.Fields = strNodes(q)
		} else if sc.wholeRow(names[0]) {
			cr.Fields = append(cr.Fields, &pg_query.Node{Node: &pg_query.Node_AStar{AStar: &pg_query.A_Star{}}})
		}
	case len(names) == 2:
		if q, ok := sc.param(names[0], false); ok {
			n.Node = &pg_query.Node_AIndirection{AIndirection: &pg_query.A_Indirection{
				Arg:         &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: strNodes(q), Location: -1}}},
				Indirection: []*pg_query.Node{pg_query.MakeStrNode(names[1])},
			}}
		}
	}
	return true
}

func strNodes(names []string) []*pg_query.Node {
	out := make([]*pg_query.Node, len(names))
	for i, s := range names {
		out[i] = pg_query.MakeStrNode(s)
	}
	return out
}

// nameDefaults drops from every select list in n the AS names PostgreSQL
// gives the column anyway (count(*) AS count, t.a AS a), so that the
// server's spelling, which names every expression, and the written one
// are one text.
func nameDefaults(n *pg_query.Node) {
	walk(n.ProtoReflect(), func(m protoreflect.Message) {
		sel, ok := m.Interface().(*pg_query.SelectStmt)
		if !ok {
			return
		}
		for _, t := range sel.TargetList {
			rt := t.GetResTarget()
			if rt != nil && rt.Name != "" && rt.Val != nil && rt.Name == outputColname(rt.Val) {
				rt.Name = ""
			}
		}
	})
}

// outputColname is the name PostgreSQL gives an output column written
// without AS (FigureColname), "?column?" when the expression suggests none.
func outputColname(n *pg_query.Node) string {
	if s, _ := colnameStrength(n); s != "" {
		return s
	}
	return "?column?"
}

// colnameStrength is FigureColnameInternal: a name and how strongly the
// expression suggests it (2 its own name, 1 a fallback a cast may
// override, 0 none).
func colnameStrength(n *pg_query.Node) (string, int) {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_ColumnRef:
		if s := x.ColumnRef.Fields[len(x.ColumnRef.Fields)-1].GetString_(); s != nil {
			return s.Sval, 2
		}
	case *pg_query.Node_AIndirection:
		ind := x.AIndirection.Indirection
		if s := ind[len(ind)-1].GetString_(); s != nil {
			return s.Sval, 2
		}
		return colnameStrength(x.AIndirection.Arg)
	case *pg_query.Node_FuncCall:
		names := strs(x.FuncCall.Funcname)
		return names[len(names)-1], 2
	case *pg_query.Node_AExpr:
		if x.AExpr.Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", 2
		}
	case *pg_query.Node_TypeCast:
		s, strength := colnameStrength(x.TypeCast.Arg)
		if strength <= 1 && x.TypeCast.TypeName != nil {
			names := strs(x.TypeCast.TypeName.Names)
			return names[len(names)-1], 1
		}
		return s, strength
	case *pg_query.Node_CollateClause:
		return colnameStrength(x.CollateClause.Arg)
	case *pg_query.Node_GroupingFunc:
		return "grouping", 2
	case *pg_query.Node_SubLink:
		return sublinkColname(x.SubLink)
	case *pg_query.Node_CaseExpr:
		return "case", 1
	case *pg_query.Node_AArrayExpr:
		return "array", 2
	case *pg_query.Node_RowExpr:
		return "row", 2
	case *pg_query.Node_CoalesceExpr:
		return "coalesce", 2
	case *pg_query.Node_MinMaxExpr:
		if x.MinMaxExpr.Op == pg_query.MinMaxOp_IS_LEAST {
			return "least", 2
		}
		return "greatest", 2
	case *pg_query.Node_SqlvalueFunction:
		return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(x.SqlvalueFunction.Op.String(), "SVFOP_"), "_N")), 2
	}
	return "", 0
}

// sublinkColname names EXISTS (...) and ARRAY(...) after their kind, and
// (SELECT x ...) after the subquery's one output column.
func sublinkColname(sl *pg_query.SubLink) (string, int) {
	switch sl.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		return "exists", 2
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		return "array", 2
	case pg_query.SubLinkType_EXPR_SUBLINK:
		sel := sl.Subselect.GetSelectStmt()
		for sel != nil && sel.Op != pg_query.SetOperation_SETOP_NONE {
			sel = sel.Larg
		}
		if sel != nil && len(sel.TargetList) > 0 {
			rt := sel.TargetList[0].GetResTarget()
			if rt.Name != "" {
				return rt.Name, 2
			}
			return outputColname(rt.Val), 2
		}
	}
	return "", 0
}

// normalizeSQLBody brings a SQL-standard function body (RETURN expr,
// BEGIN ATOMIC ... END) to the form pg_get_functiondef prints, as
// normalizeQuery does a view's query: relations and functions of public
// unqualified, columns qualified, parameters by name (qualified where the
// server qualifies them), default AS names dropped, and the coercions
// parse analysis stores written in as castQuery writes them into a view's
// (RETURN 'ok' is printed RETURN 'ok'::text, SELECT 'x' as SELECT 'x'::text
// with no AS: a body's column names are not shown).
func (f *folder) normalizeSQLBody(st *stmt, n *pg_query.CreateFunctionStmt) {
	if n.SqlBody == nil {
		return
	}
	sc := &nameScope{fn: strs(n.Funcname)[len(n.Funcname)-1]}
	for _, p := range n.Parameters {
		fp := p.GetFunctionParameter()
		switch fp.Mode {
		case pg_query.FunctionParameterMode_FUNC_PARAM_OUT, pg_query.FunctionParameterMode_FUNC_PARAM_TABLE:
			continue
		}
		sc.params = append(sc.params, fp.Name)
	}
	unqualifyPublic(n.SqlBody.ProtoReflect())
	var visit func(s *pg_query.Node)
	visit = func(s *pg_query.Node) {
		switch x := s.GetNode().(type) {
		case *pg_query.Node_List:
			for _, it := range x.List.Items {
				visit(it)
			}
		case *pg_query.Node_ReturnStmt:
			f.qualifyExpr(x.ReturnStmt.Returnval, sc, 0)
			f.castReturn(st, x.ReturnStmt)
		case *pg_query.Node_InsertStmt:
			// The target is a range table entry whose columns the rows
			// inserted cannot read: the server qualifies the parameters
			// they read by the function's name, and nothing else.
			f.qualifyQuery(x.InsertStmt.SelectStmt, &nameScope{outer: sc, entries: []nameEntry{{known: true}}}, 0)
		case *pg_query.Node_SelectStmt:
			f.qualifyQuery(s, sc, 0)
			f.castQuery(st, s, nil, 0, queryRole{unnamed: true})
			if refname, _, ok := f.singleRelation(s); ok {
				unqualifyColumns(s, refname)
			}
		}
	}
	visit(n.SqlBody)
	normalizeExpr(n.SqlBody, nil)
	nameDefaults(n.SqlBody)
}

// castReturn writes into RETURN expr the coercions the server stores, as
// castQuery does into a query's output: an untyped literal returned is
// text, whatever the function returns (RETURN 'ok' is RETURN 'ok'::text).
func (f *folder) castReturn(st *stmt, rs *pg_query.ReturnStmt) {
	f.castExpr(st, rs.Returnval, newTypeScope(nil), 0)
	if c := rs.Returnval.GetAConst(); c != nil && constType(c).unknown {
		castNode(rs.Returnval, tText)
	}
}
