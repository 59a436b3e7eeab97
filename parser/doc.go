// Package parser reads PostgreSQL DDL text into a schema.Catalog: it folds
// the statements of a file into the catalog as the server would execute
// them, and canonicalizes what it stores (type names, constraint and index
// definitions, default expressions, generated names) so that the same schema
// spelled differently gives an equal model.
//
// It is the only package that turns pg_query_go's trees into the model
// (runner/split.go uses pg_query_go too, only to cut a file into
// statements; internal/pgdecode decodes its protobuf tree). It must not compare
// catalogs, plan changes or render migrations (that is the planner's and
// render's job), and it never talks to a database: everything it knows about
// PostgreSQL's behaviour (implicit names, serial expansion, sequence
// defaults) is reproduced offline.
//
// Canonical text is the deparse of pg_query's tree after rewrites that
// follow from the text alone (public qualification dropped, literals cast to
// the column's own type reduced, varchar columns' implicit ::text casts
// removed, default index orderings dropped). What only the server's type
// resolution decides is kept as written: a hand-written CHECK (status IN
// ('a', 'b')) on a varchar column and pg_dump's = ANY (ARRAY[...]) spelling
// of it differ, as do date/time literals and unknown-typed literals passed
// to functions.
//
// Adding a statement kind is adding a case to folder.apply; every handler
// looks up what it needs before it changes the catalog, so that a
// declarative file can be folded in any order.
package parser
