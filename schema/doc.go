// Package schema is ddlmig's model of a PostgreSQL database schema: plain
// values keyed by name for schemas, extensions, enums, composite and range
// types, domains, collations, sequences, tables (columns, constraints,
// options, policies), indexes, views, functions and procedures,
// aggregates, triggers, privileges and owners, plus source positions and
// positioned errors. Kind is the one encoding of an object's kind that
// every package shares. Each set of objects registers a KindInfo from its
// own file (registry.go); Catalog.SchemaObjects, HasObject, CommentOf and
// TypeTaken read the registry, so a new kind adds no case to them.
//
// The model is what the parser produces and what the planner compares. It
// must not know about SQL text parsing or rendering (that is the job of the
// parser and render packages), and it imports only the standard library.
//
// Names are stored unquoted and case-exact, as PostgreSQL stores them in the
// catalog (unquoted identifiers are already folded to lower case by the
// parser). Quoting happens only when SQL is rendered, through QuoteIdent.
//
// Each object separates what is compared from where it came from: Pos fields
// never take part in a comparison, so moving a statement within schema.sql
// never produces a migration.
package schema
