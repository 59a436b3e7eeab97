package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/runner"
)

// RenumberCmd is `ddlmig renumber`: the way out of two branches that both
// added migrations, once git stopped their merge on the sum file.
type RenumberCmd struct {
	Onto        string `placeholder:"REF" help:"The other branch (a git revision): its migrations keep their numbers. Default: the branch being merged (MERGE_HEAD), or the second parent of a merge commit at HEAD."`
	DatabaseURL string `name:"database-url" placeholder:"URL" help:"A database this branch's migrations may have been applied to (your dev database): renumber refuses, naming the commands that roll them back, if it applied any."`
	Table       string `default:"ddlmig_migrations" placeholder:"[SCHEMA.]NAME" help:"Bookkeeping table, with --database-url."`
	DryRun      bool   `help:"Say what would move and be generated again; change nothing."`
	Online      bool   `help:"As for generate: the online forms of lock-heavy changes, as consecutive migrations." default:"true"`
}

func (c *RenumberCmd) Help() string {
	return `Run it on your branch after merging the other one into it (git merge main), when git
stopped on a conflict in ` + migfile.SumFile + ` or check reports a version used twice. Resolve any
conflict in the schema file first. This branch's migrations (the pairs the other branch does
not have) move after the other branch's, in their order; the newest is generated again from
the merged schema file, so its SQL starts from the merged state (review it; approvals of
identical markers are kept). Earlier ones keep their text; a pair from generate --empty is
only renumbered. The sum file is rewritten. Then: ddlmig check, git add, git commit.

A database that applied this branch's migrations under their old numbers must roll them
back with the files it ran before it can apply the renumbered ones; --database-url checks.`
}

func (c *RenumberCmd) Run(g *Globals) error {
	r, err := g.project().PlanRenumber(c.Onto, c.Online)
	if err != nil {
		return err
	}
	if len(r.Moves) == 0 {
		if err := r.Do(); err != nil {
			return err
		}
		fmt.Fprintf(g.Stdout, "nothing to renumber: every migration in %s is on %s; rewrote %s\n", g.Dir, shortRef(g, r.Onto), filepath.Join(g.Dir, migfile.SumFile))
		return nil
	}
	if c.DatabaseURL != "" {
		if err := c.refuseApplied(g, r); err != nil {
			return runner.ScrubError(err, c.DatabaseURL)
		}
	}
	if c.DryRun {
		c.dryRun(g, r)
		return nil
	}
	if err := r.Do(); err != nil {
		return err
	}
	c.report(g, r)
	return nil
}

// oldNames names the moves Regenerated replaces (or Dropped removes).
func oldNames(r *project.Renumbering) string {
	var names []string
	for _, mv := range r.Moves[len(r.Moves)-r.Replaced:] {
		names = append(names, fmt.Sprintf("%06d_%s", mv.Old.Version, mv.Old.Name))
	}
	return strings.Join(names, ", ")
}

// renamed lists the moves that keep their text, as "old -> new" lines
// after prefix.
func renamed(g *Globals, r *project.Renumbering, prefix string) {
	for _, mv := range r.Moves[:len(r.Moves)-r.Replaced] {
		fmt.Fprintf(g.Stdout, "%s %06d_%s -> %06d_%s\n", prefix, mv.Old.Version, mv.Old.Name, mv.Version, mv.Old.Name)
	}
}

// newNames names the regenerated migrations.
func newNames(m *project.Migration) string {
	var names []string
	for _, f := range pairs(m) {
		names = append(names, fmt.Sprintf("%06d_%s", f.Version, f.Slug))
	}
	return strings.Join(names, ", ")
}

// dryRun says what Do would do, and prints the regenerated up SQL.
func (c *RenumberCmd) dryRun(g *Globals, r *project.Renumbering) {
	fmt.Fprintf(g.Stdout, "dry run: nothing was changed; %s keeps its migrations\n", shortRef(g, r.Onto))
	renamed(g, r, "would move")
	switch {
	case r.Dropped:
		fmt.Fprintf(g.Stdout, "would remove %s: after the merge, the schema file needs none of its changes\n", oldNames(r))
	case r.Regenerated != nil:
		fmt.Fprintf(g.Stdout, "would generate %s again as %s:\n\n", oldNames(r), newNames(r.Regenerated))
		fmt.Fprint(g.Raw, r.Regenerated.Up)
	}
}

// report says what moved, what was generated again, and what is next.
func (c *RenumberCmd) report(g *Globals, r *project.Renumbering) {
	renamed(g, r, "renumbered")
	switch {
	case r.Dropped:
		fmt.Fprintf(g.Stdout, "removed %s: after the merge, the schema file needs none of its changes\n", oldNames(r))
	case r.Regenerated != nil:
		m := r.Regenerated
		fmt.Fprintf(g.Stdout, "generated %s again from %s as %s:\n", oldNames(r), g.Schema, newNames(m))
		for _, f := range pairs(m) {
			up, down := filepath.Join(g.Dir, f.UpFile), filepath.Join(g.Dir, f.DownFile)
			fmt.Fprintf(g.Stdout, "wrote %s\nwrote %s\n", up, down)
			reportHazards(g, [][2]string{{up, f.Up}, {down, f.Down}})
		}
		(&GenerateCmd{Message: r.Message}).renameHint(g, m, r.Declined)
	}
	if r.Pending > 0 {
		fmt.Fprintf(g.Stdout, "%s has %s that no migration holds (the newest pair was written by hand and kept): run ddlmig generate\n", g.Schema, plural(r.Pending, "change"))
	}
	fmt.Fprintf(g.Stdout, "rewrote %s\nnext: ddlmig check, then git add -A %s and git commit\n", filepath.Join(g.Dir, migfile.SumFile), g.Dir)
}

// refuseApplied refuses when the database applied one of this branch's
// pairs under its old number: after the move, apply would refuse the
// reused version, and the files it ran would be gone. It names the
// commands that roll them back first.
func (c *RenumberCmd) refuseApplied(g *Globals, r *project.Renumbering) error {
	ctx := context.Background()
	conn, err := runner.Connect(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	run, err := runner.New(conn, os.DirFS(g.Dir), runner.Options{Table: c.Table})
	if err != nil {
		return &exitCodeError{exitUsage, err}
	}
	st, err := run.Status(ctx)
	if err != nil {
		return err
	}
	var applied []string
	lowest := uint64(0)
	for _, mv := range r.Moves {
		for _, m := range st.Migrations {
			if m.Version != mv.Old.Version || m.State == runner.StatePending {
				continue
			}
			if m.Name == mv.Old.Name && m.State != runner.StateReused || m.AppliedName == mv.Old.Name {
				applied = append(applied, fmt.Sprintf("%06d_%s", mv.Old.Version, mv.Old.Name))
				if lowest == 0 {
					lowest = mv.Old.Version
				}
			}
		}
	}
	if len(applied) == 0 {
		return nil
	}
	leave, back := "git merge --abort", "git merge "+shortRef(g, r.Onto)
	if !mergeInProgress(g) {
		leave, back = "git checkout HEAD^1", "git checkout -"
	}
	return fmt.Errorf("the database applied this branch's %s, which renumber would move: roll back first with the files it ran, then renumber:\n"+
		"  %s\n  ddlmig down --to %06d --database-url ...\n  %s\n  ddlmig renumber\n  ddlmig apply --database-url ...\nnothing was changed",
		strings.Join(applied, ", "), leave, lowest-1, back)
}

// mergeInProgress reports whether git is in the middle of a merge.
func mergeInProgress(g *Globals) bool {
	return g.project().MergeInProgress()
}

// shortRef names a commit for a message: a branch name when one points at
// it, else its id shortened; names stay as given.
func shortRef(g *Globals, ref string) string {
	if len(ref) == 40 && strings.Trim(ref, "0123456789abcdef") == "" {
		return g.project().RefName(ref)
	}
	return ref
}
