package parser

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// CREATE TABLE t (LIKE src [INCLUDING ... | EXCLUDING ...]) is a one-time
// copy: what it copies becomes t's own, and later changes to src do not
// reach t. The fold copies what PostgreSQL's transformTableLikeClause and
// expandTableLikeClause copy (parse_utilcmd.c), so that the planner sees
// a plain table, as pg_dump prints it.

// The bits of TableLikeClause.Options (CREATE_TABLE_LIKE_* in
// parsenodes.h); INCLUDING ALL sets them all. Storage and compression are
// copied by PostgreSQL but not modelled (ALTER COLUMN ... SET STORAGE and
// SET COMPRESSION are skipped with a warning too): the copy has the same
// columns either way.
const (
	likeComments = 1 << iota
	likeCompression
	likeConstraints
	likeDefaults
	likeGenerated
	likeIdentity
	likeIndexes
	likeStatistics
	likeStorage
)

// likeClause is a LIKE of a CREATE TABLE with its source resolved: the
// columns it gives the new table, and, for a table, the table, whose
// CHECKs, indexes and statistics are copied once the new table exists.
type likeClause struct {
	node  *pg_query.TableLikeClause
	pos   schema.Pos
	src   *schema.Table
	cols  []*schema.Column
	opts  uint32
	place int32 // the clause's location in the statement
}

// resolveLike finds the source of a LIKE clause and copies its columns. A
// missing source defers the statement, as a missing type does.
func (f *folder) resolveLike(st *stmt, lc *pg_query.TableLikeClause) (*likeClause, error) {
	q := rangeVarName(lc.Relation)
	l := &likeClause{node: lc, pos: f.at(st, lc.Relation.Location), opts: lc.Options, place: lc.Relation.Location}
	if src := f.cat.Tables[q]; src != nil {
		l.src = src
		for _, c := range f.sourceColumns(src) {
			l.cols = append(l.cols, l.column(c))
		}
		return l, nil
	}
	if v := f.cat.Views[q]; v != nil {
		cols, err := f.viewColumns(st, v, 0)
		var te *typeError
		if errors.As(err, &te) {
			return nil, f.errorf(l.pos, "CREATE TABLE ... (LIKE %s): ddlmig cannot tell offline the type of %s in the view's query; way out: spell the columns out", q, te.what)
		}
		if err != nil {
			return nil, err
		}
		comments := v.ColumnCommentMap()
		for _, c := range cols {
			col := &schema.Column{Name: c.name, Pos: l.pos}
			col.Type, col.Collation = c.typ, c.collation
			if l.opts&likeComments != 0 {
				col.Comment = comments[c.name]
			}
			l.cols = append(l.cols, col)
		}
		return l, nil
	}
	if ct := f.cat.Composites[q]; ct != nil {
		for _, a := range ct.Attributes {
			col := &schema.Column{Name: a.Name, Pos: l.pos}
			col.Type, col.Collation = a.Type, a.Collation
			l.cols = append(l.cols, col)
		}
		return l, nil
	}
	return nil, f.missingf(l.pos, "relation %s does not exist", q)
}

// column is the new table's copy of the source's column c: its name,
// type, collation and NOT NULL always; its default, generation expression,
// identity and comment as the clause asks (a generated column copied
// without INCLUDING GENERATED is a plain column, as in PostgreSQL).
// Statistics targets are not copied.
func (l *likeClause) column(c *schema.Column) *schema.Column {
	cp := &schema.Column{Name: c.Name, Pos: l.pos}
	cp.Type, cp.Collation, cp.NotNull = c.Type, c.Collation, c.NotNull
	switch {
	case c.Generated != "":
		if l.opts&likeGenerated != 0 {
			cp.Generated, cp.GeneratedSrc = c.Generated, c.GeneratedSrc
		}
	case l.opts&likeDefaults != 0:
		cp.Default, cp.DefaultSrc = c.Default, c.DefaultSrc
	}
	if l.opts&likeIdentity != 0 {
		cp.Identity, cp.IdentityOptions = c.Identity, c.IdentityOptions
	}
	if l.opts&likeComments != 0 {
		cp.Comment = c.Comment
	}
	return cp
}

// sourceColumns are every column of src in the order PostgreSQL numbers
// them: a partition's are its parent's (with its own NOT NULL and
// comments), an inheriting table's its parents' first. The model keeps
// neither on the table itself.
func (f *folder) sourceColumns(src *schema.Table) []*schema.Column {
	var above []*schema.Column
	if src.Options.IsPartition() {
		if p := f.cat.Tables[src.Options.PartitionOf]; p != nil {
			above = f.sourceColumns(p)
		}
	}
	for _, p := range f.parents(src) {
		above = append(above, f.sourceColumns(p)...)
	}
	var out []*schema.Column
	seen := map[string]bool{}
	for _, c := range above {
		if seen[c.Name] {
			continue
		}
		seen[c.Name] = true
		own := src.Column(c.Name)
		cp := inheritedDef(c)
		if own != nil {
			cp = inheritedDef(own)
			cp.Comment = own.Comment
			cp.NotNull = own.NotNull || c.NotNull
		}
		out = append(out, cp)
	}
	for _, c := range src.Columns {
		if !seen[c.Name] {
			out = append(out, c)
		}
	}
	return out
}

// expandLike copies into t, once t exists with its own columns and keys,
// what the LIKE clause l asks for beyond columns: CHECKs (under their
// names), indexes and key constraints (under the names PostgreSQL chooses
// for t), extended statistics, and their comments. Foreign keys are never
// copied.
func (f *folder) expandLike(st *stmt, t *schema.Table, l *likeClause) error {
	if l.src == nil {
		return nil
	}
	if l.opts&likeConstraints != 0 {
		for _, c := range f.sourceChecks(l.src) {
			n, err := parseConstraintDef(c.SQL())
			if err != nil {
				return f.errorf(l.pos, "constraint %s: %v", schema.QuoteIdent(c.Name), err)
			}
			n.Conname, n.Location = c.Name, l.place
			if err := f.addConstraint(st, t, conSpec{node: n}); err != nil {
				return err
			}
			if l.opts&likeComments != 0 {
				t.Constraint(c.Name).Comment = c.Comment
			}
		}
	}
	if l.opts&likeIndexes != 0 {
		if err := f.copyIndexes(st, t, l); err != nil {
			return err
		}
	}
	if l.opts&likeStatistics != 0 {
		return f.copyStatistics(st, t, l)
	}
	return nil
}

// sourceChecks are the CHECK constraints of src, its own and those it has
// from a parent.
func (f *folder) sourceChecks(src *schema.Table) []*schema.Constraint {
	var out []*schema.Constraint
	add := func(c *schema.Constraint) {
		if c.Kind == schema.Check && !slices.ContainsFunc(out, func(o *schema.Constraint) bool { return o.Name == c.Name }) {
			out = append(out, c)
		}
	}
	for _, c := range src.Constraints {
		add(c)
	}
	if p := f.cat.Tables[src.Options.PartitionOf]; src.Options.IsPartition() && p != nil {
		for _, c := range f.sourceChecks(p) {
			add(c)
		}
	}
	for _, p := range f.parents(src) {
		for _, c := range f.allChecks(p) {
			add(c)
		}
	}
	return out
}

// sourceIndex is an index of a LIKE source to copy: a plain index, or
// the key constraint (primary key, unique, exclusion) that owns one.
type sourceIndex struct {
	ix  *schema.Index
	con *schema.Constraint
}

func (s sourceIndex) pos() schema.Pos {
	if s.ix != nil {
		return s.ix.Pos
	}
	return s.con.Pos
}

// sourceIndexes are the indexes of src in the order they were created
// (PostgreSQL copies them in OID order, which decides the suffixes of
// colliding names): a partition's keys are its parent's.
func (f *folder) sourceIndexes(src *schema.Table) []sourceIndex {
	var out []sourceIndex
	for t := src; t != nil; {
		for _, c := range t.Constraints {
			if hasIndex(c.Kind) {
				out = append(out, sourceIndex{con: c})
			}
		}
		if !t.Options.IsPartition() {
			break
		}
		t = f.cat.Tables[t.Options.PartitionOf]
	}
	for _, ix := range f.cat.Indexes {
		if ix.Table == src.Name {
			out = append(out, sourceIndex{ix: ix})
		}
	}
	slices.SortStableFunc(out, func(a, b sourceIndex) int {
		pa, pb := a.pos(), b.pos()
		return cmp.Or(strings.Compare(pa.File, pb.File), cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Col, pb.Col),
			cmp.Compare(rankKey(a), rankKey(b)))
	})
	return out
}

// rankKey orders indexes created by one statement as PostgreSQL builds
// them: the primary key first.
func rankKey(s sourceIndex) int {
	if s.con != nil && s.con.Kind == schema.PrimaryKey {
		return 0
	}
	return 1
}

// copyIndexes builds on t each index of the LIKE source, unnamed, so that
// it is named as PostgreSQL names it (t_pkey, t_a_key, t_a_idx, ...); a
// key constraint stays a constraint. An index's comment comes along with
// INCLUDING COMMENTS (a constraint's does not: PostgreSQL copies the
// comment of the index, which the model does not hold for a key).
func (f *folder) copyIndexes(st *stmt, t *schema.Table, l *likeClause) error {
	for _, s := range f.sourceIndexes(l.src) {
		if s.con != nil {
			n, err := parseConstraintDef(s.con.SQL())
			if err != nil {
				return f.errorf(l.pos, "constraint %s: %v", schema.QuoteIdent(s.con.Name), err)
			}
			n.Conname, n.Location = "", l.place
			if err := f.addConstraint(st, t, conSpec{node: n}); err != nil {
				return err
			}
			continue
		}
		is, err := parseIndexDef(s.ix.DefSQL())
		if err != nil {
			return f.errorf(l.pos, "index %s: %v", s.ix.Name, err)
		}
		is.Idxname, is.Unique = "", s.ix.Unique
		is.Relation = &pg_query.RangeVar{Schemaname: t.Name.Schema, Relname: t.Name.Name, Inh: true, Relpersistence: "p", Location: l.place}
		ix, err := f.addIndex(st, is)
		if err != nil {
			return err
		}
		if l.opts&likeComments != 0 {
			ix.Comment = s.ix.Comment
		}
	}
	return nil
}

// copyStatistics creates on t each extended statistics object of the LIKE
// source, unnamed (PostgreSQL names it t_a_b_stat), with its comment under
// INCLUDING COMMENTS. Its statistics target is not copied.
func (f *folder) copyStatistics(st *stmt, t *schema.Table, l *likeClause) error {
	var stats []*schema.Statistics
	for _, s := range f.cat.Statistics {
		if s.Table == l.src.Name {
			stats = append(stats, s)
		}
	}
	slices.SortFunc(stats, func(a, b *schema.Statistics) int {
		return cmp.Or(strings.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col), strings.Compare(a.Name.Name, b.Name.Name))
	})
	for _, s := range stats {
		// Def, not the user's text: it lists the plain columns in table
		// order, as PostgreSQL's copy does, which decides the name.
		cs, err := parseStatisticsDef(s.Def)
		if err != nil {
			return f.errorf(l.pos, "statistics %s: %v", s.Name, err)
		}
		cs.Defnames = nil
		cs.Relations = []*pg_query.Node{{Node: &pg_query.Node_RangeVar{RangeVar: &pg_query.RangeVar{
			Schemaname: t.Name.Schema, Relname: t.Name.Name, Inh: true, Relpersistence: "p", Location: l.place}}}}
		ns, err := f.addStatistics(st, cs)
		if err != nil {
			return err
		}
		if l.opts&likeComments != 0 {
			ns.Comment = s.Comment
		}
	}
	return nil
}
