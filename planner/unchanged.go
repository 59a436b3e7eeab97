package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// A typical migration of a large schema changes a few percent of its
// tables. The table steps of Diff therefore make an unchanged table cheap:
// they check sameBody first and only build name maps and compare field by
// field for the tables that differ, and every step walks the same sorted
// lists of names instead of sorting the tables and indexes again.

// sameBody reports whether tables f and t have the same columns and the
// same constraints, name for name and in the same order, comments
// included. Such a table has nothing to diff in its columns and
// constraints, and each of its objects pairs with the one at the same
// position on the other side; what can still change it comes from
// elsewhere (a foreign key forced by another table's key, an enum rebuild).
//
// Only Constraint.Def is compared, not Columns, RefTable and RefColumns:
// they are derived from it. A false answer is always safe: it only sends
// the table down the full diff.
func sameBody(f, t *schema.Table) bool {
	if len(f.Columns) != len(t.Columns) || len(f.Constraints) != len(t.Constraints) {
		return false
	}
	for i, c := range f.Columns {
		if d := t.Columns[i]; c.Name != d.Name || c.ColumnDef != d.ColumnDef || !slices.Equal(c.FDWOptions, d.FDWOptions) {
			return false
		}
	}
	for i, c := range f.Constraints {
		if d := t.Constraints[i]; c.Name != d.Name || c.ConstraintDef != d.ConstraintDef {
			return false
		}
	}
	return true
}

// same is sameBody remembered for the Diff: several steps ask about every
// table, and comparing every column of thousands of tables again in each
// was the largest cost of planning a small change. The pair of pointers is
// the key because s.from changes during a Diff (recreateTables drops some
// tables from it) while the tables it keeps stay the same objects.
func (s *planState) same(f, t *schema.Table) bool {
	k := [2]*schema.Table{f, t}
	if v, ok := s.sameMemo[k]; ok {
		return v
	}
	if s.sameMemo == nil {
		s.sameMemo = map[[2]*schema.Table]bool{}
	}
	v := sameBody(f, t)
	s.sameMemo[k] = v
	return v
}

// sortedNames are the names of the tables and indexes of from and to in
// schema, name order, sorted once per Diff on first use. The slices are
// shared: callers must not modify them.
type sortedNames struct {
	fromTables, toTables   []schema.QualifiedName
	fromIndexes, toIndexes []schema.QualifiedName
}

func (s *planState) fromTables() []schema.QualifiedName {
	return sortedOnce(&s.names.fromTables, s.from.Tables)
}

func (s *planState) toTables() []schema.QualifiedName {
	return sortedOnce(&s.names.toTables, s.to.Tables)
}

func (s *planState) fromIndexes() []schema.QualifiedName {
	return sortedOnce(&s.names.fromIndexes, s.from.Indexes)
}

func (s *planState) toIndexes() []schema.QualifiedName {
	return sortedOnce(&s.names.toIndexes, s.to.Indexes)
}

// sortedOnce returns *names, sorting the keys of m into it on first use.
func sortedOnce[V any](names *[]schema.QualifiedName, m map[schema.QualifiedName]V) []schema.QualifiedName {
	if *names == nil {
		*names = sortedOrEmpty(m)
	}
	return *names
}

// sortedOrEmpty is schema.SortedNames, never nil, so that an empty catalog
// is sorted once too.
func sortedOrEmpty[V any](m map[schema.QualifiedName]V) []schema.QualifiedName {
	if names := schema.SortedNames(m); names != nil {
		return names
	}
	return []schema.QualifiedName{}
}

// keep returns the names of names that are keys of m, in the same order:
// the sorted names of a catalog that lost some of its objects, without
// sorting again.
func keep[V any](names []schema.QualifiedName, m map[schema.QualifiedName]V) []schema.QualifiedName {
	out := make([]schema.QualifiedName, 0, len(m))
	for _, n := range names {
		if _, ok := m[n]; ok {
			out = append(out, n)
		}
	}
	return out
}
