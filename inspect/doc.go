// Package inspect reads a live PostgreSQL database's schema as DDL text.
//
// It queries the system catalogs in one read-only transaction (REPEATABLE
// READ READ ONLY), prints each user object with the server's own
// pg_get_*def functions where the server has one, and orders the statements
// by the catalog's dependencies (pg_depend) so that the text loads into an
// empty database. The text is meant to be folded by ddlmig's parser, so a
// live database, schema.sql and a pg_dump file share one normalization.
//
// It needs only a role that may connect and read the catalogs; it never
// writes, never calls pg_dump and imports nothing of ddlmig's model: the
// caller parses what it prints.
package inspect
