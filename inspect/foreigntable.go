package inspect

import "strings"

// Foreign tables are relations (pg_class relkind 'f'): readRelations
// prints them with the tables, as pg_dump does, CREATE FOREIGN TABLE with
// their columns' OPTIONS, then SERVER and the table's OPTIONS
// (pg_foreign_table). They come after their server.

// fdwOptions prints an OPTIONS array as a column definition or CREATE
// FOREIGN TABLE ends with it: " OPTIONS (...)", or "" for none.
func fdwOptions(col string) string {
	return "coalesce(" + strings.ReplaceAll(foreignOptions, "%[1]s", col) + ", '')"
}

// foreignTableColumns are readRelations' columns 16 to 18: the server's oid
// and quoted name, and the table's OPTIONS; "" for a relation that is no
// foreign table (ft is the LEFT JOINed pg_foreign_table).
var foreignTableColumns = `coalesce(ft.ftserver::text, ''),
	coalesce((SELECT pg_catalog.quote_ident(s.srvname) FROM pg_catalog.pg_foreign_server s WHERE s.oid = ft.ftserver), ''),
	` + fdwOptions("ft.ftoptions")

// tableWord is how CREATE, COMMENT ON and OWNER TO name the relation of
// readRelations' row c: TABLE or FOREIGN TABLE.
func tableWord(c []string) string {
	if c[2] == "f" {
		return "FOREIGN TABLE"
	}
	return "TABLE"
}

// replicaIdentity is the relreplident of readRelations' row c, "d" (the
// default, printed as nothing) for a foreign table: PostgreSQL gives it
// 'n', which no ALTER sets on it.
func replicaIdentity(c []string) string {
	if c[2] == "f" {
		return "d"
	}
	return c[8]
}

// foreignTail is what follows a foreign table's columns (and INHERITS or
// partition bound): SERVER and OPTIONS; it makes the table's item depend on
// its server.
func (r *reader) foreignTail(it *item, c []string) string {
	if c[2] != "f" {
		return ""
	}
	it.deps = append(it.deps, key{"pg_foreign_server", c[16]})
	return "\nSERVER " + c[17] + c[18]
}
