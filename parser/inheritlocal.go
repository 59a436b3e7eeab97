package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// inheritors returns the tables that inherit directly from t, in name order
// (the fold's result must not depend on map order).
func (f *folder) inheritors(t *schema.Table) []*schema.Table {
	var out []*schema.Table
	for _, q := range schema.SortedNames(f.cat.Tables) {
		c := f.cat.Tables[q]
		if slices.Contains(splitInherits(c.Options.Inherits), t.Name.String()) {
			out = append(out, c)
		}
	}
	return out
}

// refuseOnInherited refuses, as PostgreSQL does, the ALTER TABLE
// subcommands that would change a column or CHECK a table inherits on
// the table alone: its type, dropping it, and a type change of the
// parent's column with ONLY, which would leave the children's apart;
// likewise DROP EXPRESSION, and a parent's ADD COLUMN that cannot reach
// its children.
// Folding them would give a schema no server can hold.
func (f *folder) refuseOnInherited(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd, inh bool) error {
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AlterColumnType:
		if f.inheritedColumn(t, cmd.Name) != nil {
			return f.errorf(st.pos, "cannot alter inherited column %s", schema.QuoteIdent(cmd.Name))
		}
		if !inh && f.inheritedByChildren(t, cmd.Name) {
			return f.errorf(st.pos, "type of inherited column %s must be changed in child tables too", schema.QuoteIdent(cmd.Name))
		}
	case pg_query.AlterTableType_AT_DropColumn:
		if f.inheritedColumn(t, cmd.Name) != nil {
			return f.errorf(st.pos, "cannot drop inherited column %s", schema.QuoteIdent(cmd.Name))
		}
	case pg_query.AlterTableType_AT_AddColumn:
		return f.refuseAddToParent(st, t, cmd.Def.GetColumnDef(), inh)
	case pg_query.AlterTableType_AT_DropExpression:
		if f.inheritedColumn(t, cmd.Name) != nil {
			return f.errorf(st.pos, "cannot drop generation expression from inherited column")
		}
		if !inh && f.inheritedByChildren(t, cmd.Name) {
			return f.errorf(st.pos, "ALTER TABLE / DROP EXPRESSION must be applied to child tables too")
		}
	case pg_query.AlterTableType_AT_DropConstraint:
		if f.inheritedCheckNamed(t, cmd.Name) {
			return f.errorf(st.pos, "cannot drop inherited constraint %s of relation %s", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
		}
	}
	return nil
}

// refuseRenameInherited refuses RENAME COLUMN of a column t inherits, and
// RENAME of ONLY the parent's column, as PostgreSQL does; likewise RENAME
// CONSTRAINT of a CHECK t inherits.
func (f *folder) refuseRenameInherited(st *stmt, t *schema.Table, rs *pg_query.RenameStmt) error {
	switch {
	case rs.RenameType == pg_query.ObjectType_OBJECT_COLUMN && f.inheritedColumn(t, rs.Subname) != nil:
		return f.errorf(st.pos, "cannot rename inherited column %s", schema.QuoteIdent(rs.Subname))
	case rs.RenameType == pg_query.ObjectType_OBJECT_COLUMN && !rs.Relation.Inh && f.inheritedByChildren(t, rs.Subname):
		return f.errorf(st.pos, "inherited column %s must be renamed in child tables too", schema.QuoteIdent(rs.Subname))
	case rs.RenameType == pg_query.ObjectType_OBJECT_TABCONSTRAINT && f.inheritedCheckNamed(t, rs.Subname):
		return f.errorf(st.pos, "cannot rename inherited constraint %s", schema.QuoteIdent(rs.Subname))
	}
	return nil
}

// inheritedByChildren reports whether a table inherits t's column name.
func (f *folder) inheritedByChildren(t *schema.Table, name string) bool {
	return t.Column(name) != nil && len(f.inheritors(t)) > 0
}

// dropInChildren carries t's DROP COLUMN of col to the tables that
// inherit it, as PostgreSQL does. With recursion (no ONLY) a child's
// column goes with its rows unless the child declares it itself (local),
// or inherits it from another parent too; then it stays, the child's
// own. With ONLY every child keeps the column, as its own.
func (f *folder) dropInChildren(t *schema.Table, col *schema.Column, recurse bool) {
	for _, child := range f.inheritors(t) {
		if f.inheritedColumn(child, col.Name) != nil {
			continue // still inherited through another parent
		}
		own := child.Column(col.Name)
		switch {
		case !recurse && own == nil:
			child.Columns = append(child.Columns, inheritedDef(col))
		case !recurse:
			own.Inherited = false
		case own == nil || own.Inherited:
			view := col
			if own != nil {
				view = own
			}
			f.dropColumn(child, col.Name)
			f.dropInChildren(child, view, true)
		}
	}
}

// onlyDropCheck is ALTER TABLE ONLY t DROP CONSTRAINT of a CHECK the
// children inherit: each keeps it as its own, as PostgreSQL makes it
// local. (Without ONLY the children's go, but for their own
// declarations, which the model holds already.)
func (f *folder) onlyDropCheck(t *schema.Table, c *schema.Constraint) {
	if c.Kind != schema.Check || strings.HasSuffix(c.Def, " NO INHERIT") {
		return
	}
	for _, child := range f.inheritors(t) {
		if child.Constraint(c.Name) == nil && !f.inheritedCheckNamed(child, c.Name) {
			cp := *c
			cp.Comment = ""
			child.Constraints = append(child.Constraints, &cp)
		}
	}
}

// refuseAddToParent refuses ADD COLUMN of a table others inherit from
// with ONLY (the children must get it too), or of a column a table below
// declares with another type (PostgreSQL merges the parent's column into
// a child's own of the same name, which needs the same type).
func (f *folder) refuseAddToParent(st *stmt, t *schema.Table, cd *pg_query.ColumnDef, inh bool) error {
	kids := f.inheritors(t)
	if len(kids) == 0 || t.Column(cd.GetColname()) != nil {
		return nil
	}
	if !inh {
		return f.errorf(st.pos, "column must be added to child tables too")
	}
	typ, _, err := f.resolveType(st, cd.TypeName)
	if err != nil {
		return err
	}
	for len(kids) > 0 {
		child := kids[0]
		kids = append(kids[1:], f.inheritors(child)...)
		if own := child.Column(cd.Colname); own != nil && own.Type != typ {
			return f.errorf(st.pos, "child table %s has different type for column %s", schema.QuoteIdent(child.Name.Name), schema.QuoteIdent(cd.Colname))
		}
	}
	return nil
}
