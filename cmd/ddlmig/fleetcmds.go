package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/ddlmig/ddlmig/fleet"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/runner"
	"github.com/ddlmig/ddlmig/schema"
	"github.com/jackc/pgx/v5"
)

// driftFleet is drift over a fleet: each target is compared with the fold
// of the migrations its own table records (or with the schema file), and
// its entry lists the changes that would bring it back.
func (c *DriftCmd) driftFleet(g *Globals) error {
	job, err := driftJob(g, &c.FleetFlags, c.Table, c.Against)
	if err != nil {
		return err
	}
	return c.runFleet(g, c.DatabaseURL, job, c.Format)
}

// driftJob returns the Job of drift over a fleet, against "migrations" or
// "schema"; it fills in res.Drift. Warnings and notes are printed once
// for the fleet, not once per target.
func driftJob(g *Globals, f *FleetFlags, table, against string) (fleet.Job, error) {
	if f.SchemasQuery != "" {
		// inspect reads a whole database, so one tenant's schema cannot
		// be told from the others'.
		return nil, &exitCodeError{exitUsage, errors.New("drift over tenant schemas (--schemas-query) is not supported: inspect reads the whole database; run drift per database")}
	}
	if err := checkDir(g.Dir); err != nil {
		return nil, err
	}
	var once sync.Map
	note := func(key, msg string) {
		if _, seen := once.LoadOrStore(key, true); !seen {
			fmt.Fprint(g.Stderr, msg)
		}
	}
	want := func(ctx context.Context, conn *pgx.Conn) (*schema.Catalog, uint64, error) {
		cat, _, version, warns, err := foldApplied(ctx, g.Dir, conn, table)
		for _, w := range warns {
			note(w.Pos.String()+w.Msg, fmt.Sprintf("warning: %s: %s\n", w.Pos, w.Msg))
		}
		return cat, version, err
	}
	if against == "schema" {
		_, warns, err := g.project().LoadSchema()
		if err != nil {
			return nil, err
		}
		printWarnings(g, warns)
		want = func(context.Context, *pgx.Conn) (*schema.Catalog, uint64, error) {
			cat, _, err := g.project().LoadSchema() // each target its own copy
			return cat, 0, err
		}
	}
	return func(ctx context.Context, t fleet.Target, res *fleet.Result) error {
		conn, err := fleet.Connect(ctx, t)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		cat, version, err := want(ctx, conn)
		if err != nil {
			return err
		}
		res.Before, res.After = version, version
		if n := len(cat.Unmanaged); n > 0 {
			note("unmanaged", fmt.Sprintf("note: %s marked -- ddlmig:unmanaged not compared\n", plural(n, "statement")))
			cat.Unmanaged = map[string]*schema.Unmanaged{}
		}
		up, err := liveDiff(ctx, conn, table, cat)
		if err != nil {
			return err
		}
		for _, ch := range up.Changes {
			res.Drift = append(res.Drift, firstLine(render.Statement(ch)))
		}
		return nil
	}, nil
}

// checkDriftFirst is apply --check-drift over a fleet: a target whose
// database differs from the fold of its applied migrations fails, with
// its drift listed and nothing applied; the others are applied.
func checkDriftFirst(g *Globals, f *FleetFlags, table string, apply fleet.Job) (fleet.Job, error) {
	check, err := driftJob(g, f, table, "migrations")
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, t fleet.Target, res *fleet.Result) error {
		if err := check(ctx, t, res); err != nil {
			return err
		}
		if len(res.Drift) > 0 {
			return fmt.Errorf("apply --check-drift: the database differs from the migrations it applied (%s, listed in drift); nothing applied", plural(len(res.Drift), "change"))
		}
		return apply(ctx, t, res)
	}, nil
}

// downFleet is down --to VERSION over a fleet. --steps is refused: the
// targets may be at different versions, so "the last N" would leave them
// apart; --to brings them all to one version.
func (c *DownCmd) downFleet(g *Globals) error {
	if c.Steps != nil || c.To == nil {
		return &exitCodeError{exitUsage, errors.New("down with a fleet needs --to VERSION (not --steps): the targets may be at different versions, and --to brings them all to one")}
	}
	if err := checkDir(g.Dir); err != nil {
		return err
	}
	fsys := os.DirFS(g.Dir)
	if c.DryRun {
		return c.runFleet(g, c.DatabaseURL, fleet.DryRun(fsys, c.fleetOptions(runner.Options{}), uint64(*c.To), true), c.Format)
	}
	steps, err := downFiles(fsys, uint64(*c.To))
	if err != nil {
		return err
	}
	if err := c.confirmDrops(g, steps); err != nil {
		return err
	}
	opts := c.fleetOptions(c.options(runner.Options{}))
	return c.runFleet(g, c.DatabaseURL, fleet.Down(fsys, opts, uint64(*c.To)), c.Format)
}

// downFiles are the down files of the folder's migrations above to: what
// down --to may run on some target, for confirmDrops to ask about once
// for the whole fleet.
func downFiles(fsys fs.FS, to uint64) ([]runner.Step, error) {
	f, err := migfile.Read(fsys)
	if err != nil {
		return nil, err
	}
	var steps []runner.Step
	for _, m := range f.Migrations {
		if m.Version <= to || m.Down == "" {
			continue
		}
		text, err := fs.ReadFile(fsys, m.Down)
		if err != nil {
			return nil, err
		}
		steps = append(steps, runner.Step{Version: m.Version, Name: m.Name, File: m.Down, Direction: runner.Down, SQL: string(text)})
	}
	return steps, nil
}
