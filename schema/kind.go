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
	numKinds
)

var kindNames = [numKinds]string{
	KindSchema:           "SCHEMA",
	KindExtension:        "EXTENSION",
	KindCollation:        "COLLATION",
	KindType:             "TYPE",
	KindDomain:           "DOMAIN",
	KindSequence:         "SEQUENCE",
	KindTable:            "TABLE",
	KindColumn:           "COLUMN",
	KindConstraint:       "CONSTRAINT",
	KindIndex:            "INDEX",
	KindPolicy:           "POLICY",
	KindView:             "VIEW",
	KindMaterializedView: "MATERIALIZED VIEW",
	KindFunction:         "FUNCTION",
	KindProcedure:        "PROCEDURE",
	KindTrigger:          "TRIGGER",
	KindAggregate:        "AGGREGATE",
}

// String returns the kind as SQL spells it: "TABLE", "MATERIALIZED VIEW".
func (k Kind) String() string {
	if k > 0 && k < numKinds {
		return kindNames[k]
	}
	return "invalid object kind"
}

// Object names one object of a catalog: its kind and name, and for a
// column privilege the column. A schema or an extension has only Name.Name
// set; a routine has Name.Name set to its signature as Catalog.Functions
// keys it.
type Object = PrivilegeObject

// SchemaObjects returns the objects that live in schema ns, the ones that
// DROP SCHEMA without CASCADE finds in its way, in kind and name order:
// relations (tables, views, sequences), types, domains, collations,
// routines, aggregates and the extensions installed there. Indexes, constraints,
// policies and triggers belong to their relation and are not listed.
func (c *Catalog) SchemaObjects(ns string) []Object {
	var out []Object
	addNames := func(kind Kind, names []QualifiedName) {
		for _, q := range names {
			if q.Schema == ns {
				out = append(out, Object{Kind: kind, Name: q})
			}
		}
	}
	addNames(KindTable, SortedNames(c.Tables))
	for _, q := range SortedNames(c.Views) {
		if q.Schema == ns {
			out = append(out, Object{Kind: c.Views[q].Kind(), Name: q})
		}
	}
	addNames(KindSequence, SortedNames(c.Sequences))
	addNames(KindType, SortedNames(c.Enums))
	addNames(KindType, SortedNames(c.Composites))
	addNames(KindDomain, SortedNames(c.Domains))
	addNames(KindCollation, SortedNames(c.Collations))
	for _, key := range SortedKeys(c.Functions) {
		if fn := c.Functions[key]; fn.Name.Schema == ns {
			out = append(out, fn.Object())
		}
	}
	for _, key := range SortedKeys(c.Aggregates) {
		if a := c.Aggregates[key]; a.Name.Schema == ns {
			out = append(out, a.Object())
		}
	}
	for _, name := range SortedKeys(c.Extensions) {
		if c.Extensions[name].Schema == ns {
			out = append(out, Object{Kind: KindExtension, Name: QualifiedName{Name: name}})
		}
	}
	slices.SortStableFunc(out, func(a, b Object) int { return int(a.Kind) - int(b.Kind) })
	return out
}

// TypeTaken reports whether q names a type: an enum, composite type or
// domain, or the row type PostgreSQL makes for every table, view,
// materialized view and sequence, all of which share pg_type's namespace
// (CREATE TYPE v fails while a view v exists).
func (c *Catalog) TypeTaken(q QualifiedName) bool {
	return c.Enums[q] != nil || c.Composites[q] != nil || c.Domains[q] != nil ||
		c.Tables[q] != nil || c.Views[q] != nil || c.Sequences[q] != nil
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
// reads or sets comments. KindType finds a composite type before an enum;
// KindTable finds tables only (COMMENT ON TABLE of a view names it VIEW).
func (c *Catalog) CommentOf(o Object) *string {
	switch o.Kind {
	case KindSchema:
		if n := c.Schemas[o.Name.Name]; n != nil {
			return &n.Comment
		}
	case KindExtension:
		if e := c.Extensions[o.Name.Name]; e != nil {
			return &e.Comment
		}
	case KindTable:
		if t := c.Tables[o.Name]; t != nil {
			return &t.Comment
		}
	case KindSequence:
		if s := c.Sequences[o.Name]; s != nil {
			return &s.Comment
		}
	case KindIndex:
		if i := c.Indexes[o.Name]; i != nil {
			return &i.Comment
		}
	case KindType:
		if t := c.Composites[o.Name]; t != nil {
			return &t.Comment
		}
		if e := c.Enums[o.Name]; e != nil {
			return &e.Comment
		}
	case KindDomain:
		if d := c.Domains[o.Name]; d != nil {
			return &d.Comment
		}
	case KindCollation:
		if co := c.Collations[o.Name]; co != nil {
			return &co.Comment
		}
	case KindView, KindMaterializedView:
		if v := c.Views[o.Name]; v != nil && v.Kind() == o.Kind {
			return &v.Comment
		}
	case KindFunction, KindProcedure:
		if f := c.Functions[o.Name.Name]; f != nil && f.Kind == o.Kind {
			return &f.Comment
		}
	case KindAggregate:
		if a := c.Aggregates[o.Name.Name]; a != nil {
			return &a.Comment
		}
	}
	return nil
}
