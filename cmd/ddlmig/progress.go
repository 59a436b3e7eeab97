package main

import (
	"fmt"
	"io"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/runner"
)

// printer shows what a running migration waits for and how far a long
// statement is, on stderr. On a terminal the progress of an index build is
// one line rewritten in place; otherwise (a log, CI) a line is written per
// phase only, so that the log stays readable.
type printer struct {
	g   *Globals
	tty bool
	// open: "applying FILE ... " is on stdout, waiting for its "ok".
	open bool
	// file is the step's file, to repeat after the line was broken.
	file string
	// live: an updating progress line is on the terminal.
	live bool
	// title is the last phase printed off a terminal.
	title string
	// blocker is the session last named in the step's waits: a retry
	// waiting for the same one is not announced again.
	blocker int32
}

func (p *printer) start() { p.open, p.file, p.title, p.blocker = true, "", "", 0 }

// breakLine ends the step's "applying FILE ... " line before stderr
// lines, so that they do not run into it.
func (p *printer) breakLine(e runner.Event) {
	p.clear()
	if p.open {
		fmt.Fprintln(p.g.Stdout)
		p.open, p.file = false, e.Step.File
	}
}

// clear wipes the updating line.
func (p *printer) clear() {
	if p.live {
		io.WriteString(p.g.RawErr, "\r\x1b[K")
		p.live = false
	}
}

func (p *printer) done(e runner.Event) {
	p.clear()
	if p.file != "" {
		fmt.Fprintf(p.g.Stdout, "%s ", p.file)
	}
	fmt.Fprintf(p.g.Stdout, "ok (%s)\n", round(e.Took))
	p.open, p.file = false, ""
}

func (p *printer) event(e runner.Event) {
	switch e.Kind {
	case runner.EventStatementWait:
		if e.Wait.Blocker.PID == p.blocker {
			return
		}
		p.blocker = e.Wait.Blocker.PID
		p.breakLine(e)
		fmt.Fprintf(p.g.Stderr, "  %s\n", e.Wait)
	case runner.EventLockRetry:
		p.breakLine(e)
		who := "the session holding it was not seen"
		if e.Wait != nil {
			who = fmt.Sprintf("pid %d, application %q, is in the way", e.Wait.Blocker.PID, e.Wait.Blocker.Application)
		}
		again := "rolled back, trying again"
		if e.Step.NoTransaction {
			again = "trying the statement again"
		}
		fmt.Fprintf(p.g.Stderr, "  lock timeout (%s); %s in %s (attempt %d of %d)\n",
			who, again, round(e.Delay), e.Attempt, e.Attempts)
	case runner.EventProgress:
		p.progress(e)
	}
}

func (p *printer) progress(e runner.Event) {
	if p.tty {
		if p.open {
			p.breakLine(e)
		}
		// Escaped: index and table names come from the database.
		io.WriteString(p.g.RawErr, "\r\x1b[K  "+migfile.Escape(e.Progress.String()))
		p.live = true
		return
	}
	if t := e.Progress.Title(); t != p.title {
		p.breakLine(e)
		p.title = t
		fmt.Fprintf(p.g.Stderr, "  %s\n", t)
	}
}
