package schema

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// Catalog is a whole database schema: every object ddlmig manages, keyed by
// name so that lookups never scan lists (schemas of thousands of tables must
// diff in linear time).
//
// Objects are held by pointer so that the parser can fold ALTER statements
// into them in place; a Catalog is not safe for concurrent mutation.
type Catalog struct {
	Schemas    map[string]*Namespace
	Extensions map[string]*Extension
	Enums      map[QualifiedName]*Enum
	Sequences  map[QualifiedName]*Sequence
	Tables     map[QualifiedName]*Table
	// Indexes holds the indexes created with CREATE INDEX. Indexes that back
	// a PRIMARY KEY, UNIQUE or EXCLUDE constraint belong to the constraint and
	// are not listed here.
	Indexes map[QualifiedName]*Index
	// Views holds views and materialized views; Functions functions
	// and procedures keyed by Function.Signature(); Triggers
	// the triggers of tables and views.
	Views     map[QualifiedName]*View
	Functions map[string]*Function
	Triggers  map[TriggerName]*Trigger
	// Domains holds the types created with CREATE DOMAIN.
	Domains map[QualifiedName]*Domain
	// Privileges holds what GRANT gave and REVOKE did not take back.
	Privileges map[Privilege]*Grant
	// Composites holds the types created with CREATE TYPE ... AS (...).
	Composites map[QualifiedName]*CompositeType
	// Collations holds the collations created with CREATE COLLATION.
	Collations map[QualifiedName]*Collation
	// Aggregates holds the aggregates created with CREATE AGGREGATE, keyed
	// by Aggregate.Signature().
	Aggregates map[string]*Aggregate
	// Ranges holds the types created with CREATE TYPE ... AS RANGE.
	Ranges     map[QualifiedName]*RangeType
	TextSearch TextSearch // text search dictionaries and configurations (textsearch.go)
	// EventTriggers holds CREATE EVENT TRIGGER's triggers, by name.
	EventTriggers map[string]*EventTrigger
	// Publications holds CREATE PUBLICATION's publications, by name.
	Publications map[string]*Publication
	Operators    Operators // operators, operator classes and families (operator.go)
	// Opaque holds the objects of kinds ddlmig carries as their
	// statement, by Opaque.Key (opaque.go).
	Opaque map[string]*Opaque
	// Casts holds CREATE CAST's casts, by Cast.Key.
	Casts map[string]*Cast
	// DefaultPrivileges holds what ALTER DEFAULT PRIVILEGES granted and
	// revoked (defaultprivilege.go).
	DefaultPrivileges map[DefaultPrivilege]*DefaultGrant
	// Rules holds CREATE RULE's rules, by relation and name.
	Rules map[TriggerName]*Rule
	// Statistics holds CREATE STATISTICS's extended statistics objects.
	Statistics map[QualifiedName]*Statistics
	// Foreign holds foreign data wrappers, servers and user mappings.
	Foreign ForeignData
	// Owners holds the owners that ALTER ... OWNER TO gave, by object as
	// privileges name them (kinds TABLE, also views, SEQUENCE, SCHEMA,
	// FUNCTION, PROCEDURE, and TYPE, DOMAIN and COLLATION for owners
	// only). An object without an entry belongs to whoever creates it:
	// the user that applies the migrations.
	Owners map[PrivilegeObject]string
	// Unmanaged holds the statements marked -- ddlmig:unmanaged, by
	// Unmanaged.Key.
	Unmanaged map[string]*Unmanaged
}

// DefaultSchema is where unqualified names resolve and what a new database
// already contains.
const DefaultSchema = "public"

// PublicSchemaUsage is the privilege a new database gives PUBLIC on its
// public schema.
var PublicSchemaUsage = Privilege{
	Object:    PrivilegeObject{Kind: KindSchema, Name: QualifiedName{Name: DefaultSchema}},
	Grantee:   PublicGrantee,
	Privilege: "USAGE",
}

// DefaultSchemaOwner is who owns the public schema of a new database from
// PostgreSQL 15 on; the model records no owner for it, as for an object
// the applying role owns, and migrations hand it back to this role.
const DefaultSchemaOwner = "pg_database_owner"

// New returns an empty catalog: a database as CREATE DATABASE makes it, which
// already has the public schema, which every role may use (PostgreSQL 15
// grants PUBLIC USAGE on it). That grant is an entry like any other, so
// that pg_dump's REVOKE USAGE ON SCHEMA public FROM PUBLIC is a difference.
func New() *Catalog {
	c := &Catalog{
		Schemas:    map[string]*Namespace{DefaultSchema: {Name: DefaultSchema}},
		Privileges: map[Privilege]*Grant{PublicSchemaUsage: {}},
		Owners:     map[PrivilegeObject]string{},
		Unmanaged:  map[string]*Unmanaged{},
	}
	for _, k := range registry {
		if k.Init != nil {
			k.Init(c)
		}
	}
	return c
}

func init() {
	Register(KindInfo{
		Noun:  "schema",
		Kinds: []Kind{KindSchema},
		Has:   func(c *Catalog, o Object) bool { return c.Schemas[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if n := c.Schemas[o.Name.Name]; n != nil {
				return &n.Comment
			}
			return nil
		},
	})
	Register(KindInfo{
		Noun:  "extension",
		Kinds: []Kind{KindExtension},
		Init:  func(c *Catalog) { c.Extensions = map[string]*Extension{} },
		InSchema: func(c *Catalog, ns string) []Object {
			var out []Object
			for _, name := range SortedKeys(c.Extensions) {
				if c.Extensions[name].Schema == ns {
					out = append(out, Object{Kind: KindExtension, Name: QualifiedName{Name: name}})
				}
			}
			return out
		},
		Has: func(c *Catalog, o Object) bool { return c.Extensions[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if e := c.Extensions[o.Name.Name]; e != nil {
				return &e.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Extensions, o.Name.Name) },
	})
	enums := qualifiedSet("enum", KindType, func(c *Catalog) map[QualifiedName]*Enum { return c.Enums },
		func(e *Enum) *string { return &e.Comment }, true)
	enums.Init = func(c *Catalog) { c.Enums = map[QualifiedName]*Enum{} }
	Register(enums)
	seqs := qualifiedSet("sequence", KindSequence, func(c *Catalog) map[QualifiedName]*Sequence { return c.Sequences },
		func(s *Sequence) *string { return &s.Comment }, true)
	seqs.Init = func(c *Catalog) { c.Sequences = map[QualifiedName]*Sequence{} }
	Register(seqs)
	tables := qualifiedSet("table", KindTable, func(c *Catalog) map[QualifiedName]*Table { return c.Tables },
		func(t *Table) *string { return &t.Comment }, true)
	tables.Init = func(c *Catalog) { c.Tables = map[QualifiedName]*Table{} }
	tables.Has = func(c *Catalog, o Object) bool {
		t := c.Tables[o.Name]
		return t != nil && (o.Column == "" || t.Column(o.Column) != nil)
	}
	tables.Remove = nil
	Register(tables)
	// Columns and constraints live in their table; their comments and
	// privileges are the table's business.
	Register(KindInfo{Noun: "column", Kinds: []Kind{KindColumn}})
	Register(KindInfo{Noun: "constraint", Kinds: []Kind{KindConstraint}})
	indexes := qualifiedSet("index", KindIndex, func(c *Catalog) map[QualifiedName]*Index { return c.Indexes },
		func(i *Index) *string { return &i.Comment }, false)
	indexes.Init = func(c *Catalog) { c.Indexes = map[QualifiedName]*Index{} }
	indexes.InSchema = nil
	Register(indexes)
}

// SortedKeys returns the keys of m in order, so that everything derived from
// a catalog (plans, files, messages) is deterministic.
func SortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}

// SortedNames returns the qualified names of m in schema, name order.
func SortedNames[V any](m map[QualifiedName]V) []QualifiedName {
	keys := slices.Collect(maps.Keys(m))
	// strings.Compare, not cmp.Compare: one comparison of the bytes instead
	// of two, which shows when thousands of names are sorted.
	slices.SortFunc(keys, func(a, b QualifiedName) int {
		if c := strings.Compare(a.Schema, b.Schema); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return keys
}

// Namespace is a schema created with CREATE SCHEMA (PostgreSQL calls schemas
// namespaces in its catalog; the word avoids a clash with this package).
type Namespace struct {
	Name    string
	Comment string
	Pos     Pos
}

// Extension is an installed extension. Version is not compared: the version
// available differs between servers and pg_dump does not record it.
type Extension struct {
	Name    string
	Schema  string // schema of the extension's objects; "" means the default
	Comment string
	Pos     Pos
}

// Enum is an enumerated type. Values keep their declared order, which is
// their sort order in PostgreSQL.
type Enum struct {
	Name    QualifiedName
	Values  []string
	Comment string
	Pos     Pos
	// RenamedFrom maps a value to the value it was renamed from, as a
	// rename comment next to the value in schema.sql says (new -> old). It
	// is not compared: the planner reads it to rename a value instead of
	// removing one and adding another.
	RenamedFrom map[string]string
}

// Sequence is a sequence created with CREATE SEQUENCE or by a serial column.
// Identity columns own implicit sequences that are not listed here; their
// options live on the column.
type Sequence struct {
	Name QualifiedName
	SequenceDef
	Pos Pos
}

// SequenceDef holds a sequence's compared properties with every default made
// explicit (the parser fills Start, Min, Max from the type and direction as
// PostgreSQL does), so that spelling a default out produces no change.
type SequenceDef struct {
	Type      string // "smallint", "integer" or "bigint"
	Start     int64
	Increment int64
	Min       int64
	Max       int64
	Cache     int64
	Cycle     bool
	OwnedBy   ColumnRef // zero when the sequence is not owned
	Comment   string
}

// ColumnRef names a column of a table.
type ColumnRef struct {
	Table  QualifiedName
	Column string
}

// IsZero reports whether the reference is empty.
func (r ColumnRef) IsZero() bool { return r == ColumnRef{} }

// Table is an ordinary table.
type Table struct {
	Name QualifiedName
	// Columns in declaration order. Order is not compared: ALTER TABLE can
	// only append, so a column added in the middle of schema.sql lands last
	// in the database and that is not a difference worth a migration.
	Columns []*Column
	// Constraints in name order (the parser sorts them when it finishes).
	Constraints []*Constraint
	// Options are storage, partitioning and security properties.
	Options TableOptions
	// Policies are the table's row level security policies in name order.
	Policies []*Policy
	// FDWOptions are a foreign table's OPTIONS (...), for its wrapper.
	FDWOptions ForeignOptions
	Comment    string
	Pos        Pos
}

// Column returns the column named name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Constraint returns the constraint named name, or nil.
func (t *Table) Constraint(name string) *Constraint {
	for _, c := range t.Constraints {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// PrimaryKey returns the table's primary key constraint, or nil.
func (t *Table) PrimaryKey() *Constraint {
	for _, c := range t.Constraints {
		if c.Kind == PrimaryKey {
			return c
		}
	}
	return nil
}

// Column is a table column.
type Column struct {
	Name string
	ColumnDef
	// Using is the expression a "-- ddlmig:using <expr>" comment on the
	// column's line in schema.sql gives for converting its values when its
	// type changes (ALTER COLUMN ... TYPE ... USING expr); "" for none. It
	// says how to get here, not what the column is: not compared.
	Using string
	// DownUsing is the expression of a "-- ddlmig:down-using <expr>"
	// comment on the column's line: how the down migration converts the
	// values back to the type the column had before, where PostgreSQL has
	// no cast (timestamp to bigint). Not compared either.
	DownUsing string
	// FDWOptions are a foreign table column's OPTIONS (...), for its
	// wrapper (postgres_fdw's column_name). Not in ColumnDef, which must
	// stay comparable: sameBody and the planner compare them apart.
	FDWOptions ForeignOptions
	// DefaultSrc is the default as the user wrote it (the parse tree,
	// deparsed), which migrations write, when Default, the text compared,
	// is another: normalized for comparing (casts the server adds back
	// dropped, a literal reduced to the value it stores, a timestamp
	// literal without the time zone PostgreSQL ignores in it). "" when
	// Default is both. Not compared: a change of spelling is no change.
	DefaultSrc string
	// GeneratedSrc is, in the same way, the user's own expression of a
	// generated column when Generated, compared, is normalized: a cast of
	// a character varying column to text that the server adds back, say,
	// is written as the user wrote it. "" when Generated is both.
	GeneratedSrc string
	Pos          Pos
}

// DefaultSQL is the text migrations write for the column's default: the
// default as written.
func (c *Column) DefaultSQL() string {
	if c.DefaultSrc != "" {
		return c.DefaultSrc
	}
	return c.Default
}

// GeneratedSQL is the text migrations write for the column's generation
// expression: the expression as written.
func (c *Column) GeneratedSQL() string {
	if c.GeneratedSrc != "" {
		return c.GeneratedSrc
	}
	return c.Generated
}

// ColumnDef is everything about a column that is compared. It is a
// comparable value: two columns are the same exactly when their ColumnDefs
// are ==.
type ColumnDef struct {
	Type TypeName
	// Collation is the explicit COLLATE clause, rendered as SQL (e.g. "C" or
	// pg_catalog."default"); "" means the type's default collation.
	Collation string
	NotNull   bool
	// Default is the DEFAULT expression as canonical SQL text; "" for none.
	Default string
	// Identity is IdentityNone, IdentityAlways or IdentityByDefault.
	Identity Identity
	// IdentityOptions are the identity sequence's options as canonical SQL
	// (e.g. "START WITH 100"); "" for the defaults.
	IdentityOptions string
	// Generated is the expression of GENERATED ALWAYS AS (...) STORED as
	// canonical SQL text; "" for an ordinary column.
	Generated string
	// Statistics is the statistics target ALTER COLUMN ... SET STATISTICS
	// gives the column, in decimal; "" for the default (-1). It tunes
	// ANALYZE and changes in place: planned apart from the rest.
	Statistics string
	Comment    string
	// Inherited marks a column a table only inherits (attislocal false)
	// and holds here for what it has of its own on it: a default, NOT NULL
	// or statistics target (pg_dump's ALTER TABLE ONLY child ALTER COLUMN).
	// A column of a table that inherits without it is the table's own
	// declaration (attislocal), even where a parent has the same column:
	// it stays, with its rows, when the parent drops the column, where an
	// inherited one goes with it.
	Inherited bool
}

// Identity says whether and how a column is an identity column.
type Identity byte

// Identity values, as pg_attribute.attidentity spells them.
const (
	IdentityNone      Identity = 0
	IdentityAlways    Identity = 'a'
	IdentityByDefault Identity = 'd'
)

func (i Identity) String() string {
	switch i {
	case IdentityAlways:
		return "GENERATED ALWAYS AS IDENTITY"
	case IdentityByDefault:
		return "GENERATED BY DEFAULT AS IDENTITY"
	}
	return ""
}

// TypeName is a data type in canonical form: built-in types under their
// standard names (int and int4 are both "integer"), user types qualified.
// It is comparable.
type TypeName struct {
	// Schema is "" for built-in types (pg_catalog) and the schema of a
	// user-defined type otherwise.
	Schema string
	// Name is the canonical name as format_type prints it: "integer",
	// "character varying", "timestamp with time zone", "mood".
	Name string
	// Mods are the type modifiers inside the parentheses, without spaces:
	// "255", "10,2"; "" for none.
	Mods string
	// ArrayDims is the number of [] suffixes (PostgreSQL ignores the sizes).
	ArrayDims int
}

// String renders the type as SQL, e.g. character varying(255)[] or
// timestamp(3) with time zone.
func (t TypeName) String() string {
	var s string
	if t.Schema != "" {
		s = QualifiedName{t.Schema, t.Name}.String()
		if t.Mods != "" {
			s += "(" + t.Mods + ")"
		}
	} else {
		s = t.Name
		if t.Mods != "" {
			// time and timestamp carry the precision before the time zone
			// words: timestamp(3) with time zone.
			if base, zone, ok := cutZone(t.Name); ok {
				s = base + "(" + t.Mods + ")" + zone
			} else {
				s += "(" + t.Mods + ")"
			}
		}
	}
	for range t.ArrayDims {
		s += "[]"
	}
	return s
}

func cutZone(name string) (base, zone string, ok bool) {
	for _, z := range []string{" with time zone", " without time zone"} {
		if len(name) > len(z) && name[len(name)-len(z):] == z {
			return name[:len(name)-len(z)], z, true
		}
	}
	return "", "", false
}

// ConstraintKind is the kind of a table constraint. The zero value is
// invalid.
type ConstraintKind int

// Constraint kinds.
const (
	_ ConstraintKind = iota
	PrimaryKey
	Unique
	Check
	ForeignKey
	Exclude
)

func (k ConstraintKind) String() string {
	switch k {
	case PrimaryKey:
		return "PRIMARY KEY"
	case Unique:
		return "UNIQUE"
	case Check:
		return "CHECK"
	case ForeignKey:
		return "FOREIGN KEY"
	case Exclude:
		return "EXCLUDE"
	}
	return "invalid constraint kind"
}

// Constraint is a table constraint. NOT NULL is a column property
// (ColumnDef.NotNull), as in PostgreSQL 15's catalog.
type Constraint struct {
	Name string
	ConstraintDef
	// Columns are the constrained columns of the table (the key columns of
	// PRIMARY KEY, UNIQUE and FOREIGN KEY; the columns a CHECK or EXCLUDE
	// mentions). Derived from Def; used for dependencies, not compared.
	Columns []string
	// RefTable and RefColumns are the referenced side of a FOREIGN KEY.
	// Derived from Def; used for ordering, not compared.
	RefTable   QualifiedName
	RefColumns []string
	// Src is the definition as the user wrote it (the parse tree, deparsed,
	// in Def's form), which migrations write, when Def, the text compared,
	// is normalized: a CHECK (n::text <> '') on a character varying column
	// compares as CHECK (n <> ''), the cast the server adds back, but the
	// user's cast is what runs. "" when Def is both. Not compared.
	Src string
	Pos Pos
}

// SQL is the text migrations write after "CONSTRAINT name": the
// definition as written.
func (c *Constraint) SQL() string {
	if c.Src != "" {
		return c.Src
	}
	return c.Def
}

// ConstraintDef is what is compared about a constraint.
type ConstraintDef struct {
	Kind ConstraintKind
	// Def is the canonical definition as it follows "CONSTRAINT name" in
	// SQL, e.g. "FOREIGN KEY (user_id) REFERENCES public.users (id) ON
	// DELETE CASCADE". It is the comparison key, and the text rendered
	// into migrations unless Constraint.Src holds the user's own.
	Def string
	// NotValid is true for a CHECK or FOREIGN KEY added NOT VALID and not
	// validated since.
	NotValid bool
	Comment  string
}

// Index is an index created with CREATE INDEX.
type Index struct {
	// Name has the schema of the table: an index always lives there.
	Name  QualifiedName
	Table QualifiedName
	IndexDef
	// Columns are the table columns the index mentions (keys, INCLUDE,
	// expressions, predicate). Derived from Def; used for dependencies.
	Columns []string
	// Parent is, for an index of a partition, the partitioned table's index
	// it is attached to (CREATE INDEX on the parent, CREATE TABLE ...
	// PARTITION OF, ALTER INDEX parent ATTACH PARTITION); zero for an index
	// of its own. A partitioned index is valid when every partition has
	// one attached: an index created ON ONLY the parent stays invalid
	// until then. Compared: attaching is a change.
	Parent QualifiedName
	// CloneName is, for an attached index, the name PostgreSQL gives the
	// copy of Parent it makes when the partition is created or the parent
	// index built; the planner leaves an index of that name to PostgreSQL
	// and builds one named otherwise itself. Derived; not compared.
	CloneName string
	// Statistics are the targets ALTER INDEX ... ALTER COLUMN n SET
	// STATISTICS gives its expression columns, by column number; those at
	// the default are left out. They change in place: not part of IndexDef.
	Statistics []IndexStatistics
	// Src is what a migration writes after "CREATE [UNIQUE] INDEX name ON
	// ": the user's own statement deparsed, the table qualified as the
	// search path resolved it. Def is brought to the form PostgreSQL prints
	// back to be compared (casts the server adds dropped or added, default
	// orderings and public opclass schemas dropped, options quoted), which
	// means the same but is not what the user wrote: lower(name::text) on
	// a varchar column is compared as lower(name). "" when Def is both.
	// Not compared.
	Src string
	Pos Pos
}

// DefSQL is the text migrations write after "CREATE [UNIQUE] INDEX name
// ON ": the user's own.
func (i *Index) DefSQL() string {
	if i.Src != "" {
		return i.Src
	}
	return i.Def
}

// IndexStatistics is the statistics target of one expression column of an
// index (1-based Column, as ALTER INDEX numbers them).
type IndexStatistics struct {
	Column int
	Target int
}

// IndexDef is what is compared about an index.
type IndexDef struct {
	Unique bool
	// Def is the canonical text that follows "CREATE [UNIQUE] INDEX name ON
	// ", e.g. "public.users USING btree (lower(email)) WHERE (deleted_at IS
	// NULL)".
	Def     string
	Comment string
}
