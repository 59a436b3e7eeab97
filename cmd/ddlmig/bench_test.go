package main

// End-to-end benchmarks of the commands issue 7 cares about, run in-process
// through run() exactly as the binary runs them, next to the parse floor
// measured in the same run (see project/bench_test.go for the step-by-step
// benchmarks). N = 5000 runs only with DDLMIG_BENCH_LARGE=1.

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/internal/synth/fixture"
	"github.com/ddlmig/ddlmig/project"
)

func cliBenchSizes() []int {
	if os.Getenv("DDLMIG_BENCH_LARGE") == "1" {
		return []int{100, 1000, 5000}
	}
	return []int{100, 1000}
}

// cliBench runs fn once per size on a synthetic project laid out in a
// temporary directory.
func cliBench(b *testing.B, fn func(b *testing.B, p *fixture.Project)) {
	for _, n := range cliBenchSizes() {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			p, err := fixture.Write(b.TempDir(), synth.Options{Tables: n, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(p.Schema.Mutated)))
			b.ReportAllocs()
			fn(b, p)
		})
	}
}

// runCLI runs one ddlmig command on p and fails unless it exits with want.
func runCLI(b *testing.B, p *fixture.Project, want int, args ...string) {
	full := append([]string{"--schema", p.SchemaFile, "--dir", p.Dir}, args...)
	var errb strings.Builder
	if code := run(full, strings.NewReader(""), io.Discard, &errb); code != want {
		b.Fatalf("ddlmig %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, errb.String())
	}
}

// BenchmarkCLIParseFloor is pg_query_go parsing schema.sql once: the bar
// for the commands below.
func BenchmarkCLIParseFloor(b *testing.B) {
	cliBench(b, func(b *testing.B, p *fixture.Project) {
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

// BenchmarkCLIDiff is `ddlmig diff`: plan and print the up SQL, with the
// fold cache off (cold).
func BenchmarkCLIDiff(b *testing.B) {
	cliBench(b, func(b *testing.B, p *fixture.Project) {
		b.Setenv(project.CacheEnv, "off")
		for b.Loop() {
			runCLI(b, p, exitOK, "diff")
		}
	})
}

// BenchmarkCLIDiffWarm is `ddlmig diff` with the folder's fold already in
// the cache (every run between two generates).
func BenchmarkCLIDiffWarm(b *testing.B) {
	cliBench(b, func(b *testing.B, p *fixture.Project) {
		b.Setenv(project.CacheEnv, "")
		b.Setenv("XDG_CACHE_HOME", b.TempDir())
		runCLI(b, p, exitOK, "diff")
		for b.Loop() {
			runCLI(b, p, exitOK, "diff")
		}
	})
}

// BenchmarkCLICheck is `ddlmig check`, which exits 1 here: schema.sql holds
// changes no migration has yet.
func BenchmarkCLICheck(b *testing.B) {
	cliBench(b, func(b *testing.B, p *fixture.Project) {
		b.Setenv(project.CacheEnv, "off") // cold
		for b.Loop() {
			runCLI(b, p, exitNo, "check")
		}
	})
}

// BenchmarkCLICheckStaged is `ddlmig check --staged` on the same project
// staged in a git repository: BenchmarkCLICheck plus reading the index
// (git ls-files, git cat-file) and writing the files to a temporary folder.
func BenchmarkCLICheckStaged(b *testing.B) {
	cliBench(b, func(b *testing.B, p *fixture.Project) {
		b.Setenv(project.CacheEnv, "off") // cold
		repo := filepath.Dir(p.Dir)
		for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}} {
			if out, err := exec.Command("git", append([]string{"-C", repo}, args...)...).CombinedOutput(); err != nil {
				b.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
		b.Chdir(repo)
		for b.Loop() {
			runCLI(b, p, exitNo, "check", "--staged")
		}
	})
}

// BenchmarkCLICheckSum is BenchmarkCLICheck with the folder's sum file
// written (ddlmig sum), which check then compares with every file: the
// cost of the sum file against BenchmarkCLICheck in the same run.
func BenchmarkCLICheckSum(b *testing.B) {
	cliBench(b, func(b *testing.B, p *fixture.Project) {
		b.Setenv(project.CacheEnv, "off") // cold
		runCLI(b, p, exitOK, "sum")
		for b.Loop() {
			runCLI(b, p, exitNo, "check")
		}
	})
}

// BenchmarkCLIGenerate is `ddlmig generate`, files included. Each iteration
// removes the pair it wrote (untimed would cost a timer stop per
// iteration; the removal is two unlinks).
func BenchmarkCLIGenerate(b *testing.B) {
	cliBench(b, func(b *testing.B, p *fixture.Project) {
		b.Setenv(project.CacheEnv, "off") // cold
		for b.Loop() {
			runCLI(b, p, exitOK, "generate", "-m", "change", "--no-input")
			written, err := filepath.Glob(filepath.Join(p.Dir, "000002_*"))
			if err != nil || len(written) != 2 {
				b.Fatalf("generate wrote %v (%v), want one pair", written, err)
			}
			for _, f := range written {
				if err := os.Remove(f); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
