// Package render turns a planner.Plan into SQL text: one statement per
// change, hazards as review markers above the statements they concern, and
// whole migration files with a header.
//
// Everything render prints must parse back (package parser, Migration mode)
// into the model the plan was made for; the golden tests check that fold
// for every case. Render must not decide anything: what to change, and in
// which order, is the planner's job. Identifiers are quoted only through
// schema.QuoteIdent and QualifiedName.String, literals through
// schema.QuoteLiteral.
package render
