package project_test

// Benchmarks for issue 7: generate and check on synthetic schemas of N
// tables, each next to the floor it is judged against (pg_query_go parsing
// the same schema.sql once), measured in the same run so that their ratio
// holds on a busy machine. scripts/bench runs them and prints the ratios.
//
// N = 5000 runs only with DDLMIG_BENCH_LARGE=1.
//
// Generate, Check and Fold run with the fold cache off (cold: the folder is
// folded every time, as on the first run after a new migration);
// GenerateWarm and CheckWarm run with a cache that already holds the
// folder's fold (every run between two generates).

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/internal/synth/fixture"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
)

// benchSizes are the table counts of issue 7, or those of
// DDLMIG_BENCH_SIZES (comma-separated, e.g. 2500,5000,10000 to look at
// growth past the goal's sizes).
func benchSizes() []int {
	if env := os.Getenv("DDLMIG_BENCH_SIZES"); env != "" {
		var sizes []int
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				panic("DDLMIG_BENCH_SIZES: want table counts separated by commas, got " + env)
			}
			sizes = append(sizes, n)
		}
		return sizes
	}
	if os.Getenv("DDLMIG_BENCH_LARGE") == "1" {
		return []int{100, 1000, 5000}
	}
	return []int{100, 1000}
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*fixture.Project{}
	fixtureDir string
)

// TestMain removes the projects the benchmarks laid out.
//
// The benchmarks of this process run with malloc as it ships, not tuned as
// ddlmig's main tunes it (pgdecode.TuneMalloc): the setting is the whole
// process's and cannot be undone, and the floor is pg_query_go as it ships.
// scripts/bench measures the real binary, tuned, against that floor and
// against the floor tuned alike, each in a process of its own.
func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// benchProject returns the synthetic project of n tables, writing it on
// first use: every benchmark of a run shares it, so setup (which plans the
// whole base schema once) is paid once per size.
func benchProject(b *testing.B, n int) *fixture.Project {
	b.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if p := fixtures[n]; p != nil {
		return p
	}
	if fixtureDir == "" {
		d, err := os.MkdirTemp("", "ddlmig-bench-")
		if err != nil {
			b.Fatal(err)
		}
		fixtureDir = d
	}
	root := fmt.Sprintf("%s/n%d", fixtureDir, n)
	if err := os.Mkdir(root, 0o755); err != nil {
		b.Fatal(err)
	}
	p, err := fixture.Write(root, synth.Options{Tables: n, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	fixtures[n] = p
	return p
}

// forSizes runs fn as one sub-benchmark per size, named N=<n> for
// benchstat.
//
// Besides time it reports cpu-ns/op, the CPU time of the whole process
// (every goroutine, the garbage collector) per iteration: on a machine
// shared with other work, wall time measures the load as much as the code,
// while CPU time stays close to what the code costs.
func forSizes(b *testing.B, fn func(b *testing.B, p *fixture.Project)) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			p := benchProject(b, n)
			b.SetBytes(int64(len(p.Schema.Mutated)))
			b.ReportAllocs()
			start := processCPU()
			fn(b, p)
			if start > 0 && b.N > 0 {
				b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// BenchmarkParseFloor is the bar: pg_query_go turning schema.sql into a
// parse tree, and nothing else (pg_query.Parse, whose protobuf decoding
// ddlmig's parser replaces with internal/pgdecode's).
func BenchmarkParseFloor(b *testing.B) {
	forSizes(b, func(b *testing.B, p *fixture.Project) {
		for b.Loop() {
			src, err := os.ReadFile(p.SchemaFile)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := pg_query.Parse(string(src)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cache sets the fold cache up for one benchmark: off (cold), or in a
// fresh directory that prime fills before the timed loop (warm).
func cache(b *testing.B, warm bool, prime func()) {
	if !warm {
		b.Setenv(project.CacheEnv, "off")
		return
	}
	b.Setenv(project.CacheEnv, "")
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	prime()
}

// generate1 does what `ddlmig generate` does short of writing the two files:
// fold the migrations and parse schema.sql (concurrently), plan up and
// down, render.
func generate1(b *testing.B, p *fixture.Project) {
	st, err := p.Load()
	if err != nil {
		b.Fatal(err)
	}
	m, err := st.Plan("change", planner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if m.Empty() {
		b.Fatal("no changes planned")
	}
}

// check1 is `ddlmig check`: read the folder, look for unreviewed markers,
// fold, parse, plan up only.
func check1(b *testing.B, p *fixture.Project) {
	findings, err := p.Check()
	if err != nil {
		b.Fatal(err)
	}
	if len(findings) == 0 {
		b.Fatal("check found nothing, want the pending changes")
	}
}

// BenchmarkGenerate is generate with the fold cache off (cold).
func BenchmarkGenerate(b *testing.B) {
	forSizes(b, func(b *testing.B, p *fixture.Project) {
		cache(b, false, nil)
		for b.Loop() {
			generate1(b, p)
		}
	})
}

// BenchmarkGenerateWarm is generate with the folder's fold in the cache.
func BenchmarkGenerateWarm(b *testing.B) {
	forSizes(b, func(b *testing.B, p *fixture.Project) {
		cache(b, true, func() { generate1(b, p) })
		for b.Loop() {
			generate1(b, p)
		}
	})
}

// BenchmarkCheck is check with the fold cache off (cold).
func BenchmarkCheck(b *testing.B) {
	forSizes(b, func(b *testing.B, p *fixture.Project) {
		cache(b, false, nil)
		for b.Loop() {
			check1(b, p)
		}
	})
}

// BenchmarkCheckWarm is check with the folder's fold in the cache.
func BenchmarkCheckWarm(b *testing.B) {
	forSizes(b, func(b *testing.B, p *fixture.Project) {
		cache(b, true, func() { check1(b, p) })
		for b.Loop() {
			check1(b, p)
		}
	})
}

// The benchmarks below split generate into its steps, for profiles and for
// telling which step grew.

// BenchmarkParseSchema is ddlmig's parser on schema.sql: pg_query.Parse plus
// folding into a catalog (deparsing every expression, constraint and index).
func BenchmarkParseSchema(b *testing.B) {
	forSizes(b, func(b *testing.B, p *fixture.Project) {
		for b.Loop() {
			if _, _, err := p.LoadSchema(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFold is reading the migrations folder and folding its one
// migration (ddlmig's rendering of the base schema), cache off.
func BenchmarkFold(b *testing.B) {
	forSizes(b, func(b *testing.B, p *fixture.Project) {
		cache(b, false, nil)
		for b.Loop() {
			if _, _, _, err := p.LoadMigrations(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPlan is planning and rendering alone, on catalogs already
// loaded.
func BenchmarkPlan(b *testing.B) {
	forSizes(b, func(b *testing.B, p *fixture.Project) {
		st, err := p.Load() // before b.Loop, so not timed
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := st.Plan("change", planner.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGenerateFirst is the first generate of a project: an empty
// migrations folder against the base schema, as PlanRun writes it. At
// 5,000 tables the change needs more locks than one transaction of a
// default server holds, so it is cut into consecutive migrations.
func BenchmarkGenerateFirst(b *testing.B) {
	forSizes(b, func(b *testing.B, p *fixture.Project) {
		root := b.TempDir()
		if err := os.Mkdir(root+"/migrations", 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(root+"/schema.sql", p.Schema.Base, 0o644); err != nil {
			b.Fatal(err)
		}
		first := project.Project{SchemaFile: root + "/schema.sql", Dir: root + "/migrations"}
		for b.Loop() {
			st, err := first.Load()
			if err != nil {
				b.Fatal(err)
			}
			m, err := st.PlanRun("base schema", planner.Options{}, &st.Online)
			if err != nil {
				b.Fatal(err)
			}
			if m.Empty() {
				b.Fatal("no changes planned")
			}
		}
	})
}
