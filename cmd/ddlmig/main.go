// Command ddlmig generates PostgreSQL migrations from a declarative
// schema.sql and applies them. See README.md for the workflow.
package main

import (
	"os"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
)

func main() {
	// generate, check and diff parse megabytes of SQL with libpg_query:
	// keep its freed memory for the next parse (see TuneMalloc).
	pgdecode.TuneMalloc()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
