package lint

import pg_query "github.com/pganalyze/pg_query_go/v5"

// alterTable applies the ALTER TABLE rules: each subcommand on a table that
// already holds rows can lock it for a scan or a rewrite.
func (f *file) alterTable(a *pg_query.AlterTableStmt) {
	if a.Objtype != pg_query.ObjectType_OBJECT_TABLE {
		return
	}
	isNew := f.isNew(a.Relation)
	for _, c := range a.Cmds {
		cmd := c.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		switch cmd.Subtype {
		case pg_query.AlterTableType_AT_DropColumn:
			if !isNew {
				f.report(CodeDropColumn, "DROP COLUMN %s.%s loses its data", key(a.Relation), cmd.Name)
			}
		case pg_query.AlterTableType_AT_SetNotNull:
			if !isNew {
				f.report(CodeSetNotNull, "SET NOT NULL on %s.%s scans the table under an ACCESS EXCLUSIVE lock", key(a.Relation), cmd.Name)
			}
		case pg_query.AlterTableType_AT_AddColumn:
			if !isNew {
				f.addColumn(a.Relation, cmd.Def.GetColumnDef())
			}
		case pg_query.AlterTableType_AT_AlterColumnType:
			if !isNew {
				f.report(CodeAlterColumnType, "ALTER COLUMN %s.%s TYPE may rewrite the table", key(a.Relation), cmd.Name)
			}
		case pg_query.AlterTableType_AT_AddConstraint:
			if !isNew {
				f.addConstraint(a.Relation, cmd.Def.GetConstraint())
			}
		}
	}
}

func (f *file) addColumn(rel *pg_query.RangeVar, def *pg_query.ColumnDef) {
	if def == nil {
		return
	}
	notNull, hasDefault := false, false
	for _, c := range def.Constraints {
		switch c.GetConstraint().GetContype() {
		case pg_query.ConstrType_CONSTR_NOTNULL, pg_query.ConstrType_CONSTR_PRIMARY:
			notNull = true
		case pg_query.ConstrType_CONSTR_DEFAULT, pg_query.ConstrType_CONSTR_IDENTITY, pg_query.ConstrType_CONSTR_GENERATED:
			hasDefault = true
		default:
			f.addConstraint(rel, c.GetConstraint())
		}
	}
	if notNull && !hasDefault {
		f.report(CodeAddNotNullColumn, "ADD COLUMN %s.%s NOT NULL without a default fails on a table with rows", key(rel), def.Colname)
	}
}

func (f *file) addConstraint(rel *pg_query.RangeVar, c *pg_query.Constraint) {
	if c == nil {
		return
	}
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_FOREIGN:
		if !c.SkipValidation && !f.isNew(rel) {
			f.report(CodeAddForeignKey, "ADD FOREIGN KEY on %s without NOT VALID scans the table while it locks both tables", key(rel))
		}
	case pg_query.ConstrType_CONSTR_CHECK:
		if !c.SkipValidation {
			f.report(CodeAddCheckConstraint, "ADD CHECK on %s without NOT VALID scans the table under an ACCESS EXCLUSIVE lock", key(rel))
		}
	case pg_query.ConstrType_CONSTR_PRIMARY:
		if c.Indexname == "" {
			f.report(CodeAddPrimaryKey, "ADD PRIMARY KEY on %s builds its index under an ACCESS EXCLUSIVE lock", key(rel))
		}
	case pg_query.ConstrType_CONSTR_UNIQUE:
		if c.Indexname == "" {
			f.report(CodeAddUniqueConstraint, "ADD UNIQUE on %s builds its index under an ACCESS EXCLUSIVE lock", key(rel))
		}
	case pg_query.ConstrType_CONSTR_EXCLUSION:
		f.report(CodeAddExclusionConstraint, "ADD EXCLUDE on %s builds its index under an ACCESS EXCLUSIVE lock", key(rel))
	}
}
