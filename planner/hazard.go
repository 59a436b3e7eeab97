package planner

import "github.com/ddlmig/ddlmig/schema"

// Hazard codes. Each names one rule, as squawk and strong_migrations name
// theirs, so that a code in a review marker, a CI log or a README means the
// same thing in every project. Codes are stable: a rule that changes its
// meaning gets a new code. Codes lists them with what they mean.
const (
	// HazardDropTable: DROP TABLE destroys the table's rows.
	HazardDropTable = "drop-table"
	// HazardDropColumn: DROP COLUMN destroys the column's values (also when
	// a column is dropped to be added again as a generated column).
	HazardDropColumn = "drop-column"
	// HazardDropSchema: DROP SCHEMA; the schema is empty by then, but
	// whatever it held was dropped by the statements before.
	HazardDropSchema = "drop-schema"
	// HazardDropSequence: DROP SEQUENCE loses the sequence's position.
	HazardDropSequence = "drop-sequence"
	// HazardDropType: DROP TYPE of an enum, a composite or a range type, DROP
	// DOMAIN, DROP COLLATION; the columns, attributes and domains that used
	// it were dropped or converted by the statements before.
	HazardDropType = "drop-type"
	// HazardIdentityRestart marks an identity column whose counter is
	// restarted because its new bounds exclude the old start.
	HazardIdentityRestart = "identity-restart"
	// HazardTypeChangeLossy: a column type change that can reject values
	// (the statement fails) or silently round, truncate or reinterpret them.
	HazardTypeChangeLossy = "type-change-lossy"
	// HazardTypeChangeRewrite: a type change that keeps every value but
	// rewrites the table and its indexes under an ACCESS EXCLUSIVE lock.
	HazardTypeChangeRewrite = "type-change-rewrite"
	// HazardTypeChangeReindex: a type change that rewrites no row but
	// rebuilds the indexes on the column (a new collation or operator
	// class) under an ACCESS EXCLUSIVE lock.
	HazardTypeChangeReindex = "type-change-reindex"
	// HazardSetNotNull: SET NOT NULL scans the table under an ACCESS
	// EXCLUSIVE lock and fails if a row holds NULL.
	HazardSetNotNull = "set-not-null"
	// HazardAddNotNullColumn: ADD COLUMN ... NOT NULL without a default
	// fails as soon as the table has a row.
	HazardAddNotNullColumn = "add-not-null-column"
	// HazardAddColumnRewrite: a new column whose value must be computed for
	// every row (a volatile default such as nextval() of a serial, an
	// identity, a stored generated column) rewrites the table.
	HazardAddColumnRewrite = "add-column-rewrite"
	// HazardCreateIndex: CREATE INDEX without CONCURRENTLY on an existing
	// table blocks writes while it builds (and a unique one fails on
	// duplicates).
	HazardCreateIndex = "create-index"
	// HazardAddPrimaryKey: ADD PRIMARY KEY builds a unique index and sets
	// NOT NULL under an ACCESS EXCLUSIVE lock.
	HazardAddPrimaryKey = "add-primary-key"
	// HazardAddUniqueConstraint: ADD UNIQUE builds a unique index under an
	// ACCESS EXCLUSIVE lock and fails on duplicates.
	HazardAddUniqueConstraint = "add-unique-constraint"
	// HazardAddExclusionConstraint: ADD EXCLUDE builds its index under an
	// ACCESS EXCLUSIVE lock and fails on conflicting rows.
	HazardAddExclusionConstraint = "add-exclusion-constraint"
	// HazardAddForeignKey: ADD FOREIGN KEY without NOT VALID checks every
	// row while it blocks writes to both tables.
	HazardAddForeignKey = "add-foreign-key"
	// HazardAddCheckConstraint: ADD CHECK without NOT VALID scans the table
	// under an ACCESS EXCLUSIVE lock.
	HazardAddCheckConstraint = "add-check-constraint"
	// HazardTypeChangeNoCast: a column type change PostgreSQL has no cast
	// for (bigint to timestamp); the migration stops there until schema.sql
	// says how to convert (-- ddlmig:using).
	HazardTypeChangeNoCast = "type-change-no-cast"
	// HazardIrreversible marks a step PostgreSQL cannot perform without
	// rebuilding an object (removing or reordering enum values); the
	// migration stops there.
	HazardIrreversible = "irreversible"
)

// Former codes, kept so that code written against them still compiles.
// The planner no longer produces them: each hazard now has its own code.
//
// Deprecated: use the specific codes and HazardInfo.
const (
	HazardDataLoss   = "data-loss"
	HazardValidation = "validation"
)

// HazardClass groups hazard codes by what can go wrong. The zero value is
// invalid.
type HazardClass int

// Hazard classes.
const (
	_ HazardClass = iota
	// LosesData: stored data is destroyed or may be changed.
	LosesData
	// Locks: the statement holds a lock that blocks the application for a
	// time that grows with the table, or fails on existing rows.
	Locks
	// Stops: the migration cannot do what was asked and stops.
	Stops
)

func (c HazardClass) String() string {
	switch c {
	case LosesData:
		return "data loss"
	case Locks:
		return "lock or failure"
	case Stops:
		return "irreversible"
	}
	return "invalid hazard class"
}

// HazardInfo documents a hazard code: the README table is checked against
// Codes, and tools group hazards by Class without knowing every code.
type HazardInfo struct {
	Code  string
	Class HazardClass
	// FailsOnRows is true when the statement can fail because of the rows
	// already in the table (tests run such migrations on empty tables).
	FailsOnRows bool
	// Summary says what the rule catches.
	Summary string
	// Safer is what to do instead, or "" when there is nothing safer.
	Safer string
}

// Codes lists every hazard code the planner produces, in documentation
// order.
var Codes = []HazardInfo{
	{HazardDropTable, LosesData, false, "DROP TABLE of a table that may hold rows (also in a down file: the rows added since the up ran).", "Rename the table instead (--rename), or copy the data out first."},
	{HazardDropColumn, LosesData, false, "DROP COLUMN, including a column dropped to be added again as a generated column.", "If the column was renamed, say so: --rename table.old=new or -- ddlmig:renamed-from old in schema.sql."},
	{HazardDropSchema, LosesData, false, "DROP SCHEMA.", ""},
	{HazardDropSequence, LosesData, false, "DROP SEQUENCE: its current value is lost.", ""},
	{HazardDropType, LosesData, false, "DROP TYPE of an enum, a composite or a range type, DROP DOMAIN, DROP COLLATION.", ""},
	{HazardIdentityRestart, LosesData, false, "New identity bounds that exclude the old START: PostgreSQL accepts them only with RESTART, which loses the counter's position, so the column can be handed values it already holds (duplicate keys, failing inserts).", "Keep the old start inside the new bounds, or after the migration move the counter past the largest value: SELECT setval(pg_get_serial_sequence('table', 'column'), max(column)) FROM table."},
	{HazardTypeChangeLossy, LosesData, true, "A column type change that can reject values (and fail) or round, truncate or reinterpret them: varchar(50) to varchar(20), numeric(10,2) to numeric(10,1), text to integer, bigint to integer, timestamptz to date. It also rewrites the table.", "Check the data first (SELECT the rows that would not fit); convert in steps with a new column when the table is large."},
	{HazardTypeChangeRewrite, Locks, false, "A column type change that keeps every value but rewrites the table and all its indexes under an ACCESS EXCLUSIVE lock: integer to bigint, timestamp to timestamptz, date to timestamp.", "Add a column of the new type, backfill it in batches, switch over in a later migration."},
	{HazardTypeChangeReindex, Locks, false, "A column type change that rewrites no row but rebuilds the column's indexes under an ACCESS EXCLUSIVE lock (a new collation, bit to bit varying).", "Drop the column's indexes first and create them again CONCURRENTLY after the change."},
	{HazardSetNotNull, Locks, true, "SET NOT NULL on an existing column: a full scan under an ACCESS EXCLUSIVE lock, failing if a row holds NULL.", "Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check."},
	{HazardAddNotNullColumn, Locks, true, "A new NOT NULL column without a default on an existing table: fails as soon as the table has a row.", "Add the column with a DEFAULT, or nullable, backfill it, then SET NOT NULL."},
	{HazardAddColumnRewrite, Locks, false, "A new column whose value is computed for every row (serial or another volatile default, identity, stored generated column): the table is rewritten under an ACCESS EXCLUSIVE lock.", "Add the column without the default, set the default, backfill in batches."},
	{HazardCreateIndex, Locks, true, "CREATE INDEX on an existing table without CONCURRENTLY: blocks writes while it builds; a unique index fails on duplicates.", "CREATE INDEX CONCURRENTLY, in a migration of its own whose first line is -- ddlmig:no-transaction."},
	{HazardAddPrimaryKey, Locks, true, "ADD PRIMARY KEY on an existing table: builds a unique index and checks NOT NULL under an ACCESS EXCLUSIVE lock; fails on duplicates or NULLs.", "CREATE UNIQUE INDEX CONCURRENTLY first (schema.sql declares the index; a -- ddlmig:no-transaction migration); then declare the key instead of the index: ddlmig takes the index over with ADD CONSTRAINT ... PRIMARY KEY USING INDEX, building nothing."},
	{HazardAddUniqueConstraint, Locks, true, "ADD UNIQUE on an existing table: builds a unique index under an ACCESS EXCLUSIVE lock; fails on duplicates.", "CREATE UNIQUE INDEX CONCURRENTLY first (schema.sql declares the index; a -- ddlmig:no-transaction migration); then declare the constraint instead of the index: ddlmig takes the index over with ADD CONSTRAINT ... UNIQUE USING INDEX, building nothing."},
	{HazardAddExclusionConstraint, Locks, true, "ADD EXCLUDE on an existing table: builds its index under an ACCESS EXCLUSIVE lock; fails on conflicting rows.", ""},
	{HazardAddForeignKey, Locks, true, "ADD FOREIGN KEY without NOT VALID on an existing table: checks every row while blocking writes to both tables.", "Add it NOT VALID, then VALIDATE CONSTRAINT in a later migration (it does not block writes)."},
	{HazardAddCheckConstraint, Locks, true, "ADD CHECK without NOT VALID on an existing table: scans every row under an ACCESS EXCLUSIVE lock.", "Add it NOT VALID, then VALIDATE CONSTRAINT in a later migration (it does not block writes)."},
	{HazardTypeChangeNoCast, Stops, false, "A column type change PostgreSQL has no cast for (bigint to timestamp, bigint to uuid, integer to date, smallint to an enum and back): no USING clause ddlmig can write converts the values, so the migration stops there with an error.", "Say how to convert in schema.sql, with a comment on the column's line: -- ddlmig:using to_timestamp(a), which becomes ALTER COLUMN ... TYPE ... USING to_timestamp(a); or drop the column and add the new one, reviewing the data loss."},
	{HazardIrreversible, Stops, false, "A step PostgreSQL cannot take in place (removing or reordering the values of an enum that a domain uses, changing a domain's base type): the migration stops with an error.", "Write the conversion by hand: a new type, ALTER COLUMN ... TYPE ... USING, drop the old type."},
}

var codeIndex = func() map[string]HazardInfo {
	m := make(map[string]HazardInfo, len(Codes))
	for _, c := range Codes {
		m[c.Code] = c
	}
	return m
}()

// Info returns what is documented about a hazard code.
func Info(code string) (HazardInfo, bool) {
	i, ok := codeIndex[code]
	return i, ok
}

// LosesData reports whether the hazard destroys or may change stored data.
func (h Hazard) LosesData() bool { return codeIndex[h.Code].Class == LosesData }

// FailsOnRows reports whether the hazard's statement can fail because of
// rows already in the table.
func (h Hazard) FailsOnRows() bool { return codeIndex[h.Code].FailsOnRows }

// MayFailOnRows reports whether running the plan on tables that hold rows
// can fail by design: a hazard says so, or a constraint added NOT VALID is
// validated. Test harnesses run such plans on empty tables.
func (p *Plan) MayFailOnRows() bool {
	for _, c := range p.Changes {
		if _, ok := c.(*ValidateConstraint); ok {
			return true
		}
		for _, h := range HazardsOf(c) {
			if h.FailsOnRows() {
				return true
			}
		}
	}
	return false
}

// Irreversible reports whether the plan stops on purpose at a step
// PostgreSQL cannot take.
func (p *Plan) Irreversible() bool {
	for _, c := range p.Changes {
		if _, ok := c.(*Irreversible); ok {
			return true
		}
	}
	return false
}

func hazard(code string, pos schema.Pos, msg string) Base {
	return Base{Hazards: []Hazard{{Code: code, Message: msg, Pos: pos}}}
}
