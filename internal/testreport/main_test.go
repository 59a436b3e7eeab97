package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const mod = "github.com/ddlmig/ddlmig"

// ev builds a line of go test -json: action, package (under mod), test, and
// for output events the text, for pass/fail/skip the seconds.
func ev(action, pkg, test string, arg ...any) string {
	e := map[string]any{"Action": action, "Package": mod + "/" + pkg}
	if test != "" {
		e["Test"] = test
	}
	for _, a := range arg {
		switch a := a.(type) {
		case string:
			e["Output"] = a
		case float64:
			e["Elapsed"] = a
		case map[string]any:
			for k, v := range a {
				e[k] = v
			}
		}
	}
	b, _ := json.Marshal(e)
	return string(b)
}

func TestReport(t *testing.T) {
	// The corpus line reads corpus.Missing messages as the corpus package
	// writes them; this is the form of corpus.Lookup's error.
	missing := "    sqldef_test.go:170: corpus missing: /x/shared/conformance/sqldef does not exist: put the team's shared/ folder beside the repository, or set DDLMIG_CORPUS_DIR to the corpus folder\n"
	tests := []struct {
		name   string
		args   []string
		events []string
		code   int
		// want are lines that must appear in this order (each may be
		// followed by others); last are the final lines exactly.
		want []string
		last []string
		// not are substrings that must not appear
		not []string
	}{{
		name: "all pass, subtests count, parents do not",
		events: []string{
			ev("start", "planner", ""),
			ev("run", "planner", "TestA"),
			ev("output", "planner", "TestA", "=== RUN   TestA\n"),
			ev("pass", "planner", "TestA", 0.5),
			ev("run", "planner", "TestB"),
			ev("run", "planner", "TestB/one"),
			ev("pass", "planner", "TestB/one", 0.1),
			ev("run", "planner", "TestB/two"),
			ev("run", "planner", "TestB/two/deep"),
			ev("pass", "planner", "TestB/two/deep", 0.1),
			ev("pass", "planner", "TestB/two", 0.1),
			ev("pass", "planner", "TestB", 0.2),
			ev("run", "planner", "TestC"),
			ev("output", "planner", "TestC", "    x_test.go:3: not here\n"),
			ev("skip", "planner", "TestC", 0.0),
			ev("pass", "planner", "", 1.25),
			ev("output", "schema", "", "?   \tgithub.com/ddlmig/ddlmig/schema\t[no test files]\n"),
			ev("skip", "schema", "", 0.0),
		},
		want: []string{"ok    planner", "3 passed, 1 skipped", "?     schema  [no test files]"},
		last: []string{"3 passed, 0 failed, 1 skipped (2 packages, go vet ok, 0s)", "3 passed, 0 failed"},
		not:  []string{"FAIL", "=== RUN"},
	}, {
		name: "a failed subtest is repeated at the end with package and test",
		events: []string{
			ev("run", "parser", "TestX"),
			ev("run", "parser", "TestX/a"),
			ev("output", "parser", "TestX/a", "=== RUN   TestX/a\n"),
			ev("output", "parser", "TestX/a", "    x_test.go:10: got 1, want 2\n"),
			ev("output", "parser", "TestX/a", "--- FAIL: TestX/a (0.30s)\n"),
			ev("fail", "parser", "TestX/a", 0.3),
			ev("run", "parser", "TestX/b"),
			ev("pass", "parser", "TestX/b", 0.1),
			ev("fail", "parser", "TestX", 0.4),
			ev("run", "parser", "TestY"),
			ev("pass", "parser", "TestY", 0.1),
			ev("output", "parser", "", "FAIL\n"),
			ev("fail", "parser", "", 2.0),
		},
		code: 1,
		want: []string{
			"--- FAIL: TestX/a (0.30s)", "x_test.go:10: got 1, want 2", "FAIL  parser", "2 passed, 1 failed",
			"──── summary", "FAIL  parser  TestX/a (0.30s)", "x_test.go:10: got 1, want 2",
		},
		last: []string{"2 passed, 1 failed, 0 skipped (1 package, go vet ok, 0s)", "2 passed, 1 failed"},
		not:  []string{"FAIL  parser  TestX (", "TestX/b"},
	}, {
		name: "a parent that fails on its own counts once",
		events: []string{
			ev("run", "runner", "TestP"),
			ev("run", "runner", "TestP/a"),
			ev("pass", "runner", "TestP/a", 0.1),
			ev("output", "runner", "TestP", "    p_test.go:9: cleanup failed\n"),
			ev("fail", "runner", "TestP", 0.2),
			ev("fail", "runner", "", 0.3),
		},
		code: 1,
		want: []string{"FAIL  runner  TestP (0.20s)", "p_test.go:9: cleanup failed"},
		last: []string{"1 passed, 1 failed, 0 skipped (1 package, go vet ok, 0s)", "1 passed, 1 failed"},
	}, {
		name: "long output: a line cut by test2json is one line, the summary repeats 20",
		events: append([]string{
			ev("run", "render", "TestLong"),
			ev("output", "render", "TestLong", "    a_test.go:1: first half"),
			ev("output", "render", "TestLong", " second half\n"),
		}, append(repeat(ev("output", "render", "TestLong", "    more\n"), 30),
			ev("fail", "render", "TestLong", 1.0),
			ev("fail", "render", "", 1.0))...),
		code: 1,
		want: []string{"──── summary", "FAIL  render  TestLong", "a_test.go:1: first half second half", "... 11 more lines (above, in render's output)"},
		last: []string{"0 passed, 1 failed, 0 skipped (1 package, go vet ok, 0s)", "0 passed, 1 failed"},
	}, {
		name: "a panic: the running test did not finish, the package fails",
		events: []string{
			ev("run", "oracle", "TestA"),
			ev("pass", "oracle", "TestA", 0.1),
			ev("run", "oracle", "TestHang"),
			ev("output", "oracle", "TestHang", "panic: test timed out after 45m0s\n"),
			ev("fail", "oracle", "", 2700.0),
		},
		code: 1,
		want: []string{"FAIL  oracle  TestHang", "panic: test timed out", "(did not finish)"},
		last: []string{"1 passed, 1 failed, 0 skipped (1 package, go vet ok, 0s)", "1 passed, 1 failed"},
	}, {
		name: "a build failure counts as one failure with its output",
		events: []string{
			`{"ImportPath":"github.com/ddlmig/ddlmig/planner [github.com/ddlmig/ddlmig/planner.test]","Action":"build-output","Output":"planner/x.go:3:1: syntax error\n"}`,
			`{"ImportPath":"github.com/ddlmig/ddlmig/planner [github.com/ddlmig/ddlmig/planner.test]","Action":"build-fail"}`,
			ev("start", "planner", ""),
			ev("output", "planner", "", "FAIL\tgithub.com/ddlmig/ddlmig/planner [build failed]\n"),
			ev("fail", "planner", "", map[string]any{"FailedBuild": "github.com/ddlmig/ddlmig/planner [github.com/ddlmig/ddlmig/planner.test]"}),
		},
		code: 1,
		want: []string{"planner/x.go:3:1: syntax error", "──── summary", "FAIL  planner", "planner/x.go:3:1: syntax error"},
		last: []string{"0 passed, 1 failed, 0 skipped (1 package, go vet ok, 0s)", "0 passed, 1 failed"},
	}, {
		name: "go vet failed: one failure",
		args: []string{"-vet-failed"},
		events: []string{
			ev("run", "migfile", "TestA"),
			ev("pass", "migfile", "TestA", 0.1),
			ev("pass", "migfile", "", 0.1),
		},
		code: 1,
		want: []string{"FAIL  go vet"},
		last: []string{"1 passed, 1 failed, 0 skipped (1 package, go vet FAILED, 0s)", "1 passed, 1 failed"},
	}, {
		name: "a step before the tests failed: one failure",
		args: []string{"-failed", "scripts/fuzz"},
		events: []string{
			ev("run", "migfile", "TestA"),
			ev("pass", "migfile", "TestA", 0.1),
			ev("pass", "migfile", "", 0.1),
		},
		code: 1,
		want: []string{"FAIL  scripts/fuzz"},
		last: []string{"1 passed, 1 failed, 0 skipped (1 package, go vet ok, 0s)", "1 passed, 1 failed"},
	}, {
		name: "corpus figures, and one line for tests that ran or skipped without the corpus",
		events: []string{
			ev("run", "conformance", "TestSqldef"),
			ev("output", "conformance", "TestSqldef", missing),
			ev("skip", "conformance", "TestSqldef", 0.0),
			ev("run", "conformance", "TestRealworld"),
			ev("output", "conformance", "TestRealworld", "    realworld_test.go:31: corpus missing: /x/shared/realworld does not exist: put the team's ...\n"),
			ev("skip", "conformance", "TestRealworld", 0.0),
			ev("run", "conformance", "TestOther"),
			ev("pass", "conformance", "TestOther", 0.0),
			ev("output", "conformance", "", "realworld round trips: 15 passed, 0 failed, 1 unsupported\n"),
			ev("output", "conformance", "", "sqldef conformance: 788 passed, 1 failed, 49 unsupported\n"),
			ev("pass", "conformance", "", 0.0),
			ev("run", "internal/pgdecode", "TestDecode"),
			ev("output", "internal/pgdecode", "TestDecode", strings.TrimSuffix(missing, "\n")+" (this test ran without it)\n"),
			ev("pass", "internal/pgdecode", "TestDecode", 0.0),
			ev("pass", "internal/pgdecode", "", 0.0),
		},
		want: []string{
			"──── summary",
			"realworld round trips: 15 passed, 0 failed, 1 unsupported",
			"sqldef conformance: 788 passed, 1 failed, 49 unsupported",
			"corpus not found (/x/shared/conformance/sqldef, /x/shared/realworld): 2 tests not run (conformance TestSqldef, conformance TestRealworld), 1 ran without it (internal/pgdecode TestDecode); put the team's shared/ folder beside the repository or set DDLMIG_CORPUS_DIR (with CI set a missing corpus fails the run)",
		},
		last: []string{"2 passed, 0 failed, 2 skipped (2 packages, go vet ok, 0s)", "2 passed, 0 failed"},
	}, {
		name: "CI: the corpus tests fail, and the corpus line says why",
		events: []string{
			ev("run", "conformance", "TestSqldef"),
			ev("output", "conformance", "TestSqldef", strings.TrimSuffix(missing, "\n")+" (CI is set: the corpus is required)\n"),
			ev("fail", "conformance", "TestSqldef", 0.0),
			ev("fail", "conformance", "", 0.0),
		},
		code: 1,
		want: []string{
			"FAIL  conformance  TestSqldef", "corpus missing: /x/shared/conformance/sqldef does not exist",
			"corpus not found (/x/shared/conformance/sqldef): 1 test failed, as CI requires the corpus (conformance TestSqldef); put the team's shared/ folder beside the repository or set DDLMIG_CORPUS_DIR\n",
		},
		last: []string{"0 passed, 1 failed, 0 skipped (1 package, go vet ok, 0s)", "0 passed, 1 failed"},
	}, {
		name: "not JSON: passed through",
		events: []string{
			"go: downloading example.com/x v1.0.0",
			ev("run", "migfile", "TestA"),
			ev("pass", "migfile", "TestA", 0.1),
			ev("pass", "migfile", "", 0.1),
		},
		want: []string{"go: downloading example.com/x v1.0.0", "ok    migfile"},
		last: []string{"1 passed, 0 failed, 0 skipped (1 package, go vet ok, 0s)", "1 passed, 0 failed"},
	}, {
		name: "a cut stream: the unfinished package fails",
		events: []string{
			ev("run", "runner", "TestA"),
			ev("pass", "runner", "TestA", 0.1),
		},
		code: 1,
		want: []string{"FAIL  runner", "1 passed"},
		last: []string{"1 passed, 1 failed, 0 skipped (1 package, go vet ok, 0s)", "1 passed, 1 failed"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			in := strings.NewReader(strings.Join(tt.events, "\n") + "\n")
			r := newReport(&out, mod)
			r.vetFailed = slices.Contains(tt.args, "-vet-failed")
			if i := slices.Index(tt.args, "-failed"); i >= 0 {
				r.failedSteps = append(r.failedSteps, tt.args[i+1])
			}
			r.read(in)
			code := r.finish(0)
			got := out.String()
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("missing (in this order) %q", w)
					continue
				}
				rest = rest[i+len(w):]
			}
			lines := strings.Split(strings.TrimRight(got, "\n"), "\n")
			if len(lines) < len(tt.last) || strings.Join(lines[len(lines)-len(tt.last):], "\n") != strings.Join(tt.last, "\n") {
				t.Errorf("last lines:\n%s\nwant:\n%s", strings.Join(lines[max(0, len(lines)-len(tt.last)):], "\n"), strings.Join(tt.last, "\n"))
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("holds %q", n)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s%s", got, errb.String())
			}
		})
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestRunCommand runs a command whose exit status nobody reported as a
// failure (go test failing before any package ran): it counts as one.
func TestRunCommand(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	var out, errb bytes.Buffer
	code := run([]string{"--", "/bin/sh", "-c", "echo 'go: no such package ./nope' >&2; exit 1"}, strings.NewReader(""), &out, &errb)
	got := out.String()
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, w := range []string{"go: no such package ./nope", "FAIL  go test", "exit status 1", "0 passed, 1 failed\n"} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	if !strings.HasSuffix(got, "0 passed, 1 failed\n") {
		t.Errorf("the last line is not the counts:\n%s", got)
	}

	out.Reset()
	raw := filepath.Join(t.TempDir(), "test.json")
	events := `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"pass","Package":"p"}
`
	code = run([]string{"-json", raw, "--", "/bin/sh", "-c", "printf '%s' '" + events + "'"}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.HasSuffix(out.String(), "\n1 passed, 0 failed\n") {
		t.Errorf("exit %d:\n%s", code, out.String())
	}
	if b, err := os.ReadFile(raw); err != nil || string(b) != events {
		t.Errorf("-json file: %q, %v; want go test's lines", b, err)
	}
}
