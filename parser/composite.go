package parser

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

func (f *folder) createComposite(st *stmt, cs *pg_query.CompositeTypeStmt) error {
	q := rangeVarName(cs.Typevar)
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	var attrs []schema.Attribute
	for _, n := range cs.Coldeflist {
		a, err := f.attribute(st, n.GetColumnDef())
		if err != nil {
			return err
		}
		if slices.ContainsFunc(attrs, func(b schema.Attribute) bool { return b.Name == a.Name }) {
			return f.errorf(st.pos, "column %s specified more than once", schema.QuoteIdent(a.Name))
		}
		attrs = append(attrs, a)
	}
	if f.relationTaken(q.Schema, false)(q.Name) {
		return f.errorf(st.pos, "relation %s already exists", q) // a composite type is a relation too
	}
	if f.typeTaken(q) {
		return f.errorf(st.pos, "type %s already exists", q)
	}
	f.cat.Composites[q] = &schema.CompositeType{Name: q, Attributes: attrs, Pos: st.pos}
	return nil
}

// attribute reads one attribute of a composite type: a name, a type and
// an optional COLLATE, nothing else.
func (f *folder) attribute(st *stmt, cd *pg_query.ColumnDef) (schema.Attribute, error) {
	if cd == nil {
		return schema.Attribute{}, f.errorf(st.pos, "unsupported composite type element")
	}
	t, serial, err := f.resolveType(st, cd.TypeName)
	if err != nil {
		return schema.Attribute{}, err
	}
	if serial != "" || len(cd.Constraints) > 0 {
		return schema.Attribute{}, f.errorf(f.at(st, cd.Location), "unsupported attribute definition of %s: a composite type attribute has a type and a collation only", schema.QuoteIdent(cd.Colname))
	}
	a := schema.Attribute{Name: cd.Colname, Type: t}
	if cd.CollClause != nil {
		a.Collation = collationName(cd.CollClause.Collname)
	}
	return a, nil
}

// alterComposite folds ALTER TYPE ... ADD/DROP/ALTER ATTRIBUTE.
func (f *folder) alterComposite(st *stmt, at *pg_query.AlterTableStmt) error {
	q := rangeVarName(at.Relation)
	c := f.cat.Composites[q]
	if c == nil {
		return f.missingf(st.pos, "type %s does not exist", q)
	}
	attrs := slices.Clone(c.Attributes)
	idx := func(name string) int {
		return slices.IndexFunc(attrs, func(a schema.Attribute) bool { return a.Name == name })
	}
	for _, n := range at.Cmds {
		cmd := n.GetAlterTableCmd()
		switch cmd.Subtype {
		case pg_query.AlterTableType_AT_AddColumn:
			a, err := f.attribute(st, cmd.Def.GetColumnDef())
			if err != nil {
				return err
			}
			if idx(a.Name) >= 0 {
				return f.errorf(st.pos, "column %s of relation %s already exists", schema.QuoteIdent(a.Name), schema.QuoteIdent(q.Name))
			}
			attrs = append(attrs, a)
			if err := f.cascadeToTypedTables(st, q, cmd, a); err != nil {
				return err
			}
		case pg_query.AlterTableType_AT_DropColumn:
			i := idx(cmd.Name)
			if i < 0 {
				if cmd.MissingOk {
					continue
				}
				return f.errorf(st.pos, "column %s of relation %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(q.Name))
			}
			attrs = slices.Delete(attrs, i, i+1)
			if err := f.cascadeToTypedTables(st, q, cmd, schema.Attribute{}); err != nil {
				return err
			}
		case pg_query.AlterTableType_AT_AlterColumnType:
			i := idx(cmd.Name)
			if i < 0 {
				return f.errorf(st.pos, "column %s of relation %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(q.Name))
			}
			cd := cmd.Def.GetColumnDef()
			t, _, err := f.resolveType(st, cd.TypeName)
			if err != nil {
				return err
			}
			attrs[i].Type = t
			attrs[i].Collation = ""
			if cd.CollClause != nil {
				attrs[i].Collation = collationName(cd.CollClause.Collname)
			}
			if err := f.cascadeToTypedTables(st, q, cmd, attrs[i]); err != nil {
				return err
			}
		default:
			return f.unsupportedf(st.pos, "ALTER TYPE %s", schema.QuoteIdent(q.Name))
		}
	}
	c.Attributes = attrs
	return nil
}

// renameAttribute folds ALTER TYPE ... RENAME ATTRIBUTE.
func (f *folder) renameAttribute(st *stmt, rs *pg_query.RenameStmt) error {
	q := rangeVarName(rs.Relation)
	c := f.cat.Composites[q]
	if c == nil {
		return f.missingf(st.pos, "type %s does not exist", q)
	}
	i := slices.IndexFunc(c.Attributes, func(a schema.Attribute) bool { return a.Name == rs.Subname })
	if i < 0 {
		return f.errorf(st.pos, "column %s of relation %s does not exist", schema.QuoteIdent(rs.Subname), schema.QuoteIdent(q.Name))
	}
	newName := truncIdent(rs.Newname)
	if err := f.eachTypedTable(st, q, rs.Behavior, func(t *schema.Table) { f.renameColumn(t, rs.Subname, newName) }); err != nil {
		return err
	}
	c.Attributes[i].Name = newName
	return nil
}

func init() {
	registerKind("composite type", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_CompositeTypeStmt](): func(f *folder, st *stmt) error {
				return f.createComposite(st, st.node.GetCompositeTypeStmt())
			},
		},
		dropCascade: dropTypeCascade,
	})
}
