package lint

// Hazard codes. Codes the planner also writes (planner/hazard.go) keep its
// spelling, so a generated file's marker silences the same finding.
const (
	CodeDropTable               = "drop-table"
	CodeDropColumn              = "drop-column"
	CodeSetNotNull              = "set-not-null"
	CodeAddNotNullColumn        = "add-not-null-column"
	CodeCreateIndex             = "create-index"
	CodeAddPrimaryKey           = "add-primary-key"
	CodeAddUniqueConstraint     = "add-unique-constraint"
	CodeAddExclusionConstraint  = "add-exclusion-constraint"
	CodeAddForeignKey           = "add-foreign-key"
	CodeAddCheckConstraint      = "add-check-constraint"
	CodeAlterColumnType         = "alter-column-type"
	CodeDropIndex               = "drop-index"
	CodeRenameColumn            = "rename-column"
	CodeRenameTable             = "rename-table"
	CodeTruncateCascade         = "truncate-cascade"
	CodeDropDatabase            = "drop-database"
	CodeConcurrentInTransaction = "concurrent-in-transaction"
	CodeTransactionNesting      = "transaction-nesting"
)

// Rules lists every code the linter reports, in documentation order.
var Rules = []Rule{
	{CodeDropTable, "DROP TABLE loses the table's rows.", "Stop using the table in a release first; drop it in a later migration and mark it -- ddlmig:reviewed drop-table: reason."},
	{CodeDropColumn, "DROP COLUMN loses the column's data and breaks code that still reads it.", "Stop reading the column in a release first, then drop it and mark it reviewed."},
	{CodeSetNotNull, "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock.", "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c; then SET NOT NULL (PostgreSQL 12+ skips the scan)."},
	{CodeAddNotNullColumn, "ADD COLUMN ... NOT NULL without a default fails on a table with rows.", "Add the column with a DEFAULT, or nullable, backfill, then set NOT NULL."},
	{CodeCreateIndex, "CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds.", "CREATE INDEX CONCURRENTLY in a -- ddlmig:no-transaction migration."},
	{CodeAddPrimaryKey, "ADD PRIMARY KEY builds an index under an ACCESS EXCLUSIVE lock.", "CREATE UNIQUE INDEX CONCURRENTLY, then ADD PRIMARY KEY USING INDEX."},
	{CodeAddUniqueConstraint, "ADD UNIQUE builds an index under an ACCESS EXCLUSIVE lock.", "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX."},
	{CodeAddExclusionConstraint, "ADD EXCLUDE builds an index under an ACCESS EXCLUSIVE lock.", "There is no online form; run it in a maintenance window and mark it reviewed."},
	{CodeAddForeignKey, "ADD FOREIGN KEY scans the table while it locks both tables.", "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement."},
	{CodeAddCheckConstraint, "ADD CHECK scans the table under an ACCESS EXCLUSIVE lock.", "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement."},
	{CodeAlterColumnType, "ALTER COLUMN TYPE may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock.", "Add a new column, backfill it, switch readers, drop the old one; or mark it reviewed when the change is binary-coercible."},
	{CodeDropIndex, "DROP INDEX without CONCURRENTLY blocks reads and writes of the table.", "DROP INDEX CONCURRENTLY in a -- ddlmig:no-transaction migration."},
	{CodeRenameColumn, "RENAME COLUMN breaks running code that uses the old name.", "Add the new column, write both, switch readers, drop the old one; or mark it reviewed."},
	{CodeRenameTable, "RENAME TABLE breaks running code that uses the old name.", "Create a view with the old name during the switch; or mark it reviewed."},
	{CodeTruncateCascade, "TRUNCATE ... CASCADE empties every table that references this one too.", "TRUNCATE the tables by name."},
	{CodeDropDatabase, "DROP DATABASE destroys the database.", "Do not drop databases from a migration."},
	{CodeConcurrentInTransaction, "CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction.", "Put -- ddlmig:no-transaction on the file's first line."},
	{CodeTransactionNesting, "BEGIN/COMMIT inside a migration ends the runner's transaction early.", "Remove them: ddlmig runs each file in one transaction (or mark it -- ddlmig:no-transaction)."},
}
