// Package project ties a declarative schema file to its migrations folder:
// it folds the migrations into the schema they produce, compares that with
// the schema file, and writes the next migration pair.
//
// It is the one place where parser, planner and render meet, so that the
// CLI and the correctness tools (verify, the conformance harness) generate
// migrations exactly the same way. It does not talk to databases.
package project
