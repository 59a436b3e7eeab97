package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/ddlmig/ddlmig/inspect"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/runner"
)

// InspectCmd prints a live database's schema as schema.sql, reading the
// catalogs in a read-only transaction.
type InspectCmd struct {
	DatabaseURL string `name:"database-url" env:"DATABASE_URL" placeholder:"URL" help:"PostgreSQL connection URL or key=value string (libpq syntax). A password in it is never printed."`
	Output      string `short:"o" placeholder:"FILE" help:"Write the schema to FILE instead of standard output."`
	Table       string `default:"ddlmig_migrations" placeholder:"[SCHEMA.]NAME" help:"ddlmig's bookkeeping table, left out of the schema."`
	Owners      bool   `help:"Add ALTER ... OWNER TO for objects the connected role does not own."`
	Baseline    bool   `help:"Also write migration 000001 creating the schema into the migrations folder (--dir), which must be empty or absent; needs -o. Stamps nothing."`
}

func (c *InspectCmd) Run(g *Globals) error {
	if c.DatabaseURL == "" {
		return g.noDatabase()
	}
	if c.Baseline {
		if c.Output == "" {
			return &exitCodeError{exitUsage, errors.New("--baseline writes a migration of the schema file: pass -o FILE")}
		}
		if entries, err := os.ReadDir(g.Dir); err == nil && len(entries) > 0 {
			return fmt.Errorf("%s is not empty: --baseline writes the first migration of a new folder", g.Dir)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	conn, err := runner.Connect(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	text, err := inspect.Schema(ctx, conn, inspect.Options{Table: c.Table, Owners: c.Owners})
	if err != nil {
		return runner.ScrubError(err, c.DatabaseURL)
	}
	if c.Output == "" {
		_, err := g.Stdout.Write([]byte(text))
		return err
	}
	if err := os.WriteFile(c.Output, []byte(text), 0o644); err != nil {
		return err
	}
	if !c.Baseline {
		return nil
	}
	return c.baseline(g)
}

// baseline writes migration 000001 from the inspected schema file, as
// generate would from an empty folder.
func (c *InspectCmd) baseline(g *Globals) error {
	if err := os.MkdirAll(g.Dir, 0o755); err != nil {
		return err
	}
	st, err := project.Project{SchemaFile: c.Output, Dir: g.Dir}.Load()
	if err != nil {
		return err
	}
	m, err := st.Plan("baseline", planner.Options{})
	if err != nil {
		return err
	}
	if m.Empty() {
		fmt.Fprintln(g.Stderr, "the database is empty: no baseline migration written")
		return nil
	}
	if err := m.Write(g.Dir); err != nil {
		return err
	}
	if err := (project.Project{SchemaFile: c.Output, Dir: g.Dir}).RecordSum(nil, []string{m.UpFile, m.DownFile}); err != nil {
		return err
	}
	up, down := filepath.Join(g.Dir, m.UpFile), filepath.Join(g.Dir, m.DownFile)
	fmt.Fprintf(g.Stderr, "wrote %s\nwrote %s\n", up, down)
	reportHazards(g, [][2]string{{up, m.Up}, {down, m.Down}})
	return nil
}
