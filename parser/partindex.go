package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// Indexes of partitioned tables are held as PostgreSQL holds them: the
// partitioned table's index, and on each partition an index attached to it
// (Index.Parent), under the name PostgreSQL gave it or the user chose. So
// an index created ON ONLY the parent, which leaves the partitions without
// one until ALTER INDEX ... ATTACH PARTITION, and an attached index with a
// name of its own, are what schema.sql says, not a recursive index.

// partitionsOf returns the partitions of table q in name order.
func (f *folder) partitionsOf(q schema.QualifiedName) []*schema.Table {
	var out []*schema.Table
	for _, t := range f.cat.Tables {
		if t.Options.PartitionOf == q {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *schema.Table) int { return compareNames(a.Name, b.Name) })
	return out
}

// indexesOn returns the indexes of table q in name order.
func (f *folder) indexesOn(q schema.QualifiedName) []*schema.Index {
	var out []*schema.Index
	for _, ix := range f.cat.Indexes {
		if ix.Table == q {
			out = append(out, ix)
		}
	}
	slices.SortFunc(out, func(a, b *schema.Index) int { return compareNames(a.Name, b.Name) })
	return out
}

// compareNames orders qualified names by schema, then name.
func compareNames(a, b schema.QualifiedName) int {
	if c := strings.Compare(a.Schema, b.Schema); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

// cloneIndexes gives partition part an index attached to each index of its
// parent, as CREATE TABLE ... PARTITION OF and ATTACH PARTITION do.
func (f *folder) cloneIndexes(parent, part *schema.Table) {
	for _, ix := range f.indexesOn(parent.Name) {
		f.attachOrClone(ix, part)
	}
}

// attachOrClone attaches to partitioned index pi the first index of
// partition part with the same definition that is attached to nothing,
// or else creates one under the name PostgreSQL chooses (part_cols_idx),
// and so on down sub-partitions (DefineIndex and
// AttachPartitionEnsureIndexes).
func (f *folder) attachOrClone(pi *schema.Index, part *schema.Table) {
	if part.IsForeign() {
		return // a foreign table has no index; PostgreSQL skips it
	}
	def, addition, ok := indexClone(pi.Def, part.Name)
	if !ok {
		return
	}
	own := f.indexesOn(part.Name)
	for _, ix := range own {
		if ix.Parent == pi.Name {
			return
		}
	}
	for _, ix := range own {
		if ix.Parent == (schema.QualifiedName{}) && ix.Unique == pi.Unique && ix.Def == def {
			ix.Parent = pi.Name
			return
		}
	}
	name := chooseName(part.Name.Name, addition, "idx", f.relationTaken(part.Name.Schema, false))
	child := &schema.Index{
		Name:     schema.QualifiedName{Schema: part.Name.Schema, Name: name},
		Table:    part.Name,
		IndexDef: schema.IndexDef{Unique: pi.Unique, Def: def},
		Columns:  pi.Columns,
		Parent:   pi.Name,
		Src:      cloneSrc(pi, part.Name),
		Pos:      pi.Pos,
	}
	f.cat.Indexes[child.Name] = child
	if part.Options.PartitionBy != "" {
		for _, sub := range f.partitionsOf(part.Name) {
			f.attachOrClone(child, sub)
		}
	}
}

// indexClone returns the definition of index def on table tq instead, and
// the column part of the name PostgreSQL gives such a copy. ok is false
// only for a definition that does not parse, which the parser never
// writes.
func indexClone(def string, tq schema.QualifiedName) (string, string, bool) {
	n, err := parseIndexDef(def)
	if err != nil {
		return "", "", false
	}
	params := append(append([]*pg_query.Node{}, n.IndexParams...), n.IndexIncludingParams...)
	addition := nameAddition(indexColumnNames(params))
	out, err := indexDef(n, tq)
	if err != nil {
		return "", "", false
	}
	return out, addition, true
}

// cloneSrc is the user's text of partitioned index pi on partition tq
// instead: the copy is built from the same statement. "" when pi has none.
func cloneSrc(pi *schema.Index, tq schema.QualifiedName) string {
	if pi.Src == "" {
		return ""
	}
	src, _, _ := indexClone(pi.Src, tq)
	return src
}

// attachPlainIndex folds ALTER INDEX pi ATTACH PARTITION ix, with
// PostgreSQL's checks: ix is an index of a partition of pi's table, of the
// same definition, and that partition has no other index attached to pi.
func (f *folder) attachPlainIndex(st *stmt, pi, ix *schema.Index) error {
	child := f.cat.Tables[ix.Table]
	if child == nil || child.Options.PartitionOf != pi.Table {
		return f.errorf(st.pos, "index %s is not an index of a partition of %s", ix.Name, pi.Name)
	}
	if ix.Parent == pi.Name {
		return nil
	}
	if ix.Parent != (schema.QualifiedName{}) {
		return f.errorf(st.pos, "cannot attach index %s as a partition of index %s: it is already attached to %s", ix.Name, pi.Name, ix.Parent)
	}
	if def, _, ok := indexClone(pi.Def, ix.Table); !ok || def != ix.Def || pi.Unique != ix.Unique {
		return f.errorf(st.pos, "cannot attach index %s as a partition of index %s: the index definitions do not match", ix.Name, pi.Name)
	}
	for _, other := range f.indexesOn(ix.Table) {
		if other.Parent == pi.Name {
			return f.errorf(st.pos, "cannot attach index %s as a partition of index %s: another index (%s) is already attached for partition %s", ix.Name, pi.Name, other.Name, ix.Table)
		}
	}
	ix.Parent = pi.Name
	return nil
}

// detachIndexes leaves the indexes of partition child that were attached
// to indexes of parent as indexes of their own, as DETACH PARTITION does.
func (f *folder) detachIndexes(parent, child schema.QualifiedName) {
	for _, ix := range f.indexesOn(child) {
		if pi := f.cat.Indexes[ix.Parent]; pi != nil && pi.Table == parent {
			ix.Parent, ix.CloneName = schema.QualifiedName{}, ""
		}
	}
}

// dropIndexTree drops index q and the indexes of partitions attached to
// it, as DROP INDEX of a partitioned index does.
func (f *folder) dropIndexTree(q schema.QualifiedName) {
	delete(f.cat.Indexes, q)
	for n, ix := range f.cat.Indexes {
		if ix.Parent == q {
			f.dropIndexTree(n)
		}
	}
}

// moveIndex renames index old to nq, and the Parent of the indexes
// attached to it.
func (f *folder) moveIndex(old, nq schema.QualifiedName) {
	ix := f.cat.Indexes[old]
	delete(f.cat.Indexes, old)
	ix.Name = nq
	f.cat.Indexes[nq] = ix
	for _, other := range f.cat.Indexes {
		if other.Parent == old {
			other.Parent = nq
		}
	}
}

// nameClones sets the CloneName of every attached index, from its table's
// name as it is now.
func (f *folder) nameClones() {
	for _, ix := range f.cat.Indexes {
		ix.CloneName = ""
		if ix.Parent == (schema.QualifiedName{}) {
			continue
		}
		if _, addition, ok := indexClone(ix.Def, ix.Table); ok {
			ix.CloneName = makeObjectName(ix.Table.Name, addition, "idx")
		}
	}
}
