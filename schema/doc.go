// Package schema is ddlmig's model of a PostgreSQL database schema: plain
// values for schemas, extensions, types, sequences, tables, constraints and
// indexes, keyed by name, plus source positions and positioned errors.
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
