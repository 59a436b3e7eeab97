package lint

import "github.com/ddlmig/ddlmig/planner"

// Rule describes one hazard code the linter reports and the safer form,
// for --rules, --format sarif and the README table.
type Rule struct {
	Code  string
	Short string
	Help  string
	// Style is true for a rule about a design choice rather than a lock or
	// data loss: it is off unless Config.Style, and skips generated files,
	// whose column types are schema.sql's.
	Style bool
	// Peers names the rules of squawk and strong_migrations this one
	// covers, for users coming from them.
	Peers string
}

// Hazard codes. Codes the planner also writes (planner/hazard.go) keep its
// spelling, so a generated file's marker silences the same finding.
const (
	CodeDropTable                = planner.HazardDropTable
	CodeDropColumn               = planner.HazardDropColumn
	CodeDropSchema               = planner.HazardDropSchema
	CodeDropSequence             = planner.HazardDropSequence
	CodeDropType                 = planner.HazardDropType
	CodeSetNotNull               = planner.HazardSetNotNull
	CodeAddNotNullColumn         = planner.HazardAddNotNullColumn
	CodeAddColumnRewrite         = planner.HazardAddColumnRewrite
	CodeCreateIndex              = planner.HazardCreateIndex
	CodeAddPrimaryKey            = planner.HazardAddPrimaryKey
	CodeAddUniqueConstraint      = planner.HazardAddUniqueConstraint
	CodeAddExclusionConstraint   = planner.HazardAddExclusionConstraint
	CodeAddForeignKey            = planner.HazardAddForeignKey
	CodeAddCheckConstraint       = planner.HazardAddCheckConstraint
	CodeTypeChangeLossy          = planner.HazardTypeChangeLossy
	CodeTypeChangeRewrite        = planner.HazardTypeChangeRewrite
	CodeTypeChangeReindex        = planner.HazardTypeChangeReindex
	CodeDropView                 = planner.HazardDropView
	CodeDropFunction             = planner.HazardDropFunction
	CodeDropAggregate            = planner.HazardDropAggregate
	CodeDropTrigger              = planner.HazardDropTrigger
	CodeDropPolicy               = planner.HazardDropPolicy
	CodeDropPublication          = planner.HazardDropPublication
	CodeDropTextSearch           = planner.HazardDropTextSearch
	CodeDropServer               = planner.HazardDropServer
	CodeDropForeignTable         = planner.HazardDropForeignTable
	CodeDisableRowSecurity       = planner.HazardDisableRowSecurity
	CodeSetLogged                = planner.HazardSetLogged
	CodeAttachPartition          = planner.HazardAttachPartition
	CodeAlterColumnType          = "alter-column-type"
	CodeDropNotNull              = "drop-not-null"
	CodeDropIndex                = "drop-index"
	CodeRenameColumn             = "rename-column"
	CodeRenameTable              = "rename-table"
	CodeTruncateCascade          = "truncate-cascade"
	CodeDropDatabase             = "drop-database"
	CodeConcurrentInTransaction  = "concurrent-in-transaction"
	CodeTransactionNesting       = "transaction-nesting"
	CodeRewriteTable             = "rewrite-table"
	CodeReindex                  = "reindex"
	CodeRefreshMatview           = "refresh-materialized-view"
	CodeUnboundedUpdate          = "unbounded-update"
	CodeUnboundedDelete          = "unbounded-delete"
	CodeAlterDomainAddConstraint = "alter-domain-add-constraint"
	CodeDomainCheck              = "domain-check"
	CodeCharType                 = "char-type"
	CodePreferText               = "prefer-text"
	CodePreferBigint             = "prefer-bigint"
	CodePreferIdentity           = "prefer-identity"
	CodePreferTimestamptz        = "prefer-timestamptz"
	CodeJSONType                 = "json-type"
	CodeIndexTooManyColumns      = "index-too-many-columns"
	CodeNoPrimaryKey             = "no-primary-key"
	CodeTimestamptzLiteral       = "timestamptz-literal-zone"
)

// Rules lists every code the linter reports, in documentation order.
var Rules = []Rule{
	{Code: CodeDropTable, Short: "DROP TABLE loses the table's rows.", Help: "Stop using the table in a release first; drop it in a later migration and mark it -- ddlmig:reviewed drop-table: reason.", Peers: "squawk ban-drop-table, strong_migrations remove_table"},
	{Code: CodeDropColumn, Short: "DROP COLUMN loses the column's data and breaks code that still reads it.", Help: "Stop reading the column in a release first, then drop it and mark it reviewed.", Peers: "squawk ban-drop-column, strong_migrations remove_column"},
	{Code: CodeDropSchema, Short: "DROP SCHEMA drops whatever the schema still holds (with CASCADE).", Help: "Drop the objects by name first, so each loss is reviewed; then drop the empty schema.", Peers: ""},
	{Code: CodeDropSequence, Short: "DROP SEQUENCE loses the sequence's current value.", Help: "Make sure no column's default still calls it, then mark it reviewed.", Peers: ""},
	{Code: CodeDropType, Short: "DROP TYPE or DROP DOMAIN fails while a column uses it; with CASCADE it drops those columns.", Help: "Convert the columns first (ALTER COLUMN ... TYPE), then drop the type without CASCADE.", Peers: ""},
	{Code: CodeSetNotNull, Short: "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock.", Help: "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c; then SET NOT NULL (PostgreSQL 12+ skips the scan: lint knows the validated check and does not flag it).", Peers: "squawk adding-not-nullable-field, strong_migrations change_column_null"},
	{Code: CodeAddNotNullColumn, Short: "ADD COLUMN ... NOT NULL without a default fails on a table with rows.", Help: "Add the column with a DEFAULT, or nullable, backfill, then set NOT NULL.", Peers: "squawk adding-required-field"},
	{Code: CodeAddColumnRewrite, Short: "ADD COLUMN with a volatile default, an identity or a stored generated column rewrites the table.", Help: "Add the column without the default, set the default, backfill in batches.", Peers: "squawk adding-field-with-default, adding-serial-primary-key-field; strong_migrations add_column_default, add_column_generated_stored, add_column_auto_incrementing"},
	{Code: CodeCreateIndex, Short: "CREATE INDEX without CONCURRENTLY blocks writes to an existing table while it builds.", Help: "CREATE INDEX CONCURRENTLY in a -- ddlmig:no-transaction migration.", Peers: "squawk require-concurrent-index-creation, strong_migrations add_index"},
	{Code: CodeAddPrimaryKey, Short: "ADD PRIMARY KEY builds an index under an ACCESS EXCLUSIVE lock.", Help: "CREATE UNIQUE INDEX CONCURRENTLY, then ADD PRIMARY KEY USING INDEX.", Peers: "squawk adding-primary-key-constraint"},
	{Code: CodeAddUniqueConstraint, Short: "ADD UNIQUE builds an index under an ACCESS EXCLUSIVE lock.", Help: "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX.", Peers: "squawk disallowed-unique-constraint, strong_migrations add_unique_constraint"},
	{Code: CodeAddExclusionConstraint, Short: "ADD EXCLUDE builds an index under an ACCESS EXCLUSIVE lock.", Help: "There is no online form; run it in a maintenance window and mark it reviewed.", Peers: "strong_migrations add_exclusion_constraint"},
	{Code: CodeAddForeignKey, Short: "ADD FOREIGN KEY scans the table while it locks both tables.", Help: "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement.", Peers: "squawk adding-foreign-key-constraint, constraint-missing-not-valid; strong_migrations add_foreign_key, add_reference"},
	{Code: CodeAddCheckConstraint, Short: "ADD CHECK scans the table under an ACCESS EXCLUSIVE lock.", Help: "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement.", Peers: "squawk constraint-missing-not-valid, strong_migrations add_check_constraint"},
	{Code: CodeTypeChangeLossy, Short: "ALTER COLUMN TYPE that can reject or change values (the planner's classification), rewriting the table.", Help: "Check the data first; convert in steps with a new column when the table is large.", Peers: "squawk changing-column-type, strong_migrations change_column"},
	{Code: CodeTypeChangeRewrite, Short: "ALTER COLUMN TYPE that keeps every value but rewrites the table and its indexes (int to bigint).", Help: "Add a column of the new type, backfill it in batches, switch over in a later migration.", Peers: "squawk changing-column-type, strong_migrations change_column"},
	{Code: CodeTypeChangeReindex, Short: "ALTER COLUMN TYPE that rewrites no row but rebuilds the column's indexes.", Help: "Drop the column's indexes first and create them again CONCURRENTLY after the change.", Peers: "squawk changing-column-type"},
	{Code: CodeAlterColumnType, Short: "ALTER COLUMN TYPE of a column lint cannot see (the statement does not fold): it may rewrite the table.", Help: "Fix the fold error; lint then classifies the change as the planner does (a widening such as varchar(10) to varchar(20) is not flagged).", Peers: "squawk changing-column-type"},
	{Code: CodeDropNotNull, Short: "DROP NOT NULL lets NULLs into a column that running code may read as never NULL.", Help: "Release code that handles NULL first, then mark it reviewed.", Peers: "squawk ban-drop-not-null"},
	{Code: CodeDropIndex, Short: "DROP INDEX without CONCURRENTLY blocks reads and writes of the table.", Help: "DROP INDEX CONCURRENTLY in a -- ddlmig:no-transaction migration.", Peers: "squawk require-concurrent-index-deletion"},
	{Code: CodeRenameColumn, Short: "RENAME COLUMN breaks running code that uses the old name.", Help: "Add the new column, write both, switch readers, drop the old one; or mark it reviewed. A generated file's renames are ones you declared and are not flagged.", Peers: "squawk renaming-column, strong_migrations rename_column"},
	{Code: CodeRenameTable, Short: "RENAME TABLE breaks running code that uses the old name.", Help: "Create a view with the old name during the switch; or mark it reviewed.", Peers: "squawk renaming-table, strong_migrations rename_table"},
	{Code: CodeTruncateCascade, Short: "TRUNCATE ... CASCADE empties every table that references this one too.", Help: "TRUNCATE the tables by name.", Peers: "squawk ban-truncate-cascade"},
	{Code: CodeDropDatabase, Short: "DROP DATABASE destroys the database.", Help: "Do not drop databases from a migration.", Peers: "squawk ban-drop-database"},
	{Code: CodeConcurrentInTransaction, Short: "CREATE/DROP INDEX and REINDEX CONCURRENTLY cannot run inside a transaction.", Help: "Put -- ddlmig:no-transaction on the file's first line.", Peers: "squawk ban-concurrent-index-creation-in-transaction"},
	{Code: CodeTransactionNesting, Short: "BEGIN/COMMIT inside a migration ends the runner's transaction early.", Help: "Remove them: ddlmig runs each file in one transaction (or mark it -- ddlmig:no-transaction).", Peers: "squawk transaction-nesting, ban-uncommitted-transaction"},
	{Code: CodeRewriteTable, Short: "VACUUM FULL, CLUSTER and ALTER TABLE SET TABLESPACE rewrite the table under an ACCESS EXCLUSIVE lock.", Help: "Use pg_repack or pg_squeeze online, outside migrations.", Peers: "strong_migrations (VACUUM FULL in its docs)"},
	{Code: CodeReindex, Short: "REINDEX without CONCURRENTLY blocks writes, and reads that use the index.", Help: "REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a -- ddlmig:no-transaction migration.", Peers: ""},
	{Code: CodeRefreshMatview, Short: "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view.", Help: "Give the view a unique index and REFRESH ... CONCURRENTLY.", Peers: ""},
	{Code: CodeUnboundedUpdate, Short: "UPDATE without WHERE on an existing table rewrites every row in one transaction.", Help: "Backfill in batches outside the schema migration (or mark it reviewed for a small table).", Peers: "strong_migrations backfilling data"},
	{Code: CodeUnboundedDelete, Short: "DELETE without WHERE on an existing table removes every row.", Help: "Say which rows with WHERE; TRUNCATE is the honest spelling when all of them must go.", Peers: ""},
	{Code: CodeAlterDomainAddConstraint, Short: "ALTER DOMAIN ADD CONSTRAINT checks every column of the domain under a lock.", Help: "ADD CONSTRAINT ... NOT VALID, then ALTER DOMAIN ... VALIDATE CONSTRAINT.", Peers: "squawk ban-alter-domain-with-add-constraint"},
	{Code: CodeDomainCheck, Short: "A CHECK on a domain makes every later change of it scan every column of the domain.", Help: "Put the CHECK on the table's columns instead.", Peers: "squawk ban-create-domain-with-constraint", Style: true},
	{Code: CodeCharType, Short: "char(n) pads values with spaces and saves no space over text.", Help: "Use text (with a CHECK on length if the limit matters).", Peers: "squawk ban-char-field", Style: true},
	{Code: CodePreferText, Short: "varchar(n): raising the limit later is a migration.", Help: "Use text with CHECK (length(col) <= n), which can be changed NOT VALID.", Peers: "squawk prefer-text-field", Style: true},
	{Code: CodePreferBigint, Short: "smallint/integer (and serial) columns run out on busy tables; widening them rewrites the table.", Help: "Use bigint (bigint identity for keys).", Peers: "squawk prefer-big-int, prefer-bigint-over-int, prefer-bigint-over-smallint", Style: true},
	{Code: CodePreferIdentity, Short: "serial columns own a separate sequence with its own grants and ownership.", Help: "Use bigint GENERATED BY DEFAULT AS IDENTITY.", Peers: "squawk prefer-identity", Style: true},
	{Code: CodePreferTimestamptz, Short: "timestamp without time zone is read differently per session time zone.", Help: "Use timestamptz.", Peers: "squawk prefer-timestamptz", Style: true},
	{Code: CodeJSONType, Short: "json has no equality operator and is parsed on every read.", Help: "Use jsonb.", Peers: "strong_migrations add_column_json", Style: true},
	{Code: CodeIndexTooManyColumns, Short: "A non-unique index on more than three columns rarely helps and costs every write.", Help: "Index the leading, most selective columns only.", Peers: "strong_migrations add_index_columns", Style: true},
	{Code: CodeTimestamptzLiteral, Short: "A timestamptz column default or partition bound written without an offset ('2024-01-01'): its instant depends on the TimeZone of the session that applies it.", Help: "Write the offset: '2024-01-01 00:00:00+00'."},
	{Code: CodeNoPrimaryKey, Short: "A table created without a primary key: rows cannot be told apart, logical replication cannot update or delete them.", Help: "Add a primary key (bigint GENERATED BY DEFAULT AS IDENTITY) in the same migration.", Peers: "", Style: true},
}

// plannerRules are the rules whose code, summary and safer form are the
// planner's (planner.Codes): a hand-written statement of that kind is the
// same hazard as a generated one.
var plannerRules = []Rule{
	plannerRule(CodeDropView, ""), plannerRule(CodeDropFunction, ""), plannerRule(CodeDropAggregate, ""),
	plannerRule(CodeDropTrigger, ""), plannerRule(CodeDropPolicy, ""), plannerRule(CodeDropPublication, ""),
	plannerRule(CodeDropTextSearch, ""), plannerRule(CodeDisableRowSecurity, ""), plannerRule(CodeSetLogged, ""),
	plannerRule(CodeAttachPartition, ""), plannerRule(CodeDropServer, ""), plannerRule(CodeDropForeignTable, ""),
}

func plannerRule(code, peers string) Rule {
	info, _ := planner.Info(code)
	help := info.Safer
	if help == "" {
		help = "There is no safer form: check what depends on it, then mark it reviewed."
	}
	return Rule{Code: code, Short: info.Summary, Help: help, Peers: peers}
}

func init() { Rules = append(Rules, plannerRules...) }

// styleCodes are the codes of the Style rules.
var styleCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range Rules {
		if r.Style {
			m[r.Code] = true
		}
	}
	return m
}()
