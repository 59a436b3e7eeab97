package planner

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func sameIndex(a, b *schema.Index) bool {
	return a.Table == b.Table && a.Unique == b.Unique && a.Def == b.Def
}

// diffIndexes drops the indexes of from that change or go, and has
// emitIndexes create those of to that are new or changed and attach the
// ones a partitioned index takes over. An index attached to a dropped
// partitioned index goes with it.
func (s *planState) diffIndexes() {
	s.markForcedParents()
	create, attach := map[schema.QualifiedName]bool{}, map[schema.QualifiedName]bool{}
	for _, n := range s.fromIndexes() {
		fi, ti := s.from.Indexes[n], s.to.Indexes[n]
		if s.to.Tables[fi.Table] == nil {
			if ti != nil && ti.Table != fi.Table {
				// The name goes to an index of another table: free it
				// now, not with its table at the end.
				s.add(phDropIndex, &DropIndex{Name: n})
				s.recreatedIdx[n] = true
				create[n] = true
			}
			continue // dropped with its table
		}
		if p := s.fromParent(fi); !zeroName(p) && s.idxDown(p) {
			// Dropped with the index it is attached to.
			if ti != nil {
				s.recreatedIdx[n] = true
				create[n] = true
			}
			continue
		}
		switch {
		case ti == nil && s.idxRenameOf[n] != (schema.QualifiedName{}):
			// Renamed instead.
		case ti == nil && s.adoptedIdx[n]:
			// Taken over by a constraint (ADD CONSTRAINT ... USING INDEX).
		case ti == nil:
			s.add(phDropIndex, &DropIndex{Name: n})
		case s.idxDown(n):
			s.add(phDropIndex, &DropIndex{Name: n})
			s.recreatedIdx[n] = true
			create[n] = true
		case !zeroName(ti.Parent) && zeroName(s.fromParent(fi)) && !s.newPartitionOf(ti):
			attach[n] = true
		}
	}
	for _, n := range s.toIndexes() {
		if s.from.Indexes[n] == nil && s.idxRenamed[n] == nil {
			create[n] = true
		}
	}
	s.emitIndexes(create, attach)
}

// newIndexHazard is the hazard of creating index i: none on a table the
// plan creates, createIndexHazard's on one that exists.
func (s *planState) newIndexHazard(i *schema.Index) Base {
	if s.from.Tables[i.Table] == nil || s.recreatedTable[i.Table] {
		return Base{}
	}
	return createIndexHazard(i)
}

// createIndexHazard is the hazard of building index i on a table that
// already exists: without CONCURRENTLY it blocks writes while it builds.
func createIndexHazard(i *schema.Index) Base {
	msg := fmt.Sprintf("creates index %s on %s without CONCURRENTLY, which blocks writes to the table while it builds", schema.QuoteIdent(i.Name.Name), i.Table)
	if i.Unique {
		msg = fmt.Sprintf("creates unique index %s on %s without CONCURRENTLY, which blocks writes to the table while it builds and fails on duplicates", schema.QuoteIdent(i.Name.Name), i.Table)
	}
	return lockHazard(HazardCreateIndex, i.Pos, msg)
}

// predicateOnRetypedColumn reports whether a partial index's columns
// include one whose type changes. PostgreSQL rebuilds such an index from
// its stored predicate, casts and all (hot_rank <> 0 on an integer column
// made double precision and back is (hot_rank)::double precision <>
// (0)::double precision), so it is dropped and created again from the
// schema's text.
func (s *planState) predicateOnRetypedColumn(i *schema.Index) bool {
	ft, tt := s.from.Tables[i.Table], s.to.Tables[i.Table]
	if ft == nil || tt == nil || !strings.Contains(i.Def, " WHERE ") {
		return false
	}
	for _, c := range i.Columns {
		if fc, tc := ft.Column(c), tt.Column(c); fc != nil && tc != nil && fc.Type != tc.Type {
			return true
		}
	}
	return false
}

func (s *planState) indexOnRecreatedColumn(i *schema.Index) bool {
	for _, c := range i.Columns {
		if s.recreatedCol[conKey{i.Table, c}] {
			return true
		}
	}
	return false
}

// Indexes are planned by Diff's diffIndexes; one USING an access method
// that CREATE ACCESS METHOD makes comes after it.
func init() {
	registerKind("index", kindPlanner{opaqueUses: func(c *schema.Catalog) []string {
		var out []string
		add := func(ix *schema.Index) {
			if m := indexMethod(ix.Def); m != "" {
				out = append(out, "ACCESS METHOD "+schema.QuoteIdent(m))
			}
		}
		for _, ix := range c.Indexes {
			add(ix)
		}
		for _, v := range c.Views {
			for _, ix := range v.Indexes {
				add(ix)
			}
		}
		return out
	}})
}

// indexMethod reads the access method of an index's canonical Def
// ("public.t USING btree (a)"): the word after the table's name.
func indexMethod(def string) string {
	_, rest, ok := strings.Cut(def, " USING ")
	if !ok {
		return ""
	}
	m, _, _ := strings.Cut(rest, " ")
	return strings.Trim(m, `"`)
}
