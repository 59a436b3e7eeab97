// Command fleet is the benchmark of scripts/bench-fleet (issue 19's
// "Measure it"): it creates -n databases on the local server, each at
// version 0, and applies -m migrations to all of them with package fleet
// at each parallelism of -parallel, timing the whole run; it times the
// same migrations applied to one database alone (as ddlmig apply does:
// connect, runner, apply) for the per-target overhead; then it makes
// -bad targets fail (a table in the way of the middle migration), checks
// that the others end at the newest version, fixes them and checks that
// a rerun finishes only those.
//
//	go run ./bench/fleet [-n 200] [-m 20] [-parallel 1,4,16] [-bad 5] [-single 5]
//
// Databases are named ddlmig_fleetbench_PID_I and dropped at the end. It
// prints lines in the format of go test -bench, then a summary.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/runner"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/fleet:", err)
		os.Exit(1)
	}
}

type config struct {
	n, m, bad, single int
	parallel          []int
}

func parseFlags() (config, error) {
	var c config
	var par string
	flag.IntVar(&c.n, "n", 200, "databases")
	flag.IntVar(&c.m, "m", 20, "migrations")
	flag.StringVar(&par, "parallel", "1,4,16", "parallelisms to time, comma-separated")
	flag.IntVar(&c.bad, "bad", 5, "targets made to fail in the resume scenario")
	flag.IntVar(&c.single, "single", 5, "runs of the single-database baseline (median taken)")
	flag.Parse()
	for _, s := range strings.Split(par, ",") {
		p, err := strconv.Atoi(s)
		if err != nil || p < 1 {
			return c, fmt.Errorf("bad -parallel %q", par)
		}
		c.parallel = append(c.parallel, p)
	}
	if c.bad > c.n {
		return c, fmt.Errorf("-bad %d > -n %d", c.bad, c.n)
	}
	return c, nil
}

func run() error {
	c, err := parseFlags()
	if err != nil {
		return err
	}
	ctx := context.Background()
	urls, drop, err := createDatabases(ctx, c.n)
	defer drop()
	if err != nil {
		return err
	}
	fsys := folder(c.m)
	single, err := singleBaseline(ctx, urls[0], fsys, c.single)
	if err != nil {
		return err
	}
	fmt.Printf("BenchmarkFleet/single 1 %d ns/op %d ns/target\n", single.Nanoseconds(), single.Nanoseconds())
	var perTarget1 time.Duration
	for _, p := range c.parallel {
		if err := reset(ctx, urls); err != nil {
			return err
		}
		res, took := applyAll(ctx, urls, fsys, p)
		for i, r := range res {
			if r.Outcome != "ok" || r.After != uint64(c.m) {
				return fmt.Errorf("parallel %d, target %d: %s at %d: %s", p, i, r.Outcome, r.After, r.Error)
			}
		}
		per := took / time.Duration(c.n)
		if p == 1 {
			perTarget1 = per
		}
		fmt.Printf("BenchmarkFleet/n=%d/parallel=%d 1 %d ns/op %d ns/target\n", c.n, p, took.Nanoseconds(), per.Nanoseconds())
	}
	if err := reset(ctx, urls); err != nil {
		return err
	}
	bad := spread(c.n, c.bad)
	p := slices.Max(c.parallel)
	rep, err := resume(ctx, urls, bad, c.m, c.m/2, p)
	if err != nil {
		return err
	}
	fmt.Printf("BenchmarkFleet/n=%d/resume/first/parallel=%d 1 %d ns/op\n", c.n, p, rep.First.Nanoseconds())
	fmt.Printf("BenchmarkFleet/n=%d/resume/rerun/parallel=%d 1 %d ns/op\n", c.n, p, rep.Rerun.Nanoseconds())
	fmt.Printf("\nsingle database: %s for %d migrations (median of %d)\n", single.Round(time.Millisecond), c.m, c.single)
	if perTarget1 > 0 {
		fmt.Printf("fleet at parallel 1: %s a target, overhead %s (%+.0f%%)\n", perTarget1.Round(time.Millisecond),
			(perTarget1 - single).Round(time.Millisecond), 100*(float64(perTarget1)/float64(single)-1))
	}
	fmt.Printf("resume: %d of %d failed at migration %d, the other %d at %d; the rerun after the fix finished %d (%s)\n",
		rep.Failed, c.n, c.m/2, c.n-rep.Failed, c.m, rep.Finished, rep.Rerun.Round(time.Millisecond))
	return nil
}

// spread picks k target indexes spread over n.
func spread(n, k int) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = (2*i + 1) * n / (2 * k)
	}
	return out
}

// createDatabases makes n empty databases; drop removes them.
func createDatabases(ctx context.Context, n int) ([]string, func(), error) {
	server := testdb.ServerURL()
	var names []string
	drop := func() {
		for _, name := range names {
			testdb.Exec(context.Background(), server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		}
	}
	urls := make([]string, n)
	for i := range urls {
		name := fmt.Sprintf("ddlmig_fleetbench_%d_%d", os.Getpid(), i)
		if err := testdb.Exec(ctx, server, "CREATE DATABASE "+name); err != nil {
			return nil, drop, err
		}
		names = append(names, name)
		urls[i] = testdb.WithDatabase(server, name)
	}
	return urls, drop, nil
}

// singleBaseline times what ddlmig apply does on one database (connect,
// runner, apply every migration), runs times from version 0, and returns
// the median.
func singleBaseline(ctx context.Context, url string, fsys fs.FS, runs int) (time.Duration, error) {
	var ds []time.Duration
	for range runs {
		if err := reset(ctx, []string{url}); err != nil {
			return 0, err
		}
		start := time.Now()
		conn, err := runner.Connect(ctx, url)
		if err != nil {
			return 0, err
		}
		r, err := runner.New(conn, fsys, runner.Options{})
		if err == nil {
			_, err = r.Apply(ctx, 0)
		}
		conn.Close(ctx)
		if err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}
