package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// markForcedFKs finds the foreign keys that reference a primary key or
// unique constraint that is dropped or re-created: they must be dropped
// before it and added again after.
func (s *planState) markForcedFKs() {
	s.markIndexFKs()
	for _, tn := range s.fromTables() {
		refs := s.refsInto[tn]
		if len(refs) == 0 {
			continue
		}
		ft, tt := s.from.Tables[tn], s.to.Tables[tn]
		if tt == nil {
			continue // the table goes; FKs into it go first anyway
		}
		if s.same(ft, tt) {
			continue // every key stays as it is
		}
		tcols, fcols, tcons := columnMap(tt), columnMap(ft), constraintMap(tt)
		for _, fc := range ft.Constraints {
			if fc.Kind != schema.PrimaryKey && fc.Kind != schema.Unique {
				continue
			}
			tc := tcons[fc.Name]
			if tc != nil && sameConstraint(fc, tc) && !s.touchesRecreatedColumn(tn, fc.Columns, fcols, tcols) {
				continue
			}
			if _, ok := s.conRenaming[conKey{tn, fc.Name}]; ok {
				continue // renamed, not rebuilt
			}
			for _, ref := range refs {
				if matchesKey(ref.fk, fc) {
					s.forcedFK[ref.conKey] = true
				}
			}
		}
	}
}

// markIndexFKs finds the foreign keys that reference the columns of a
// unique index (not a constraint) that is dropped or built again:
// PostgreSQL makes a foreign key depend on the unique index that covers
// its referenced columns, and refuses to drop the index before it.
func (s *planState) markIndexFKs() {
	for _, n := range s.fromIndexes() {
		fi := s.from.Indexes[n]
		refs := s.refsInto[fi.Table]
		if !fi.Unique || len(refs) == 0 || !s.indexGoes(fi) {
			continue
		}
		for _, ref := range refs {
			if indexServesFK(fi, ref.fk) {
				s.forcedFK[ref.conKey] = true
			}
		}
	}
}

// indexGoes reports whether index fi of a kept table is dropped, or
// dropped and created again, by diffIndexes (renamed and adopted indexes
// stay).
func (s *planState) indexGoes(fi *schema.Index) bool {
	ft, tt := s.from.Tables[fi.Table], s.to.Tables[fi.Table]
	if tt == nil {
		return false // the table goes; FKs into it go first anyway
	}
	ti := s.to.Indexes[fi.Name]
	if ti == nil {
		if s.idxRenameOf[fi.Name] != (schema.QualifiedName{}) {
			return false
		}
		for _, c := range tt.Constraints {
			if (c.Kind == schema.Unique || c.Kind == schema.PrimaryKey) && s.from.Tables[fi.Table].Constraint(c.Name) == nil && s.adoptableIndexOf(fi, c) {
				return false // taken over by the new constraint
			}
		}
		return true
	}
	return ti.Table != fi.Table || !sameIndex(fi, ti) || s.touchesRecreatedColumn(fi.Table, fi.Columns, columnMap(ft), columnMap(tt))
}

// indexServesFK reports whether the plain unique index fi covers exactly
// the columns foreign key fk references (in any order), as PostgreSQL
// requires of the index a foreign key relies on.
func indexServesFK(fi *schema.Index, fk *schema.Constraint) bool {
	rest, ok := strings.CutPrefix(fi.Def, fi.Table.String()+" USING btree (")
	if !ok || len(fk.RefColumns) == 0 {
		return false
	}
	// Plain column keys hold no parenthesis; INCLUDE and WITH may follow,
	// a predicate may not.
	keys, rest, ok := strings.Cut(rest, ")")
	if !ok || strings.Contains(keys, "(") || strings.Contains(rest, " WHERE ") {
		return false
	}
	cols := strings.Split(keys, ", ")
	if len(cols) != len(fk.RefColumns) {
		return false
	}
	for _, c := range fk.RefColumns {
		if !slices.Contains(cols, schema.QuoteIdent(c)) {
			return false
		}
	}
	return true
}

// matchesKey reports whether the foreign key fk references the key
// constraint key of table t.
func matchesKey(fk, key *schema.Constraint) bool {
	if len(fk.RefColumns) == 0 {
		return key.Kind == schema.PrimaryKey
	}
	if len(fk.RefColumns) != len(key.Columns) {
		return false
	}
	for _, c := range fk.RefColumns {
		if !slices.Contains(key.Columns, c) {
			return false
		}
	}
	return true
}

func columnMap(t *schema.Table) map[string]*schema.Column {
	m := make(map[string]*schema.Column, len(t.Columns))
	for _, c := range t.Columns {
		m[c.Name] = c
	}
	return m
}

func (s *planState) diffTables() {
	var children []*schema.Table
	for _, n := range s.toTables() {
		tt, ft := s.to.Tables[n], s.from.Tables[n]
		if ft == nil && tt.Options.Inherits != "" {
			children = append(children, tt)
			continue
		}
		if ft == nil {
			s.createTable(tt)
			continue
		}
		if ft.Options.Inherits == tt.Options.Inherits && s.same(ft, tt) && !s.inheritanceChanges(ft, tt) {
			s.keepConstraints(n, ft, tt)
			s.diffForeignOptions(n, ft, tt)
			continue
		}
		ft, tt = s.diffInherits(n, ft, tt)
		if tt.Options.IsTyped() && ft.Options.OfType == tt.Options.OfType {
			ft = followType(ft, tt)
		}
		if !tt.Options.IsPartition() {
			lf, lt := s.localizeInherited(n, ft, tt)
			s.diffColumns(n, lf, lt) // a partition's columns follow its parent's
		} else {
			s.diffPartitionNotNull(n, ft, tt)
		}
		cf, ct := s.checksApart(ft, tt)
		s.diffConstraints(n, cf, ct)
		s.diffForeignOptions(n, ft, tt)
	}
	s.flushInheritedDrops()
	s.createChildren(children)
	// Foreign keys of dropped tables that reference a re-created key.
	for _, n := range s.fromTables() {
		if s.to.Tables[n] != nil {
			continue
		}
		for _, c := range s.from.Tables[n].Constraints {
			k := conKey{n, c.Name}
			if s.forcedFK[k] && !s.droppedFK[k] {
				s.droppedFK[k] = true
				s.add(phDropFK, &DropConstraint{Table: n, Name: c.Name})
			}
		}
	}
}

func (s *planState) createTable(t *schema.Table) {
	ct := &CreateTable{Name: t.Name, Columns: t.Columns, Options: t.Options, NotNull: s.ownNotNull(t), FDWOptions: t.FDWOptions}
	keys := map[string]bool{}
	for _, c := range t.Constraints {
		switch {
		case c.Kind == schema.ForeignKey:
			s.add(phAddFK, &AddConstraint{Table: t.Name, Constraint: c})
		case c.NotValid:
			// CREATE TABLE validates every inline constraint (the table is
			// empty), so NOT VALID is only kept by a separate ADD.
			s.add(phAddConstraint, &AddConstraint{Table: t.Name, Constraint: c})
		case repeatsKey(keys, c):
			// CREATE TABLE builds one index for keys that repeat each
			// other and drops the others (transformIndexConstraints);
			// only a separate ADD keeps them.
			s.add(phAddConstraint, &AddConstraint{Table: t.Name, Constraint: c})
		default:
			ct.Constraints = append(ct.Constraints, c)
		}
	}
	if t.Options.IsPartition() {
		if def := s.defaultPartition(t.Options.PartitionOf); def != "" && t.Options.PartitionBound != "DEFAULT" {
			ct.Base = lockHazard(HazardAttachPartition, t.Pos, fmt.Sprintf("creates partition %s of %s beside its default partition %s, which PostgreSQL scans under an ACCESS EXCLUSIVE lock for rows of the new bound, and fails if it holds one", t.Name, t.Options.PartitionOf, def))
		}
		s.add(phCreatePartition, ct)
		s.restoreNotNull(t)
		return
	}
	s.add(phCreateTable, ct)
}

// repeatsKey reports whether c is a key (PRIMARY KEY, UNIQUE or EXCLUDE)
// over the columns of one seen before in the same CREATE TABLE, and
// otherwise records it in seen. PostgreSQL keeps one of two keys that
// differ only in name or index options; telling them apart by columns
// alone also moves keys it would keep, which costs nothing on a new table.
func repeatsKey(seen map[string]bool, c *schema.Constraint) bool {
	if c.Kind != schema.PrimaryKey && c.Kind != schema.Unique && c.Kind != schema.Exclude {
		return false
	}
	k := fmt.Sprint(c.Kind == schema.Exclude, c.Columns)
	if seen[k] {
		return true
	}
	seen[k] = true
	return false
}

// dropTables drops the tables that to lacks, each after the tables whose
// foreign keys reference it; a cycle of references is cut by dropping one
// foreign key first. Foreign keys from kept tables were already dropped by
// diffConstraints, since to does not have them.
func (s *planState) dropTables() {
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[schema.QualifiedName]int{}
	early := s.collidingDrops()
	var visit func(n schema.QualifiedName)
	visit = func(n schema.QualifiedName) {
		state[n] = visiting
		if s.from.Tables[n].IsForeign() && len(s.droppedChildren(n)) == 0 {
			// No foreign key, index or partition hangs on it; its server
			// may be dropped next.
			state[n] = done
			s.dropForeignTable(n)
			return
		}
		// Tables that inherit from it go first: DROP TABLE refuses a
		// parent.
		for _, c := range s.droppedChildren(n) {
			if state[c] == unvisited {
				visit(c)
			}
		}
		// refsInto is in table, constraint order already.
		for _, ref := range s.refsInto[n] {
			r := ref.conKey
			if r.Table == n || s.to.Tables[r.Table] != nil || s.droppedFK[r] {
				continue
			}
			switch state[r.Table] {
			case unvisited:
				visit(r.Table)
			case visiting:
				s.droppedFK[r] = true
				s.add(phDropFK, &DropConstraint{Table: r.Table, Name: r.Name})
			}
		}
		state[n] = done
		if early[n] {
			s.dropTableEarly(n)
			return
		}
		if p := s.from.Tables[n].Options.PartitionOf; s.referencedTree(p) {
			// PostgreSQL refuses to drop a partition of a referenced
			// table: the foreign key depends on it until it is detached.
			s.add(phDropTable, &DetachPartition{Table: p, Partition: n})
		}
		s.add(phDropTable, &DropTable{
			Base:    s.dropTableBase(n),
			Name:    n,
			Foreign: s.from.Tables[n].IsForeign(),
		})
	}
	for _, n := range s.fromTables() {
		if s.to.Tables[n] == nil && state[n] == unvisited && (!s.droppedWithParent(n) || s.from.Tables[n].IsForeign()) {
			visit(n)
		}
	}
}

// columnReshaped reports whether column col of table n (of from) is
// dropped, re-created, converted by an enum rebuild or changes type or
// collation: PostgreSQL refuses those while a policy, a trigger's WHEN
// clause or column list, or a generated column uses the column.
func (s *planState) columnReshaped(n schema.QualifiedName, col string) bool {
	k := conKey{n, col}
	if s.droppedCol[k] || s.recreatedCol[k] || s.rebuiltEnumCol[k] {
		return true
	}
	ft, tt := s.from.Tables[n], s.to.Tables[n]
	if ft == nil || tt == nil {
		return false
	}
	fc, tc := ft.Column(col), tt.Column(col)
	return fc != nil && tc != nil && (fc.Type != tc.Type || fc.Collation != tc.Collation)
}

// mentionsReshapedColumn reports whether any of the texts names a column
// of table n that columnReshaped.
func (s *planState) mentionsReshapedColumn(n schema.QualifiedName, texts ...string) bool {
	ft := s.from.Tables[n]
	if ft == nil {
		return false
	}
	for _, c := range ft.Columns {
		for _, t := range texts {
			if mentionsWord(t, c.Name) && s.columnReshaped(n, c.Name) {
				return true
			}
		}
	}
	return false
}

// Tables, their columns and constraints are planned by Diff's table
// passes, which the other passes' marks are read by.
func init() {
	registerKind("table", kindPlanner{kept: func(s *planState, o schema.Object) bool {
		t := s.to.Tables[o.Name]
		if t == nil || s.from.Tables[o.Name] == nil {
			return false
		}
		return o.Column == "" || (t.Column(o.Column) != nil && !s.droppedCol[conKey{o.Name, o.Column}] && !s.recreatedCol[conKey{o.Name, o.Column}])
	}})
	registerKind("column", kindPlanner{})
	registerKind("constraint", kindPlanner{})
}
