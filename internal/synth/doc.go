// Package synth writes synthetic PostgreSQL schemas for benchmarks and load
// tests: N tables of realistic DDL (about 1 kB per table) with identity and
// serial keys, sequences, enums, defaults, checks, foreign keys, partial,
// expression and unique indexes and comments, and a mutated copy of the same
// schema in which a few percent of the objects changed.
//
// The output depends only on Options, never on the clock or map order, so a
// figure measured today can be measured again on the same input tomorrow.
// Every statement it writes loads on a real PostgreSQL 15 (a test checks
// that), so the schemas are fair input for tools that diff live databases.
//
// It produces SQL text only: it must not import the parser, planner or any
// other ddlmig package, so that it measures them without sharing their
// assumptions.
package synth
