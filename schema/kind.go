package schema

import "slices"

// Kind is the class of an object as SQL statements spell it after COMMENT
// ON, ALTER ... OWNER TO and GRANT ... ON. It is the one encoding of an
// object's kind that the parser, planner and renderer share. The zero value
// is invalid.
//
// Kinds that SQL spells alike are one kind: TYPE is an enum or a composite
// type. GRANT and owners name views and materialized views TABLE (as GRANT
// does); comments and ALTER name them by their own kinds.
type Kind int

// Object kinds.
const (
	_ Kind = iota
	KindSchema
	KindExtension
	KindCollation
	KindType
	KindDomain
	KindSequence
	KindTable
	KindColumn
	KindConstraint
	KindIndex
	KindPolicy
	KindView
	KindMaterializedView
	KindFunction
	KindProcedure
	KindTrigger
	KindAggregate
	KindTSDictionary
	KindTSConfiguration
	KindEventTrigger
	KindPublication
	KindOperator
	KindOpClass
	KindOpFamily
	// KindOpaque is an object of a kind ddlmig carries as its statement
	// (opaque.go); its Name.Name is the Key that names it after DROP.
	KindOpaque
	// KindCast is a cast; its Name.Name is "(source AS target)".
	KindCast
	// KindRule is a rewrite rule; Name is its relation, Column its name.
	KindRule
	KindStatistics
	KindForeignDataWrapper
	KindServer
	// KindForeignTable is a foreign table as COMMENT ON and DROP name it;
	// GRANT and owners name it TABLE, as they do every relation.
	KindForeignTable
	numKinds
)

// NameForm is how SQL spells an object's name after its kind.
type NameForm int

// Name forms.
const (
	// Qualified: schema.name (Name.String()).
	Qualified NameForm = iota
	// Unqualified: a schema or extension, Name.Name quoted.
	Unqualified
	// Signature: a routine, Name.Name as Catalog keys it, quoted already.
	Signature
)

// kinds spells each kind and its names; a new Kind adds its line here.
var kinds = [numKinds]struct {
	sql  string
	form NameForm
}{
	KindSchema:             {"SCHEMA", Unqualified},
	KindExtension:          {"EXTENSION", Unqualified},
	KindCollation:          {"COLLATION", Qualified},
	KindType:               {"TYPE", Qualified},
	KindDomain:             {"DOMAIN", Qualified},
	KindSequence:           {"SEQUENCE", Qualified},
	KindTable:              {"TABLE", Qualified},
	KindColumn:             {"COLUMN", Qualified},
	KindConstraint:         {"CONSTRAINT", Qualified},
	KindIndex:              {"INDEX", Qualified},
	KindPolicy:             {"POLICY", Qualified},
	KindView:               {"VIEW", Qualified},
	KindMaterializedView:   {"MATERIALIZED VIEW", Qualified},
	KindFunction:           {"FUNCTION", Signature},
	KindProcedure:          {"PROCEDURE", Signature},
	KindTrigger:            {"TRIGGER", Qualified},
	KindAggregate:          {"AGGREGATE", Signature},
	KindTSDictionary:       {"TEXT SEARCH DICTIONARY", Qualified},
	KindTSConfiguration:    {"TEXT SEARCH CONFIGURATION", Qualified},
	KindEventTrigger:       {"EVENT TRIGGER", Unqualified},
	KindPublication:        {"PUBLICATION", Unqualified},
	KindOperator:           {"OPERATOR", Signature},
	KindOpClass:            {"OPERATOR CLASS", Signature},
	KindOpFamily:           {"OPERATOR FAMILY", Signature},
	KindOpaque:             {"OPAQUE OBJECT", Unqualified},
	KindCast:               {"CAST", Signature},
	KindRule:               {"RULE", Qualified},
	KindStatistics:         {"STATISTICS", Qualified},
	KindForeignDataWrapper: {"FOREIGN DATA WRAPPER", Unqualified},
	KindServer:             {"SERVER", Unqualified},
	KindForeignTable:       {"FOREIGN TABLE", Qualified},
}

// String returns the kind as SQL spells it: "TABLE", "MATERIALIZED VIEW".
func (k Kind) String() string {
	if k > 0 && k < numKinds {
		return kinds[k].sql
	}
	return "invalid object kind"
}

// NameForm returns how SQL spells the names of objects of kind k.
func (k Kind) NameForm() NameForm {
	if k > 0 && k < numKinds {
		return kinds[k].form
	}
	return Qualified
}

// Object names one object of a catalog: its kind and name, and for a
// column privilege the column. A schema or an extension has only Name.Name
// set; a routine has Name.Name set to its signature as Catalog.Functions
// keys it.
type Object = PrivilegeObject

// SchemaObjects returns the objects that live in schema ns, the ones that
// DROP SCHEMA without CASCADE finds in its way, in kind order and within a
// kind in registration and name order. Indexes, constraints, policies and
// triggers belong to their relation and are not listed.
func (c *Catalog) SchemaObjects(ns string) []Object {
	var out []Object
	for _, k := range registry {
		if k.InSchema != nil {
			out = append(out, k.InSchema(c, ns)...)
		}
	}
	slices.SortStableFunc(out, func(a, b Object) int { return int(a.Kind) - int(b.Kind) })
	return out
}

// TypeTaken reports whether q names a type: an object of a set whose
// IsType says so, which includes the row type PostgreSQL makes for every
// table, view, materialized view and sequence, all of which share
// pg_type's namespace (CREATE TYPE v fails while a view v exists).
func (c *Catalog) TypeTaken(q QualifiedName) bool {
	for _, k := range registry {
		if k.IsType != nil && k.IsType(c, q) {
			return true
		}
	}
	return false
}

// Kind is the view's kind: KindView or KindMaterializedView.
func (v *View) Kind() Kind {
	if v.Materialized {
		return KindMaterializedView
	}
	return KindView
}

// CommentOf returns where c keeps the comment of object o, or nil when c
// does not hold o: one look-up by kind and name for every feature that
// reads or sets comments. KindTable finds tables only (COMMENT ON TABLE of
// a view names it VIEW).
func (c *Catalog) CommentOf(o Object) *string {
	if o.Kind <= 0 || o.Kind >= numKinds {
		return nil
	}
	for _, k := range byKind[o.Kind] {
		if k.Comment != nil {
			if p := k.Comment(c, o); p != nil {
				return p
			}
		}
	}
	return nil
}

// HasObject reports whether c holds the object o names (for a column
// privilege on a table, the column too). KindTable finds views as well, as
// GRANT and owners name them.
func (c *Catalog) HasObject(o Object) bool {
	if o.Kind <= 0 || o.Kind >= numKinds {
		return false
	}
	for _, k := range byKind[o.Kind] {
		if k.Has != nil && k.Has(c, o) {
			return true
		}
	}
	return false
}
