package lint

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/schema"
)

// zoneLiterals reports the timestamp with time zone literals written
// without an offset among a statement's column defaults and partition
// bounds (parser.ZoneDependent): each stands for another instant in each
// session time zone, so the schema depends on who applies it.
func (f *file) zoneLiterals(n *pg_query.Node) {
	if cs := n.GetCreateStmt(); cs != nil {
		q := qname(cs.Relation)
		for _, e := range cs.TableElts {
			f.columnDefZone(q, e.GetColumnDef())
		}
		if cs.Partbound != nil && len(cs.InhRelations) == 1 {
			f.boundZone(q, qname(cs.InhRelations[0].GetRangeVar()), cs.Partbound)
		}
		return
	}
	a := n.GetAlterTableStmt()
	if a == nil {
		return
	}
	q := qname(a.Relation)
	for _, c := range a.Cmds {
		cmd := c.GetAlterTableCmd()
		switch cmd.GetSubtype() {
		case pg_query.AlterTableType_AT_AddColumn:
			f.columnDefZone(q, cmd.Def.GetColumnDef())
		case pg_query.AlterTableType_AT_ColumnDefault:
			if col := column(f.cat.Tables[q], cmd.Name); col != nil && cmd.Def != nil {
				f.zoneLiteral(show(q)+"."+cmd.Name+" default", cmd.Def, col.Type)
			}
		case pg_query.AlterTableType_AT_AttachPartition:
			pc := cmd.Def.GetPartitionCmd()
			f.boundZone(qname(pc.GetName()), q, pc.GetBound())
		}
	}
}

// columnDefZone checks the DEFAULT of a column definition; its type is
// known when written as timestamptz (a cast in the default says it too).
func (f *file) columnDefZone(q schema.QualifiedName, def *pg_query.ColumnDef) {
	if def == nil {
		return
	}
	var t schema.TypeName
	if n := typeName(def.TypeName); (n == "timestamptz" || n == "timestamp with time zone") && len(def.TypeName.ArrayBounds) == 0 {
		t.Name = "timestamp with time zone"
	}
	for _, c := range def.Constraints {
		if con := c.GetConstraint(); con.GetContype() == pg_query.ConstrType_CONSTR_DEFAULT && con.RawExpr != nil {
			f.zoneLiteral(show(q)+"."+def.Colname+" default", con.RawExpr, t)
		}
	}
}

// boundZone checks the bound of partition part of parent, each datum
// against its key column's type.
func (f *file) boundZone(part, parent schema.QualifiedName, b *pg_query.PartitionBoundSpec) {
	if b == nil {
		return
	}
	types := parser.PartitionKeyTypes(f.cat.Tables[parent])
	keyType := func(i int) schema.TypeName {
		if len(b.Listdatums) > 0 {
			i = 0 // a list partition's key is one column
		}
		if i < len(types) {
			return types[i]
		}
		return schema.TypeName{}
	}
	for _, datums := range [][]*pg_query.Node{b.Listdatums, b.Lowerdatums, b.Upperdatums} {
		for i, d := range datums {
			f.zoneLiteral("partition bound of "+show(part), d, keyType(i))
		}
	}
}

// zoneLiteral reports e when it is a zone-dependent literal for type t.
func (f *file) zoneLiteral(where string, e *pg_query.Node, t schema.TypeName) {
	if lit, ok := parser.ZoneDependent(e, t); ok {
		f.report(CodeTimestamptzLiteral, "%s '%s' is a timestamp with time zone without an offset: its instant depends on the TimeZone of the session that applies it; write its offset (+00 for UTC)", where, lit)
	}
}
