package parser

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// Planner settings that pg_dump writes and users tune, but that ddlmig does
// not model: storage, compression and
// attribute options (n_distinct...), the index a table is clustered on
// (pg_index.indisclustered), extended statistics (CREATE STATISTICS), and
// the statistics targets of partitions and materialized views (those of
// tables and indexes are modelled: see stattarget.go).
// They change no data and no constraint; the statements are checked for the
// objects they name and then skipped with a warning, never silently, so
// that a pg_dump file or a migration that sets them still folds. A setting
// that differs between two schemas therefore gives no migration, and a table
// that a migration re-creates loses it.

// unmanagedSetting describes an ALTER TABLE subcommand that sets one of
// those: the subcommand as written (roughly) and what ddlmig does not
// manage. ok is false for every other subcommand.
func unmanagedSetting(cmd *pg_query.AlterTableCmd) (what, setting string, ok bool) {
	col := func() string {
		if cmd.Name == "" {
			return "ALTER COLUMN " + strconv.Itoa(int(cmd.Num))
		}
		return "ALTER COLUMN " + schema.QuoteIdent(cmd.Name)
	}
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_SetStatistics:
		what = col() + " SET STATISTICS"
		if i := cmd.Def.GetInteger(); i != nil {
			what += " " + strconv.Itoa(int(i.Ival))
		}
		return what, "statistics targets of this relation", true
	case pg_query.AlterTableType_AT_SetStorage:
		what = col() + " SET STORAGE"
		if s := cmd.Def.GetString_(); s != nil {
			what += " " + strings.ToUpper(s.Sval)
		}
		return what, "column storage", true
	case pg_query.AlterTableType_AT_SetCompression:
		what = col() + " SET COMPRESSION"
		if s := cmd.Def.GetString_(); s != nil {
			what += " " + s.Sval
		}
		return what, "column compression", true
	case pg_query.AlterTableType_AT_SetOptions, pg_query.AlterTableType_AT_ResetOptions:
		verb := " SET ("
		if cmd.Subtype == pg_query.AlterTableType_AT_ResetOptions {
			verb = " RESET ("
		}
		var names []string
		for _, o := range cmd.Def.GetList().GetItems() {
			names = append(names, o.GetDefElem().GetDefname())
		}
		return col() + verb + strings.Join(names, ", ") + ")", "column attribute options (n_distinct, n_distinct_inherited)", true
	case pg_query.AlterTableType_AT_ClusterOn:
		return "CLUSTER ON " + schema.QuoteIdent(cmd.Name), "the index a table is clustered on", true
	case pg_query.AlterTableType_AT_DropCluster:
		return "SET WITHOUT CLUSTER", "the index a table is clustered on", true
	}
	return "", "", false
}

// allUnmanaged reports whether every subcommand of an ALTER sets a setting
// ddlmig does not manage.
func allUnmanaged(at *pg_query.AlterTableStmt) bool {
	for _, n := range at.Cmds {
		if _, _, ok := unmanagedSetting(n.GetAlterTableCmd()); !ok {
			return false
		}
	}
	return len(at.Cmds) > 0
}

// warnUnmanaged skips one such subcommand with a warning.
func (f *folder) warnUnmanaged(st *stmt, kind string, q schema.QualifiedName, cmd *pg_query.AlterTableCmd) {
	what, setting, _ := unmanagedSetting(cmd)
	if kind == "MATVIEW" {
		kind = "MATERIALIZED VIEW"
	}
	f.warn(st, "skipped ALTER "+kind+" "+q.String()+" "+what+": ddlmig does not manage "+setting)
}

// unmanagedOnRelation skips an ALTER INDEX, ALTER MATERIALIZED VIEW or
// ALTER TABLE of a relation that is not a table (ALTER TABLE works on any
// relation, and pg_dump writes ALTER INDEX ... ALTER COLUMN 1 SET
// STATISTICS for an expression index) when all it does is set unmanaged
// settings: the relation must exist.
func (f *folder) unmanagedOnRelation(st *stmt, at *pg_query.AlterTableStmt) error {
	q := rangeVarName(at.Relation)
	if f.cat.Views[q] == nil && !f.relationTaken(q.Schema, false)(q.Name) {
		if at.MissingOk {
			return nil
		}
		return f.missingf(f.at(st, at.Relation.Location), "relation %s does not exist", q)
	}
	var errs schema.ErrorList
	for _, n := range at.Cmds {
		ok, err := f.setIndexStatistics(st, q, n.GetAlterTableCmd())
		if !ok {
			ok, err = f.setViewStatistics(st, q, n.GetAlterTableCmd())
		}
		addErr(&errs, err)
		if !ok {
			f.warnUnmanaged(st, objTypeName(at.Objtype), q, n.GetAlterTableCmd())
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// tableIndexExists reports whether the table has an index named name: a
// standalone one or a constraint's.
func (f *folder) tableIndexExists(t *schema.Table, name string) bool {
	if ix := f.cat.Indexes[schema.QualifiedName{Schema: t.Name.Schema, Name: name}]; ix != nil {
		return ix.Table == t.Name
	}
	c := t.Constraint(name)
	return c != nil && hasIndex(c.Kind)
}

// unmanagedTableCmd checks an unmanaged subcommand of ALTER TABLE against
// the table (its column or index must exist, as PostgreSQL checks) and
// skips it with a warning.
func (f *folder) unmanagedTableCmd(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd) error {
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_ClusterOn:
		if !f.tableIndexExists(t, cmd.Name) {
			return f.missingf(st.pos, "index %s for table %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
		}
	case pg_query.AlterTableType_AT_DropCluster:
	default:
		if cmd.Name == "" {
			return f.errorf(st.pos, "cannot refer to non-index column by number")
		}
		if t.Column(cmd.Name) == nil {
			return f.errorf(st.pos, "column %s of relation %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
		}
	}
	f.warnUnmanaged(st, "TABLE", t.Name, cmd)
	return nil
}

// unmanagedStmt skips CLUSTER with a warning; ok is false for any other
// statement.
func (f *folder) unmanagedStmt(st *stmt) (ok bool, err error) {
	if _, ok := st.node.Node.(*pg_query.Node_ClusterStmt); ok {
		f.warn(st, "skipped CLUSTER: ddlmig does not manage the index a table is clustered on, and the statement rewrites the table")
		return true, nil
	}
	return false, nil
}
