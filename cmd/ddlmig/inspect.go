package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"

	"github.com/ddlmig/ddlmig/inspect"
	"github.com/ddlmig/ddlmig/runner"
)

// InspectCmd prints a live database's schema as schema.sql, reading the
// catalogs in a read-only transaction.
type InspectCmd struct {
	DatabaseURL string `name:"database-url" env:"DATABASE_URL" placeholder:"URL" help:"PostgreSQL connection URL or key=value string (libpq syntax). A password in it is never printed."`
	Output      string `short:"o" placeholder:"FILE" help:"Write the schema to FILE instead of standard output."`
	Table       string `default:"ddlmig_migrations" placeholder:"[SCHEMA.]NAME" help:"ddlmig's bookkeeping table, left out of the schema."`
	Owners      bool   `help:"Add ALTER ... OWNER TO for objects the connected role does not own."`
}

func (c *InspectCmd) Run(g *Globals) error {
	if c.DatabaseURL == "" {
		return &exitCodeError{exitUsage, errors.New("no database: pass --database-url or set DATABASE_URL")}
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
	return os.WriteFile(c.Output, []byte(text), 0o644)
}
