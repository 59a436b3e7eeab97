package schema

// TableOptions are the properties of a table besides its columns and
// constraints: how it is stored, partitioned and secured. It is a
// comparable value (the planner compares it field by field, so that one
// option changed is one ALTER TABLE).
type TableOptions struct {
	// Unlogged is true for a table created UNLOGGED (or SET UNLOGGED).
	Unlogged bool
	// StorageParams are the storage parameters of WITH (...) as
	// "name=value" items joined with ", ", in the order PostgreSQL keeps
	// them (as written; SET replaces a value in place and appends a new
	// one), as array_to_string(reloptions, ', ') prints them; "" for none.
	// The order is not compared.
	StorageParams string
	// RowSecurity and ForceRowSecurity are ENABLE and FORCE ROW LEVEL
	// SECURITY.
	RowSecurity      bool
	ForceRowSecurity bool
	// ReplicaIdentity is "", the default (the primary key), or FULL,
	// NOTHING, or USING INDEX followed by the quoted index name.
	ReplicaIdentity string
	// PartitionBy is the partition key of a partitioned table as it follows
	// PARTITION BY, e.g. "RANGE (created_at)"; "" for an ordinary table.
	PartitionBy string
	// PartitionOf is the parent of a partition, and PartitionBound its bound
	// as it follows the parent's name, e.g. "FOR VALUES FROM (1) TO (10)" or
	// "DEFAULT". A partition's columns, and the constraints and indexes it
	// inherits, belong to the parent: the model does not repeat them on the
	// partition.
	PartitionOf    QualifiedName
	PartitionBound string
	// PartitionBoundSrc is the bound as written, which migrations write,
	// when PartitionBound, the text compared, holds instead the values
	// PostgreSQL stores for a timestamp key: a timestamptz literal with an
	// offset as its instant in UTC, a timestamp literal without the time
	// zone it ignores. "" when PartitionBound is both. Not compared.
	PartitionBoundSrc string
	// Inherits are the parents of INHERITS (...), qualified, in order,
	// joined with ", "; "" for none. The parents' columns are theirs: the
	// table's Columns are only its own (a column written on the table that
	// equals the parent's is the parent's), as pg_dump writes them.
	Inherits string
	// Server is the foreign server of a foreign table (CREATE FOREIGN
	// TABLE ... SERVER); "" for a table whose rows PostgreSQL stores.
	Server string
	// OfType is the composite type of a typed table (CREATE TABLE ... OF
	// type, pg_class.reloftype); zero for none. The table's columns are
	// the type's attributes, held on the table too (with the table's own
	// NOT NULL and defaults), and follow ALTER TYPE ... CASCADE.
	OfType QualifiedName
}

// IsTyped reports whether the table is a typed table.
func (o TableOptions) IsTyped() bool { return o.OfType != QualifiedName{} }

// BoundSQL is the text migrations write for the partition bound: the bound
// as written.
func (o TableOptions) BoundSQL() string {
	if o.PartitionBoundSrc != "" {
		return o.PartitionBoundSrc
	}
	return o.PartitionBound
}

// IsPartition reports whether the table is a partition of another.
func (o TableOptions) IsPartition() bool { return o.PartitionOf != QualifiedName{} }

// Policy is a row level security policy of a table (CREATE POLICY).
type Policy struct {
	Name string
	PolicyDef
	// UsingSrc and WithCheckSrc are what a migration writes for Using and
	// WithCheck: the user's own expressions deparsed, without the casts
	// the server adds (a bigint argument's ::bigint) that the compared
	// texts hold. Not compared.
	UsingSrc, WithCheckSrc string
	Pos                    Pos
}

// PolicyDef is what is compared about a policy.
type PolicyDef struct {
	// Restrictive is AS RESTRICTIVE; policies are permissive by default.
	Restrictive bool
	// Command is ALL, SELECT, INSERT, UPDATE or DELETE.
	Command string
	// Roles are the roles of the TO clause, quoted, sorted and joined with
	// ", "; PUBLIC when the policy applies to every role.
	Roles string
	// Using and WithCheck are the expressions as canonical SQL text; "" for
	// none.
	Using     string
	WithCheck string
	Comment   string
}

// Policy returns the table's policy named name, or nil.
func (t *Table) Policy(name string) *Policy {
	for _, p := range t.Policies {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Policies live in their table, which comments on them.
func init() { Register(KindInfo{Noun: "policy", Kinds: []Kind{KindPolicy}}) }
