package main

import (
	"context"
	"fmt"
	"io/fs"
	"testing/fstest"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ddlmig/ddlmig/fleet"
	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/runner"
)

// folder is n small migrations, each a table with a primary key and an
// index, and its down file.
func folder(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for k := 1; k <= n; k++ {
		name := fmt.Sprintf("%06d_t%d", k, k)
		fsys[name+".up.sql"] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"CREATE TABLE t%d (id bigint PRIMARY KEY, v text NOT NULL DEFAULT '');\nCREATE INDEX t%d_v ON t%d (v);\n", k, k, k))}
		fsys[name+".down.sql"] = &fstest.MapFile{Data: []byte(fmt.Sprintf("DROP TABLE t%d;\n", k))}
	}
	return fsys
}

// applyAll applies fsys to every target, parallel at once (all on one
// server, so per host too), and returns the results and the wall time.
func applyAll(ctx context.Context, urls []string, fsys fs.FS, parallel int) ([]fleet.Result, time.Duration) {
	start := time.Now()
	res := fleet.Run(ctx, fleet.Databases(urls), fleet.Apply(fsys, runner.Options{}, 0), fleet.Options{Parallel: parallel, PerHost: parallel})
	return res, time.Since(start)
}

// forEach runs sql on every url, 8 at a time (untimed setup).
func forEach(ctx context.Context, urls []string, sql string) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, u := range urls {
		g.Go(func() error { return testdb.Exec(ctx, u, sql) })
	}
	return g.Wait()
}

// reset brings every database back to version 0: an empty public schema
// (the bookkeeping table lives there too).
func reset(ctx context.Context, urls []string) error {
	return forEach(ctx, urls, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
}

// resumeReport is what the failure scenario saw.
type resumeReport struct {
	First, Rerun time.Duration
	Failed       int // targets failed in the first run
	Finished     int // targets the rerun applied anything to
}

// resume is issue 19's failure scenario on databases at version 0: the
// targets listed in bad hold a table t<conflict> already, so migration
// <conflict> fails there. Every other target must end at the newest
// version, and the bad ones at conflict-1 with the error; after the
// conflicting tables are dropped, a rerun must apply to the bad targets
// only, and bring them to the newest version.
func resume(ctx context.Context, urls []string, bad []int, migrations, conflict, parallel int) (*resumeReport, error) {
	fsys := folder(migrations)
	isBad := map[int]bool{}
	var badURLs []string
	for _, i := range bad {
		isBad[i] = true
		badURLs = append(badURLs, urls[i])
	}
	if err := forEach(ctx, badURLs, fmt.Sprintf("CREATE TABLE t%d (x text)", conflict)); err != nil {
		return nil, err
	}
	rep := &resumeReport{}
	res, took := applyAll(ctx, urls, fsys, parallel)
	rep.First = took
	for i, r := range res {
		want, outcome := uint64(migrations), fleet.OK
		if isBad[i] {
			want, outcome = uint64(conflict-1), fleet.Failed
			rep.Failed++
		}
		if r.Outcome != outcome || r.After != want {
			return nil, fmt.Errorf("first run, target %d: %s at %d, want %s at %d (%s)", i, r.Outcome, r.After, outcome, want, r.Error)
		}
	}
	if err := forEach(ctx, badURLs, fmt.Sprintf("DROP TABLE t%d", conflict)); err != nil {
		return nil, err
	}
	res, took = applyAll(ctx, urls, fsys, parallel)
	rep.Rerun = took
	for i, r := range res {
		want := 0
		if isBad[i] {
			want = migrations - conflict + 1
		}
		if r.Applied > 0 {
			rep.Finished++
		}
		if r.Outcome != fleet.OK || r.After != uint64(migrations) || r.Applied != want {
			return nil, fmt.Errorf("rerun, target %d: %s at %d, %d applied; want ok at %d, %d applied (%s)",
				i, r.Outcome, r.After, r.Applied, migrations, want, r.Error)
		}
	}
	return rep, nil
}
