// Package parser reads PostgreSQL DDL text into a schema.Catalog: it folds
// the statements of a file into the catalog as the server would execute
// them, and canonicalizes what it stores (type names, constraint and index
// definitions, default expressions, generated names) so that the same schema
// spelled differently gives an equal model.
//
// It is the only package that knows pg_query_go. It must not compare
// catalogs, plan changes or render migrations (that is the planner's and
// render's job), and it never talks to a database: everything it knows about
// PostgreSQL's behaviour (implicit names, serial expansion, sequence
// defaults) is reproduced offline.
package parser
