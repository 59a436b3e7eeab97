// Command ddlmig generates PostgreSQL migrations from a declarative
// schema.sql and applies them. See README.md for the workflow.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
