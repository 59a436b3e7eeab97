package lint

import pg_query "github.com/pganalyze/pg_query_go/v5"

// createIndex: a plain CREATE INDEX blocks writes unless its table is new.
func (f *file) createIndex(ix *pg_query.IndexStmt) {
	switch {
	case ix.Concurrent && !f.noTx:
		f.report(CodeConcurrentInTransaction, "CREATE INDEX CONCURRENTLY cannot run inside the migration's transaction")
	case !ix.Concurrent && !f.isNew(ix.Relation):
		f.report(CodeCreateIndex, "CREATE INDEX on %s without CONCURRENTLY blocks writes while it builds", key(ix.Relation))
	}
}

func (f *file) drop(d *pg_query.DropStmt) {
	switch d.RemoveType {
	case pg_query.ObjectType_OBJECT_TABLE:
		f.report(CodeDropTable, "DROP TABLE loses the table's rows")
	case pg_query.ObjectType_OBJECT_INDEX:
		switch {
		case d.Concurrent && !f.noTx:
			f.report(CodeConcurrentInTransaction, "DROP INDEX CONCURRENTLY cannot run inside the migration's transaction")
		case !d.Concurrent:
			f.report(CodeDropIndex, "DROP INDEX without CONCURRENTLY blocks reads and writes of its table")
		}
	}
}

func (f *file) rename(r *pg_query.RenameStmt) {
	switch r.RenameType {
	case pg_query.ObjectType_OBJECT_COLUMN:
		if !f.isNew(r.Relation) {
			f.report(CodeRenameColumn, "RENAME COLUMN %s.%s breaks code that uses the old name", key(r.Relation), r.Subname)
		}
	case pg_query.ObjectType_OBJECT_TABLE:
		if !f.isNew(r.Relation) {
			f.report(CodeRenameTable, "RENAME TABLE %s breaks code that uses the old name", key(r.Relation))
		}
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
