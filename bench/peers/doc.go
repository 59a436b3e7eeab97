// Package peers measures ddlmig against other migration tools in the same
// run, so that load from other work on the machine hits every tool alike
// and the ratio of medians means something where absolute times do not.
//
// It is a separate Go module (bench/peers/go.mod) so that the main module
// never depends on the tools it is compared with; it has benchmarks only
// and must not grow code that ddlmig itself uses. Run it with
// scripts/bench-peers.
package peers
