package parser

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/schema"
)

// Foreign tables. CREATE FOREIGN TABLE is CREATE TABLE (its base
// statement) with a server and OPTIONS, so the table code folds it and
// this file adds what is foreign; ALTER FOREIGN TABLE is ALTER TABLE with
// OPTIONS subcommands. PostgreSQL refuses on a foreign table what needs
// local storage (keys, indexes), and so does the parser.

func (f *folder) createForeignTable(st *stmt, cs *pg_query.CreateForeignTableStmt) error {
	base := cs.BaseStmt
	if err := f.checkForeignElements(st, base); err != nil {
		return err
	}
	if _, err := f.server(st, cs.Servername); err != nil {
		return err
	}
	var opts schema.ForeignOptions
	if err := f.foreignOptions(st, &opts, cs.Options); err != nil {
		return err
	}
	colOpts := map[string]schema.ForeignOptions{}
	for _, e := range base.TableElts {
		if cd := e.GetColumnDef(); cd != nil && len(cd.Fdwoptions) > 0 {
			var o schema.ForeignOptions
			if err := f.foreignOptions(st, &o, cd.Fdwoptions); err != nil {
				return err
			}
			colOpts[cd.Colname] = o
		}
	}
	q := rangeVarName(base.Relation)
	before := f.cat.Tables[q]
	if err := f.createTable(st, base); err != nil {
		return err
	}
	t := f.cat.Tables[q]
	if t == nil || t == before {
		return nil // IF NOT EXISTS of a relation there already
	}
	t.Options.Server, t.FDWOptions = cs.Servername, opts
	for _, c := range t.Columns {
		c.FDWOptions = colOpts[c.Name]
	}
	// A foreign partition has no index: PostgreSQL skips the parent's
	// (and refuses a unique one, see checkForeignElements).
	for iq, ix := range f.cat.Indexes {
		if ix.Table == q {
			delete(f.cat.Indexes, iq)
		}
	}
	return nil
}

// checkForeignElements refuses what PostgreSQL refuses on a foreign
// table: keys and exclusion constraints need an index, which a foreign
// table cannot have, and LIKE, as PostgreSQL refuses it; storage
// options are the table code's to refuse.
func (f *folder) checkForeignElements(st *stmt, cs *pg_query.CreateStmt) error {
	check := func(c *pg_query.Constraint) error {
		switch c.GetContype() {
		case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE,
			pg_query.ConstrType_CONSTR_EXCLUSION, pg_query.ConstrType_CONSTR_FOREIGN:
			return f.errorf(f.at(st, c.Location), "%s constraints are not supported on foreign tables", constraintWords[c.Contype])
		}
		return nil
	}
	for _, e := range cs.TableElts {
		if lc := e.GetTableLikeClause(); lc != nil {
			return f.errorf(f.at(st, lc.Relation.Location), "LIKE is not supported for creating foreign tables")
		}
		if err := check(e.GetConstraint()); err != nil {
			return err
		}
		for _, n := range e.GetColumnDef().GetConstraints() {
			if err := check(n.GetConstraint()); err != nil {
				return err
			}
		}
	}
	if p := f.cat.Tables[partitionParent(cs)]; p != nil && len(cs.InhRelations) == 1 && cs.Partbound != nil {
		for _, c := range p.Constraints {
			if c.Kind == schema.PrimaryKey || c.Kind == schema.Unique {
				return f.errorf(st.pos, "cannot create foreign partition of partitioned table %s: it has unique constraint %s, which a foreign table cannot enforce", p.Name, schema.QuoteIdent(c.Name))
			}
		}
	}
	if cs.Partspec != nil {
		return f.errorf(st.pos, "a foreign table cannot be partitioned (PARTITION BY): make the parent an ordinary table and the foreign tables its partitions")
	}
	return nil
}

// partitionParent is the table a CREATE ... PARTITION OF names, or none.
func partitionParent(cs *pg_query.CreateStmt) schema.QualifiedName {
	if cs.Partbound == nil || len(cs.InhRelations) != 1 {
		return schema.QualifiedName{}
	}
	return rangeVarName(cs.InhRelations[0].GetRangeVar())
}

// constraintWords names constraint types as PostgreSQL's messages do.
var constraintWords = map[pg_query.ConstrType]string{
	pg_query.ConstrType_CONSTR_PRIMARY:   "primary key",
	pg_query.ConstrType_CONSTR_UNIQUE:    "unique",
	pg_query.ConstrType_CONSTR_EXCLUSION: "exclusion",
	pg_query.ConstrType_CONSTR_FOREIGN:   "foreign key",
}

// relationKindError reports t named TABLE while it is a foreign table, or
// FOREIGN TABLE (foreign) while it is not: PostgreSQL tells the two apart
// in DROP, COMMENT ON and ALTER FOREIGN TABLE. A nil t is no error here.
func (f *folder) relationKindError(st *stmt, t *schema.Table, foreign bool) error {
	switch {
	case t == nil || t.IsForeign() == foreign:
		return nil
	case foreign:
		return f.errorf(st.pos, "%s is not a foreign table", t.Name)
	}
	return f.errorf(st.pos, "%s is not a table; to name a foreign table, write FOREIGN TABLE (DROP FOREIGN TABLE, COMMENT ON FOREIGN TABLE)", t.Name)
}

// asTable returns at as ALTER TABLE, which it is to the fold, for ALTER
// FOREIGN TABLE of a foreign table (or of none: the table code reports
// it missing).
func (f *folder) asTable(st *stmt, at *pg_query.AlterTableStmt) (*pg_query.AlterTableStmt, error) {
	if at.Objtype != pg_query.ObjectType_OBJECT_FOREIGN_TABLE {
		return at, nil
	}
	if err := f.relationKindError(st, f.cat.Tables[rangeVarName(at.Relation)], true); err != nil {
		return nil, err
	}
	c := proto.Clone(at).(*pg_query.AlterTableStmt)
	c.Objtype = pg_query.ObjectType_OBJECT_TABLE
	return c, nil
}

// foreignTableCmd folds the subcommands only a foreign table takes:
// OPTIONS of the table and ALTER COLUMN ... OPTIONS; handled is false for
// the others.
func (f *folder) foreignTableCmd(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd) (handled bool, err error) {
	if err := f.foreignRefuses(st, t, cmd); err != nil {
		return true, err
	}
	var o *schema.ForeignOptions
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_GenericOptions:
		o = &t.FDWOptions
	case pg_query.AlterTableType_AT_AlterColumnGenericOptions:
		c := t.Column(cmd.Name)
		if c == nil {
			return true, f.errorf(st.pos, "column %s of relation %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
		}
		o = &c.FDWOptions
	default:
		return false, nil
	}
	if !t.IsForeign() {
		return true, f.errorf(st.pos, "%s is not a foreign table: only foreign tables take OPTIONS", t.Name)
	}
	next := slices.Clone(*o)
	if err := f.foreignOptions(st, &next, cmd.Def.GetList().GetItems()); err != nil {
		return true, err
	}
	*o = next
	return true, nil
}

// localColumnOptions refuses column OPTIONS in a CREATE TABLE that is
// not CREATE FOREIGN TABLE's, as PostgreSQL does.
func (f *folder) localColumnOptions(st *stmt, cs *pg_query.CreateStmt) error {
	if st.node.GetCreateForeignTableStmt() != nil {
		return nil
	}
	for _, e := range cs.TableElts {
		if cd := e.GetColumnDef(); cd != nil && len(cd.Fdwoptions) > 0 {
			return f.errorf(f.at(st, cd.Location), "%s is not a foreign table: only a foreign table's columns take OPTIONS", rangeVarName(cs.Relation))
		}
	}
	return nil
}

// foreignRefuses refuses on foreign table t the ALTER TABLE subcommands
// PostgreSQL refuses there: keys, which need an index, and what is about
// local storage.
func (f *folder) foreignRefuses(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd) error {
	if !t.IsForeign() {
		return nil
	}
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AddConstraint:
		c := cmd.Def.GetConstraint()
		if w, ok := constraintWords[c.GetContype()]; ok {
			return f.errorf(f.at(st, c.GetLocation()), "%s constraints are not supported on foreign tables", w)
		}
	}
	if w, ok := storageActions[cmd.Subtype]; ok {
		return f.errorf(st.pos, "ALTER TABLE ... %s cannot be performed on foreign table %s", w, t.Name)
	}
	return nil
}

// storageActions are the ALTER TABLE actions about local storage and row
// security that PostgreSQL refuses on a foreign table, as SQL spells them.
var storageActions = map[pg_query.AlterTableType]string{
	pg_query.AlterTableType_AT_SetLogged:          "SET LOGGED",
	pg_query.AlterTableType_AT_SetUnLogged:        "SET UNLOGGED",
	pg_query.AlterTableType_AT_EnableRowSecurity:  "ENABLE ROW LEVEL SECURITY",
	pg_query.AlterTableType_AT_DisableRowSecurity: "DISABLE ROW LEVEL SECURITY",
	pg_query.AlterTableType_AT_ForceRowSecurity:   "FORCE ROW LEVEL SECURITY",
	pg_query.AlterTableType_AT_NoForceRowSecurity: "NO FORCE ROW LEVEL SECURITY",
	pg_query.AlterTableType_AT_ReplicaIdentity:    "REPLICA IDENTITY",
	pg_query.AlterTableType_AT_SetRelOptions:      "SET (...)",
	pg_query.AlterTableType_AT_ResetRelOptions:    "RESET (...)",
}

// foreignColumnOptions sets the OPTIONS of column col of ADD COLUMN cd,
// which only a foreign table's column takes.
func (f *folder) foreignColumnOptions(st *stmt, t *schema.Table, col *schema.Column, cd *pg_query.ColumnDef) error {
	if len(cd.Fdwoptions) == 0 {
		return nil
	}
	if !t.IsForeign() {
		return f.errorf(f.at(st, cd.Location), "%s is not a foreign table: only a foreign table's columns take OPTIONS", t.Name)
	}
	return f.foreignOptions(st, &col.FDWOptions, cd.Fdwoptions)
}

// dropForeignTable is DROP FOREIGN TABLE of q.
func (f *folder) dropForeignTable(st *stmt, q schema.QualifiedName, missingOK, cascade bool) error {
	if err := f.relationKindError(st, f.cat.Tables[q], true); err != nil {
		return err
	}
	if f.cat.Tables[q] == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "foreign table %s does not exist", q)
	}
	return f.dropTable(st, q, missingOK, cascade)
}

// dropServerTables drops the foreign tables of server name for DROP
// SERVER ... CASCADE, or without CASCADE reports the first.
func (f *folder) dropServerTables(st *stmt, name string, cascade bool) error {
	for _, q := range schema.SortedNames(f.cat.Tables) {
		if f.cat.Tables[q].Options.Server != name {
			continue
		}
		if !cascade {
			return f.errorf(st.pos, "cannot drop server %s because other objects depend on it (foreign table %s)", schema.QuoteIdent(name), q)
		}
		if err := f.dropTable(st, q, true, true); err != nil {
			return err
		}
	}
	return nil
}

func init() {
	ft := pg_query.ObjectType_OBJECT_FOREIGN_TABLE
	registerKind("foreign table", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_CreateForeignTableStmt](): func(f *folder, st *stmt) error {
				return f.createForeignTable(st, st.node.GetCreateForeignTableStmt())
			},
			on[*pg_query.Node_DropStmt](ft): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(obj *pg_query.Node, missingOK, cascade bool) error {
					return f.dropForeignTable(st, listName(obj.GetList().GetItems()), missingOK, cascade)
				})
			},
			on[*pg_query.Node_CommentStmt](ft): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				q := listName(cs.Object.GetList().GetItems())
				if err := f.relationKindError(st, f.cat.Tables[q], true); err != nil {
					return err
				}
				return f.setComment(st, schema.Object{Kind: schema.KindForeignTable, Name: q}, cs.Comment, "foreign table %s does not exist", q)
			},
			on[*pg_query.Node_RenameStmt](ft): func(f *folder, st *stmt) error {
				rs := proto.Clone(st.node.GetRenameStmt()).(*pg_query.RenameStmt)
				if err := f.relationKindError(st, f.cat.Tables[rangeVarName(rs.Relation)], true); err != nil {
					return err
				}
				rs.RenameType = pg_query.ObjectType_OBJECT_TABLE
				return f.rename(st, rs)
			},
		},
		objType:  ft,
		schemaOf: (*folder).relationSchema,
	})
}
