package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ddlmig/ddlmig/inspect"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/runner"
	"github.com/ddlmig/ddlmig/schema"
	"github.com/jackc/pgx/v5"
)

// DriftCmd compares a live database with what it should be: the fold of
// the migrations its bookkeeping table records as applied, or the schema
// file. It reads the catalogs as inspect does and never writes.
type DriftCmd struct {
	DatabaseURL string `name:"database-url" env:"DATABASE_URL" placeholder:"URL" help:"PostgreSQL connection URL or key=value string (libpq syntax). A password in it is never printed."`
	Table       string `default:"ddlmig_migrations" placeholder:"[SCHEMA.]NAME" help:"Bookkeeping table (schema public unless qualified)."`
	Against     string `enum:"migrations,schema" default:"migrations" help:"What the database should be: the applied migrations folded (migrations) or the schema file (schema)."`
	Format      string `help:"Output format: text or json (see Machine-readable output in the README)." enum:"text,json" default:"text"`
	FleetFlags  `embed:""`
}

func (c *DriftCmd) Run(g *Globals) error {
	if c.fleet() {
		return c.driftFleet(g)
	}
	if c.DatabaseURL == "" {
		return g.noDatabase()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	conn, err := runner.Connect(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())

	var want *schema.Catalog
	target := g.schemaName()
	if c.Against == "schema" {
		cat, warns, err := g.project().LoadSchema()
		if err != nil {
			return err
		}
		printWarnings(g, warns)
		want = cat
	} else {
		cat, t, err := appliedFold(ctx, g, conn, c.Table)
		if err != nil {
			return runner.ScrubError(err, c.DatabaseURL)
		}
		want, target = cat, t
	}

	skipUnmanaged(g, want)
	up, err := liveDiff(ctx, conn, c.Table, want)
	if err != nil {
		return runner.ScrubError(err, c.DatabaseURL)
	}
	if c.Format == "json" {
		if err := writeJSON(g, driftDocument(c.Against, target, up)); err != nil {
			return err
		}
		if len(up.Changes) == 0 {
			return nil
		}
		return &exitCodeError{code: exitChanges}
	}
	if len(up.Changes) == 0 {
		fmt.Fprintf(g.Stdout, "no drift: the database matches %s\n", target)
		return nil
	}
	fmt.Fprintf(g.Stderr, "drift: the database differs from %s; %s bring it back (SQL on stdout):\n", target, plural(len(up.Changes), "change"))
	fmt.Fprint(g.Stderr, changeLines(up))
	fmt.Fprint(g.Stdout, render.SQL(up))
	return &exitCodeError{code: exitChanges}
}

// appliedFold folds the migrations the database's bookkeeping table
// records as applied: what the database should be. drift and
// apply --check-drift both compare the live database with it.
func appliedFold(ctx context.Context, g *Globals, conn *pgx.Conn, table string) (*schema.Catalog, string, error) {
	if err := checkDir(g.Dir); err != nil {
		return nil, "", err
	}
	cat, target, _, warns, err := foldApplied(ctx, g.Dir, conn, table)
	printWarnings(g, warns)
	return cat, target, err
}

// foldApplied is appliedFold without printing (a fleet's targets run at
// once): it returns the warnings, and the version the table records.
func foldApplied(ctx context.Context, dir string, conn *pgx.Conn, table string) (*schema.Catalog, string, uint64, []parser.Warning, error) {
	r, err := runner.New(conn, os.DirFS(dir), runner.Options{Table: table})
	if err != nil {
		return nil, "", 0, nil, &exitCodeError{exitUsage, err}
	}
	st, err := r.Status(ctx) // reads only
	if err != nil {
		return nil, "", 0, nil, err
	}
	folder, err := migfile.Read(os.DirFS(dir))
	if err != nil {
		return nil, "", 0, nil, err
	}
	applied := map[uint64]bool{}
	for _, m := range st.Migrations {
		switch m.State {
		case runner.StateApplied:
			applied[m.Version] = true
		case runner.StatePending:
		default:
			return nil, "", 0, nil, fmt.Errorf("migration %06d is %s: drift compares the database with the migrations it applied, so they must be in the folder as they ran (see ddlmig status)", m.Version, m.State)
		}
	}
	var migs []migfile.Migration
	for _, m := range folder.Migrations {
		if applied[m.Version] {
			migs = append(migs, m)
		}
	}
	cat, warns, err := project.Fold(os.DirFS(dir), dir, migs)
	if err != nil {
		return nil, "", 0, nil, err
	}
	return cat, fmt.Sprintf("%s up to version %06d", dir, st.Version), st.Version, warns, nil
}

// checkDrift is apply --check-drift: it refuses, listing the drift, when
// the live database differs from the fold of its applied migrations.
func checkDrift(ctx context.Context, g *Globals, url, table string) error {
	conn, err := runner.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	want, target, err := appliedFold(ctx, g, conn, table)
	if err != nil {
		return runner.ScrubError(err, url)
	}
	skipUnmanaged(g, want)
	up, err := liveDiff(ctx, conn, table, want)
	if err != nil {
		return runner.ScrubError(err, url)
	}
	if len(up.Changes) == 0 {
		return nil
	}
	fmt.Fprintf(g.Stderr, "apply --check-drift: the database differs from %s, nothing applied; %s would bring it back (see ddlmig drift):\n", target, plural(len(up.Changes), "change"))
	fmt.Fprint(g.Stderr, changeLines(up))
	return &exitCodeError{code: exitChanges}
}

// skipUnmanaged leaves the statements marked -- ddlmig:unmanaged out of
// a comparison with a live database, saying so: inspect cannot read them
// back, so they are the user's to compare.
func skipUnmanaged(g *Globals, want *schema.Catalog) {
	if n := len(want.Unmanaged); n > 0 {
		fmt.Fprintf(g.Stderr, "note: %s marked -- ddlmig:unmanaged not compared\n", plural(n, "statement"))
		want.Unmanaged = map[string]*schema.Unmanaged{}
	}
}

// liveDiff reads a live database's schema as inspect does (catalogs
// only, the bookkeeping table left out) and plans the changes that would
// bring it to want: none when the two match. drift and stamp compare so.
func liveDiff(ctx context.Context, conn *pgx.Conn, table string, want *schema.Catalog) (*planner.Plan, error) {
	text, err := inspect.Schema(ctx, conn, inspect.Options{Table: table})
	if err != nil {
		return nil, err
	}
	live, _, err := parser.ParseFile(liveFile, []byte(text), parser.Options{})
	if err != nil {
		return nil, fmt.Errorf("reading the database's schema back: %w", err)
	}
	return planner.Diff(live, want, planner.Options{})
}

// changeLines prints each change's first line, indented, one a line.
func changeLines(p *planner.Plan) string {
	var b strings.Builder
	for _, ch := range p.Changes {
		first, _, _ := strings.Cut(render.Statement(ch), "\n")
		fmt.Fprintf(&b, "  %s\n", first)
	}
	return b.String()
}

// liveFile is the file name of the live database's schema as drift parses
// it: positions in it point into text nobody sees.
const liveFile = "database"

func printWarnings(g *Globals, warns []parser.Warning) {
	for _, w := range warns {
		fmt.Fprintf(g.Stderr, "warning: %s: %s\n", w.Pos, w.Msg)
	}
}
