package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// Castable reports whether PostgreSQL can convert a value of type from to
// type to with an explicit cast (value::to), which is what ALTER COLUMN
// ... TYPE ... USING col::to asks. It follows find_coercion_pathway: the
// same type (a new length or precision), a cast in pg_cast, or the
// automatic I/O conversion to and from the string types; arrays convert
// element by element. Types of the user's own (enums, domains, composite
// types) are left to castVia and reported castable.
//
// TestCastsAgainstServer (package render) checks it on PostgreSQL for
// every pair of the built-in types in builtinCasts and their arrays.
func Castable(from, to schema.TypeName) bool {
	if from.Schema != "" || to.Schema != "" {
		return true
	}
	if from.ArrayDims != to.ArrayDims {
		return from.ArrayDims == 0 && stringType(from.Name) || to.ArrayDims == 0 && stringType(to.Name)
	}
	f, t := castName(from.Name), castName(to.Name)
	if !castTypes[f] || !castTypes[t] {
		return true // not known here: left to the server
	}
	return f == t || stringType(f) || stringType(t) || builtinCasts[[2]string{f, t}]
}

// castTypeNames are the built-in types whose casts builtinCasts lists,
// all of them: the column types in common use.
var castTypeNames = []string{
	"smallint", "integer", "bigint", "numeric", "real", "double precision", "money", "boolean",
	"text", "character varying", "character", "name", `"char"`, "bytea",
	"date", "time without time zone", "time with time zone", "timestamp without time zone", "timestamp with time zone", "interval",
	"uuid", "json", "jsonb", "xml", "inet", "cidr", "macaddr", "macaddr8", "bit", "bit varying",
	"point", "line", "lseg", "box", "path", "polygon", "circle", "tsvector", "tsquery",
	"int4range", "int8range", "numrange", "daterange", "tsrange", "tstzrange", "oid",
}

var castTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range castTypeNames {
		m[n] = true
	}
	return m
}()

// CastTypeNames returns the built-in types Castable knows the casts of
// (others are reported castable), for tests that check it on a server.
func CastTypeNames() []string { return slices.Clone(castTypeNames) }

// stringType reports whether PostgreSQL's type category of name is string
// (S): every type converts to and from those through its text form.
func stringType(name string) bool {
	switch castName(name) {
	case "text", "character varying", "character", "name":
		return true
	}
	return false
}

// castName is the name format_type gives a built-in type, as pg_cast's
// pairs below are written.
func castName(name string) string {
	if name == "bpchar" {
		return "character"
	}
	return name
}

// builtinCasts are the casts between different built-in column types
// that pg_cast holds on PostgreSQL 15 (format_type names, source then
// target); the internal reg* and pg_* types are left out.
var builtinCasts = map[[2]string]bool{
	{"\"char\"", "character varying"}:                      true,
	{"\"char\"", "character"}:                              true,
	{"\"char\"", "integer"}:                                true,
	{"\"char\"", "text"}:                                   true,
	{"bigint", "bit"}:                                      true,
	{"bigint", "double precision"}:                         true,
	{"bigint", "integer"}:                                  true,
	{"bigint", "money"}:                                    true,
	{"bigint", "numeric"}:                                  true,
	{"bigint", "oid"}:                                      true,
	{"bigint", "real"}:                                     true,
	{"bigint", "smallint"}:                                 true,
	{"bit varying", "bit"}:                                 true,
	{"bit", "bigint"}:                                      true,
	{"bit", "bit varying"}:                                 true,
	{"bit", "integer"}:                                     true,
	{"boolean", "character varying"}:                       true,
	{"boolean", "character"}:                               true,
	{"boolean", "integer"}:                                 true,
	{"boolean", "text"}:                                    true,
	{"box", "circle"}:                                      true,
	{"box", "lseg"}:                                        true,
	{"box", "point"}:                                       true,
	{"box", "polygon"}:                                     true,
	{"character varying", "\"char\""}:                      true,
	{"character varying", "character"}:                     true,
	{"character varying", "name"}:                          true,
	{"character varying", "text"}:                          true,
	{"character varying", "xml"}:                           true,
	{"character", "\"char\""}:                              true,
	{"character", "character varying"}:                     true,
	{"character", "name"}:                                  true,
	{"character", "text"}:                                  true,
	{"character", "xml"}:                                   true,
	{"cidr", "character varying"}:                          true,
	{"cidr", "character"}:                                  true,
	{"cidr", "inet"}:                                       true,
	{"cidr", "text"}:                                       true,
	{"circle", "box"}:                                      true,
	{"circle", "point"}:                                    true,
	{"circle", "polygon"}:                                  true,
	{"date", "timestamp with time zone"}:                   true,
	{"date", "timestamp without time zone"}:                true,
	{"double precision", "bigint"}:                         true,
	{"double precision", "integer"}:                        true,
	{"double precision", "numeric"}:                        true,
	{"double precision", "real"}:                           true,
	{"double precision", "smallint"}:                       true,
	{"inet", "character varying"}:                          true,
	{"inet", "character"}:                                  true,
	{"inet", "cidr"}:                                       true,
	{"inet", "text"}:                                       true,
	{"integer", "\"char\""}:                                true,
	{"integer", "bigint"}:                                  true,
	{"integer", "bit"}:                                     true,
	{"integer", "boolean"}:                                 true,
	{"integer", "double precision"}:                        true,
	{"integer", "money"}:                                   true,
	{"integer", "numeric"}:                                 true,
	{"integer", "oid"}:                                     true,
	{"integer", "real"}:                                    true,
	{"integer", "smallint"}:                                true,
	{"interval", "time without time zone"}:                 true,
	{"json", "jsonb"}:                                      true,
	{"jsonb", "bigint"}:                                    true,
	{"jsonb", "boolean"}:                                   true,
	{"jsonb", "double precision"}:                          true,
	{"jsonb", "integer"}:                                   true,
	{"jsonb", "json"}:                                      true,
	{"jsonb", "numeric"}:                                   true,
	{"jsonb", "real"}:                                      true,
	{"jsonb", "smallint"}:                                  true,
	{"lseg", "point"}:                                      true,
	{"macaddr", "macaddr8"}:                                true,
	{"macaddr8", "macaddr"}:                                true,
	{"money", "numeric"}:                                   true,
	{"name", "character varying"}:                          true,
	{"name", "character"}:                                  true,
	{"name", "text"}:                                       true,
	{"numeric", "bigint"}:                                  true,
	{"numeric", "double precision"}:                        true,
	{"numeric", "integer"}:                                 true,
	{"numeric", "money"}:                                   true,
	{"numeric", "real"}:                                    true,
	{"numeric", "smallint"}:                                true,
	{"oid", "bigint"}:                                      true,
	{"oid", "integer"}:                                     true,
	{"path", "polygon"}:                                    true,
	{"point", "box"}:                                       true,
	{"polygon", "box"}:                                     true,
	{"polygon", "circle"}:                                  true,
	{"polygon", "path"}:                                    true,
	{"polygon", "point"}:                                   true,
	{"real", "bigint"}:                                     true,
	{"real", "double precision"}:                           true,
	{"real", "integer"}:                                    true,
	{"real", "numeric"}:                                    true,
	{"real", "smallint"}:                                   true,
	{"smallint", "bigint"}:                                 true,
	{"smallint", "double precision"}:                       true,
	{"smallint", "integer"}:                                true,
	{"smallint", "numeric"}:                                true,
	{"smallint", "oid"}:                                    true,
	{"smallint", "real"}:                                   true,
	{"text", "\"char\""}:                                   true,
	{"text", "character varying"}:                          true,
	{"text", "character"}:                                  true,
	{"text", "name"}:                                       true,
	{"text", "xml"}:                                        true,
	{"time with time zone", "time without time zone"}:      true,
	{"time without time zone", "interval"}:                 true,
	{"time without time zone", "time with time zone"}:      true,
	{"timestamp with time zone", "date"}:                   true,
	{"timestamp with time zone", "time with time zone"}:    true,
	{"timestamp with time zone", "time without time zone"}: true,
	{"timestamp with time zone", "timestamp without time zone"}: true,
	{"timestamp without time zone", "date"}:                     true,
	{"timestamp without time zone", "time without time zone"}:   true,
	{"timestamp without time zone", "timestamp with time zone"}: true,
	{"xml", "character varying"}:                                true,
	{"xml", "character"}:                                        true,
	{"xml", "text"}:                                             true,
}
