package planner

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// sameConstraint reports whether two constraints are the same apart from
// their comments.
func sameConstraint(a, b *schema.Constraint) bool {
	return a.Kind == b.Kind && a.Def == b.Def && a.NotValid == b.NotValid
}

func constraintMap(t *schema.Table) map[string]*schema.Constraint {
	m := make(map[string]*schema.Constraint, len(t.Constraints))
	for _, c := range t.Constraints {
		m[c.Name] = c
	}
	return m
}

// keepConstraints is diffConstraints for a table whose columns and
// constraints are the same on both sides (sameBody): the only constraints
// that change are those rebuilt because of something else, a foreign key
// whose referenced key is re-created or a check on a column an enum
// rebuild converts. Constraint i of ft pairs with constraint i of tt.
func (s *planState) keepConstraints(n schema.QualifiedName, ft, tt *schema.Table) {
	for i, fc := range ft.Constraints {
		k := conKey{n, fc.Name}
		if s.forcedFK[k] || s.mentionsRebuiltEnum(n, fc) {
			// The same definition again: the rows fit it already.
			s.dropConstraint(n, fc)
			s.recreatedCon[k] = true
			s.addConstraint(n, tt.Constraints[i], s.refitBase(n, tt.Constraints[i]))
		}
	}
}

func (s *planState) diffConstraints(n schema.QualifiedName, ft, tt *schema.Table) {
	fcols, tcols := columnMap(ft), columnMap(tt)
	fcons, tcons := constraintMap(ft), constraintMap(tt)
	for _, fc := range ft.Constraints {
		tc := tcons[fc.Name]
		k := conKey{n, fc.Name}
		if newName, ok := s.conRenaming[k]; ok {
			if s.forcedFK[k] {
				// Renamed first, then rebuilt under its new name because
				// the key it references is.
				nk := conKey{n, newName}
				if !s.droppedFK[nk] {
					s.droppedFK[nk] = true
					s.add(phDropFK, &DropConstraint{Table: n, Name: newName})
				}
				s.recreatedCon[nk] = true
				s.addConstraint(n, tcons[newName], Base{})
			}
			continue
		}
		switch {
		case tc == nil:
			s.dropConstraint(n, fc)
		case s.forcedFK[k] || s.touchesRecreatedColumn(n, fc.Columns, fcols, tcols) || (s.mentionsRebuiltEnum(n, fc) && sameConstraint(fc, tc)):
			// The same definition again: the rows fit it already.
			s.dropConstraint(n, fc)
			s.recreatedCon[k] = true
			s.addConstraint(n, tc, s.refitBase(n, tc))
		case s.mentionsRebuiltEnum(n, fc):
			// Changed, and in the way of an enum rebuild: dropped before
			// it, whatever the change (VALIDATE included).
			s.dropConstraint(n, fc)
			s.recreatedCon[k] = true
			s.addConstraint(n, tc, checksRows(n, tc))
		case sameConstraint(fc, tc):
		case fc.Kind == tc.Kind && fc.Def == tc.Def && fc.NotValid && !tc.NotValid:
			// VALIDATE CONSTRAINT is the safe second step of NOT VALID: it
			// does not block writes, so it carries no hazard (it can fail,
			// which Plan.MayFailOnRows reports).
			s.add(phAddFK, &ValidateConstraint{Table: n, Name: fc.Name})
		default:
			s.dropConstraint(n, fc)
			s.recreatedCon[k] = true
			s.addConstraint(n, tc, checksRows(n, tc))
		}
	}
	for _, tc := range tt.Constraints {
		if fcons[tc.Name] == nil && s.conRenamed[conKey{n, tc.Name}] == nil {
			if ix := s.adoptableIndex(n, tc); ix != nil {
				s.adoptedIdx[ix.Name] = true
				s.add(phAddConstraint, &AddConstraint{Table: n, Constraint: tc, UsingIndex: ix.Name.Name})
				continue
			}
			s.addConstraint(n, tc, checksRows(n, tc))
		}
	}
}

// adoptableIndex returns the unique index of table n that the new
// constraint c can take over with ADD CONSTRAINT ... USING INDEX, or nil:
// an index the new schema drops, on exactly c's columns, plain (btree, no
// expression, predicate, INCLUDE or options), for a plain UNIQUE or
// PRIMARY KEY. This is the second step of the safe way to add a key
// (CREATE UNIQUE INDEX CONCURRENTLY first): without it the plan would drop
// the index and build the same one again under a lock.
func (s *planState) adoptableIndex(n schema.QualifiedName, c *schema.Constraint) *schema.Index {
	list, ok := plainKeyList(c)
	// PostgreSQL takes no index over on a partitioned table ("ADD
	// CONSTRAINT USING INDEX is not supported on partitioned tables").
	if !ok || s.to.Tables[n].Options.PartitionBy != "" || s.from.Tables[n].Options.PartitionBy != "" {
		return nil
	}
	if s.uniqueIdx == nil {
		s.uniqueIdx = map[schema.QualifiedName][]*schema.Index{}
		for _, in := range s.fromIndexes() {
			if ix := s.from.Indexes[in]; ix.Unique {
				s.uniqueIdx[ix.Table] = append(s.uniqueIdx[ix.Table], ix)
			}
		}
	}
	for _, ix := range s.uniqueIdx[n] {
		if s.to.Indexes[ix.Name] == nil && !s.adoptedIdx[ix.Name] && s.idxRenameOf[ix.Name] == (schema.QualifiedName{}) &&
			ix.Def == n.String()+" USING btree "+list {
			return ix
		}
	}
	return nil
}

// refitBase is the hazard of adding back constraint c of table n, dropped
// only to get out of another change's way: none, since the rows fit it
// already, unless it is a foreign key into a table re-created empty, which
// rows of n no longer match.
func (s *planState) refitBase(n schema.QualifiedName, c *schema.Constraint) Base {
	if c.Kind == schema.ForeignKey && s.recreatedTable[c.RefTable] {
		return checksRows(n, c)
	}
	return Base{}
}

// plainKeyList is the column list of a plain UNIQUE or PRIMARY KEY
// constraint, as an index definition writes it; ok is false for other
// constraints.
func plainKeyList(c *schema.Constraint) (list string, ok bool) {
	var kw string
	switch c.Kind {
	case schema.Unique:
		kw = "UNIQUE"
	case schema.PrimaryKey:
		kw = "PRIMARY KEY"
	default:
		return "", false
	}
	cols := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		cols[i] = schema.QuoteIdent(col)
	}
	list = "(" + strings.Join(cols, ", ") + ")"
	return list, c.Def == kw+" "+list
}

// adoptableIndexOf reports whether the new constraint c may take over the
// unique index ix of from (see adoptableIndex), before adoptableIndex has
// run.
func (s *planState) adoptableIndexOf(ix *schema.Index, c *schema.Constraint) bool {
	list, ok := plainKeyList(c)
	return ok && ix.Unique && s.to.Indexes[ix.Name] == nil && ix.Def == ix.Table.String()+" USING btree "+list
}

// checksRows is the hazard of adding constraint c to the existing table n:
// unless it is NOT VALID, PostgreSQL checks every row, and a key builds its
// index, under a lock that blocks writes.
func checksRows(n schema.QualifiedName, c *schema.Constraint) Base {
	if c.NotValid {
		return Base{}
	}
	name := schema.QuoteIdent(c.Name)
	switch c.Kind {
	case schema.PrimaryKey:
		return lockHazard(HazardAddPrimaryKey, c.Pos, fmt.Sprintf("adds primary key %s on %s, which builds its index and checks NOT NULL under an ACCESS EXCLUSIVE lock and fails on duplicates or NULLs", name, n))
	case schema.Unique:
		return lockHazard(HazardAddUniqueConstraint, c.Pos, fmt.Sprintf("adds unique constraint %s on %s, which builds its index under an ACCESS EXCLUSIVE lock and fails on duplicates", name, n))
	case schema.Exclude:
		return lockHazard(HazardAddExclusionConstraint, c.Pos, fmt.Sprintf("adds exclusion constraint %s on %s, which builds its index under an ACCESS EXCLUSIVE lock and fails on conflicting rows", name, n))
	case schema.ForeignKey:
		return lockHazard(HazardAddForeignKey, c.Pos, fmt.Sprintf("adds foreign key %s on %s without NOT VALID, which checks every row while blocking writes to both tables and fails on rows without a match", name, n))
	}
	return lockHazard(HazardAddCheckConstraint, c.Pos, fmt.Sprintf("adds check constraint %s on %s without NOT VALID, which scans every row under an ACCESS EXCLUSIVE lock and fails on rows that violate it", name, n))
}

func (s *planState) dropConstraint(n schema.QualifiedName, c *schema.Constraint) {
	if c.Kind == schema.ForeignKey {
		k := conKey{n, c.Name}
		if s.droppedFK[k] {
			return
		}
		s.droppedFK[k] = true
		s.add(phDropFK, &DropConstraint{Table: n, Name: c.Name})
		return
	}
	s.add(phDropConstraint, &DropConstraint{Table: n, Name: c.Name})
}

func (s *planState) addConstraint(n schema.QualifiedName, c *schema.Constraint, b Base) {
	ph := phAddConstraint
	if c.Kind == schema.ForeignKey {
		ph = phAddFK
	}
	s.add(ph, &AddConstraint{Base: b, Table: n, Constraint: c})
}

// pairRenames finds constraints and indexes that only changed their name: one
// disappears and one with the same definition appears on the same table. A
// rename gives the same result as a drop and a create without rebuilding an
// index or checking rows again.
func (s *planState) pairRenames() {
	for _, n := range s.toTables() {
		ft, tt := s.from.Tables[n], s.to.Tables[n]
		if ft == nil || s.same(ft, tt) {
			continue // no constraint appears or disappears
		}
		fcols, tcols := columnMap(ft), columnMap(tt)
		fcons, tcons := constraintMap(ft), constraintMap(tt)
		gone := map[string][]*schema.Constraint{}
		for _, fc := range ft.Constraints {
			if tcons[fc.Name] == nil && !s.touchesRecreatedColumn(n, fc.Columns, fcols, tcols) && !s.mentionsRebuiltEnum(n, fc) {
				key := conSignature(fc)
				gone[key] = append(gone[key], fc)
			}
		}
		for _, tc := range tt.Constraints {
			if fcons[tc.Name] != nil {
				continue
			}
			key := conSignature(tc)
			cands := gone[key]
			if len(cands) == 0 {
				continue
			}
			fc := cands[0]
			gone[key] = cands[1:]
			s.conRenamed[conKey{n, tc.Name}] = fc
			s.conRenaming[conKey{n, fc.Name}] = tc.Name
			s.add(phRename, &RenameConstraint{Table: n, From: fc.Name, To: tc.Name})
		}
	}
	gone := map[string][]*schema.Index{}
	for _, n := range s.fromIndexes() {
		fi := s.from.Indexes[n]
		if s.to.Indexes[n] == nil && s.to.Tables[fi.Table] != nil && !s.indexOnRecreatedColumn(fi) && !s.indexOnRebuiltEnum(fi) {
			key := idxSignature(fi)
			gone[key] = append(gone[key], fi)
		}
	}
	s.idxRenameOf = map[schema.QualifiedName]schema.QualifiedName{}
	for _, n := range s.toIndexes() {
		ti := s.to.Indexes[n]
		if s.from.Indexes[n] != nil {
			continue
		}
		key := idxSignature(ti)
		cands := gone[key]
		if len(cands) == 0 {
			continue
		}
		fi := cands[0]
		gone[key] = cands[1:]
		s.idxRenamed[n] = fi
		s.idxRenameOf[fi.Name] = n
		s.add(phRename, &RenameIndex{Name: fi.Name, To: n.Name})
	}
}

func conSignature(c *schema.Constraint) string {
	return fmt.Sprintf("%d %t %s", c.Kind, c.NotValid, c.Def)
}

// idxSignature is what a renamed index keeps; an index attached to a
// partitioned index and one of its own are not renames of each other.
func idxSignature(i *schema.Index) string {
	return fmt.Sprintf("%s %t %t %s", i.Table, i.Unique, i.Parent == (schema.QualifiedName{}), i.Def)
}
