package planner

import (
	"fmt"

	"github.com/ddlmig/ddlmig/schema"
)

// AttachIndex attaches index Index of a partition to the partitioned
// table's index Parent (ALTER INDEX parent ATTACH PARTITION index), as
// pg_dump writes it and as an index created ON ONLY the parent needs.
type AttachIndex struct {
	Base
	Parent schema.QualifiedName
	Index  schema.QualifiedName
}

// partIndexes holds what diffIndexes decides about the indexes of
// partitions (schema.Index.Parent).
type partIndexes struct {
	// forceIdx are partitioned indexes of from dropped and created again
	// because an index attached to them is dropped or detached:
	// PostgreSQL detaches no index, and refuses to drop an attached one.
	forceIdx map[schema.QualifiedName]bool
	// toChildren lists the indexes of to by the index they are attached
	// to.
	toChildren map[schema.QualifiedName][]*schema.Index
}

func zeroName(q schema.QualifiedName) bool { return q == (schema.QualifiedName{}) }

// detachedInPlan reports whether partition table n of from is detached
// by the plan (a new parent or bound): its indexes are then its own, and
// ATTACH PARTITION attaches them to the new parent's.
func (s *planState) detachedInPlan(n schema.QualifiedName) bool {
	ft, tt := s.from.Tables[n], s.to.Tables[n]
	return ft != nil && tt != nil && ft.Options.IsPartition() &&
		(ft.Options.PartitionOf != tt.Options.PartitionOf || ft.Options.PartitionBound != tt.Options.PartitionBound)
}

// fromParent is the index fi stays attached to through the plan, zero
// when it has none or its partition is detached.
func (s *planState) fromParent(fi *schema.Index) schema.QualifiedName {
	if zeroName(fi.Parent) || s.detachedInPlan(fi.Table) {
		return schema.QualifiedName{}
	}
	return fi.Parent
}

// toParentOf is ti's parent as named in from (an index renamed by the plan
// is known by its old name).
func (s *planState) toParentOf(ti *schema.Index) schema.QualifiedName {
	if f := s.idxRenamed[ti.Parent]; f != nil {
		return f.Name
	}
	return ti.Parent
}

// idxDown reports whether index n of from is dropped by the plan, itself
// or with its table or the index it is attached to.
func (s *planState) idxDown(n schema.QualifiedName) bool {
	fi, ti := s.from.Indexes[n], s.to.Indexes[n]
	switch {
	case fi == nil:
		return false
	case s.to.Tables[fi.Table] == nil:
		return true
	case ti == nil:
		return s.idxRenameOf[n] == (schema.QualifiedName{}) && !s.adoptedIdx[n] || !zeroName(s.fromParent(fi)) && s.idxDown(fi.Parent)
	case s.forceIdx[n] || ti.Table != fi.Table || !sameIndex(fi, ti) || s.indexOnRecreatedColumn(fi) ||
		s.indexOnRebuiltEnum(fi) || s.predicateOnRetypedColumn(fi):
		return true
	}
	return !zeroName(s.fromParent(fi)) && s.idxDown(fi.Parent)
}

// markForcedParents fills forceIdx: an attached index that the new schema
// drops or detaches, while its partition and parent index stay, takes the
// whole tree of its root index down and up again.
func (s *planState) markForcedParents() {
	s.forceIdx = map[schema.QualifiedName]bool{}
	s.toChildren = map[schema.QualifiedName][]*schema.Index{}
	for _, n := range s.toIndexes() {
		if ti := s.to.Indexes[n]; !zeroName(ti.Parent) {
			s.toChildren[ti.Parent] = append(s.toChildren[ti.Parent], ti)
		}
	}
	for _, n := range s.fromIndexes() {
		fi := s.from.Indexes[n]
		p := s.fromParent(fi)
		if zeroName(p) || s.to.Tables[fi.Table] == nil || s.idxDown(p) {
			continue
		}
		ti := s.to.Indexes[n]
		if r := s.idxRenameOf[n]; ti == nil && !zeroName(r) {
			ti = s.to.Indexes[r]
		}
		if ti != nil && s.toParentOf(ti) == p {
			continue
		}
		root := p
		for fp := s.from.Indexes[root]; fp != nil && !zeroName(s.fromParent(fp)); fp = s.from.Indexes[root] {
			root = fp.Parent
		}
		s.forceIdx[root] = true
	}
}

// covered reports whether every partition of ix's table has an index
// attached to ix in to, and so on down: only then is ix created as
// PostgreSQL's recursive CREATE INDEX makes it; otherwise ON ONLY.
func (s *planState) covered(ix *schema.Index) bool {
	t := s.to.Tables[ix.Table]
	if t == nil || t.Options.PartitionBy == "" {
		return true
	}
	on := map[schema.QualifiedName]*schema.Index{}
	for _, c := range s.toChildren[ix.Name] {
		on[c.Table] = c
	}
	for _, pn := range s.toTables() {
		if s.to.Tables[pn].Options.PartitionOf != ix.Table {
			continue
		}
		c := on[pn]
		if c == nil || !s.covered(c) {
			return false
		}
	}
	return true
}

// emitIndexes creates the indexes of to marked in create, parents with
// their partitions' indexes, and attaches the existing ones in attach.
func (s *planState) emitIndexes(create, attach map[schema.QualifiedName]bool) {
	// Those created again first, then the new ones.
	for _, again := range []bool{true, false} {
		for _, n := range s.toIndexes() {
			if create[n] && (s.from.Indexes[n] != nil) == again {
				s.emitIndex(s.to.Indexes[n], create, attach)
			}
		}
	}
	for _, n := range s.toIndexes() {
		if ti := s.to.Indexes[n]; attach[n] && !create[ti.Parent] {
			s.add(phCreateIndex, &AttachIndex{Parent: ti.Parent, Index: n})
		}
	}
}

// emitIndex creates ti, unless PostgreSQL makes it with its parent.
func (s *planState) emitIndex(ti *schema.Index, create, attach map[schema.QualifiedName]bool) {
	switch {
	case zeroName(ti.Parent):
		s.createIndexTree(ti, create, attach)
	case create[ti.Parent]:
		// Made with its parent.
	case s.newPartitionOf(ti):
		s.cloneIndexTree(ti, create)
	default:
		s.createIndexTree(ti, create, attach)
		s.add(phCreateIndex, &AttachIndex{Parent: ti.Parent, Index: ti.Name})
	}
}

// newPartitionOf reports whether ti's table becomes a partition of its
// parent index's table in this plan (created, or attached): PostgreSQL
// then gives it a copy of the parent's index.
func (s *planState) newPartitionOf(ti *schema.Index) bool {
	ft := s.from.Tables[ti.Table]
	return ft == nil || s.recreatedTable[ti.Table] || ft.Options.PartitionOf != s.to.Tables[ti.Table].Options.PartitionOf ||
		s.detachedInPlan(ti.Table)
}

// cloneIndexTree plans for index ti that PostgreSQL makes as a copy of its
// parent's when the partition is created: renamed when schema.sql names
// it otherwise.
func (s *planState) cloneIndexTree(ti *schema.Index, create map[schema.QualifiedName]bool) {
	if ti.Name.Name != ti.CloneName && ti.CloneName != "" {
		s.add(phCreateIndex, &RenameIndex{Name: schema.QualifiedName{Schema: ti.Name.Schema, Name: ti.CloneName}, To: ti.Name.Name})
	}
	for _, c := range s.toChildren[ti.Name] {
		if create[c.Name] {
			s.cloneIndexTree(c, create)
		}
	}
}

// createIndexTree creates ix. A recursive CREATE INDEX attaches the
// matching indexes its partitions have and copies it to the others, under
// the name PostgreSQL chooses: indexes of partitions named otherwise are
// created first. ON ONLY leaves the partitions alone: their indexes are
// created and attached after.
func (s *planState) createIndexTree(ix *schema.Index, create, attach map[schema.QualifiedName]bool) {
	if s.covered(ix) {
		s.preCreateChildren(ix, create, attach)
		s.add(phCreateIndex, &CreateIndex{Base: s.newIndexHazard(ix), Index: ix})
		return
	}
	// ON ONLY builds nothing: no hazard.
	s.add(phCreateIndex, &CreateIndex{Index: ix, Only: true})
	for _, c := range s.toChildren[ix.Name] {
		if create[c.Name] {
			s.createIndexTree(c, create, attach)
		}
		if create[c.Name] || attach[c.Name] {
			s.add(phCreateIndex, &AttachIndex{Parent: ix.Name, Index: c.Name})
		}
	}
}

// preCreateChildren creates, before a recursive CREATE INDEX of ix, the
// indexes of its partitions whose names PostgreSQL would not choose.
func (s *planState) preCreateChildren(ix *schema.Index, create, attach map[schema.QualifiedName]bool) {
	for _, c := range s.toChildren[ix.Name] {
		if !create[c.Name] {
			continue
		}
		if c.Name.Name == c.CloneName {
			s.preCreateChildren(c, create, attach)
			continue
		}
		s.createIndexTree(c, create, attach)
	}
}

// ownNotNull lists the columns partition t holds NOT NULL on while its
// parent in to does not.
func (s *planState) ownNotNull(t *schema.Table) []string {
	p := s.to.Tables[t.Options.PartitionOf]
	if p == nil {
		return nil
	}
	var out []string
	for _, c := range t.Columns {
		if pc := p.Column(c.Name); c.NotNull && pc != nil && !pc.NotNull {
			out = append(out, c.Name)
		}
	}
	return out
}

// restoreNotNull sets NOT NULL again on the columns of new partition t that
// its parent's DROP NOT NULL, planned after t is created, takes away.
func (s *planState) restoreNotNull(t *schema.Table) {
	pf := s.from.Tables[t.Options.PartitionOf]
	if pf == nil {
		return
	}
	for _, c := range s.ownNotNull(t) {
		if pc := pf.Column(c); pc != nil && pc.NotNull {
			s.add(phColumnsLate, &SetNotNull{Table: t.Name, Column: c})
		}
	}
}

// diffPartitionNotNull sets or drops NOT NULL on the columns of partition
// n where the parent's change, which PostgreSQL applies to its partitions
// too, does not: after the parent's, which a partition's DROP NOT NULL
// needs first.
func (s *planState) diffPartitionNotNull(n schema.QualifiedName, ft, tt *schema.Table) {
	pf, pt := s.from.Tables[tt.Options.PartitionOf], s.to.Tables[tt.Options.PartitionOf]
	if ft.Options.PartitionOf != tt.Options.PartitionOf || pf == nil || pt == nil {
		return
	}
	for _, tc := range tt.Columns {
		fc, pfc, ptc := ft.Column(tc.Name), pf.Column(tc.Name), pt.Column(tc.Name)
		if fc == nil || pfc == nil || ptc == nil {
			continue
		}
		// The parent's change reaches the partition.
		after := fc.NotNull
		if pfc.NotNull != ptc.NotNull {
			after = ptc.NotNull
		}
		if after == tc.NotNull {
			continue
		}
		if tc.NotNull {
			s.add(phColumnsLate, &SetNotNull{
				Base:  lockHazard(HazardSetNotNull, tt.Pos, fmt.Sprintf("sets NOT NULL on column %s.%s, which scans the table under an ACCESS EXCLUSIVE lock and fails if a row holds NULL", n, schema.QuoteIdent(tc.Name))),
				Table: n, Column: tc.Name,
			})
		} else {
			s.add(phColumnsLate, &DropNotNull{Table: n, Column: tc.Name})
		}
	}
}
