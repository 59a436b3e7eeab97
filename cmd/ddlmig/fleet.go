package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"

	"github.com/ddlmig/ddlmig/fleet"
	"github.com/ddlmig/ddlmig/runner"
)

// FleetFlags select many databases instead of one (package fleet).
type FleetFlags struct {
	Targets     string `placeholder:"FILE" help:"Run on every database listed in FILE (one URL a line; # comments and blank lines skipped) instead of --database-url."`
	Parallel    int    `default:"4" placeholder:"N" help:"With --targets: databases worked on at once."`
	PerHost     int    `default:"2" placeholder:"N" help:"With --targets: databases worked on at once on one server (host:port)."`
	Canary      int    `placeholder:"N" help:"With --targets: run the first N targets first; the rest start only if all of them succeed."`
	MaxFailures int    `placeholder:"K" help:"With --targets: start no new target after K failures (running ones finish; 0: no limit)."`
}

// FleetJSON is the document `apply|status --targets FILE --format json`
// writes: one entry per target, passwords redacted.
type FleetJSON struct {
	Targets []fleet.Result `json:"targets"`
	OK      int            `json:"ok"`
	Failed  int            `json:"failed"`
	Skipped int            `json:"skipped"`
}

// runFleet runs job on the targets, draws a progress line on a terminal,
// then prints the table (or JSON). Any failed or skipped target makes the
// command fail, so deploy scripts notice.
func (c *FleetFlags) runFleet(g *Globals, job fleet.Job, format string) error {
	if err := checkDir(g.Dir); err != nil {
		return err
	}
	f, err := os.Open(c.Targets)
	if err != nil {
		return &exitCodeError{exitUsage, err}
	}
	targets, err := fleet.ReadTargets(f)
	f.Close()
	if err != nil {
		return &exitCodeError{exitUsage, fmt.Errorf("%s: %w", c.Targets, err)}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o := fleet.Options{Parallel: c.Parallel, PerHost: c.PerHost, Canary: c.Canary, MaxFailures: c.MaxFailures}
	tty := isTerminal(g.RawErr)
	if tty {
		o.OnChange = func(n fleet.Counts) {
			fmt.Fprintf(g.RawErr, "\r\033[Kdone %d, running %d, failed %d, pending %d", n.Done, n.Running, n.Failed, n.Pending)
		}
	}
	res := fleet.Run(ctx, targets, job, o)
	if tty {
		fmt.Fprint(g.RawErr, "\r\033[K")
	}
	doc := FleetJSON{Targets: res}
	for _, r := range res {
		switch r.Outcome {
		case fleet.OK:
			doc.OK++
		case fleet.Failed:
			doc.Failed++
		default:
			doc.Skipped++
		}
	}
	if format == "json" {
		if err := writeJSON(g, doc); err != nil {
			return err
		}
	} else {
		printFleet(g, doc)
	}
	if doc.Failed+doc.Skipped > 0 {
		return &exitCodeError{exitNo, fmt.Errorf("%d of %d targets failed, %d not started; a rerun does only what is pending or failed", doc.Failed, len(res), doc.Skipped)}
	}
	return nil
}

func printFleet(g *Globals, doc FleetJSON) {
	tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tOUTCOME\tBEFORE\tAFTER\tAPPLIED\tPENDING\tDURATION\tERROR")
	for _, r := range doc.Targets {
		fmt.Fprintf(tw, "%s\t%s\t%06d\t%06d\t%d\t%d\t%s\t%s\n", r.Target, r.Outcome, r.Before, r.After, r.Applied, r.Pending, round(r.Duration), firstLine(r.Error))
	}
	tw.Flush()
	fmt.Fprintf(g.Stdout, "%d ok, %d failed, %d not started\n", doc.OK, doc.Failed, doc.Skipped)
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}

// fleetOptions are the runner options a fleet target gets from the flags.
func (f *DBFlags) fleetOptions(o runner.Options) runner.Options {
	o.Table, o.LockTimeout, o.StatementTimeout = f.Table, f.LockTimeout, f.StatementTimeout
	return f.lockOptions(o)
}

var errFleetDryRun = errors.New("--dry-run and --check-drift with --targets are not supported yet: run them against one database (--database-url)")
