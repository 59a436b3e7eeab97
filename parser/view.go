package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/schema"
)

// viewPrefix and matviewPrefix are cut from a deparsed view to leave
// ViewDef.Def and View.Src.
const (
	viewPrefix    = "CREATE VIEW v "
	matviewPrefix = "CREATE MATERIALIZED VIEW v "
)

// queryRefs are what a query reads, found in its parse tree: relations
// (CTE names excluded) and called functions. Names in pg_catalog and
// information_schema are left out: they are not ddlmig's to order.
type queryRefs struct {
	rels  []schema.QualifiedName
	funcs []schema.QualifiedName
	cols  []string
}

func collectRefs(n protoreflect.Message) queryRefs {
	var r queryRefs
	ctes := map[string]bool{}
	walk(n, func(m protoreflect.Message) {
		if c, ok := m.Interface().(*pg_query.CommonTableExpr); ok {
			ctes[c.Ctename] = true
		}
	})
	add := func(list *[]schema.QualifiedName, q schema.QualifiedName) {
		if q.Schema == "pg_catalog" || q.Schema == "information_schema" {
			return
		}
		for _, x := range *list {
			if x == q {
				return
			}
		}
		*list = append(*list, q)
	}
	walk(n, func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg_query.RangeVar:
			if x.Schemaname == "" && ctes[x.Relname] {
				return
			}
			add(&r.rels, rangeVarName(x))
		case *pg_query.FuncCall:
			add(&r.funcs, listName(x.Funcname))
		case *pg_query.ColumnRef:
			if n := len(x.Fields); n > 0 {
				if s := x.Fields[n-1].GetString_(); s != nil {
					r.cols = appendUnique(r.cols, s.Sval)
				} else if x.Fields[n-1].GetAStar() != nil {
					r.cols = appendUnique(r.cols, "*")
				}
			}
		}
	})
	return r
}

// unqualifyPublic drops the public schema from relation names in a query,
// as pg_get_viewdef prints them with the default search_path.
func unqualifyPublic(n protoreflect.Message) {
	walk(n, func(m protoreflect.Message) {
		if rv, ok := m.Interface().(*pg_query.RangeVar); ok && rv.Schemaname == schema.DefaultSchema {
			rv.Schemaname = ""
		}
	})
}

// relationExists reports whether q names a table or view.
func (f *folder) relationExists(q schema.QualifiedName) bool {
	return f.cat.Tables[q] != nil || f.cat.Views[q] != nil
}

// checkRels defers a statement whose query reads a relation that does not
// exist yet. Unqualified names that are not found may be system catalogs
// (pg_class): those starting with pg_ pass.
func (f *folder) checkRels(st *stmt, rels []schema.QualifiedName) error {
	for _, q := range rels {
		if f.relationExists(q) || strings.HasPrefix(q.Name, "pg_") {
			continue
		}
		return f.missingf(st.pos, "relation %s does not exist", q)
	}
	return nil
}

// normalizeQuery rewrites a view query into canonical form in place: the
// server's form (qualifyQuery: columns qualified; uniqueRefnames: FROM
// items renamed where an enclosing level's name hides them; castQuery: the
// coercions parse analysis stores), then, for a query of one relation, its
// columns unqualified again, which reads better and means the same.
func (f *folder) normalizeQuery(st *stmt, q *pg_query.Node) {
	unqualifyPublic(q.ProtoReflect())
	f.qualifyQuery(q, nil, 0)
	uniqueRefnames(q, viewRoot())
	f.castView(st, q)
	defer nameDefaults(q)
	if refname, types, ok := f.singleRelation(q); ok {
		unqualifyColumns(q, refname)
		normalizeExpr(q, types)
		return
	}
	normalizeExpr(q, nil)
}

// singleRelation returns the name a query gives the one relation it reads,
// and the types of its columns when it is a table, when the query is a
// plain SELECT of that one table or view: no join, set operation, WITH or
// subquery. pg_get_viewdef (and so pg_dump) prints such a view with every
// column qualified (SELECT users.id FROM users), * expanded and the casts
// the server added; knowing the one relation, normalizeQuery brings both
// spellings to one form.
func (f *folder) singleRelation(q *pg_query.Node) (string, columnTypes, bool) {
	sel := q.GetSelectStmt()
	if sel == nil || sel.Op != pg_query.SetOperation_SETOP_NONE || sel.WithClause != nil || len(sel.FromClause) != 1 {
		return "", nil, false
	}
	rv := sel.FromClause[0].GetRangeVar()
	if rv == nil {
		return "", nil, false
	}
	nested := false
	walk(q.ProtoReflect(), func(m protoreflect.Message) {
		switch m.Interface().(type) {
		case *pg_query.SubLink, *pg_query.RangeSubselect, *pg_query.RangeFunction, *pg_query.JoinExpr, *pg_query.CommonTableExpr:
			nested = true
		}
	})
	if nested {
		return "", nil, false
	}
	refname := rv.Relname
	if rv.Alias != nil {
		refname = rv.Alias.Aliasname
	}
	if t := f.cat.Tables[rangeVarName(rv)]; t != nil {
		return refname, tableTypes(t), true
	}
	if f.cat.Views[rangeVarName(rv)] != nil {
		return refname, nil, true
	}
	return "", nil, false
}

// unqualifyColumns drops the table's name from column references
// (users.id is id) in a query that reads that one table.
func unqualifyColumns(q *pg_query.Node, refname string) {
	walk(q.ProtoReflect(), func(m protoreflect.Message) {
		if cr, ok := m.Interface().(*pg_query.ColumnRef); ok && len(cr.Fields) == 2 && cr.Fields[0].GetString_().GetSval() == refname && !isStar(cr) {
			cr.Fields = cr.Fields[1:]
		}
	})
}

// queryShape returns the output expressions of a query and the text of
// the rest that decides their types, for the CREATE OR REPLACE test.
func queryShape(q *pg_query.Node) (targets []string, from string) {
	sel := q.GetSelectStmt()
	if sel == nil || sel.Op != pg_query.SetOperation_SETOP_NONE {
		s, _ := deparse(q)
		return nil, s
	}
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		s, err := deparseExpr(rt.Val)
		if err != nil {
			return nil, ""
		}
		if rt.Name != "" {
			s += " AS " + schema.QuoteIdent(rt.Name)
		}
		targets = append(targets, s)
	}
	rest := &pg_query.SelectStmt{
		TargetList:  []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Val: &pg_query.A_Const_Ival{Ival: &pg_query.Integer{Ival: 1}}}}}}}}},
		FromClause:  sel.FromClause,
		GroupClause: sel.GroupClause,
		WithClause:  sel.WithClause,
	}
	from, _ = deparse(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: rest}})
	return targets, from
}

func (f *folder) createView(st *stmt, vs *pg_query.ViewStmt) error {
	q := rangeVarName(vs.View)
	if vs.View.Relpersistence == "t" {
		return f.unsupportedf(st.pos, "CREATE TEMPORARY VIEW")
	}
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	src := proto.Clone(vs).(*pg_query.ViewStmt)
	src.View = &pg_query.RangeVar{Relname: "v", Inh: true, Relpersistence: "p", Location: -1}
	src.Replace = false
	n := proto.Clone(src).(*pg_query.ViewStmt)
	f.normalizeQuery(st, n.Query)
	f.expandStarsOnly(src.Query)
	refs := collectRefs(n.Query.ProtoReflect())
	if err := f.checkRels(st, refs.rels); err != nil {
		return err
	}
	old := f.cat.Views[q]
	switch {
	case old != nil && (!vs.Replace || old.Materialized):
		return f.errorf(st.pos, "relation %s already exists", q)
	case old == nil && f.relationTaken(q.Schema, false)(q.Name):
		return f.errorf(st.pos, "relation %s already exists", q)
	case old == nil && f.typeTaken(q):
		return f.rowTypeTaken(st.pos, q)
	}
	normalizeOptions(n.Options)
	if n.WithCheckOption == pg_query.ViewCheckOption_NO_CHECK_OPTION {
		n.WithCheckOption = pg_query.ViewCheckOption_VIEW_CHECK_OPTION_UNDEFINED
	}
	s, err := deparse(&pg_query.Node{Node: &pg_query.Node_ViewStmt{ViewStmt: n}})
	if err != nil {
		return f.errorf(st.pos, "view: %v", err)
	}
	text, err := deparse(&pg_query.Node{Node: &pg_query.Node_ViewStmt{ViewStmt: src}})
	if err != nil {
		return f.errorf(st.pos, "view: %v", err)
	}
	v := &schema.View{
		Name:    q,
		ViewDef: schema.ViewDef{Def: strings.TrimPrefix(s, viewPrefix)},
		Src:     strings.TrimPrefix(text, viewPrefix),
		Refs:    refs.rels,
		Funcs:   refs.funcs,
		Columns: refs.cols,
		Pos:     st.pos,
	}
	v.Targets, v.From = queryShape(n.Query)
	if old != nil {
		v.Comment, v.ColumnComments = old.Comment, old.ColumnComments
	}
	f.cat.Views[q] = v
	return nil
}

// expandStarsOnly expands * and x.* in the queries of the user's view or
// SQL-standard body into the columns they stand for, where the fold knows
// them, and leaves the rest as written. PostgreSQL binds * when it creates
// the view or function; a migration that ran the * again would bind the
// columns the relation has then, in its order (a column that schema.sql
// declares in the middle is added last by ALTER TABLE).
func (f *folder) expandStarsOnly(n *pg_query.Node) {
	f.stars = true
	defer func() { f.stars = false }()
	var visit func(s *pg_query.Node)
	visit = func(s *pg_query.Node) {
		switch x := s.GetNode().(type) {
		case *pg_query.Node_List:
			for _, it := range x.List.Items {
				visit(it)
			}
		case *pg_query.Node_ReturnStmt:
			f.qualifyExpr(x.ReturnStmt.Returnval, &nameScope{}, 0)
		case *pg_query.Node_SelectStmt:
			f.qualifyQuery(s, nil, 0)
		}
	}
	visit(n)
}

// createTableAs folds CREATE MATERIALIZED VIEW; CREATE TABLE AS creates
// a table from data and stays unsupported.
func (f *folder) createTableAs(st *stmt, cs *pg_query.CreateTableAsStmt) error {
	if cs.Objtype != pg_query.ObjectType_OBJECT_MATVIEW {
		return f.createTableFromQuery(st, cs)
	}
	q := rangeVarName(cs.Into.Rel)
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	src := proto.Clone(cs).(*pg_query.CreateTableAsStmt)
	src.Into.Rel = &pg_query.RangeVar{Relname: "v", Inh: true, Relpersistence: "p", Location: -1}
	src.IfNotExists = false
	// WITH NO DATA only decides whether the view starts populated.
	src.Into.SkipData = false
	n := proto.Clone(src).(*pg_query.CreateTableAsStmt)
	f.normalizeQuery(st, n.Query)
	f.expandStarsOnly(src.Query)
	refs := collectRefs(n.Query.ProtoReflect())
	if err := f.checkRels(st, refs.rels); err != nil {
		return err
	}
	if f.relationTaken(q.Schema, false)(q.Name) {
		if cs.IfNotExists {
			return nil
		}
		return f.errorf(st.pos, "relation %s already exists", q)
	}
	if f.typeTaken(q) {
		return f.rowTypeTaken(st.pos, q)
	}
	normalizeOptions(n.Into.Options)
	s, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateTableAsStmt{CreateTableAsStmt: n}})
	if err != nil {
		return f.errorf(st.pos, "materialized view: %v", err)
	}
	text, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateTableAsStmt{CreateTableAsStmt: src}})
	if err != nil {
		return f.errorf(st.pos, "materialized view: %v", err)
	}
	v := &schema.View{
		Name:    q,
		ViewDef: schema.ViewDef{Materialized: true, Def: strings.TrimPrefix(s, matviewPrefix)},
		Src:     strings.TrimPrefix(text, matviewPrefix),
		Refs:    refs.rels,
		Funcs:   refs.funcs,
		Columns: refs.cols,
		Indexes: map[schema.QualifiedName]*schema.Index{},
		Pos:     st.pos,
	}
	f.cat.Views[q] = v
	return nil
}

// createMatviewIndex folds CREATE INDEX on a materialized view; such
// indexes live with their view.
func (f *folder) createMatviewIndex(st *stmt, is *pg_query.IndexStmt, v *schema.View) error {
	tq := v.Name
	n := proto.Clone(is).(*pg_query.IndexStmt)
	for _, p := range append(append([]*pg_query.Node{}, n.IndexParams...), n.IndexIncludingParams...) {
		ie := p.GetIndexElem()
		normalizeIndexElem(ie)
		normalizeExpr(ie.Expr, nil)
	}
	normalizeExpr(n.WhereClause, nil)
	normalizeOptions(n.Options)
	name := n.Idxname
	if name == "" {
		params := append(append([]*pg_query.Node{}, n.IndexParams...), n.IndexIncludingParams...)
		name = chooseName(tq.Name, nameAddition(indexColumnNames(params)), "idx", f.relationTaken(tq.Schema, false))
	} else if f.relationTaken(tq.Schema, false)(name) {
		if n.IfNotExists {
			return nil
		}
		return f.errorf(st.pos, "relation %s already exists", schema.QuoteIdent(name))
	}
	def, err := indexDef(n, tq)
	if err != nil {
		return f.errorf(st.pos, "index: %v", err)
	}
	// is was not normalized: it is the user's.
	src, err := indexSrc(is, tq, def)
	if err != nil {
		return f.errorf(st.pos, "index: %v", err)
	}
	q := schema.QualifiedName{Schema: tq.Schema, Name: name}
	v.Indexes[q] = &schema.Index{Name: q, Table: tq, IndexDef: schema.IndexDef{Unique: n.Unique, Def: def}, Src: src, Pos: st.pos}
	return nil
}

// matviewIndex finds an index of a materialized view.
func (f *folder) matviewIndex(q schema.QualifiedName) (*schema.View, *schema.Index) {
	for _, v := range f.cat.Views {
		if ix := v.Indexes[q]; ix != nil {
			return v, ix
		}
	}
	return nil, nil
}

// dropView drops a view; dependent views go with CASCADE and make the
// statement fail otherwise, as in PostgreSQL.
func (f *folder) dropView(st *stmt, q schema.QualifiedName, materialized, missingOK, cascade bool) error {
	v := f.cat.Views[q]
	if v == nil || v.Materialized != materialized {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "view %s does not exist", q)
	}
	for _, d := range schema.SortedNames(f.cat.Views) {
		dv := f.cat.Views[d]
		if d == q || dv == nil {
			continue // nil: dropped on the way, as a dependent of an earlier one
		}
		if !slices.Contains(dv.Refs, q) {
			continue
		}
		if !cascade {
			return f.errorf(st.pos, "cannot drop view %s because other objects depend on it (view %s)", q, d)
		}
		if err := f.dropView(st, d, dv.Materialized, true, true); err != nil {
			return err
		}
	}
	delete(f.cat.Views, q)
	for tn := range f.cat.Triggers {
		if tn.Table == q {
			delete(f.cat.Triggers, tn)
		}
	}
	f.dropRulesOf(q)
	return nil
}

// Views are dropped before the tables of their schema, which they read.
func init() {
	registerKind("view", kindParser{dropFirst: true, dropCascade: func(f *folder, st *stmt, o schema.Object) {
		_ = f.dropView(st, o.Name, o.Kind == schema.KindMaterializedView, true, true)
	}})
}
