package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// renameViewColumn folds ALTER [MATERIALIZED] VIEW ... RENAME COLUMN (and
// ALTER TABLE ... RENAME COLUMN on a view): the view's text names the
// column anew as pg_get_viewdef prints it, in its column list when it has
// one, else as the alias of the query's output column (SELECT name AS
// title); its column grants follow. A view that another view, a function
// or a rule reads is refused with the way out: their texts name the old
// column, and PostgreSQL, which stores the column's number, prints them
// with the new one.
func (f *folder) renameViewColumn(st *stmt, rs *pg_query.RenameStmt, v *schema.View) error {
	newName := truncIdent(rs.Newname)
	if user := f.viewReader(v.Name); user != "" {
		return f.errorf(st.pos, "ddlmig cannot follow the rename of column %s of view %s into %s, which reads the view; "+
			"way out: drop %[3]s, rename the column, and create %[3]s again reading the new name", schema.QuoteIdent(rs.Subname), v.Name, user)
	}
	var failed error
	ok := rewriteViewDef(v, func(stmtNode *pg_query.Node) bool {
		aliases, query := viewParts(stmtNode)
		names, ok := outputNames(query, *aliases)
		i := slices.Index(names, rs.Subname)
		switch {
		case !ok:
			failed = f.unsupportedf(st.pos, "ALTER VIEW ... RENAME COLUMN of a view whose output column names ddlmig cannot read (SELECT * or a set operation): write the view's CREATE OR REPLACE instead")
		case i < 0:
			failed = f.errorf(st.pos, "column %s does not exist", schema.QuoteIdent(rs.Subname))
		case slices.Contains(names, newName):
			failed = f.errorf(st.pos, "column %s of relation %s already exists", schema.QuoteIdent(newName), schema.QuoteIdent(v.Name.Name))
		case i < len(*aliases):
			(*aliases)[i] = pg_query.MakeStrNode(newName)
		default:
			query.GetSelectStmt().TargetList[i].GetResTarget().Name = newName
		}
		return failed == nil
	})
	if failed != nil {
		return failed
	}
	if !ok {
		return f.errorf(st.pos, "view %s: its text does not parse back", v.Name)
	}
	renameViewColumnInSrc(v, rs.Subname, newName)
	f.renamePrivileges(v.Name, v.Name, rs.Subname, newName)
	if c, ok := v.ColumnCommentMap()[rs.Subname]; ok {
		v.SetColumnComment(rs.Subname, "")
		v.SetColumnComment(newName, c)
	}
	return nil
}

// renameViewColumnInSrc renames output column old of v's user's text
// (Src) as renameViewColumn renamed it in Def: written as it was, the
// migration would create the view with the old name. A text whose output
// names cannot be read is dropped, so that Def is written.
func renameViewColumnInSrc(v *schema.View, old, newName string) {
	if v.Src == "" {
		return
	}
	src, _, ok := rewriteViewText(v.Src, v.Materialized, func(n *pg_query.Node) bool {
		aliases, query := viewParts(n)
		names, ok := outputNames(query, *aliases)
		i := slices.Index(names, old)
		switch {
		case !ok || i < 0:
			return false
		case i < len(*aliases):
			(*aliases)[i] = pg_query.MakeStrNode(newName)
		default:
			query.GetSelectStmt().TargetList[i].GetResTarget().Name = newName
		}
		return true
	})
	if !ok {
		src = ""
	}
	v.Src = src
}

// rewriteViewDef applies fn to a view's parsed CREATE statement and, when
// fn reports a change, stores the rendered text and the query's shape. It
// reports whether the text was rewritten: false when fn declines or the
// text does not parse back.
func rewriteViewDef(v *schema.View, fn func(stmt *pg_query.Node) bool) bool {
	def, stmt, ok := rewriteViewText(v.Def, v.Materialized, fn)
	if !ok {
		return false
	}
	v.Def = def
	if _, query := viewParts(stmt); !v.Materialized {
		v.Targets, v.From = queryShape(query)
	}
	return true
}

// rewriteViewTexts is rewriteViewDef that rewrites the user's text (Src)
// the same way, for the changes PostgreSQL makes to a stored view (a
// renamed routine or type): written as it was, the user's text would name
// what no longer exists. A user's text that does not parse back is
// dropped, so that Def is written.
func rewriteViewTexts(v *schema.View, fn func(stmt *pg_query.Node) bool) bool {
	if !rewriteViewDef(v, fn) {
		return false
	}
	if v.Src == "" {
		return true
	}
	src, _, ok := rewriteViewText(v.Src, v.Materialized, fn)
	switch {
	case ok:
		v.Src = src
	case !viewTextParses(v.Src, v.Materialized):
		v.Src = ""
	}
	return true
}

// rewriteViewText applies fn to a view's text (Def or Src), parsed, and
// returns it rendered again with the statement fn changed; false when fn
// declines or the text does not parse back.
func rewriteViewText(text string, materialized bool, fn func(stmt *pg_query.Node) bool) (string, *pg_query.Node, bool) {
	tree, err := pgdecode.Parse(viewTextPrefix(materialized) + text)
	if err != nil || len(tree.Stmts) != 1 || !fn(tree.Stmts[0].Stmt) {
		return "", nil, false
	}
	s, err := deparse(tree.Stmts[0].Stmt)
	if err != nil {
		return "", nil, false
	}
	return strings.TrimPrefix(strings.TrimPrefix(s, viewPrefix), matviewPrefix), tree.Stmts[0].Stmt, true
}

// viewTextParses reports whether a view's text parses as one statement.
func viewTextParses(text string, materialized bool) bool {
	tree, err := pgdecode.Parse(viewTextPrefix(materialized) + text)
	return err == nil && len(tree.Stmts) == 1
}

// viewTextPrefix is what precedes a view's text in its CREATE statement.
func viewTextPrefix(materialized bool) string {
	if materialized {
		return matviewPrefix
	}
	return viewPrefix
}

// viewMayHaveColumn reports whether view v may have column col: false only
// when its output column names are known (outputNames) and col is not one
// of them.
func viewMayHaveColumn(v *schema.View, col string) bool {
	has := true
	rewriteViewDef(v, func(n *pg_query.Node) bool {
		aliases, query := viewParts(n)
		if names, ok := outputNames(query, *aliases); ok {
			has = slices.Contains(names, col)
		}
		return false // read only
	})
	return has
}

// viewParts returns the column list and the query of a CREATE VIEW or
// CREATE MATERIALIZED VIEW statement.
func viewParts(n *pg_query.Node) (*[]*pg_query.Node, *pg_query.Node) {
	if vs := n.GetViewStmt(); vs != nil {
		return &vs.Aliases, vs.Query
	}
	ct := n.GetCreateTableAsStmt()
	return &ct.Into.ColNames, ct.Query
}

// outputNames returns the names of a view's columns: its column list,
// then the names PostgreSQL gives the query's output columns (an alias, a
// column's name, a function's). ok is false for a query whose names it
// cannot read: a set operation, *, or an expression PostgreSQL names
// ?column?.
func outputNames(query *pg_query.Node, aliases []*pg_query.Node) ([]string, bool) {
	sel := query.GetSelectStmt()
	if sel == nil || sel.Op != pg_query.SetOperation_SETOP_NONE {
		return nil, false
	}
	var names []string
	for i, t := range sel.TargetList {
		if i < len(aliases) {
			names = append(names, aliases[i].GetString_().GetSval())
			continue
		}
		rt := t.GetResTarget()
		name := rt.Name
		if name == "" {
			name = exprName(rt.Val)
		}
		if name == "" {
			return nil, false
		}
		names = append(names, name)
	}
	return names, true
}

// exprName is the name PostgreSQL gives an output column without an alias
// (FigureColname) for the common forms: a column, a function call, a cast
// of one; "" for any other.
func exprName(n *pg_query.Node) string {
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		f := x.ColumnRef.Fields
		return f[len(f)-1].GetString_().GetSval() // "" for *
	case *pg_query.Node_FuncCall:
		f := x.FuncCall.Funcname
		return f[len(f)-1].GetString_().GetSval()
	case *pg_query.Node_TypeCast:
		if name := exprName(x.TypeCast.Arg); name != "" {
			return name
		}
		f := x.TypeCast.TypeName.GetNames()
		if len(f) > 0 {
			return f[len(f)-1].GetString_().GetSval()
		}
	}
	return ""
}

// staleReader is a view or SQL-standard routine that reads a column
// renamed after it was created (noteColumnRenameReaders): its text, def
// when noted, names the old column.
type staleReader struct {
	what string // "view public.v", "function public.f()"
	view *schema.View
	fn   *schema.Function
	def  string
	pos  schema.Pos
	msg  string
}

// columnReaders lists the views and SQL-standard routine bodies that may
// read column col of table q. A view reads col when its text names a
// column col (by any table's name: a false alarm refuses, never
// mis-writes).
func (f *folder) columnReaders(q schema.QualifiedName, col string) []staleReader {
	var out []staleReader
	for _, n := range schema.SortedNames(f.cat.Views) {
		v := f.cat.Views[n]
		prefix := viewTextPrefix(v.Materialized)
		if slices.Contains(v.Refs, q) && (textNamesColumn(prefix+v.Def, col) || textNamesColumn(prefix+v.Src, col)) {
			out = append(out, staleReader{what: "view " + n.String(), view: v, def: v.Def})
		}
	}
	for _, k := range schema.SortedKeys(f.cat.Functions) {
		if fn := f.cat.Functions[k]; slices.Contains(fn.Refs, q) && standardBody(fn) && textNamesColumn(fn.Def, col) {
			out = append(out, staleReader{what: "function " + k, fn: fn, def: fn.Def})
		}
	}
	return out
}

// textNamesColumn reports whether statement text holds a column
// reference whose last name is col, or a *; true when it does not parse.
func textNamesColumn(text, col string) bool {
	tree, err := pgdecode.Parse(text)
	if err != nil {
		return text != ""
	}
	found := false
	walk(tree.ProtoReflect(), func(m protoreflect.Message) {
		if cr, ok := m.Interface().(*pg_query.ColumnRef); ok && !found {
			names := strs(cr.Fields)
			found = isStar(cr) || len(names) > 0 && names[len(names)-1] == col
		}
	})
	return found
}

// viewReader names a view, function or rule whose text reads relation q,
// or returns "".
func (f *folder) viewReader(q schema.QualifiedName) string {
	for _, n := range schema.SortedNames(f.cat.Views) {
		if slices.Contains(f.cat.Views[n].Refs, q) {
			return "view " + n.String()
		}
	}
	for _, k := range schema.SortedKeys(f.cat.Functions) {
		if slices.Contains(f.cat.Functions[k].Refs, q) {
			return "function " + k
		}
	}
	for _, k := range schema.SortedTriggers(f.cat.Rules) {
		if k.Table == q {
			return "rule " + schema.QuoteIdent(k.Name) + " on " + q.String()
		}
	}
	return ""
}
