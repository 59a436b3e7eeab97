package parser

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// The columns of CREATE TABLE ... AS SELECT are the query's output
// columns, named and typed as PostgreSQL's parse analysis would name and
// type them. The fold has no server to ask, so it works them out from what
// it knows: the columns of tables, the queries of views, the return types
// of functions and PostgreSQL's rules for common aggregates, operators,
// literals and CASE/COALESCE. An expression it cannot type is an error that
// names it, with the way out (CREATE TABLE with the columns spelled out,
// then INSERT ... SELECT).

// outCol is one output column of a query or relation.
type outCol struct {
	name      string
	typ       schema.TypeName
	unknown   bool   // an untyped literal or NULL: text unless context decides
	collation string // an explicit collation, carried by plain column references
}

// rangeEntry is a relation in a query's FROM clause, by the name the query
// gives it.
type rangeEntry struct {
	alias string
	cols  []outCol
	// opaque is an item whose columns are not known (castQuery keeps one
	// it cannot type): a column that may be its own cannot be typed.
	opaque bool
}

// typeScope is what column references of one query level can see: its FROM
// items, the CTEs in reach, and the enclosing level (for LATERAL and
// correlated subqueries).
type typeScope struct {
	entries []rangeEntry
	ctes    map[string][]outCol
	outer   *typeScope
}

// newTypeScope is the scope of a query nested in outer (nil for none): it
// sees the CTEs outer sees, and adds its own without changing outer's.
func newTypeScope(outer *typeScope) *typeScope {
	sc := &typeScope{outer: outer, ctes: map[string][]outCol{}}
	if outer != nil {
		maps.Copy(sc.ctes, outer.ctes)
	}
	return sc
}

// typeError is an expression whose type the fold cannot tell.
type typeError struct{ what string }

func (e *typeError) Error() string { return e.what }

func cannotType(format string, args ...any) error {
	return &typeError{what: fmt.Sprintf(format, args...)}
}

// depth guards the recursion through views that read views.
const maxTypeDepth = 32

// queryColumns returns the output columns of a query (SELECT, VALUES or a
// set operation).
func (f *folder) queryColumns(st *stmt, n *pg_query.Node, outer *typeScope, depth int) ([]outCol, error) {
	sel := n.GetSelectStmt()
	if sel == nil {
		return nil, cannotType("a query that is not a SELECT")
	}
	if depth > maxTypeDepth {
		return nil, cannotType("views nested too deep")
	}
	sc := newTypeScope(outer)
	if w := sel.WithClause; w != nil {
		for _, c := range w.Ctes {
			cte := c.GetCommonTableExpr()
			q := cte.Ctequery
			if s := q.GetSelectStmt(); w.Recursive && s != nil && s.Op != pg_query.SetOperation_SETOP_NONE {
				q = &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: s.Larg}}
			}
			cols, err := f.queryColumns(st, q, sc, depth+1)
			if err != nil {
				return nil, err
			}
			renameCols(cols, cte.Aliascolnames)
			sc.ctes[cte.Ctename] = cols
		}
	}
	if sel.Op != pg_query.SetOperation_SETOP_NONE {
		l, err := f.queryColumns(st, &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel.Larg}}, sc, depth+1)
		if err != nil {
			return nil, err
		}
		r, err := f.queryColumns(st, &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel.Rarg}}, sc, depth+1)
		if err != nil {
			return nil, err
		}
		if len(l) != len(r) {
			return nil, cannotType("each %s query must have the same number of columns", strings.TrimPrefix(sel.Op.String(), "SETOP_"))
		}
		for i := range l {
			c, err := commonType([]outCol{l[i], r[i]})
			if err != nil {
				return nil, err
			}
			l[i].typ, l[i].unknown = c.typ, false
			if l[i].collation != r[i].collation {
				l[i].collation = ""
			}
		}
		return l, nil
	}
	if len(sel.ValuesLists) > 0 {
		return f.valuesColumns(st, sel.ValuesLists, sc, depth)
	}
	for _, fi := range sel.FromClause {
		es, err := f.fromEntries(st, fi, sc, depth)
		if err != nil {
			return nil, err
		}
		sc.entries = append(sc.entries, es...)
	}
	var out []outCol
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			cols, err := sc.star(cr)
			if err != nil {
				return nil, err
			}
			out = append(out, cols...)
			continue
		}
		c, err := f.exprType(st, rt.Val, sc, depth)
		if err != nil {
			return nil, err
		}
		c.name = rt.Name
		if c.name == "" {
			c.name = f.figureColname(rt.Val, sc, depth)
		}
		out = append(out, c)
	}
	return out, nil
}

// valuesColumns types VALUES (...), (...): column1, column2, ...
func (f *folder) valuesColumns(st *stmt, rows []*pg_query.Node, sc *typeScope, depth int) ([]outCol, error) {
	var cols [][]outCol
	for _, row := range rows {
		for i, e := range row.GetList().GetItems() {
			c, err := f.exprType(st, e, sc, depth)
			if err != nil {
				return nil, err
			}
			if i >= len(cols) {
				cols = append(cols, nil)
			}
			cols[i] = append(cols[i], c)
		}
	}
	out := make([]outCol, len(cols))
	for i, cs := range cols {
		c, err := commonType(cs)
		if err != nil {
			return nil, err
		}
		c.name = "column" + strconv.Itoa(i+1)
		out[i] = c
	}
	return out, nil
}

// fromEntries types one FROM item: a relation, a subquery or a join.
func (f *folder) fromEntries(st *stmt, n *pg_query.Node, sc *typeScope, depth int) ([]rangeEntry, error) {
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		cols, err := f.relationColumns(st, x.RangeVar, sc, depth)
		if err != nil {
			return nil, err
		}
		alias := x.RangeVar.Relname
		if a := x.RangeVar.Alias; a != nil {
			alias = a.Aliasname
			renameCols(cols, a.Colnames)
		}
		return []rangeEntry{{alias: alias, cols: cols}}, nil
	case *pg_query.Node_RangeSubselect:
		// A LATERAL subquery sees the items before it; any other only the
		// enclosing query's, which the scope holds as well: references
		// are resolved by name, so reaching further does no harm.
		cols, err := f.queryColumns(st, x.RangeSubselect.Subquery, sc, depth+1)
		if err != nil {
			return nil, err
		}
		alias := ""
		if a := x.RangeSubselect.Alias; a != nil {
			alias = a.Aliasname
			renameCols(cols, a.Colnames)
		}
		return []rangeEntry{{alias: alias, cols: cols}}, nil
	case *pg_query.Node_JoinExpr:
		j := x.JoinExpr
		l, err := f.fromEntries(st, j.Larg, sc, depth)
		if err != nil {
			return nil, err
		}
		// The right side of a join may be LATERAL and read the left.
		inner := &typeScope{entries: append(append([]rangeEntry(nil), sc.entries...), l...), ctes: sc.ctes, outer: sc.outer}
		r, err := f.fromEntries(st, j.Rarg, inner, depth)
		if err != nil {
			return nil, err
		}
		if len(j.UsingClause) > 0 || j.IsNatural {
			return nil, cannotType("a join with USING or NATURAL")
		}
		all := append(l, r...)
		if j.Alias != nil {
			var cols []outCol
			for _, e := range all {
				cols = append(cols, e.cols...)
			}
			renameCols(cols, j.Alias.Colnames)
			return []rangeEntry{{alias: j.Alias.Aliasname, cols: cols}}, nil
		}
		return all, nil
	}
	return nil, cannotType("a FROM item of kind %s", nodeKind(n))
}

// relationColumns returns the columns of a table, view or CTE.
func (f *folder) relationColumns(st *stmt, rv *pg_query.RangeVar, sc *typeScope, depth int) ([]outCol, error) {
	if rv.Schemaname == "" {
		if cols, ok := sc.ctes[rv.Relname]; ok {
			return append([]outCol(nil), cols...), nil
		}
	}
	q := rangeVarName(rv)
	if t := f.cat.Tables[q]; t != nil {
		cols := make([]outCol, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = outCol{name: c.Name, typ: c.Type, collation: c.Collation}
		}
		return cols, nil
	}
	if v := f.cat.Views[q]; v != nil {
		return f.viewColumns(st, v, depth)
	}
	return nil, f.missingf(f.at(st, rv.Location), "relation %s does not exist", q)
}

// viewColsEntry is a view's columns as viewColumns typed them.
type viewColsEntry struct {
	cols []outCol
	err  error
}

// viewColumns types a view's stored query, once per statement while
// f.viewCols is set: castQuery types the views a query reads again for
// each expression that reads them.
func (f *folder) viewColumns(st *stmt, v *schema.View, depth int) ([]outCol, error) {
	if f.viewCols == nil {
		return f.typeView(st, v, depth)
	}
	e, ok := f.viewCols[v]
	if !ok {
		e.cols, e.err = f.typeView(st, v, depth)
		f.viewCols[v] = e
	}
	return append([]outCol(nil), e.cols...), e.err
}

// typeView types a view's stored query.
func (f *folder) typeView(st *stmt, v *schema.View, depth int) ([]outCol, error) {
	kw := "VIEW"
	if v.Materialized {
		kw = "MATERIALIZED VIEW"
	}
	tree, err := pgdecode.Parse("CREATE " + kw + " v " + v.Def)
	if err != nil || len(tree.Stmts) != 1 {
		return nil, cannotType("view %s: its stored query does not parse", v.Name)
	}
	var query *pg_query.Node
	var names []*pg_query.Node
	switch x := tree.Stmts[0].Stmt.Node.(type) {
	case *pg_query.Node_ViewStmt:
		query, names = x.ViewStmt.Query, x.ViewStmt.Aliases
	case *pg_query.Node_CreateTableAsStmt:
		query, names = x.CreateTableAsStmt.Query, x.CreateTableAsStmt.Into.GetColNames()
	}
	cols, err := f.queryColumns(st, query, nil, depth+1)
	if err != nil {
		return nil, err
	}
	renameCols(cols, names)
	return cols, nil
}

// renameCols applies an alias's column list to the first columns.
func renameCols(cols []outCol, names []*pg_query.Node) {
	for i, n := range strs(names) {
		if i < len(cols) {
			cols[i].name = n
		}
	}
}

func isStar(cr *pg_query.ColumnRef) bool {
	return len(cr.Fields) > 0 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil
}

// star expands * or alias.* of a target list.
func (sc *typeScope) star(cr *pg_query.ColumnRef) ([]outCol, error) {
	var out []outCol
	if len(cr.Fields) == 1 {
		for _, e := range sc.entries {
			if e.opaque {
				return nil, cannotType("* over a FROM item of unknown columns")
			}
			out = append(out, e.cols...)
		}
		return out, nil
	}
	alias := strs(cr.Fields[:len(cr.Fields)-1])
	if e := sc.entry(alias[len(alias)-1]); e != nil && !e.opaque {
		return append(out, e.cols...), nil
	}
	return nil, cannotType("missing FROM-clause entry for table %s", alias[len(alias)-1])
}

// entry finds a FROM item by name, in this query or an enclosing one.
func (sc *typeScope) entry(alias string) *rangeEntry {
	for s := sc; s != nil; s = s.outer {
		for i := range s.entries {
			if s.entries[i].alias == alias {
				return &s.entries[i]
			}
		}
	}
	return nil
}

// column resolves a column reference.
func (sc *typeScope) column(cr *pg_query.ColumnRef) (outCol, error) {
	names := strs(cr.Fields)
	col := names[len(names)-1]
	if len(names) > 1 {
		e := sc.entry(names[len(names)-2])
		if e == nil || e.opaque {
			return outCol{}, cannotType("missing FROM-clause entry for table %s", names[len(names)-2])
		}
		for _, c := range e.cols {
			if c.name == col {
				return c, nil
			}
		}
		return outCol{}, cannotType("column %s.%s does not exist", names[len(names)-2], col)
	}
	for s := sc; s != nil; s = s.outer {
		for _, e := range s.entries {
			for _, c := range e.cols {
				if c.name == col {
					return c, nil
				}
			}
		}
		for _, e := range s.entries {
			if e.alias == col {
				return outCol{}, cannotType("the whole-row reference %s", col)
			}
			if e.opaque {
				return outCol{}, cannotType("column %s of a FROM item of unknown columns", col)
			}
		}
	}
	return outCol{}, cannotType("column %s does not exist", col)
}
