// Command synth writes a synthetic ddlmig project for benchmarks run from
// the shell (scripts/bench measures peak memory of the real binary with
// /usr/bin/time), and parses a file with pg_query_go once, the floor those
// figures are compared with.
//
//	synth -n 5000 [-seed 1] [-changed 0.05] DIR   write DIR/schema.sql (mutated) and DIR/migrations/
//	synth -sql base|mutated -n 5000               print one schema on stdout
//	synth -parse FILE                             pg_query.Parse(FILE) once, and nothing else
//	synth -parse FILE -tuned                      the same after pgdecode.TuneMalloc, as ddlmig's main
package main

import (
	"flag"
	"fmt"
	"os"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/internal/synth/fixture"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
}

func run() error {
	var opts synth.Options
	flag.IntVar(&opts.Tables, "n", 1000, "number of tables")
	flag.Uint64Var(&opts.Seed, "seed", 1, "which schema of that size")
	flag.Float64Var(&opts.Changed, "changed", synth.DefaultChanged, "fraction of tables the mutated schema changes")
	flag.BoolVar(&opts.Views, "views", false, "add views (ddlmig's parser does not read them yet)")
	sql := flag.String("sql", "", "print the base or mutated schema instead of writing a project")
	parse := flag.String("parse", "", "parse this file with pg_query_go once and exit")
	tuned := flag.Bool("tuned", false, "with -parse: tune malloc first, as ddlmig's main does")
	flag.Parse()
	switch {
	case *parse != "":
		if *tuned {
			pgdecode.TuneMalloc()
		}
		src, err := os.ReadFile(*parse)
		if err != nil {
			return err
		}
		tree, err := pg_query.Parse(string(src))
		if err != nil {
			return err
		}
		fmt.Printf("%d statements\n", len(tree.Stmts))
		return nil
	case *sql == "base":
		_, err := os.Stdout.Write(synth.Generate(opts).Base)
		return err
	case *sql == "mutated":
		_, err := os.Stdout.Write(synth.Generate(opts).Mutated)
		return err
	case *sql != "":
		return fmt.Errorf("-sql %q: want base or mutated", *sql)
	}
	if flag.NArg() != 1 {
		return fmt.Errorf("want one directory to write the project into")
	}
	dir := flag.Arg(0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p, err := fixture.Write(dir, opts)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d tables, %d changes) and %s\n", p.SchemaFile, opts.Tables, len(p.Schema.Changes), p.Dir)
	return nil
}
