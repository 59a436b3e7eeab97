package lint

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/schema"
)

// qname names a relation as the catalog does: the parser qualified it when
// the search path is not the default, so an unqualified name is public.
func qname(rv *pg_query.RangeVar) schema.QualifiedName {
	if rv == nil {
		return schema.QualifiedName{}
	}
	q := schema.QualifiedName{Schema: rv.Schemaname, Name: rv.Relname}
	if q.Schema == "" {
		q.Schema = schema.DefaultSchema
	}
	return q
}

// show prints a name for a message, without the default schema.
func show(q schema.QualifiedName) string {
	if q.Schema == schema.DefaultSchema {
		q.Schema = ""
	}
	return q.String()
}

func (f *file) isNew(rv *pg_query.RangeVar) bool {
	_, ok := f.created[qname(rv)]
	return ok
}

// statement applies the rules of one statement's kind.
func (f *file) statement(st parser.Statement) {
	n := st.Node
	f.zoneLiterals(n)
	switch {
	case n.GetCreateStmt() != nil:
		f.createTable(n.GetCreateStmt())
	case n.GetCreateTableAsStmt() != nil && n.GetCreateTableAsStmt().Into != nil:
		f.created[qname(n.GetCreateTableAsStmt().Into.Rel)] = f.cur
	case n.GetViewStmt() != nil:
		f.created[qname(n.GetViewStmt().View)] = f.cur
	case n.GetAlterTableStmt() != nil:
		f.alterTable(n.GetAlterTableStmt())
	case n.GetIndexStmt() != nil:
		f.createIndex(n.GetIndexStmt())
	case n.GetDropStmt() != nil:
		f.drop(n.GetDropStmt())
	case n.GetRenameStmt() != nil:
		f.rename(n.GetRenameStmt())
	case n.GetTruncateStmt() != nil:
		f.truncate(n.GetTruncateStmt())
	case n.GetDropdbStmt() != nil:
		f.report(CodeDropDatabase, "DROP DATABASE destroys every table in it")
	case n.GetTransactionStmt() != nil:
		f.transaction(n.GetTransactionStmt())
	default:
		f.maintenance(n)
	}
	f.createdAgain(n)
}

// createIndex: a plain CREATE INDEX blocks writes unless its table is new.
func (f *file) createIndex(ix *pg_query.IndexStmt) {
	switch {
	case ix.Concurrent && !f.noTx:
		f.report(CodeConcurrentInTransaction, "CREATE INDEX CONCURRENTLY cannot run inside the migration's transaction")
	case !ix.Concurrent && !f.isNew(ix.Relation) && f.cat.Tables[qname(ix.Relation)] != nil:
		f.report(CodeCreateIndex, "CREATE INDEX on %s without CONCURRENTLY blocks writes while it builds", show(qname(ix.Relation)))
	}
	if !ix.Unique && len(ix.IndexParams) > maxIndexColumns {
		f.report(CodeIndexTooManyColumns, "index on %s has %d key columns; more than %d rarely helps a non-unique index", show(qname(ix.Relation)), len(ix.IndexParams), maxIndexColumns)
	}
}

// maxIndexColumns is strong_migrations' limit for a non-unique index.
const maxIndexColumns = 3

func (f *file) drop(d *pg_query.DropStmt) {
	switch d.RemoveType {
	case pg_query.ObjectType_OBJECT_TABLE:
		if !f.allNew(d.Objects) {
			f.report(CodeDropTable, "DROP TABLE loses the table's rows")
		}
	case pg_query.ObjectType_OBJECT_INDEX:
		switch {
		case d.Concurrent && !f.noTx:
			f.report(CodeConcurrentInTransaction, "DROP INDEX CONCURRENTLY cannot run inside the migration's transaction")
		case !d.Concurrent:
			f.report(CodeDropIndex, "DROP INDEX without CONCURRENTLY blocks reads and writes of its table")
		}
	case pg_query.ObjectType_OBJECT_SCHEMA:
		f.report(CodeDropSchema, "DROP SCHEMA drops whatever it still holds")
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		f.report(CodeDropSequence, "DROP SEQUENCE loses its current value")
	case pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN:
		f.report(CodeDropType, "DROP TYPE/DOMAIN fails while a column uses it, and with CASCADE drops those columns")
	default:
		f.dropOther(d)
	}
}

// dropOther notes the drops of what queries and code use, with the
// planner's codes for them: queries that read a view or call a function
// fail from then on. finish reports those not created again later in the
// file (changing a view's columns or a function's result type takes a drop
// and a create, as generate writes them).
func (f *file) dropOther(d *pg_query.DropStmt) {
	kind, code, what := dropKind(d.RemoveType)
	if code == "" || (kind == "view" && f.allNew(d.Objects)) {
		return
	}
	var keys []string
	for _, o := range d.Objects {
		keys = append(keys, kind+":"+lastName(o))
	}
	f.drops = append(f.drops, pendingDrop{st: f.cur, code: code, msg: what, keys: keys})
}

// pendingDrop is a drop reported at the end of the file unless what it
// drops is created again.
type pendingDrop struct {
	st        parser.Statement
	code, msg string
	keys      []string // kind:name of each object
}

func dropKind(t pg_query.ObjectType) (kind, code, what string) {
	switch t {
	case pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		return "view", CodeDropView, "DROP VIEW: queries that read it fail from then on"
	case pg_query.ObjectType_OBJECT_FUNCTION, pg_query.ObjectType_OBJECT_PROCEDURE, pg_query.ObjectType_OBJECT_ROUTINE:
		return "function", CodeDropFunction, "DROP FUNCTION: callers fail from then on"
	case pg_query.ObjectType_OBJECT_AGGREGATE:
		return "aggregate", CodeDropAggregate, "DROP AGGREGATE: queries that call it fail from then on"
	case pg_query.ObjectType_OBJECT_TRIGGER:
		return "trigger", CodeDropTrigger, "DROP TRIGGER: what it did on each write silently stops"
	case pg_query.ObjectType_OBJECT_POLICY:
		return "policy", CodeDropPolicy, "DROP POLICY: the roles it covered lose (or gain) access to its rows"
	case pg_query.ObjectType_OBJECT_PUBLICATION:
		return "publication", CodeDropPublication, "DROP PUBLICATION: its subscriptions stop receiving changes"
	case pg_query.ObjectType_OBJECT_TSDICTIONARY, pg_query.ObjectType_OBJECT_TSCONFIGURATION:
		return "textsearch", CodeDropTextSearch, "DROP TEXT SEARCH: queries that name it fail from then on"
	case pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
		return "foreign table", CodeDropForeignTable, "DROP FOREIGN TABLE: what reads it fails from then on"
	case pg_query.ObjectType_OBJECT_FOREIGN_SERVER, pg_query.ObjectType_OBJECT_FDW:
		return "server", CodeDropServer, "DROP SERVER / FOREIGN DATA WRAPPER: what reads the remote data through it fails from then on"
	}
	return "", "", ""
}

// created notes the objects a statement creates that a drop before it may
// have dropped.
func (f *file) createdAgain(n *pg_query.Node) {
	add := func(kind string, names []*pg_query.Node) {
		if len(names) > 0 {
			f.again[kind+":"+names[len(names)-1].GetString_().GetSval()] = true
		}
	}
	switch {
	case n.GetViewStmt() != nil:
		f.again["view:"+n.GetViewStmt().View.GetRelname()] = true
	case n.GetCreateTableAsStmt() != nil && n.GetCreateTableAsStmt().Into != nil:
		f.again["view:"+n.GetCreateTableAsStmt().Into.Rel.GetRelname()] = true
	case n.GetCreateFunctionStmt() != nil:
		add("function", n.GetCreateFunctionStmt().Funcname)
	case n.GetCreateTrigStmt() != nil:
		f.again["trigger:"+n.GetCreateTrigStmt().Trigname] = true
	case n.GetCreatePolicyStmt() != nil:
		f.again["policy:"+n.GetCreatePolicyStmt().PolicyName] = true
	case n.GetCreatePublicationStmt() != nil:
		f.again["publication:"+n.GetCreatePublicationStmt().Pubname] = true
	case n.GetCreateForeignTableStmt() != nil:
		f.again["foreign table:"+n.GetCreateForeignTableStmt().GetBaseStmt().GetRelation().GetRelname()] = true
	case n.GetCreateForeignServerStmt() != nil:
		f.again["server:"+n.GetCreateForeignServerStmt().Servername] = true
	case n.GetDefineStmt() != nil:
		d := n.GetDefineStmt()
		switch d.Kind {
		case pg_query.ObjectType_OBJECT_AGGREGATE:
			add("aggregate", d.Defnames)
		case pg_query.ObjectType_OBJECT_TSDICTIONARY, pg_query.ObjectType_OBJECT_TSCONFIGURATION:
			add("textsearch", d.Defnames)
		}
	}
}

// lastName is the unqualified name in a DROP's object: a name list, a
// function with its arguments, or a bare name.
func lastName(o *pg_query.Node) string {
	items := o.GetList().GetItems()
	if ow := o.GetObjectWithArgs(); ow != nil {
		items = ow.Objname
	}
	if len(items) == 0 {
		return o.GetString_().GetSval()
	}
	return items[len(items)-1].GetString_().GetSval()
}

// reportDrops reports the pending drops whose objects were not all created
// again.
func (f *file) reportDrops() {
	for _, d := range f.drops {
		for _, k := range d.keys {
			if !f.again[k] {
				f.cur = d.st
				f.report(d.code, "%s", d.msg)
				break
			}
		}
	}
}

// allNew reports whether every table a DROP names was created in this file.
func (f *file) allNew(objs []*pg_query.Node) bool {
	for _, o := range objs {
		var names []string
		for _, s := range o.GetList().GetItems() {
			names = append(names, s.GetString_().GetSval())
		}
		q := schema.QualifiedName{Schema: schema.DefaultSchema}
		switch len(names) {
		case 1:
			q.Name = names[0]
		case 2:
			q.Schema, q.Name = names[0], names[1]
		default:
			return false
		}
		if _, ok := f.created[q]; !ok {
			return false
		}
	}
	return len(objs) > 0
}

func (f *file) rename(r *pg_query.RenameStmt) {
	if f.generated || f.isNew(r.Relation) {
		return // a generated rename is one the user declared
	}
	switch r.RenameType {
	case pg_query.ObjectType_OBJECT_COLUMN:
		f.report(CodeRenameColumn, "RENAME COLUMN %s.%s breaks code that uses the old name", show(qname(r.Relation)), r.Subname)
	case pg_query.ObjectType_OBJECT_TABLE:
		f.report(CodeRenameTable, "RENAME TABLE %s breaks code that uses the old name", show(qname(r.Relation)))
	}
}

func (f *file) truncate(t *pg_query.TruncateStmt) {
	if t.Behavior == pg_query.DropBehavior_DROP_CASCADE {
		f.report(CodeTruncateCascade, "TRUNCATE ... CASCADE also empties every table that references these")
	}
}

func (f *file) transaction(t *pg_query.TransactionStmt) {
	switch t.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN, pg_query.TransactionStmtKind_TRANS_STMT_START,
		pg_query.TransactionStmtKind_TRANS_STMT_COMMIT, pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		f.report(CodeTransactionNesting, "transaction control inside a migration ends the runner's transaction early")
	}
}
