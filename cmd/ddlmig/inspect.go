package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
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
	Split       string `placeholder:"DIR" help:"Write the schema into DIR instead: a file per kind of object, a folder per schema, read back by --schema DIR. DIR must be empty or absent, unless --force."`
	Force       bool   `help:"With --split: replace the files an earlier inspect wrote into DIR (other *.sql files are refused, other files left alone)."`
	Baseline    bool   `help:"Also write migration 000001 creating the schema into the migrations folder (--dir), which must be empty or absent; needs -o or --split. Stamps nothing."`
}

func (c *InspectCmd) Run(g *Globals) error {
	if c.DatabaseURL == "" {
		return g.noDatabase()
	}
	var stale []string
	if c.Split != "" {
		if c.Output != "" {
			return &exitCodeError{exitUsage, errors.New("--split writes a folder: it does not take -o")}
		}
		old, err := splitTarget(c.Split, c.Force)
		if err != nil {
			return err
		}
		stale = old
	}
	if c.Baseline {
		if c.Output == "" && c.Split == "" {
			return &exitCodeError{exitUsage, errors.New("--baseline writes a migration of the schema file: pass -o FILE or --split DIR")}
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
	opts := inspect.Options{Table: c.Table, Owners: c.Owners}
	if c.Split != "" {
		files, err := inspect.Split(ctx, conn, opts)
		if err != nil {
			return runner.ScrubError(err, c.DatabaseURL)
		}
		if err := writeSplit(c.Split, stale, files); err != nil || !c.Baseline {
			return err
		}
		return c.baseline(g, c.Split)
	}
	text, err := inspect.Schema(ctx, conn, opts)
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
	return c.baseline(g, c.Output)
}

// baseline writes migration 000001 from the inspected schema (a file, or
// the folder of --split), as generate would from an empty folder.
func (c *InspectCmd) baseline(g *Globals, schema string) error {
	if err := os.MkdirAll(g.Dir, 0o755); err != nil {
		return err
	}
	st, err := project.Project{SchemaFile: schema, Dir: g.Dir}.Load()
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
	if err := (project.Project{SchemaFile: schema, Dir: g.Dir}).RecordSum(nil, []string{m.UpFile, m.DownFile}); err != nil {
		return err
	}
	up, down := filepath.Join(g.Dir, m.UpFile), filepath.Join(g.Dir, m.DownFile)
	fmt.Fprintf(g.Stderr, "wrote %s\nwrote %s\n", up, down)
	reportHazards(g, [][2]string{{up, m.Up}, {down, m.Down}})
	return nil
}

// splitTarget checks that inspect --split may write into dir: absent or
// empty, or with --force holding no *.sql file but those an earlier inspect
// wrote (--schema dir would read any other into the schema), which it
// returns for writeSplit to remove, so that an object dropped since leaves
// no file behind. It runs before the database is read, so a refusal costs
// nothing, and removes nothing, so a failed read loses nothing.
func splitTarget(dir string, force bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !force {
		return nil, fmt.Errorf("%s is not empty: inspect --split writes a new folder (--force replaces the files an earlier inspect --split wrote)", dir)
	}
	var ours []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
			return err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(string(text), inspect.Header+"\n") {
			return fmt.Errorf("%s: not written by ddlmig inspect: --schema %s would read it into the schema; move it out of %s or pick another folder", path, dir, dir)
		}
		ours = append(ours, path)
		return nil
	})
	return ours, err
}

// writeSplit removes the stale files of an earlier inspect and writes
// those of inspect.Split under dir.
func writeSplit(dir string, stale []string, files map[string]string) error {
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
