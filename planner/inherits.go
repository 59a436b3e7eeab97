package planner

import (
	"maps"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// createChildren creates the new tables that inherit from others
// (CREATE TABLE ... INHERITS), after the plain tables and each after its
// parents: a table inheriting from one that itself inherits comes later.
func (s *planState) createChildren(children []*schema.Table) {
	depth := map[schema.QualifiedName]int{}
	var depthOf func(t *schema.Table) int
	depthOf = func(t *schema.Table) int {
		if d, ok := depth[t.Name]; ok {
			return d
		}
		depth[t.Name] = 0 // a cycle, which PostgreSQL refuses, stops here
		d := 0
		for _, p := range inheritsNames(t.Options.Inherits) {
			if pt := s.to.Tables[p]; pt != nil {
				d = max(d, depthOf(pt)+1)
			}
		}
		depth[t.Name] = d
		return d
	}
	slices.SortStableFunc(children, func(a, b *schema.Table) int { return depthOf(a) - depthOf(b) })
	for _, t := range children {
		s.createChild(t)
	}
}

// createChild creates table t that inherits from others. Its own
// settings on inherited columns (a default of its own) are set after
// the parents' changes (phColumnsLate), with ALTER TABLE ... ALTER COLUMN
// as pg_dump writes them: a parent's SET DEFAULT later in the plan would
// reach the new table and undo a default written into its CREATE TABLE.
func (s *planState) createChild(t *schema.Table) {
	inh, _ := inheritedFrom(s.to, inheritsNames(t.Options.Inherits))
	cp := *t
	cp.Columns = nil
	var own [][2]*schema.Column
	for _, c := range t.Columns {
		if i := slices.IndexFunc(inh, sameName(c.Name)); i >= 0 {
			own = append(own, [2]*schema.Column{ownOrInherited(nil, inh[i]), c})
			if !c.Inherited {
				// Declared by the table too (attislocal): in its CREATE
				// TABLE, which merges it with the parent's, as pg_dump
				// writes it.
				cp.Columns = append(cp.Columns, &schema.Column{Name: c.Name, ColumnDef: schema.ColumnDef{Type: c.Type, Collation: c.Collation}})
			}
			continue
		}
		cp.Columns = append(cp.Columns, c)
	}
	s.createTable(&cp)
	mark := len(s.phases[phColumnsLate])
	for _, c := range own {
		s.alterInheritedColumn(t.Name, c[0], c[1])
	}
	// The table is new and empty: its SET NOT NULL scans nothing and
	// locks no one.
	for _, c := range s.phases[phColumnsLate][mark:] {
		c.base().Hazards = nil
	}
}

// alterInheritedColumn is alterColumn for a column table n inherits, after
// the parents' changes (phColumnsLate), which reach n too.
func (s *planState) alterInheritedColumn(n schema.QualifiedName, f, t *schema.Column) {
	mark := len(s.phases[phColumns])
	s.alterColumn(n, f, t)
	s.phases[phColumnsLate] = append(s.phases[phColumnsLate], s.phases[phColumns][mark:]...)
	s.phases[phColumns] = s.phases[phColumns][:mark]
}

// droppedChildren are the tables of from that inherit from n and that the
// plan drops (to has them not), in name order: dropped before n.
func (s *planState) droppedChildren(n schema.QualifiedName) []schema.QualifiedName {
	if s.droppedKids == nil {
		s.droppedKids = map[schema.QualifiedName][]schema.QualifiedName{}
		for _, c := range s.fromTables() {
			ft := s.from.Tables[c]
			if ft == nil || ft.Options.Inherits == "" || s.to.Tables[c] != nil {
				continue
			}
			for _, p := range inheritsNames(ft.Options.Inherits) {
				if kids := s.droppedKids[p]; !slices.Contains(kids, c) {
					s.droppedKids[p] = append(kids, c)
				}
			}
		}
	}
	return s.droppedKids[n]
}

// inheritsNames splits schema.TableOptions.Inherits into names.
func inheritsNames(s string) []schema.QualifiedName {
	if s == "" {
		return nil
	}
	var out []schema.QualifiedName
	for _, p := range strings.Split(s, ", ") {
		out = append(out, splitQualified(p))
	}
	return out
}

// splitQualified reads back a QualifiedName.String().
func splitQualified(s string) schema.QualifiedName {
	sch, name := cutQuoted(s)
	return schema.QualifiedName{Schema: unquoteIdent(sch), Name: unquoteIdent(name)}
}

// cutQuoted cuts s at its first dot outside double quotes.
func cutQuoted(s string) (string, string) {
	quoted := false
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '.' && !quoted:
			return s[:i], s[i+1:]
		}
	}
	return "", s
}

func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

// SetInherit is ALTER TABLE ... INHERIT parent (Inherit true) or NO INHERIT
// parent: a kept table changes the tables it inherits from in place,
// keeping its rows. NO INHERIT leaves the table the columns and CHECK
// constraints it had from the parent as its own; INHERIT needs them there
// already (same types, NOT NULL where the parent's are, CHECKs of the same
// name and definition), which the plan adds first.
type SetInherit struct {
	Base
	Table   schema.QualifiedName
	Parent  schema.QualifiedName
	Inherit bool
}

// diffInherits plans the change of the parents of kept table n in place
// and returns the two sides that the column and constraint diff compares:
// from's table holding as its own what NO INHERIT leaves it (the dropped
// parents' columns and CHECKs), to's holding what INHERIT needs it to have
// first (the new parents'). What stays inherited through a parent kept on
// both sides is the parents' to change.
func (s *planState) diffInherits(n schema.QualifiedName, ft, tt *schema.Table) (*schema.Table, *schema.Table) {
	if ft.Options.Inherits == tt.Options.Inherits {
		return ft, tt
	}
	fp, tp := inheritsNames(ft.Options.Inherits), inheritsNames(tt.Options.Inherits)
	var kept, removed, added []schema.QualifiedName
	for _, p := range fp {
		if slices.Contains(tp, p) {
			kept = append(kept, p)
		} else {
			removed = append(removed, p)
		}
	}
	for _, p := range tp {
		if !slices.Contains(fp, p) {
			added = append(added, p)
		}
	}
	// Before the columns and constraints the parent leaves behind are
	// dropped (phColumns, phDropConstraint).
	for _, p := range removed {
		s.add(phDropFK, &SetInherit{Table: n, Parent: p})
	}
	// After the columns and CHECKs INHERIT needs are there.
	for _, p := range added {
		s.add(phTableOptions, &SetInherit{Table: n, Parent: p, Inherit: true})
	}
	return withInherited(s.from, ft, removed, kept), withInherited(s.to, tt, added, kept)
}

// withInherited returns a copy of t that holds as its own the columns and
// CHECK constraints it has through parents and not through keep, as they
// are on t: its own declaration of a column (its default, NOT NULL) wins.
func withInherited(cat *schema.Catalog, t *schema.Table, parents, keep []schema.QualifiedName) *schema.Table {
	cp := *t
	cp.Columns = slices.Clone(t.Columns)
	cp.Constraints = slices.Clone(t.Constraints)
	keepCols, keepChecks := inheritedFrom(cat, keep)
	cols, checks := inheritedFrom(cat, parents)
	for _, c := range cols {
		if cp.Column(c.Name) == nil && !slices.ContainsFunc(keepCols, sameName(c.Name)) {
			own := *c
			own.Identity, own.IdentityOptions, own.Statistics, own.Comment = schema.IdentityNone, "", "", ""
			cp.Columns = append(cp.Columns, &own)
		}
	}
	for _, c := range checks {
		if cp.Constraint(c.Name) == nil && !slices.ContainsFunc(keepChecks, func(k *schema.Constraint) bool { return k.Name == c.Name }) {
			own := *c
			own.Comment = ""
			cp.Constraints = append(cp.Constraints, &own)
		}
	}
	return &cp
}

func sameName(name string) func(*schema.Column) bool {
	return func(c *schema.Column) bool { return c.Name == name }
}

// inheritedFrom lists the columns and CHECK constraints that a table
// inheriting from parents gets, in order: each parent's own, then what it
// inherits; the first of a name wins. A NO INHERIT check stays on its
// table.
func inheritedFrom(cat *schema.Catalog, parents []schema.QualifiedName) ([]*schema.Column, []*schema.Constraint) {
	var cols []*schema.Column
	var checks []*schema.Constraint
	for _, p := range parents {
		pt := cat.Tables[p]
		if pt == nil {
			continue
		}
		for _, c := range pt.Columns {
			if !slices.ContainsFunc(cols, sameName(c.Name)) {
				cols = append(cols, c)
			}
		}
		for _, c := range pt.Constraints {
			if c.Kind == schema.Check && !strings.HasSuffix(c.Def, " NO INHERIT") {
				checks = append(checks, c)
			}
		}
		up, upChecks := inheritedFrom(cat, inheritsNames(pt.Options.Inherits))
		for _, c := range up {
			if !slices.ContainsFunc(cols, sameName(c.Name)) {
				cols = append(cols, c)
			}
		}
		checks = append(checks, upChecks...)
	}
	return cols, checks
}

// diffOwnInherited plans the columns that table n inherits on both sides
// and holds a default, NOT NULL or target of its own on either (pg_dump's
// ALTER TABLE ONLY child ALTER COLUMN ... SET DEFAULT): they are never
// added or dropped, only altered, after the parent's changes, which reach
// the table too (phColumnsLate). It returns the column maps without them,
// for the rest of diffColumns.
func (s *planState) diffOwnInherited(n schema.QualifiedName, ft, tt *schema.Table, fcols, tcols map[string]*schema.Column) (map[string]*schema.Column, map[string]*schema.Column) {
	inhF, _ := inheritedFrom(s.from, inheritsNames(ft.Options.Inherits))
	inhT, _ := inheritedFrom(s.to, inheritsNames(tt.Options.Inherits))
	restF, restT := maps.Clone(fcols), maps.Clone(tcols)
	for _, pt := range inhT {
		i := slices.IndexFunc(inhF, sameName(pt.Name))
		if i < 0 || fcols[pt.Name] == nil && tcols[pt.Name] == nil {
			continue
		}
		pf := inhF[i]
		delete(restF, pt.Name)
		delete(restT, pt.Name)
		// What the table has before its own changes: its own values,
		// where the parent's change does not reach it.
		after := *ownOrInherited(fcols[pt.Name], pf)
		after.Type, after.Collation, after.Generated, after.GeneratedSrc = pt.Type, pt.Collation, pt.Generated, pt.GeneratedSrc
		if pf.Default != pt.Default {
			after.Default, after.DefaultSrc = pt.Default, pt.DefaultSrc
		}
		if pf.NotNull != pt.NotNull {
			after.NotNull = pt.NotNull
		}
		s.alterInheritedColumn(n, &after, ownOrInherited(tcols[pt.Name], pt))
	}
	return restF, restT
}

// ownOrInherited is the table's own declaration of an inherited column, or
// the parent's p as the table gets it (no comment, no target).
func ownOrInherited(own, p *schema.Column) *schema.Column {
	if own != nil {
		return own
	}
	cp := *p
	cp.Identity, cp.IdentityOptions, cp.Statistics, cp.Comment = schema.IdentityNone, "", "", ""
	return &cp
}
