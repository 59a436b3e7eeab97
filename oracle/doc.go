// Package oracle checks migrations against a real PostgreSQL: it reads two
// databases' catalogs with plain pg_catalog queries, reports every difference
// between them one line each, and runs round trips (old schema, fill rows,
// up, compare with the new schema loaded directly, down, compare with the old
// schema) that also verify that no row values were lost.
//
// The oracle is the judge of ddlmig's parser, planner and renderer, so it must
// not import any of them, nor the schema model: a bug in ddlmig's own reading
// of SQL would otherwise hide itself. It depends only on pgx, the standard
// library and internal/scratch (its scratch databases; scratch depends on
// nothing of ddlmig either), and all it knows about SQL it asks PostgreSQL.
//
// Comparison ignores column order (ALTER TABLE can only append columns) and
// object ownership; everything else in the catalog counts. The runner's
// bookkeeping table is excluded by default (see ReadOptions).
//
// Extension points: each kind of object is read by one function in the
// readers list of catalog.go, which adds Objects with a Kind, a name, a
// parent and text properties. A new kind (privileges on more objects, event
// triggers, publications, ...) is one more reader; Compare needs no change.
package oracle
