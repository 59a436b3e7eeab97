package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// A typed table (CREATE TABLE t OF p) has the attributes of composite type
// p as its columns, in order: it cannot add, drop, retype or rename one
// itself; ALTER TYPE p ... CASCADE does it for every table of the type.
// The table holds its own NOT NULL, defaults and constraints on them
// (pg_dump's "c WITH OPTIONS NOT NULL DEFAULT ..."). The fold keeps the
// columns on the table, as for any table, and TableOptions.OfType.

// ofType resolves the type of CREATE TABLE ... OF or ALTER TABLE ... OF:
// a composite type made with CREATE TYPE ... AS (...); a missing one
// defers the statement.
func (f *folder) ofType(st *stmt, tn *pg_query.TypeName) (*schema.CompositeType, error) {
	t, _, err := f.resolveType(st, tn)
	if err != nil {
		return nil, err
	}
	q := schema.QualifiedName{Schema: t.Schema, Name: t.Name}
	ct := f.cat.Composites[q]
	if ct == nil || t.ArrayDims > 0 || t.Schema == "" {
		name := t.String()
		if t.Schema != "" && t.ArrayDims == 0 {
			name = schema.QuoteIdent(t.Name) // as PostgreSQL names it
		}
		return nil, f.errorf(f.at(st, tn.Location), "type %s is not a composite type", name)
	}
	return ct, nil
}

// typedColumns are the columns a typed table of ct starts with: the
// attributes, with their types and collations.
func typedColumns(ct *schema.CompositeType, pos schema.Pos) []*schema.Column {
	out := make([]*schema.Column, 0, len(ct.Attributes))
	for _, a := range ct.Attributes {
		c := &schema.Column{Name: a.Name, Pos: pos}
		c.Type, c.Collation = a.Type, a.Collation
		out = append(out, c)
	}
	return out
}

// typedTableCmd folds the ALTER TABLE subcommands that concern typed
// tables: OF type and NOT OF, and refuses, as PostgreSQL does, changing a
// typed table's columns other than by its type.
func (f *folder) typedTableCmd(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd) (bool, error) {
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_DropOf:
		if !t.Options.IsTyped() {
			return true, f.errorf(st.pos, "%s is not a typed table", schema.QuoteIdent(t.Name.Name))
		}
		t.Options.OfType = schema.QualifiedName{}
		return true, nil
	case pg_query.AlterTableType_AT_AddOf:
		ct, err := f.ofType(st, cmd.Def.GetTypeName())
		if err != nil {
			return true, err
		}
		if err := f.matchesType(st, t, ct); err != nil {
			return true, err
		}
		t.Options.OfType = ct.Name
		return true, nil
	}
	if !t.Options.IsTyped() {
		return false, nil
	}
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AddColumn:
		return true, f.errorf(st.pos, "cannot add column to typed table")
	case pg_query.AlterTableType_AT_DropColumn:
		return true, f.errorf(st.pos, "cannot drop column from typed table")
	case pg_query.AlterTableType_AT_AlterColumnType:
		return true, f.errorf(st.pos, "cannot alter column type of typed table")
	}
	return false, nil
}

// matchesType checks that t can become a typed table of ct (ALTER TABLE
// ... OF): the same columns, names and types, in the same order, and no
// parent.
func (f *folder) matchesType(st *stmt, t *schema.Table, ct *schema.CompositeType) error {
	if t.Options.Inherits != "" || t.Options.IsPartition() {
		return f.errorf(st.pos, "typed tables cannot inherit")
	}
	for i, a := range ct.Attributes {
		if i >= len(t.Columns) {
			return f.errorf(st.pos, "table is missing column %s", schema.QuoteIdent(a.Name))
		}
		c := t.Columns[i]
		if c.Name != a.Name {
			return f.errorf(st.pos, "table has column %s where type requires %s", schema.QuoteIdent(c.Name), schema.QuoteIdent(a.Name))
		}
		if c.Type != a.Type {
			return f.errorf(st.pos, "table %s has different type for column %s", schema.QuoteIdent(t.Name.Name), schema.QuoteIdent(c.Name))
		}
	}
	if len(t.Columns) > len(ct.Attributes) {
		return f.errorf(st.pos, "table has extra column %s", schema.QuoteIdent(t.Columns[len(ct.Attributes)].Name))
	}
	return nil
}

// typedTablesOf are the typed tables of composite type q.
func (f *folder) typedTablesOf(q schema.QualifiedName) []*schema.Table {
	var out []*schema.Table
	for _, n := range schema.SortedNames(f.cat.Tables) {
		if t := f.cat.Tables[n]; t.Options.OfType == q {
			out = append(out, t)
		}
	}
	return out
}

// cascadeToTypedTables carries ALTER TYPE q ... CASCADE's attribute
// change cmd to the typed tables of q. a is the attribute as it is after
// the change.
func (f *folder) cascadeToTypedTables(st *stmt, q schema.QualifiedName, cmd *pg_query.AlterTableCmd, a schema.Attribute) error {
	return f.eachTypedTable(st, q, cmd.Behavior, func(t *schema.Table) {
		switch cmd.Subtype {
		case pg_query.AlterTableType_AT_AddColumn:
			c := &schema.Column{Name: a.Name, Pos: st.pos}
			c.Type, c.Collation = a.Type, a.Collation
			t.Columns = append(t.Columns, c)
		case pg_query.AlterTableType_AT_DropColumn:
			f.dropColumn(t, cmd.Name)
		case pg_query.AlterTableType_AT_AlterColumnType:
			if c := t.Column(cmd.Name); c != nil {
				c.Type, c.Collation = a.Type, a.Collation
			}
		}
	})
}

// eachTypedTable applies fn to each typed table of composite type q, for
// an ALTER TYPE with behavior: PostgreSQL refuses one without CASCADE on
// a type that has any.
func (f *folder) eachTypedTable(st *stmt, q schema.QualifiedName, behavior pg_query.DropBehavior, fn func(t *schema.Table)) error {
	tables := f.typedTablesOf(q)
	if len(tables) > 0 && behavior != pg_query.DropBehavior_DROP_CASCADE {
		return f.errorf(st.pos, "cannot alter type %s because it is the type of a typed table (use ALTER ... CASCADE to alter the typed tables too)", schema.QuoteIdent(q.Name))
	}
	for _, t := range tables {
		fn(t)
	}
	return nil
}

// refuseTypedRename refuses RENAME COLUMN of a typed table, as PostgreSQL
// does: ALTER TYPE ... RENAME ATTRIBUTE ... CASCADE renames it.
func (f *folder) refuseTypedRename(st *stmt, t *schema.Table) error {
	if t.Options.IsTyped() {
		return f.errorf(st.pos, "cannot rename column of typed table")
	}
	return nil
}
