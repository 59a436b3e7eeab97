package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// localizeInherited returns the two sides of kept table n that the column
// diff compares, for the columns whose inheritance changes while n keeps
// its parents (withInherited does it for parents that change):
//
//   - a column n inherits in from and not in to, which its parent drops
//     with ONLY (dropsOnly), is n's own on from's side: the diff keeps it
//     where to has it (n declares it now), rows and all, and drops it
//     after the parent's drop where not, with a hazard of its own.
//   - a column n has as its own in from and inherits in to (its parent
//     adds it, which PostgreSQL merges into n's) is n's own on to's side
//     too: n keeps its rows instead of dropping the column for the
//     parent's to come in empty. One that n declares in to and lacks in
//     from is added before the parent's (phColumnsEarly), which merges
//     into it.
func (s *planState) localizeInherited(n schema.QualifiedName, ft, tt *schema.Table) (*schema.Table, *schema.Table) {
	if ft.Options.Inherits == "" && tt.Options.Inherits == "" {
		return ft, tt
	}
	inhF, _ := inheritedFrom(s.from, inheritsNames(ft.Options.Inherits))
	inhT, _ := inheritedFrom(s.to, inheritsNames(tt.Options.Inherits))
	fcp, tcp := *ft, *tt
	fcp.Columns, tcp.Columns = slices.Clone(ft.Columns), slices.Clone(tt.Columns)
	for _, c := range inhF {
		if slices.ContainsFunc(inhT, sameName(c.Name)) {
			continue
		}
		// Its drop or change waits for the parent's drop, local or not.
		s.uninherited[conKey{n, c.Name}] = true
		if s.nonLocal(n, c.Name) && s.copiedFromParent(n, c.Name) {
			cp := *ownOrInherited(ft.Column(c.Name), c)
			cp.Inherited = false
			fcp.Columns = replaceColumn(fcp.Columns, &cp)
		}
	}
	for _, c := range inhT {
		if slices.ContainsFunc(inhF, sameName(c.Name)) {
			continue
		}
		s.inheritedInTo[conKey{n, c.Name}] = true
		if own := ft.Column(c.Name); own != nil && !own.Inherited && tt.Column(c.Name) == nil {
			tcp.Columns = append(tcp.Columns, ownOrInherited(nil, c))
		}
	}
	return &fcp, &tcp
}

// copiedFromParent reports whether the parent table q inherits column col
// from in from drops it with ONLY, which leaves q the column as its own.
func (s *planState) copiedFromParent(q schema.QualifiedName, col string) bool {
	for _, p := range inheritsNames(s.from.Tables[q].Options.Inherits) {
		pt := s.from.Tables[p]
		if pt == nil || !columnIn(s.from, pt, col) {
			continue
		}
		// p holds it at its drop: its own declaration, or left by its parent.
		holds := (pt.Column(col) != nil && !pt.Column(col).Inherited) || (s.nonLocal(p, col) && s.copiedFromParent(p, col))
		return holds && s.to.Tables[p] != nil && !columnIn(s.to, s.to.Tables[p], col) && s.dropsOnly(p, col)
	}
	return false
}

// columnIn reports whether table t of cat has column col, its own or
// inherited.
func columnIn(cat *schema.Catalog, t *schema.Table, col string) bool {
	if t.Column(col) != nil {
		return true
	}
	inh, _ := inheritedFrom(cat, inheritsNames(t.Options.Inherits))
	return slices.ContainsFunc(inh, sameName(col))
}

// nonLocal reports whether from's table q has column col only through
// its parents: a parent's DROP COLUMN without ONLY takes it.
func (s *planState) nonLocal(q schema.QualifiedName, col string) bool {
	c := s.from.Tables[q].Column(col)
	return c == nil || c.Inherited
}

// dropsOnly reports whether table n drops its column col with ONLY: when
// a table that inherits it (or one further down) keeps it in to, which a
// recursive drop would take, with its rows, where the table does not
// declare the column itself.
func (s *planState) dropsOnly(n schema.QualifiedName, col string) bool {
	for _, q := range s.inheritorsInFrom(n) {
		if s.nonLocal(q, col) && s.keepsDown(q, col) {
			return true
		}
	}
	return false
}

// keepsDown reports whether kept table q, or one inheriting from it
// through tables that only inherit col, declares col in to without
// inheriting it there.
func (s *planState) keepsDown(q schema.QualifiedName, col string) bool {
	tq := s.to.Tables[q]
	if tq == nil {
		return false
	}
	if c := tq.Column(col); c != nil && !c.Inherited {
		if inh, _ := inheritedFrom(s.to, inheritsNames(tq.Options.Inherits)); !slices.ContainsFunc(inh, sameName(col)) {
			return true
		}
	}
	return s.dropsOnly(q, col)
}

// inheritorsInFrom are the tables of from that inherit directly from n.
func (s *planState) inheritorsInFrom(n schema.QualifiedName) []schema.QualifiedName {
	if s.fromInheritors == nil {
		s.fromInheritors = map[schema.QualifiedName][]schema.QualifiedName{}
		for _, q := range s.fromTables() {
			for _, p := range inheritsNames(s.from.Tables[q].Options.Inherits) {
				s.fromInheritors[p] = append(s.fromInheritors[p], q)
			}
		}
	}
	return s.fromInheritors[n]
}

// replaceColumn replaces the column of c's name in cols, or appends c.
func replaceColumn(cols []*schema.Column, c *schema.Column) []*schema.Column {
	if i := slices.IndexFunc(cols, sameName(c.Name)); i >= 0 {
		cols[i] = c
		return cols
	}
	return append(cols, c)
}

// inheritanceChanges reports whether kept table n inherits other columns
// or CHECKs in to than in from (a parent adds, drops or changes one): the
// table must be diffed even when its own declarations are the same, since
// a parent's change reaches it (a parent's SET DEFAULT, say, which the
// table's own default must then be set back after).
func (s *planState) inheritanceChanges(ft, tt *schema.Table) bool {
	if ft.Options.Inherits == "" {
		return false
	}
	colsF, checksF := inheritedFrom(s.from, inheritsNames(ft.Options.Inherits))
	colsT, checksT := inheritedFrom(s.to, inheritsNames(tt.Options.Inherits))
	conName := func(c *schema.Constraint) string { return c.Name }
	return !slices.EqualFunc(colsF, colsT, sameInherited) || !slices.Equal(names(checksF, conName), names(checksT, conName))
}

// sameInherited reports whether a table gets the same column from a and
// b, its parents' on two sides.
func sameInherited(a, b *schema.Column) bool {
	da, db := ownOrInherited(nil, a).ColumnDef, ownOrInherited(nil, b).ColumnDef
	da.Inherited, db.Inherited = false, false
	return a.Name == b.Name && da == db
}

func names[T any](xs []T, name func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = name(x)
	}
	slices.Sort(out)
	return out
}

// dropColumn plans d, the drop of a column of a kept table: one the table
// inherited in from waits for its parents' drops (flushInheritedDrops).
func (s *planState) dropColumn(n schema.QualifiedName, d *DropColumn) {
	if s.uninherited[conKey{n, d.Column}] {
		s.inheritedDrops = append(s.inheritedDrops, d)
		return
	}
	s.add(phColumns, d)
}

// flushInheritedDrops plans the drops of columns the tables inherited in
// from, after the parents' (phColumnsLate), parents first: a column is
// the table's own only once its parent's ONLY drop has run.
func (s *planState) flushInheritedDrops() {
	depth := func(d *DropColumn) int { return s.fromDepth(d.Table) }
	slices.SortStableFunc(s.inheritedDrops, func(a, b *DropColumn) int { return depth(a) - depth(b) })
	for _, d := range s.inheritedDrops {
		s.add(phColumnsLate, d)
	}
	s.inheritedDrops = nil
}

// fromDepth is how many generations of parents n has in from.
func (s *planState) fromDepth(n schema.QualifiedName) int {
	return s.depthIn(n, map[schema.QualifiedName]bool{})
}

// depthIn is fromDepth; seen stops at a cycle, which PostgreSQL refuses.
func (s *planState) depthIn(n schema.QualifiedName, seen map[schema.QualifiedName]bool) int {
	t := s.from.Tables[n]
	if t == nil || seen[n] {
		return 0
	}
	seen[n] = true
	defer delete(seen, n)
	d := 0
	for _, p := range inheritsNames(t.Options.Inherits) {
		d = max(d, s.depthIn(p, seen)+1)
	}
	return d
}

// checksApart returns ft and tt without the CHECKs that n inherits on
// both sides: whether n also declares one itself (conislocal) no
// statement changes (PostgreSQL refuses to drop an inherited CHECK), and
// it only decides what a parent's DROP CONSTRAINT leaves n, which the
// plan reads from from's side.
func (s *planState) checksApart(ft, tt *schema.Table) (*schema.Table, *schema.Table) {
	if ft.Options.Inherits == "" || tt.Options.Inherits == "" {
		return ft, tt
	}
	_, inhF := inheritedFrom(s.from, inheritsNames(ft.Options.Inherits))
	_, inhT := inheritedFrom(s.to, inheritsNames(tt.Options.Inherits))
	both := func(c *schema.Constraint) bool {
		named := func(o *schema.Constraint) bool { return o.Name == c.Name }
		return c.Kind == schema.Check && slices.ContainsFunc(inhF, named) && slices.ContainsFunc(inhT, named)
	}
	fcp, tcp := *ft, *tt
	fcp.Constraints = slices.DeleteFunc(slices.Clone(ft.Constraints), both)
	tcp.Constraints = slices.DeleteFunc(slices.Clone(tt.Constraints), both)
	return &fcp, &tcp
}
