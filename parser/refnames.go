package parser

import (
	"strconv"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// pg_get_viewdef gives every FROM item a name no enclosing query level
// uses (set_rtable_names): in SELECT u.id, (SELECT u.name FROM users u ...)
// FROM users u the inner u is printed u_1, and every column that reads it
// u_1.name. uniqueRefnames renames a written query's FROM items the same
// way, so that pg_dump's text and the written one compare equal; on the
// server's text, whose names are unique already, it renames nothing.

// refLevel is one query level's FROM items: the name each is written with
// and the name the server prints it with.
type refLevel struct {
	renamed map[string]string
	names   map[string]bool // the written names
	printed []string
	outer   *refLevel
}

// viewRoot is the level above a view's query: PostgreSQL 15 keeps the
// view rule's OLD and NEW in the query's own FROM list, before its items,
// and a FROM item called new is printed new_1.
func viewRoot() *refLevel { return &refLevel{printed: []string{"old", "new"}} }

// uniqueRefnames renames, in place, the FROM items of one query and of
// the queries nested in it that an enclosing level's names hide.
func uniqueRefnames(q *pg_query.Node, outer *refLevel) {
	sel := q.GetSelectStmt()
	if sel == nil {
		return
	}
	if sel.Op != pg_query.SetOperation_SETOP_NONE {
		// The branches are the set operation's own FROM items, which
		// the server names *SELECT* n: no name of theirs hides another.
		level := &refLevel{outer: outer}
		renameCTEs(sel.WithClause, level)
		uniqueRefnames(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel.Larg}}, level)
		uniqueRefnames(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel.Rarg}}, level)
		return
	}
	level := nameLevel(sel.FromClause, outer)
	renameCTEs(sel.WithClause, level)
	for _, fi := range sel.FromClause {
		level.renameFrom(fi)
	}
	for _, list := range [][]*pg_query.Node{sel.TargetList, {sel.WhereClause, sel.HavingClause}, sel.GroupClause,
		sel.SortClause, sel.DistinctClause, sel.WindowClause, sel.ValuesLists} {
		for _, n := range list {
			level.renameRefs(n)
		}
	}
}

func renameCTEs(w *pg_query.WithClause, level *refLevel) {
	if w == nil {
		return
	}
	for _, c := range w.Ctes {
		uniqueRefnames(c.GetCommonTableExpr().GetCtequery(), level)
	}
}

// nameLevel names the FROM items of one level in the order the server
// numbers them (a join's items, then the join), each after the names of
// the enclosing levels and the ones before it: a name taken gets _1, _2,
// ... (the first free), and the written item gets that name as alias.
func nameLevel(from []*pg_query.Node, outer *refLevel) *refLevel {
	level := &refLevel{renamed: map[string]string{}, names: map[string]bool{}, outer: outer}
	counter := map[string]int{}
	for o := outer; o != nil; o = o.outer {
		for _, n := range o.printed {
			counter[n] = 0
		}
	}
	for _, fi := range from {
		eachFromItem(fi, func(name string, alias func(string)) {
			level.names[name] = true
			printed := name
			if _, taken := counter[name]; taken {
				for {
					counter[name]++
					printed = name + "_" + strconv.Itoa(counter[name])
					if _, taken := counter[printed]; !taken {
						break
					}
				}
				level.renamed[name] = printed
				alias(printed)
			}
			counter[printed] = 0
			level.printed = append(level.printed, printed)
		})
	}
	return level
}

// eachFromItem calls fn on each named item of a FROM item, in the order
// the server numbers them, with the way to give it another alias.
func eachFromItem(n *pg_query.Node, fn func(name string, alias func(string))) {
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		rv := x.RangeVar
		name := rv.Relname
		if rv.Alias != nil {
			name = rv.Alias.Aliasname
		}
		fn(name, func(s string) {
			if rv.Alias == nil {
				rv.Alias = &pg_query.Alias{}
			}
			rv.Alias.Aliasname = s
		})
	case *pg_query.Node_RangeSubselect:
		if a := x.RangeSubselect.Alias; a != nil {
			fn(a.Aliasname, func(s string) { a.Aliasname = s })
		}
	case *pg_query.Node_RangeFunction:
		rf := x.RangeFunction
		if a := rf.Alias; a != nil {
			fn(a.Aliasname, func(s string) { a.Aliasname = s })
		} else if len(rf.Functions) == 1 {
			if fc := rf.Functions[0].GetList().GetItems()[0].GetFuncCall(); fc != nil {
				names := strs(fc.Funcname)
				fn(names[len(names)-1], func(s string) { rf.Alias = &pg_query.Alias{Aliasname: s} })
			}
		}
	case *pg_query.Node_JoinExpr:
		j := x.JoinExpr
		eachFromItem(j.Larg, fn)
		eachFromItem(j.Rarg, fn)
		if a := j.Alias; a != nil {
			fn(a.Aliasname, func(s string) { a.Aliasname = s })
		}
	}
}

// renameFrom renames the references in a FROM item of this level: its
// subqueries get levels of their own, inside this one.
func (l *refLevel) renameFrom(n *pg_query.Node) {
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeSubselect:
		uniqueRefnames(x.RangeSubselect.Subquery, l)
	case *pg_query.Node_RangeFunction:
		for _, f := range x.RangeFunction.Functions {
			l.renameRefs(f)
		}
	case *pg_query.Node_JoinExpr:
		l.renameFrom(x.JoinExpr.Larg)
		l.renameFrom(x.JoinExpr.Rarg)
		l.renameRefs(x.JoinExpr.Quals)
	}
}

// renameRefs renames the qualified column references of an expression of
// this level after the item they read: the innermost level that has the
// name decides.
func (l *refLevel) renameRefs(n *pg_query.Node) {
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
			uniqueRefnames(x.Subselect, l)
			return
		case *pg_query.ColumnRef:
			if len(x.Fields) >= 2 {
				if s := x.Fields[0].GetString_(); s != nil {
					if to, ok := l.printedName(s.Sval); ok {
						x.Fields[0] = pg_query.MakeStrNode(to)
					}
				}
			}
			return
		}
		eachChild(m, visit)
	}
	visit(n.ProtoReflect())
}

// printedName is the new name of the FROM item a qualified reference
// reads, when the server renames it.
func (l *refLevel) printedName(name string) (string, bool) {
	for s := l; s != nil; s = s.outer {
		if s.names[name] {
			to, ok := s.renamed[name]
			return to, ok
		}
	}
	return "", false
}
