// Package planner compares two schema catalogs and returns the ordered list
// of changes that turns the first into the second: the heart of a migration.
//
// The same algorithm produces both directions: the down migration of
// Plan(old, new, opts) is Plan(new, old, opts.Invert()). Changes are typed
// values in a closed set (see Change) carrying their hazards as data; turning
// them into SQL text is the job of package render.
//
// A hazard has a stable code, one per rule (Codes documents them all): what
// loses data, what locks or rewrites an existing table, what fails on the
// rows already there. Objects created by the same plan are empty, so they
// carry none. Column type changes are classified by PostgreSQL's own rules
// (ClassifyTypeChange), so that widening varchar(20) to varchar(50) is not
// reported like narrowing it.
//
// The planner must not parse or print SQL, read files or talk to a database:
// it imports only package schema. Definitions it compares (defaults,
// constraint and index definitions) are canonical text produced by the
// parser, compared as opaque strings. It must run in linear time in the size
// of the catalogs: objects are looked up by name in maps, never by scanning.
package planner
