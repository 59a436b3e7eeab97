package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// collidingDrops finds the dropped tables that hold (as their own name, or
// the index name of a primary key, unique or exclusion constraint) the
// name of a table, or of an index which a constraint or index, created by
// the plan takes (a moved CREATE INDEX is dropped on its own): a table renamed by hand
// (mod_sticky_post to mod_feature_post, keeping mod_sticky_post_pkey) is
// planned as a drop and a create, and the create fails ("relation ...
// already exists") while the old table holds the name. Such a table is
// dropped before anything is created, when nothing dropped later needs
// it: no function of from names its row type, and it is no partition or
// partitioned table.
func (s *planState) collidingDrops() map[schema.QualifiedName]bool {
	taken := map[schema.QualifiedName]schema.QualifiedName{} // index name -> dropped table
	for _, n := range s.fromTables() {
		t := s.from.Tables[n]
		if s.to.Tables[n] != nil || t.Options.PartitionBy != "" || t.Options.IsPartition() {
			continue
		}
		taken[n] = n
		for _, c := range t.Constraints {
			if indexBacked(c) {
				taken[schema.QualifiedName{Schema: n.Schema, Name: c.Name}] = n
			}
		}
	}
	out := map[schema.QualifiedName]bool{}
	if len(taken) == 0 {
		return out
	}
	for _, n := range schema.SortedNames(s.to.Tables) {
		ft := s.from.Tables[n]
		if old, ok := taken[n]; ok && ft == nil && old != n {
			out[old] = true // a new table takes the name
		}
		for _, c := range s.to.Tables[n].Constraints {
			if old, ok := taken[schema.QualifiedName{Schema: n.Schema, Name: c.Name}]; ok && indexBacked(c) && old != n && (ft == nil || ft.Constraint(c.Name) == nil) {
				out[old] = true
			}
		}
	}
	for q, ix := range s.to.Indexes {
		if old, ok := taken[q]; ok && old != ix.Table {
			out[old] = true
		}
	}
	for n := range out {
		for _, fn := range s.from.Functions {
			if slices.Contains(fn.Types, n) || slices.Contains(fn.Refs, n) {
				delete(out, n)
			}
		}
	}
	return out
}

// indexBacked reports whether a constraint has an index of its name.
func indexBacked(c *schema.Constraint) bool {
	return c.Kind == schema.PrimaryKey || c.Kind == schema.Unique || c.Kind == schema.Exclude
}

// dropTableEarly drops table n in phDropTableEarly, after the foreign keys
// that other dropped tables have into it, which go first.
func (s *planState) dropTableEarly(n schema.QualifiedName) {
	for _, ref := range s.refsInto[n] {
		r := ref.conKey
		if r.Table == n || s.to.Tables[r.Table] != nil || s.droppedFK[r] {
			continue
		}
		s.droppedFK[r] = true
		s.add(phDropFK, &DropConstraint{Table: r.Table, Name: r.Name})
	}
	s.add(phDropTableEarly, &DropTable{Base: s.dropTableBase(n), Name: n})
}
