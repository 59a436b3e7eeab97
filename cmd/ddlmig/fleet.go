package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"

	"github.com/ddlmig/ddlmig/fleet"
	"github.com/ddlmig/ddlmig/runner"
)

// FleetFlags select many databases, or many tenant schemas of one, instead
// of one database (package fleet).
type FleetFlags struct {
	Targets      string `placeholder:"FILE" help:"Run on every database listed in FILE (one URL a line; # comments and blank lines skipped) instead of --database-url."`
	TargetsQuery string `placeholder:"SQL" help:"Run on every database whose URL the query returns (one text column) on the control database (--control-url)."`
	ControlURL   string `name:"control-url" env:"DDLMIG_CONTROL_URL" placeholder:"URL" help:"With --targets-query: the database the query runs on."`
	SchemasQuery string `placeholder:"SQL" help:"Schema per tenant: run on every schema whose name the query returns (one text column) on --database-url; each keeps its own bookkeeping table and runs with search_path set to it."`
	Parallel     int    `default:"4" placeholder:"N" help:"With a fleet: targets worked on at once."`
	PerHost      int    `default:"2" placeholder:"N" help:"With a fleet: targets worked on at once on one server (host:port)."`
	Canary       int    `placeholder:"N" help:"With a fleet: run the first N targets first; the rest start only if all of them succeed."`
	Wave         string `placeholder:"N|P%" help:"With a fleet: after the canary, start the targets in waves of N (or P% of them); a wave starts when the one before has finished and the failure budget is not spent."`
	MaxFailures  int    `placeholder:"K" help:"With a fleet: start no new target after K failures (running ones finish; 0: no limit)."`
}

// fleet reports whether the flags select a fleet.
func (c *FleetFlags) fleet() bool {
	return c.Targets != "" || c.TargetsQuery != "" || c.SchemasQuery != ""
}

// FleetJSON is the document `apply|down|status|drift --targets ...
// --format json` writes: one entry per target, passwords redacted.
type FleetJSON struct {
	Targets []fleet.Result `json:"targets"`
	OK      int            `json:"ok"`
	Drifted int            `json:"drifted,omitempty"`
	Failed  int            `json:"failed"`
	Skipped int            `json:"skipped"`
}

// targets reads the fleet: the file, the control database's URLs, or the
// tenant schemas of databaseURL.
func (c *FleetFlags) targets(ctx context.Context, databaseURL string) ([]fleet.Target, error) {
	n := 0
	for _, s := range []string{c.Targets, c.TargetsQuery, c.SchemasQuery} {
		if s != "" {
			n++
		}
	}
	switch {
	case n > 1:
		return nil, &exitCodeError{exitUsage, errors.New("give one of --targets, --targets-query and --schemas-query")}
	case c.Targets != "":
		f, err := os.Open(c.Targets)
		if err != nil {
			return nil, &exitCodeError{exitUsage, err}
		}
		defer f.Close()
		urls, err := fleet.ReadTargets(f)
		if err != nil {
			return nil, &exitCodeError{exitUsage, fmt.Errorf("%s: %w", c.Targets, err)}
		}
		return fleet.Databases(urls), nil
	case c.TargetsQuery != "":
		if c.ControlURL == "" {
			return nil, &exitCodeError{exitUsage, errors.New("--targets-query needs --control-url, the database it runs on")}
		}
		urls, err := fleet.Query(ctx, c.ControlURL, c.TargetsQuery)
		if err != nil {
			return nil, runner.ScrubError(err, c.ControlURL)
		}
		return fleet.Databases(urls), nil
	}
	if databaseURL == "" {
		return nil, &exitCodeError{exitUsage, errors.New("--schemas-query needs --database-url, the database holding the tenant schemas")}
	}
	names, err := fleet.Query(ctx, databaseURL, c.SchemasQuery)
	if err != nil {
		return nil, runner.ScrubError(err, databaseURL)
	}
	return fleet.Schemas(databaseURL, names), nil
}

// runFleet runs job on the targets, draws a progress line on a terminal,
// then prints the table (or JSON). Any failed or skipped target makes the
// command fail, so deploy scripts notice; drifted ones make it exit as
// drift does.
func (c *FleetFlags) runFleet(g *Globals, databaseURL string, job fleet.Job, format string) error {
	_, err := c.runFleetDoc(g, databaseURL, job, format)
	return err
}

// runFleetDoc is runFleet returning the summary too, for a command that
// decides more from it (status --exit-code).
func (c *FleetFlags) runFleetDoc(g *Globals, databaseURL string, job fleet.Job, format string) (FleetJSON, error) {
	if err := checkDir(g.Dir); err != nil {
		return FleetJSON{}, err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	targets, err := c.targets(ctx, databaseURL)
	if err != nil {
		return FleetJSON{}, err
	}
	o := fleet.Options{Parallel: c.Parallel, PerHost: c.PerHost, Canary: c.Canary, MaxFailures: c.MaxFailures}
	if o.Wave, err = fleet.WaveSize(c.Wave, max(len(targets)-c.Canary, 0)); err != nil {
		return FleetJSON{}, &exitCodeError{exitUsage, err}
	}
	var bar *progressbar.ProgressBar
	if isTerminal(g.RawErr) {
		bar = fleetBar(g.RawErr, len(targets))
		o.OnChange = func(n fleet.Counts) { showCounts(bar, n) }
	}
	res := fleet.Run(ctx, targets, job, o)
	if bar != nil {
		bar.Clear()
	}
	doc := summarize(res)
	if format == "json" {
		if err := writeJSON(g, doc); err != nil {
			return doc, err
		}
	} else {
		printFleet(g, doc)
	}
	switch {
	case doc.Failed+doc.Skipped > 0:
		return doc, &exitCodeError{exitNo, fmt.Errorf("%d of %d targets failed, %d not started; a rerun does only what is pending or failed", doc.Failed, len(res), doc.Skipped)}
	case doc.Drifted > 0:
		return doc, &exitCodeError{exitChanges, fmt.Errorf("%d of %d targets drifted", doc.Drifted, len(res))}
	}
	return doc, nil
}

func summarize(res []fleet.Result) FleetJSON {
	doc := FleetJSON{Targets: res}
	for _, r := range res {
		switch r.Outcome {
		case fleet.OK:
			doc.OK++
		case fleet.Drifted:
			doc.Drifted++
		case fleet.Failed:
			doc.Failed++
		default:
			doc.Skipped++
		}
	}
	return doc
}

func printFleet(g *Globals, doc FleetJSON) {
	tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tWAVE\tOUTCOME\tBEFORE\tAFTER\tAPPLIED\tPENDING\tDURATION\tERROR")
	for _, r := range doc.Targets {
		target, note := r.Target, firstLine(r.Error)
		if r.Schema != "" {
			target += " schema " + r.Schema
		}
		applied := fmt.Sprint(r.Applied)
		if r.RolledBack > 0 {
			applied = fmt.Sprintf("-%d", r.RolledBack)
		}
		if len(r.WouldRun) > 0 && note == "" {
			note = "would run " + strings.Join(r.WouldRun, ", ")
		}
		if len(r.Drift) > 0 {
			note = plural(len(r.Drift), "change") + ": " + strings.Join(r.Drift, "; ")
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%06d\t%06d\t%s\t%d\t%s\t%s\n", target, r.Wave, r.Outcome, r.Before, r.After, applied, r.Pending, round(r.Duration), note)
	}
	tw.Flush()
	drifted := ""
	if doc.Drifted > 0 {
		drifted = fmt.Sprintf("%d drifted, ", doc.Drifted)
	}
	fmt.Fprintf(g.Stdout, "%d ok, %s%d failed, %d not started\n", doc.OK, drifted, doc.Failed, doc.Skipped)
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// fleetOptions are the runner options a fleet target gets from the flags.
func (f *DBFlags) fleetOptions(o runner.Options) runner.Options {
	o.Table, o.LockTimeout, o.StatementTimeout = f.Table, f.LockTimeout, f.StatementTimeout
	return f.lockOptions(o)
}

// fleetBar is the progress bar a terminal shows while a fleet runs: a
// target counts as finished when it is done or failed.
func fleetBar(w io.Writer, n int) *progressbar.ProgressBar {
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("targets"))
}

// showCounts draws the fleet's counts on bar.
func showCounts(bar *progressbar.ProgressBar, n fleet.Counts) {
	// Not throttled: the fleet calls this only when a target starts or ends.
	bar.Set(n.Done + n.Failed)
	bar.Describe(fmt.Sprintf("done %d, running %d, failed %d, pending %d", n.Done, n.Running, n.Failed, n.Pending))
}
