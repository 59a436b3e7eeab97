package main

import (
	"context"
	"fmt"
	"os"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/runner"
)

// checkCatalog refuses to stamp a database whose schema is not what the
// migrations up to the version fold to: stamp records that they ran, and
// every later migration would start from a state the database is not in.
// It reads the catalogs as drift does. It says nothing where stamp itself
// refuses without --force (a dirty database, a version below the
// database's) or where the folder cannot say (stamp reports that too).
func (c *StampCmd) checkCatalog(ctx context.Context, g *Globals, r *runner.Runner) error {
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	if st.Version > uint64(c.Version) {
		return nil
	}
	for _, m := range st.Migrations {
		if m.State == runner.StateDirty || m.State == runner.StatePartial {
			return nil
		}
	}
	folder, err := migfile.Read(os.DirFS(g.Dir))
	if err != nil || folder.Err() != nil {
		return nil
	}
	if _, ok := folder.Find(uint64(c.Version)); !ok && c.Version != 0 {
		return nil
	}
	var migs []migfile.Migration
	for _, m := range folder.Migrations {
		if m.Version <= uint64(c.Version) {
			migs = append(migs, m)
		}
	}
	want, _, err := project.Fold(os.DirFS(g.Dir), g.Dir, migs)
	if err != nil {
		return err
	}
	conn, err := runner.Connect(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	skipUnmanaged(g, want)
	diff, err := liveDiff(ctx, conn, c.Table, want)
	if err != nil {
		return err
	}
	if len(diff.Changes) == 0 {
		return nil
	}
	return fmt.Errorf("stamp refused: the database's schema is not what %s up to version %06d makes; %s would bring it there:\n%s"+
		"Apply the migrations instead (ddlmig apply), change the database to match, "+
		"or record the version anyway with ddlmig stamp --force %06d; nothing was recorded",
		g.Dir, c.Version, plural(len(diff.Changes), "change"), changeLines(diff), c.Version)
}
