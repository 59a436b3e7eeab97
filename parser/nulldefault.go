package parser

import "github.com/ddlmig/ddlmig/schema"

// dropNullDefaults removes a column default that is the NULL constant
// (DEFAULT NULL, or NULL cast to the column's type, which literalDefault
// makes "NULL"): PostgreSQL keeps no default for it (heap.c,
// AddRelationNewConstraints), so pg_dump prints none and the column
// compares as having none. A column of a domain type keeps it: the server
// stores the NULL coerced to the domain, which overrides the domain's own
// default. It runs in finish, again, because a domain may be created
// after the tables that use it in a declarative file. It runs on tables,
// the catalog's (finish) or the ones a file touched (finishTouched).
func (f *folder) dropNullDefaults(tables map[schema.QualifiedName]*schema.Table) {
	for _, t := range tables {
		for _, c := range t.Columns {
			f.dropNullDefault(c)
		}
	}
}

// isDomain reports whether t is a domain of the catalog (not an array of
// one, whose NULL the server stores as a plain constant).
func (f *folder) isDomain(t schema.TypeName) bool {
	if t.ArrayDims > 0 || t.Schema == "" {
		return false
	}
	_, ok := f.cat.Domains[schema.QualifiedName{Schema: t.Schema, Name: t.Name}]
	return ok
}

// dropNullDefault drops a NULL default, which PostgreSQL does not store
// (pg_dump prints none), except on a domain column, where it overrides the
// domain's default, and on a column whose type modifier a length function
// applies (varchar(16)): the NULL coerced by it is no constant, and the
// server stores it (pg_dump prints NULL::character varying). CREATE TABLE
// ... INHERITS reads it first
// (mergeInherited): there it takes the parent's default away.
func (f *folder) dropNullDefault(col *schema.Column) {
	if col.Default == "NULL" && !f.isDomain(col.Type) && !lengthCoerced(col.Type) {
		col.Default, col.DefaultSrc = "", ""
	}
}

// lengthCoerced reports whether PostgreSQL applies t's type modifier to a
// value by calling the type's length coercion function (pg_cast's
// castfunc from the type to itself), as it does for varchar(16) or
// numeric(10,2); interval takes its modifier in its input function, so a
// NULL of it stays a constant. TestNullDefaultsAgainstServer holds the
// list to the server.
func lengthCoerced(t schema.TypeName) bool {
	if t.Mods == "" || t.Schema != "" {
		return false
	}
	switch t.Name {
	case "character varying", "character", "numeric", "bit", "bit varying",
		"timestamp without time zone", "timestamp with time zone", "time without time zone", "time with time zone":
		return true
	}
	return false
}
