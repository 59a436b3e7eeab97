package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/scratch"
	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/runner"
	"github.com/ddlmig/ddlmig/schema"
)

// VerifyCmd is `ddlmig verify`.
type VerifyCmd struct {
	DevURL string `name:"dev-url" env:"DDLMIG_DEV_URL" placeholder:"URL" help:"Scratch PostgreSQL server where the user may CREATE DATABASE; verify creates its databases there and drops them. Never a production server."`
}

func (c *VerifyCmd) Help() string {
	return `Proves on a real PostgreSQL that the migrations folder and the schema file agree:

  1. every up migration, replayed in version order on an empty database, gives the
     same catalog as the schema file loaded directly;
  2. every down migration, run back to the first, leaves an empty database;
  3. every up migration again gives the schema file's catalog once more.

Drift is printed one difference per line (A = the migrated database, B = the
reference) and makes verify exit non-zero. Migrations still carrying
"-- ddlmig:unreviewed" markers are verified too (they are listed): verify is a CI
check, and reviewing is ddlmig check's job.

The databases are created on the server of --dev-url (or DDLMIG_DEV_URL) with
unique names and dropped at the end; a database the URL names is never
touched (every connection checks where it is before running anything).
A verify that was killed leaves its databases behind: the next verify drops
them, once the killed one's server session is gone. Without a server at hand, start a throwaway
one from local PostgreSQL binaries with ddlmig's scripts/pg-throwaway, which
prints its URL:

  scripts/pg-throwaway sh -c 'ddlmig verify --dev-url "$DDLMIG_TEST_DATABASE_URL"'`
}

// errNoDevURL explains how to give verify a server.
var errNoDevURL = errors.New(`no dev database: pass --dev-url URL or set DDLMIG_DEV_URL.
It must name a scratch PostgreSQL server where the user may CREATE DATABASE
(verify creates uniquely named databases there and drops them). Without one, start a
throwaway server from local PostgreSQL binaries with ddlmig's scripts/pg-throwaway:
  scripts/pg-throwaway sh -c 'ddlmig verify --dev-url "$DDLMIG_TEST_DATABASE_URL"'`)

func (c *VerifyCmd) Run(g *Globals) error {
	if c.DevURL == "" {
		return &exitCodeError{exitUsage, errNoDevURL}
	}
	err := c.run(g)
	var ee *exitCodeError
	if errors.As(err, &ee) {
		return &exitCodeError{ee.code, runner.ScrubError(ee.err, c.DevURL)}
	}
	return runner.ScrubError(err, c.DevURL)
}

// errDrift is returned when verify found differences; they are printed
// already.
var errDrift = errors.New("the migrations and the schema file disagree (see above)")

func (c *VerifyCmd) run(g *Globals) error {
	if err := checkDir(g.Dir); err != nil {
		return err
	}
	dirFS := os.DirFS(g.Dir)
	folder, err := migfile.Read(dirFS)
	if err != nil {
		return err
	}
	if err := folder.Err(); err != nil {
		return fmt.Errorf("%s is malformed:\n%w", g.Dir, err)
	}
	schemaSQL, schemaPos, err := g.project().SchemaText()
	if err != nil {
		return err
	}
	for _, m := range folder.Migrations {
		for _, name := range []string{m.Up, m.Down} {
			src, err := fs.ReadFile(dirFS, name)
			if err != nil {
				return err
			}
			for _, mk := range migfile.Unreviewed(src) {
				fmt.Fprintf(g.Stdout, "note: %s:%d: unreviewed %s (verified anyway)\n", g.Dir+string(os.PathSeparator)+name, mk.Line, mk.Text)
			}
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	admin, err := runner.Connect(ctx, c.DevURL)
	if err != nil {
		return err
	}
	defer admin.Close(context.WithoutCancel(ctx))
	dbs, err := scratch.Create(ctx, admin, "ddlmig_verify", "migrated", "schema", "empty")
	if err != nil {
		return err
	}
	defer dbs.Drop(ctx)
	for _, name := range dbs.Stale {
		fmt.Fprintf(g.Stderr, "note: dropped scratch database %s, left behind by a verify that no longer runs\n", name)
	}
	if err := loadSchema(ctx, dbs.Config("schema"), schemaSQL, schemaPos); err != nil {
		return err
	}

	conn, err := runner.ConnectConfig(ctx, dbs.Config("migrated"))
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	r, err := runner.New(conn, reviewedFS{dirFS}, runner.Options{})
	if err != nil {
		return err
	}

	n := len(folder.Migrations)
	drift := 0
	compare := func(step, ref, refName string) error {
		diffs, err := oracle.CompareConfigs(ctx, dbs.Config("migrated"), dbs.Config(ref))
		if err != nil {
			return err
		}
		if len(diffs) == 0 {
			fmt.Fprintf(g.Stdout, "%s: matches %s\n", step, refName)
			return nil
		}
		drift += len(diffs)
		fmt.Fprintf(g.Stdout, "%s: %s from %s (A = migrated, B = %s):\n", step, plural(len(diffs), "difference"), refName, refName)
		for _, d := range diffs {
			fmt.Fprintf(g.Stdout, "\t%s\n", d)
		}
		return nil
	}
	steps := []struct {
		name, ref, refName string
		run                func() ([]runner.Result, error)
	}{
		{plural(n, "up migration"), "schema", g.schemaName(), func() ([]runner.Result, error) { return r.Apply(ctx, 0) }},
		{plural(n, "down migration"), "empty", "an empty database", func() ([]runner.Result, error) { return r.DownTo(ctx, 0) }},
		{plural(n, "up migration") + " again", "schema", g.schemaName(), func() ([]runner.Result, error) { return r.Apply(ctx, 0) }},
	}
	for _, st := range steps {
		if _, err := st.run(); err != nil {
			fmt.Fprintf(g.Stdout, "%s: FAILED\n", st.name)
			return &exitCodeError{exitNo, err} // the answer: these migrations do not run
		}
		if err := compare(st.name, st.ref, st.refName); err != nil {
			return err
		}
	}
	if drift > 0 {
		return &exitCodeError{exitNo, errDrift}
	}
	agree := "agree"
	if n == 1 {
		agree = "agrees"
	}
	fmt.Fprintf(g.Stdout, "verified: %s %s with %s\n", plural(n, "migration"), agree, g.schemaName())
	return nil
}

// loadSchema runs the schema (as project.SchemaText reads it: files,
// folders and \i spliced into one text) as psql would, in one implicit
// transaction (per batch, should it hold batch markers), through the
// oracle's script runner. An error names the file, line and column it
// came from.
func loadSchema(ctx context.Context, cfg *pgx.ConnConfig, src string, pos func(off int) schema.Pos) error {
	err := oracle.RunScript(ctx, cfg, "schema", src)
	var se *oracle.ScriptError
	switch {
	case errors.As(err, &se) && se.Line > 0:
		p := pos(sqltext.Offset(src, se.Line, se.Col))
		return fmt.Errorf("%s: loading the schema file into PostgreSQL: %w", p, se.Err)
	case errors.As(err, &se):
		return fmt.Errorf("%s: loading the schema file into PostgreSQL: %w", pos(0).File, se.Err)
	}
	return err
}

// reviewedFS shows the migration files with their unreviewed markers turned
// into reviewed ones, so that the runner, which refuses unreviewed files,
// replays them: verify checks what the files do, whoever reviewed them.
type reviewedFS struct{ fs.FS }

func (f reviewedFS) Open(name string) (fs.File, error) {
	fh, err := f.FS.Open(name)
	if err != nil || !strings.HasSuffix(name, ".sql") {
		return fh, err
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(fh)
	if err != nil {
		return nil, err
	}
	b = bytes.ReplaceAll(b, []byte(migfile.UnreviewedMarker), []byte(migfile.ReviewedMarker))
	return &memFile{Reader: bytes.NewReader(b), info: sizedInfo{info, int64(len(b))}}, nil
}

type memFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (i sizedInfo) Size() int64 { return i.size }
