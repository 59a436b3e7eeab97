package lint

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// typeName returns a type's name as written, pg_catalog dropped: "int4",
// "serial", "varchar", "bpchar", "timestamp", "json". User types keep their
// schema so they never match a built-in.
func typeName(tn *pg_query.TypeName) string {
	if tn == nil {
		return ""
	}
	var names []string
	for _, n := range tn.Names {
		names = append(names, n.GetString_().GetSval())
	}
	switch {
	case len(names) == 1:
		return names[0]
	case len(names) == 2 && names[0] == "pg_catalog":
		return names[1]
	}
	return ""
}

func serialType(tn *pg_query.TypeName) bool {
	switch typeName(tn) {
	case "serial", "serial4", "smallserial", "serial2", "bigserial", "serial8":
		return len(tn.ArrayBounds) == 0
	}
	return false
}

// columnType applies the style rules of a column's type: squawk's
// ban-char-field, prefer-text-field, prefer-bigint-over-int,
// prefer-identity and prefer-timestamptz, and jsonb over json. They skip
// generated files (see report).
func (f *file) columnType(q schema.QualifiedName, col string, tn *pg_query.TypeName) {
	if tn == nil {
		return
	}
	where := show(q) + "." + col
	switch typeName(tn) {
	case "bpchar":
		f.report(CodeCharType, "%s is char(n), which pads with spaces and saves nothing over text", where)
	case "varchar":
		if len(tn.Typmods) > 0 {
			f.report(CodePreferText, "%s is varchar(n): raising the limit later is a migration; text with a CHECK on length is changed without one", where)
		}
	case "int2", "int4", "smallint", "integer", "int":
		f.report(CodePreferBigint, "%s is a 16- or 32-bit integer, which a busy table outgrows; widening it later rewrites the table", where)
	case "serial", "serial4", "smallserial", "serial2":
		f.report(CodePreferBigint, "%s is a 16- or 32-bit serial, which a busy table outgrows; widening it later rewrites the table", where)
		f.report(CodePreferIdentity, "%s is a serial: its sequence is a separate object with its own grants", where)
	case "bigserial", "serial8":
		f.report(CodePreferIdentity, "%s is a serial: its sequence is a separate object with its own grants", where)
	case "timestamp":
		f.report(CodePreferTimestamptz, "%s is timestamp without time zone, which reads differently per session time zone", where)
	case "json":
		f.report(CodeJSONType, "%s is json: it has no equality operator (SELECT DISTINCT, UNION fail) and is parsed on every read", where)
	}
}
