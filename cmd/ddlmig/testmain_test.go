package main

import (
	"os"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestMain lets the tests reuse their scratch databases (testdb.Main).
// With DDLMIG_TEST_AS_CLI=1 the test binary is ddlmig itself, for a git
// hook that a test installs (see installHook).
func TestMain(m *testing.M) {
	if os.Getenv("DDLMIG_TEST_AS_CLI") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(testdb.Main(m))
}
