package schema

// UnmanagedMarker is the comment line that marks the statement after it as
// unmanaged, in schema.sql or in a migration: ddlmig carries the statement
// as written and never folds or diffs what it does.
const UnmanagedMarker = "-- ddlmig:unmanaged"

// AdoptMarker, followed by an unmanaged statement's Key on a comment line
// of a migration, says that the migration takes the object over: the
// fold folds the statement that made it, as written, into the model
// before the file's statements, which may then change it as any other.
// generate writes it when schema.sql stops marking such a statement.
const AdoptMarker = "-- ddlmig:adopt"

// Unmanaged is a statement marked with UnmanagedMarker: the escape hatch
// for what ddlmig does not model (or should leave alone). The catalog
// holds it by Key so that the schema file's statements and the migrations'
// can be compared: one that first appears in schema.sql is written once,
// as written, into the next migration; one whose text changes is written
// again, flagged for review; one that disappears is never dropped by
// ddlmig.
type Unmanaged struct {
	// Key is the statement's identity: the object it makes as DROP names
	// it ("PUBLICATION pub", "RULE r ON t"), or, for a statement that makes
	// none, UnmanagedStatementKey and its normalized text.
	Key string
	// Kind names the statement for messages ("CREATE PUBLICATION").
	Kind string
	// Text is the statement as written, without its semicolon: what a
	// migration runs. Not compared.
	Text string
	// Norm is the statement normalized (deparsed from its parse tree), so
	// that a change of spacing, case or comments is no change: what is
	// compared.
	Norm string
	// Seq is the statement's place among the unmanaged statements folded
	// into the catalog, which keeps them in file order. Not compared.
	Seq int
	Pos Pos
}

// UnmanagedStatementKey starts the Key of an unmanaged statement that makes
// no object ddlmig can name.
const UnmanagedStatementKey = "statement "
