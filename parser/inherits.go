package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// inheritsParents resolves the parents of CREATE TABLE ... INHERITS into
// schema.TableOptions.Inherits. Each must exist (a missing one defers the
// statement) and be an ordinary table.
func (f *folder) inheritsParents(st *stmt, rels []*pg_query.Node) (string, error) {
	var names []string
	for _, n := range rels {
		rv := n.GetRangeVar()
		q := rangeVarName(rv)
		p := f.cat.Tables[q]
		if p == nil {
			return "", f.missingf(f.at(st, rv.GetLocation()), "relation %s does not exist", q)
		}
		if p.Options.PartitionBy != "" || p.Options.IsPartition() {
			return "", f.errorf(st.pos, "cannot inherit from partitioned table or partition %s", q)
		}
		if slices.Contains(names, q.String()) {
			return "", f.errorf(st.pos, "relation %s would be inherited from more than once", q)
		}
		names = append(names, q.String())
	}
	return strings.Join(names, ", "), nil
}

// parents returns the tables t inherits from, in order.
func (f *folder) parents(t *schema.Table) []*schema.Table {
	var out []*schema.Table
	for _, s := range splitInherits(t.Options.Inherits) {
		if p := f.cat.Tables[qualifiedFuncName(s)]; p != nil {
			out = append(out, p)
		}
	}
	return out
}

func splitInherits(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}

// inheritedColumn returns the column named name that t inherits (from a
// parent or an ancestor), or nil.
func (f *folder) inheritedColumn(t *schema.Table, name string) *schema.Column {
	for _, p := range f.parents(t) {
		if c := p.Column(name); c != nil {
			return c
		}
		if c := f.inheritedColumn(p, name); c != nil {
			return c
		}
	}
	return nil
}

// alterInherit folds ALTER TABLE ... INHERIT p and NO INHERIT p. A table
// that stops inheriting keeps the columns it had from p as its own, as
// PostgreSQL makes them local; one that starts must have p's columns.
func (f *folder) alterInherit(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd) error {
	rv := cmd.Def.GetRangeVar()
	q := rangeVarName(rv)
	p := f.cat.Tables[q]
	if p == nil {
		return f.missingf(f.at(st, rv.GetLocation()), "relation %s does not exist", q)
	}
	parents := splitInherits(t.Options.Inherits)
	if cmd.Subtype == pg_query.AlterTableType_AT_DropInherit {
		i := slices.Index(parents, q.String())
		if i < 0 {
			return f.errorf(st.pos, "relation %s is not a parent of relation %s", q, t.Name)
		}
		for _, c := range f.allColumns(p) {
			if t.Column(c.Name) == nil {
				t.Columns = append(t.Columns, inheritedDef(c))
			}
		}
		for _, c := range f.allChecks(p) {
			if t.Constraint(c.Name) == nil {
				cp := *c
				cp.Comment = ""
				t.Constraints = append(t.Constraints, &cp)
			}
		}
		t.Options.Inherits = strings.Join(slices.Delete(parents, i, i+1), ", ")
		for _, c := range t.Columns {
			if c.Inherited && f.inheritedColumn(t, c.Name) == nil {
				c.Inherited = false // PostgreSQL makes it local
			}
		}
		return nil
	}
	if slices.Contains(parents, q.String()) {
		return f.errorf(st.pos, "relation %s would be inherited from more than once", q)
	}
	if p == t || f.inheritsFrom(p, t) {
		return f.errorf(st.pos, "circular inheritance not allowed: %s is already a child of %s", q, t.Name)
	}
	for _, c := range f.allColumns(p) {
		if err := f.inheritable(st, t, c); err != nil {
			return err
		}
	}
	for _, c := range f.allChecks(p) {
		if tc := t.Constraint(c.Name); (tc == nil || tc.Def != c.Def) && !slices.Contains(f.allChecks(t), c) {
			return f.errorf(st.pos, "child table is missing constraint %s", schema.QuoteIdent(c.Name))
		}
	}
	t.Options.Inherits = strings.Join(append(parents, q.String()), ", ")
	return nil
}

// allChecks are the CHECK constraints of t that its children inherit, its
// own and those it inherits (a NO INHERIT check stays on its table).
func (f *folder) allChecks(t *schema.Table) []*schema.Constraint {
	var out []*schema.Constraint
	for _, c := range t.Constraints {
		if c.Kind == schema.Check && !strings.HasSuffix(c.Def, " NO INHERIT") {
			out = append(out, c)
		}
	}
	for _, p := range f.parents(t) {
		out = append(out, f.allChecks(p)...)
	}
	return out
}

// inheritedCheckNamed reports whether t inherits a CHECK constraint named
// name from a parent or an ancestor.
func (f *folder) inheritedCheckNamed(t *schema.Table, name string) bool {
	for _, p := range f.parents(t) {
		for _, pc := range f.allChecks(p) {
			if pc.Name == name {
				return true
			}
		}
	}
	return false
}

// allColumns are the columns of t, its own and those it inherits.
func (f *folder) allColumns(t *schema.Table) []*schema.Column {
	out := slices.Clone(t.Columns)
	for _, p := range f.parents(t) {
		for _, c := range f.allColumns(p) {
			if !slices.ContainsFunc(out, func(o *schema.Column) bool { return o.Name == c.Name }) {
				out = append(out, c)
			}
		}
	}
	return out
}

// syncInherits runs when the fold finishes. A table whose parent was
// dropped went with it (DROP TABLE ... CASCADE, which PostgreSQL needs);
// the table's own settings on a column it only inherits (Inherited) that
// end up equal to the parent's are the parent's. A column or CHECK the
// table declares itself stays even when equal to the one it inherits:
// PostgreSQL marks it local (attislocal, conislocal) and keeps it, with
// its rows, when the parent drops its own, and pg_dump prints it in the
// table's CREATE TABLE.
func (f *folder) syncInherits() {
	for changed := true; changed; {
		changed = false
		for q, t := range f.cat.Tables {
			for _, s := range splitInherits(t.Options.Inherits) {
				if f.cat.Tables[qualifiedFuncName(s)] == nil {
					delete(f.cat.Tables, q)
					changed = true
					break
				}
			}
		}
	}
	for _, t := range f.cat.Tables {
		if t.Options.Inherits == "" {
			continue
		}
		kept := t.Columns[:0]
		for _, c := range t.Columns {
			if ic := f.inheritedColumn(t, c.Name); c.Inherited && ic != nil && ownInheritedDef(ic).ColumnDef == c.ColumnDef {
				continue
			}
			kept = append(kept, c)
		}
		t.Columns = kept
	}
	// Parents first: a child's order follows its parents' sorted columns.
	var children []*schema.Table
	for _, t := range f.cat.Tables {
		if t.Options.Inherits != "" {
			children = append(children, t)
		}
	}
	slices.SortFunc(children, func(a, b *schema.Table) int { return f.depth(a) - f.depth(b) })
	for _, t := range children {
		f.sortInherited(t)
	}
}

// depth is how many generations of parents t has above it.
func (f *folder) depth(t *schema.Table) int {
	d := 0
	for _, p := range f.parents(t) {
		d = max(d, f.depth(p)+1)
	}
	return d
}

// ownInherited gives t a copy of the column named name that it inherits,
// for ALTER TABLE ... ALTER COLUMN of t alone (pg_dump's ALTER TABLE ONLY
// child ALTER COLUMN ... SET DEFAULT): the child's column then differs
// from the parent's and stays its own. nil when t inherits no such column.
func (f *folder) ownInherited(t *schema.Table, name string) *schema.Column {
	ic := f.inheritedColumn(t, name)
	if ic == nil {
		return nil
	}
	cp := ownInheritedDef(ic)
	t.Columns = append(t.Columns, cp)
	return cp
}

// inheritedDef is the column a table gets from its parent's c, as its
// own (local): without its comment and statistics target, which
// PostgreSQL does not copy.
func inheritedDef(c *schema.Column) *schema.Column {
	cp := *c
	cp.Comment, cp.Statistics, cp.Inherited = "", "", false
	return &cp
}

// ownInheritedDef is inheritedDef for the table's own settings on a
// column it keeps inheriting (not local).
func ownInheritedDef(c *schema.Column) *schema.Column {
	cp := inheritedDef(c)
	cp.Inherited = true
	return cp
}

// inheritable checks that t has column c of a parent it is to inherit
// from, as ALTER TABLE ... INHERIT requires: of the same type, and NOT
// NULL where the parent's is.
func (f *folder) inheritable(st *stmt, t *schema.Table, c *schema.Column) error {
	own := t.Column(c.Name)
	if own == nil {
		own = f.inheritedColumn(t, c.Name)
	}
	switch {
	case own == nil:
		return f.errorf(st.pos, "child table is missing column %s", schema.QuoteIdent(c.Name))
	case own.Type != c.Type:
		return f.errorf(st.pos, "child table %s has different type for column %s", schema.QuoteIdent(t.Name.Name), schema.QuoteIdent(c.Name))
	case c.NotNull && !own.NotNull:
		return f.errorf(st.pos, "column %s in child table must be marked NOT NULL", schema.QuoteIdent(c.Name))
	}
	return nil
}

// recurseColumnChange carries ALTER TABLE t (without ONLY) ALTER COLUMN c
// TYPE / SET or DROP DEFAULT / SET or DROP NOT NULL to the tables that
// inherit from t and hold a declaration of c of their own (a default of
// their own, say): PostgreSQL applies the change to every child. A child
// without one has the parent's column already.
func (f *folder) recurseColumnChange(t *schema.Table, cmd *pg_query.AlterTableCmd) {
	col := t.Column(cmd.Name)
	if col == nil {
		col = f.inheritedColumn(t, cmd.Name)
	}
	if col == nil {
		return
	}
	for _, child := range f.cat.Tables {
		if !slices.Contains(splitInherits(child.Options.Inherits), t.Name.String()) {
			continue
		}
		if own := child.Column(cmd.Name); own != nil {
			switch cmd.Subtype {
			case pg_query.AlterTableType_AT_AlterColumnType:
				own.Type, own.Collation = col.Type, col.Collation
			case pg_query.AlterTableType_AT_ColumnDefault:
				own.Default, own.DefaultSrc = col.Default, col.DefaultSrc
			case pg_query.AlterTableType_AT_SetNotNull, pg_query.AlterTableType_AT_DropNotNull:
				own.NotNull = col.NotNull
			default:
				return
			}
		}
		f.recurseColumnChange(child, cmd)
	}
}

// mergeInherited merges the columns CREATE TABLE ... INHERITS declares
// that the table also inherits, as PostgreSQL does: the type must be the
// parent's; the default is the parent's unless the table gives one
// (DEFAULT NULL, as pg_dump writes it to drop the parent's, takes it
// away, and is none where dropNullDefault finds the server stores none:
// a domain's column keeps it); NOT NULL is either's.
func (f *folder) mergeInherited(st *stmt, t *schema.Table) error {
	if t.Options.Inherits == "" {
		return nil
	}
	for _, c := range t.Columns {
		ic := f.inheritedColumn(t, c.Name)
		if ic == nil {
			continue
		}
		if ic.Type != c.Type {
			return f.errorf(c.Pos, "column %s has a type conflict: %s versus %s", schema.QuoteIdent(c.Name), ic.Type, c.Type)
		}
		if c.Default == "" {
			c.Default, c.DefaultSrc = ic.Default, ic.DefaultSrc
		}
		c.NotNull = c.NotNull || ic.NotNull
	}
	return nil
}

// sortInherited puts the table's own declarations of inherited columns
// first, in the parents' order, then its other columns as declared: the
// order PostgreSQL numbers them in and pg_dump prints them, whatever
// order the statements that made them came in.
func (f *folder) sortInherited(t *schema.Table) {
	order := map[string]int{}
	for _, p := range f.parents(t) {
		for _, c := range f.allColumns(p) {
			if _, ok := order[c.Name]; !ok {
				order[c.Name] = len(order)
			}
		}
	}
	rank := func(c *schema.Column) int {
		if i, ok := order[c.Name]; ok {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(t.Columns, func(a, b *schema.Column) int { return rank(a) - rank(b) })
}

// pinChildren runs before ALTER TABLE ONLY t ALTER COLUMN c SET / DROP
// DEFAULT or DROP NOT NULL, which leaves the tables inheriting from t as
// they are: each that has no declaration of c of its own gets one with
// what it has now (syncInherits drops it again if it ends up equal to
// the parent's). pg_dump writes the child's side as ALTER TABLE ONLY
// child ALTER COLUMN c SET DEFAULT NULL, say.
func (f *folder) pinChildren(t *schema.Table, cmd *pg_query.AlterTableCmd) {
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_ColumnDefault, pg_query.AlterTableType_AT_DropNotNull:
	default:
		return
	}
	for _, child := range f.cat.Tables {
		if slices.Contains(splitInherits(child.Options.Inherits), t.Name.String()) && child.Column(cmd.Name) == nil {
			f.ownInherited(child, cmd.Name)
		}
	}
}

// inheritsFrom reports whether t has a among its parents or ancestors.
func (f *folder) inheritsFrom(t, a *schema.Table) bool {
	for _, p := range f.parents(t) {
		if p == a || f.inheritsFrom(p, a) {
			return true
		}
	}
	return false
}
