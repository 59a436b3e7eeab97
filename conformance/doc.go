// Package conformance holds ddlmig's end-to-end conformance tests; it has no
// code of its own besides this comment.
//
// The tests take schemas nobody on the team wrote (sqldef's PostgreSQL test
// corpus and real projects' schema files, found by internal/corpus in
// ../shared beside the repository or DDLMIG_CORPUS_DIR), generate migrations
// exactly as the CLI does (project.State.Plan) and let the oracle judge them on a real PostgreSQL: a migrated database must
// match the target schema loaded directly, and the down migration must bring
// the old schema back. What does not pass yet is listed in testdata/*-known-
// failures.txt, so that a case that passes never silently regresses.
//
// It must not judge migrations with ddlmig's own parser or model: only the
// oracle, which asks PostgreSQL, decides whether two schemas are the same.
package conformance
