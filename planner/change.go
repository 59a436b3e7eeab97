package planner

import "github.com/ddlmig/ddlmig/schema"

// Change is one step of a plan. The set of changes is closed: every
// implementation is defined in this package, so that render can switch over
// them exhaustively and a new kind of change is a compile-time event for
// every consumer, as go/ast's unexported exprNode marks expressions.
type Change interface {
	base() *Base
}

// Base is embedded in every change and holds what all changes share.
type Base struct {
	// Hazards say why a human should look at this change before it runs.
	Hazards []Hazard
}

func (b *Base) base() *Base { return b }

// HazardsOf returns the hazards of c.
func HazardsOf(c Change) []Hazard { return c.base().Hazards }

// Hazard is a reason to review a change: it may lose data, lock a table or
// fail on existing rows. Code is stable and machine-readable (one of Codes,
// e.g. "drop-column"); Message is for people: what the statement does to
// which object, and the safer alternative when there is one.
type Hazard struct {
	Code    string
	Message string
	// Pos is where the object concerned is declared: in the old schema for
	// what is dropped, in the new one otherwise. It may be zero.
	Pos schema.Pos
}

// CreateSchema creates a schema (namespace).
type CreateSchema struct {
	Base
	Name string
}

// DropSchema drops an empty schema.
type DropSchema struct {
	Base
	Name string
}

func (c *DropSchema) dropped() schema.Object {
	return schema.Object{Kind: schema.KindSchema, Name: schema.QualifiedName{Name: c.Name}}
}

// CreateExtension installs an extension.
type CreateExtension struct {
	Base
	Name   string
	Schema string // "" for the default
}

// DropExtension removes an extension.
type DropExtension struct {
	Base
	Name string
}

// AlterExtensionSchema moves an extension's objects to another schema.
type AlterExtensionSchema struct {
	Base
	Name   string
	Schema string
}

// CreateEnum creates an enumerated type.
type CreateEnum struct {
	Base
	Name   schema.QualifiedName
	Values []string
}

// DropEnum drops an enumerated type.
type DropEnum struct {
	Base
	Name schema.QualifiedName
}

func (c *DropEnum) dropped() schema.Object { return schema.Object{Kind: schema.KindType, Name: c.Name} }

// AddEnumValue adds a value to an enum. At most one of Before and After is
// set; with neither, the value is appended.
type AddEnumValue struct {
	Base
	Enum   schema.QualifiedName
	Value  string
	Before string
	After  string
}

// CreateSequence creates a sequence with every option spelled out. Its
// owner is set by a later SetSequenceOwner, once the owning table exists.
type CreateSequence struct {
	Base
	Name schema.QualifiedName
	Def  schema.SequenceDef // OwnedBy and Comment are not used
}

// DropSequence drops a sequence.
type DropSequence struct {
	Base
	Name schema.QualifiedName
}

func (c *DropSequence) dropped() schema.Object {
	return schema.Object{Kind: schema.KindSequence, Name: c.Name}
}

// AlterSequence changes a sequence's options from From to To; render prints
// only what differs.
type AlterSequence struct {
	Base
	Name     schema.QualifiedName
	From, To schema.SequenceDef
}

// RenameSequence renames a sequence within its schema. The planner uses it
// for the sequence of a serial column whose table or column is renamed, so
// that the sequence keeps its position and follows the serial naming rule
// (table_column_seq) that schema.sql's serial column expects.
type RenameSequence struct {
	Base
	Name schema.QualifiedName // the current name
	To   string
}

// SetSequenceOwner sets (or, with a zero OwnedBy, removes) the column that
// owns a sequence, so that dropping the column drops the sequence.
type SetSequenceOwner struct {
	Base
	Name    schema.QualifiedName
	OwnedBy schema.ColumnRef
}

// CreateTable creates a table with its columns and the constraints that can
// be declared inline (every kind except FOREIGN KEY, which is added once
// every table exists).
type CreateTable struct {
	Base
	Name        schema.QualifiedName
	Columns     []*schema.Column
	Constraints []*schema.Constraint
	// Options are the table's options; CREATE TABLE says UNLOGGED, WITH,
	// PARTITION BY and PARTITION OF (a partition is created without its
	// columns), other options follow as changes of their own.
	Options schema.TableOptions
	// NotNull are, for a partition, the columns it holds NOT NULL on while
	// its parent does not.
	NotNull []string
	// FDWOptions are a foreign table's OPTIONS (Options.Server says it
	// is one).
	FDWOptions schema.ForeignOptions
}

// DropTable drops a table.
type DropTable struct {
	Base
	Name schema.QualifiedName
	// Foreign is set for a foreign table: DROP FOREIGN TABLE.
	Foreign bool
}

func (c *DropTable) dropped() schema.Object {
	return schema.Object{Kind: schema.KindTable, Name: c.Name}
}

// RenameTable renames a table within its schema.
type RenameTable struct {
	Base
	Name schema.QualifiedName // the current name
	To   string
}

// AddColumn adds a column to an existing table.
type AddColumn struct {
	Base
	Table  schema.QualifiedName
	Column *schema.Column
}

// DropColumn drops a column.
type DropColumn struct {
	Base
	Table  schema.QualifiedName
	Column string
	// Only drops the column of Table alone (ALTER TABLE ONLY): the tables
	// that inherit it keep theirs, with its rows, as their own; the plan
	// drops those that go on their own, with their own hazard.
	Only bool
}

// RenameColumn renames a column.
type RenameColumn struct {
	Base
	Table    schema.QualifiedName
	From, To string
}

// AlterColumnType changes a column's type (and collation). Using is the
// USING expression, "" when PostgreSQL converts implicitly.
type AlterColumnType struct {
	Base
	Table     schema.QualifiedName
	Column    string
	Type      schema.TypeName
	Collation string
	Using     string
	// From is the column's type before the change, and Class what the
	// change costs (see ClassifyTypeChange); Reason explains the class.
	From   schema.TypeName
	Class  TypeChangeClass
	Reason string
}

// SetDefault sets a column's default expression.
type SetDefault struct {
	Base
	Table   schema.QualifiedName
	Column  string
	Default string
}

// DropDefault removes a column's default.
type DropDefault struct {
	Base
	Table  schema.QualifiedName
	Column string
}

// SetNotNull makes a column NOT NULL.
type SetNotNull struct {
	Base
	Table  schema.QualifiedName
	Column string
}

// DropNotNull makes a column nullable.
type DropNotNull struct {
	Base
	Table  schema.QualifiedName
	Column string
}

// AddIdentity makes an existing NOT NULL column an identity column.
type AddIdentity struct {
	Base
	Table    schema.QualifiedName
	Column   string
	Identity schema.Identity
	Options  string
}

// DropIdentity makes an identity column an ordinary column.
type DropIdentity struct {
	Base
	Table  schema.QualifiedName
	Column string
}

// SetIdentity changes an identity column's kind (when Identity is not
// IdentityNone) and sequence options (each element of Options is one option
// such as "INCREMENT BY 2", without the SET keyword).
type SetIdentity struct {
	Base
	Table    schema.QualifiedName
	Column   string
	Identity schema.Identity
	Options  []string
}

// DropExpression turns a generated column into an ordinary one that keeps
// its values.
type DropExpression struct {
	Base
	Table  schema.QualifiedName
	Column string
}

// SetGenerated replaces a column by one with a new generation expression:
// PostgreSQL cannot change the expression in place, so the column is dropped
// and added again in one statement.
type SetGenerated struct {
	Base
	Table  schema.QualifiedName
	Column *schema.Column
}

// AddConstraint adds a constraint to an existing table.
type AddConstraint struct {
	Base
	Table      schema.QualifiedName
	Constraint *schema.Constraint
	// UsingIndex, for a UNIQUE or PRIMARY KEY constraint, names an
	// existing unique index of the table that becomes the constraint's
	// (ADD CONSTRAINT ... USING INDEX): nothing is built, and PostgreSQL
	// renames the index to the constraint's name.
	UsingIndex string
}

// DropConstraint drops a constraint.
type DropConstraint struct {
	Base
	Table schema.QualifiedName
	Name  string
}

// RenameConstraint renames a constraint (and the index behind a primary
// key, unique or exclusion constraint). The planner uses it when a
// constraint disappears and one with the same definition appears on the same
// table: the result is the same, without rebuilding anything.
type RenameConstraint struct {
	Base
	Table    schema.QualifiedName
	From, To string
}

// ValidateConstraint validates a constraint that was added NOT VALID.
type ValidateConstraint struct {
	Base
	Table schema.QualifiedName
	Name  string
}

// CreateIndex creates an index. Concurrently builds it without blocking
// writes (CREATE INDEX CONCURRENTLY), which PostgreSQL refuses inside a
// transaction: only a no-transaction Step holds such a change.
type CreateIndex struct {
	Base
	Index        *schema.Index
	Concurrently bool
	// Only creates the index of a partitioned table ON ONLY the table,
	// without the partitions' indexes, which are attached afterwards.
	Only bool
}

// DropIndex drops an index. Concurrently waits for the queries using it
// instead of locking them out (DROP INDEX CONCURRENTLY, no transaction);
// IfExists makes a missing index no error, so that a no-transaction step
// run again after a failure starts from where it stopped.
type DropIndex struct {
	Base
	Name         schema.QualifiedName
	Concurrently bool
	IfExists     bool
}

// RenameIndex renames an index; like RenameConstraint it replaces a drop
// and a create of identical definitions.
type RenameIndex struct {
	Base
	Name schema.QualifiedName // the current name
	To   string
}

// SetComment sets the comment of an object of any kind; an empty Comment
// removes it. Name is the object as schema.Object names it (for schemas
// and extensions only Name.Name is set, for routines Name.Name is the
// signature); for a column, constraint, policy or trigger Name is the
// table and Sub the column, constraint, policy or trigger.
type SetComment struct {
	Base
	Kind    schema.Kind
	Name    schema.QualifiedName
	Sub     string
	Comment string
}

// Irreversible stands for a step that SQL cannot take without destroying
// and rebuilding an object. It renders as a statement that fails, so a
// migration stops loudly instead of pretending to reach its target.
type Irreversible struct {
	Base
	Reason string
}
