package parser

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// indexPrefix is cut from a deparsed CREATE INDEX to leave Index.Def and
// Index.Src.
const indexPrefix = "CREATE INDEX i ON "

func (f *folder) createIndex(st *stmt, is *pg_query.IndexStmt) error {
	tq := rangeVarName(is.Relation)
	if v := f.cat.Views[tq]; f.cat.Tables[tq] == nil && v != nil && v.Materialized {
		return f.createMatviewIndex(st, is, v)
	}
	_, err := f.addIndex(st, is)
	return err
}

// addIndex folds CREATE INDEX on a table and returns the index (nil when
// IF NOT EXISTS found one of the name); LIKE ... INCLUDING INDEXES builds
// its copies with it.
func (f *folder) addIndex(st *stmt, is *pg_query.IndexStmt) (*schema.Index, error) {
	tq := rangeVarName(is.Relation)
	pos := f.at(st, is.Relation.Location)
	t := f.cat.Tables[tq]
	if t == nil {
		return nil, f.missingf(pos, "relation %s does not exist", tq)
	}
	if t.IsForeign() {
		return nil, f.errorf(pos, "cannot create index on foreign table %s: PostgreSQL does not index foreign tables", tq)
	}
	// Normalized in place, not in a copy: as in addConstraint, the
	// statement is not folded again once it gets here. Only an index that
	// normalizing changes is copied first, for the user's text.
	user := userIndex(is)
	n := is
	var cols []string
	for _, p := range append(append([]*pg_query.Node{}, n.IndexParams...), n.IndexIncludingParams...) {
		ie := p.GetIndexElem()
		normalizeIndexElem(ie)
		normalizeExpr(ie.Expr, tableTypes(t))
		if ie.Name != "" {
			cols = appendUnique(cols, ie.Name)
		}
		for _, c := range columnRefs(ie.Expr) {
			cols = appendUnique(cols, c)
		}
	}
	normalizeExpr(n.WhereClause, tableTypes(t))
	// Cast now, not only once the file is folded (castUserCalls): the
	// index of a partition attaches to its parent's by the same text.
	f.castStored(st, n.ProtoReflect(), f.tablePlace(tq, false)())
	normalizeOptions(n.Options)
	for _, c := range columnRefs(n.WhereClause) {
		cols = appendUnique(cols, c)
	}
	for _, c := range cols {
		if t.Column(c) == nil && f.inheritedColumn(t, c) == nil {
			return nil, f.errorf(pos, "column %s does not exist", schema.QuoteIdent(c))
		}
	}
	name := n.Idxname
	if name == "" {
		params := append(append([]*pg_query.Node{}, n.IndexParams...), n.IndexIncludingParams...)
		name = chooseName(tq.Name, nameAddition(indexColumnNames(params)), "idx", f.relationTaken(tq.Schema, false))
	} else if f.relationTaken(tq.Schema, false)(name) {
		if n.IfNotExists {
			return nil, nil
		}
		return nil, f.errorf(f.at(st, -1), "relation %s already exists", schema.QuoteIdent(name))
	}
	def, err := indexDef(n, tq)
	if err != nil {
		return nil, f.errorf(pos, "index: %v", err)
	}
	src, err := indexSrc(user, tq, def)
	if err != nil {
		return nil, f.errorf(pos, "index: %v", err)
	}
	q := schema.QualifiedName{Schema: tq.Schema, Name: name}
	ix := &schema.Index{
		Name:     q,
		Table:    tq,
		IndexDef: schema.IndexDef{Unique: n.Unique, Def: def},
		Columns:  cols,
		Src:      src,
		Pos:      st.pos,
	}
	f.cat.Indexes[q] = ix
	// ON ONLY (Inh false) leaves the partitions without the index.
	if t.Options.PartitionBy != "" && n.Relation.Inh {
		for _, part := range f.partitionsOf(tq) {
			f.attachOrClone(ix, part)
		}
	}
	return ix, nil
}

// normalizeIndexElem drops what is written but default: ASC, NULLS LAST
// on ascending and NULLS FIRST on descending keys, and the public or
// pg_catalog schema of an operator class (pg_dump writes
// public.gin_trgm_ops for an extension's gin_trgm_ops).
func normalizeIndexElem(ie *pg_query.IndexElem) {
	if ie == nil {
		return
	}
	if names := strs(ie.Opclass); len(names) == 2 && (names[0] == schema.DefaultSchema || names[0] == "pg_catalog") {
		ie.Opclass = ie.Opclass[1:]
	}
	if ie.Ordering == pg_query.SortByDir_SORTBY_ASC {
		ie.Ordering = pg_query.SortByDir_SORTBY_DEFAULT
	}
	desc := ie.Ordering == pg_query.SortByDir_SORTBY_DESC
	if (!desc && ie.NullsOrdering == pg_query.SortByNulls_SORTBY_NULLS_LAST) ||
		(desc && ie.NullsOrdering == pg_query.SortByNulls_SORTBY_NULLS_FIRST) {
		ie.NullsOrdering = pg_query.SortByNulls_SORTBY_NULLS_DEFAULT
	}
}

// userIndex copies index statement n before it is normalized in place,
// or returns nil for an index that normalizing leaves as written: keys and
// INCLUDE columns that are plain columns without operator class, ordering
// or collation, no predicate and no options. Most indexes are such; they
// are not copied.
func userIndex(n *pg_query.IndexStmt) *pg_query.IndexStmt {
	if n.WhereClause != nil || n.Options != nil {
		return proto.Clone(n).(*pg_query.IndexStmt)
	}
	for _, p := range append(append([]*pg_query.Node{}, n.IndexParams...), n.IndexIncludingParams...) {
		ie := p.GetIndexElem()
		if ie == nil || ie.Expr != nil || ie.Opclass != nil || ie.Collation != nil ||
			ie.Ordering != pg_query.SortByDir_SORTBY_DEFAULT || ie.NullsOrdering != pg_query.SortByNulls_SORTBY_NULLS_DEFAULT {
			return proto.Clone(n).(*pg_query.IndexStmt)
		}
	}
	return nil
}

// indexSrc is Index.Src: the tail of user, the index as written (nil when
// it is its normalized form), on table tq; "" when it is def.
func indexSrc(user *pg_query.IndexStmt, tq schema.QualifiedName, def string) (string, error) {
	if user == nil {
		return "", nil
	}
	src, err := indexDef(user, tq)
	if err != nil || src == def {
		return "", err
	}
	return src, nil
}

// indexDef renders the canonical text of an index on table tq: qualified
// table, explicit access method, no CONCURRENTLY or IF NOT EXISTS. Like
// constraintDef, it changes the node's top-level fields for the deparse and
// restores them instead of copying the node.
func indexDef(n *pg_query.IndexStmt, tq schema.QualifiedName) (string, error) {
	name, rel, am := n.Idxname, n.Relation, n.AccessMethod
	conc, ine, uniq := n.Concurrent, n.IfNotExists, n.Unique
	defer func() {
		n.Idxname, n.Relation, n.AccessMethod = name, rel, am
		n.Concurrent, n.IfNotExists, n.Unique = conc, ine, uniq
	}()
	n.Idxname = "i"
	n.Relation = rangeVar(tq)
	if n.AccessMethod == "" {
		n.AccessMethod = "btree"
	}
	n.Concurrent, n.IfNotExists, n.Unique = false, false, false
	s, err := deparse(&pg_query.Node{Node: &pg_query.Node_IndexStmt{IndexStmt: n}})
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(s, indexPrefix), nil
}

// parseIndexDef parses an Index.Def back into a node.
func parseIndexDef(def string) (*pg_query.IndexStmt, error) {
	tree, err := pgdecode.Parse(indexPrefix + def)
	if err != nil {
		return nil, err
	}
	return tree.Stmts[0].Stmt.GetIndexStmt(), nil
}

// rewriteIndex applies fn to an index's parsed definition and to the
// user's text, and stores the rendered results. A user's text that does
// not parse back or render again (the parser never writes one) is
// dropped, and Def written instead: a stale text is worse than the
// normalized one.
func rewriteIndex(ix *schema.Index, fn func(n *pg_query.IndexStmt)) {
	rewriteDefSrc(&ix.Def, &ix.Src, func(text string) (string, bool) { return rewriteIndexText(text, ix.Table, fn) })
}

// rewriteIndexText applies fn to an index's text (Def or Src), parsed, and
// renders it on table tq again.
func rewriteIndexText(text string, tq schema.QualifiedName, fn func(n *pg_query.IndexStmt)) (string, bool) {
	n, err := parseIndexDef(text)
	if err != nil {
		return "", false
	}
	fn(n)
	out, err := indexDef(n, tq)
	return out, err == nil
}

// normalizeOptions spells storage parameter values as strings, as
// PostgreSQL stores them in reloptions and pg_dump prints them:
// WITH (fillfactor=70) is WITH (fillfactor='70').
func normalizeOptions(opts []*pg_query.Node) {
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil || d.Arg == nil {
			continue
		}
		var s string
		switch x := d.Arg.Node.(type) {
		case *pg_query.Node_Integer:
			s = strconv.Itoa(int(x.Integer.Ival))
		case *pg_query.Node_Float:
			s = x.Float.Fval
		case *pg_query.Node_Boolean:
			s = strconv.FormatBool(x.Boolean.Boolval)
		case *pg_query.Node_TypeName:
			names := strs(x.TypeName.Names)
			s = names[len(names)-1]
		default:
			continue
		}
		d.Arg = pg_query.MakeStrNode(s)
	}
}

// Indexes go with their table.
func init() { registerKind("index", kindParser{}) }
