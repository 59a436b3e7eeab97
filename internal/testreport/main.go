// Command testreport runs go test -json and prints what a person needs from
// it: one line per package as it finishes, the output of failed tests, and at
// the end every failure again with its package and test name, the corpus
// figures the conformance tests print, a line about corpus tests that did not
// run, and the counts. scripts/test runs it:
//
//	testreport [-v] [-vet-failed] [-t0 UNIXSECONDS] [-json FILE] -- go test -json ./...
//
// The last two lines are the counts of the whole run,
//
//	1336 passed, 0 failed, 2 skipped (15 packages, go vet ok, 3m58s)
//	1336 passed, 0 failed
//
// and the last one is always that plain form (CI reads it). Tests are counted
// as go test reports them, subtests included: a test with subtests counts
// through them, not itself, unless it failed on its own. A package that fails
// without a failed test (a build error, a panic in TestMain, a timeout) counts
// as one failure, as do a failed go vet (-vet-failed) and a go test that exits
// with an error nobody reported; so does each step named by -failed (a
// step scripts/test runs before the tests, scripts/fuzz say). The exit status is 1 when anything failed.
//
// It must not judge tests itself: it only reads go test's verdicts.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ddlmig/ddlmig/internal/corpus"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testreport", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print every line of the tests' output as it comes")
	vetFailed := fs.Bool("vet-failed", false, "go vet failed before the tests: count it as a failure")
	var failedSteps steps
	fs.Var(&failedSteps, "failed", "a `STEP` run before the tests failed (scripts/fuzz, say): count it as a failure; repeatable")
	t0 := fs.Int64("t0", 0, "when the run began (Unix seconds), for the time in the last lines; default: when testreport started")
	raw := fs.String("json", "", "also write go test's output, as it comes, to `FILE` (per-test times for a person or a CI artifact)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	start := time.Now()
	if *t0 > 0 {
		start = time.Unix(*t0, 0)
	}
	r := newReport(stdout, modulePath())
	r.verbose = *verbose
	r.vetFailed = *vetFailed
	r.failedSteps = failedSteps
	if *raw != "" {
		f, err := os.Create(*raw)
		if err != nil {
			fmt.Fprintf(stderr, "testreport: %v\n", err)
			return 2
		}
		defer f.Close()
		r.raw = f
	}

	cmdArgs := fs.Args()
	if len(cmdArgs) == 0 {
		// Read a go test -json stream from stdin (for tests and pipes).
		r.read(stdin)
		return r.finish(time.Since(start))
	}
	cmd := exec.Command(cmdArgs[0], cmdArgs[1:]...)
	cmd.Stdin = stdin
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "testreport: %v\n", err)
		return 2
	}
	done := make(chan struct{})
	go func() {
		r.read(pr)
		close(done)
	}()
	err := cmd.Wait()
	pw.Close()
	<-done
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.exitCode = exit.ExitCode()
	} else if err != nil {
		r.exitCode = 1
		r.other = append(r.other, err.Error())
	}
	return r.finish(time.Since(start))
}

// steps is a repeatable flag.
type steps []string

func (s *steps) String() string     { return strings.Join(*s, ", ") }
func (s *steps) Set(v string) error { *s = append(*s, v); return nil }

// modulePath is the module of go.mod in the working directory, stripped from
// package names in the report; "" when there is none.
func modulePath() string {
	b, err := os.ReadFile("go.mod")
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "module" {
			return f[1]
		}
	}
	return ""
}

// event is a line of go test -json (cmd/test2json).
type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output and build-fail
	Test        string
	Elapsed     float64
	Output      string
	FailedBuild string
}

type test struct {
	name    string
	action  string // run until pass, fail or skip
	elapsed float64
	output  strings.Builder // test2json cuts long lines into several events
}

type pkg struct {
	name   string
	tests  map[string]*test
	order  []string
	output strings.Builder // the package's own lines (TestMain, panics, go test's)
}

type failure struct {
	pkg, test string
	elapsed   float64
	output    []string
}

type report struct {
	w           io.Writer
	raw         io.Writer // go test's lines as they come, or nil
	module      string
	verbose     bool
	vetFailed   bool
	failedSteps []string
	exitCode    int

	pkgs   map[string]*pkg
	build  map[string][]string // build output by import path
	other  []string            // lines that are not events
	npkgs  int
	counts struct{ passed, failed, skipped int }
	fails  []failure

	figures       []string
	corpusPaths   []string
	corpusSkipped []string // tests that did not run without the corpus
	corpusPartial []string // tests that ran without it
	corpusFailed  []string // tests that failed for want of it (CI)
}

func newReport(w io.Writer, module string) *report {
	return &report{w: w, module: module, pkgs: map[string]*pkg{}, build: map[string][]string{}}
}

func (r *report) read(in io.Reader) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		if r.raw != nil {
			fmt.Fprintln(r.raw, line)
		}
		var e event
		if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &e) == nil && e.Action != "" {
			r.event(e)
			continue
		}
		// go test's own messages (go: downloading ..., a vet error)
		fmt.Fprintln(r.w, line)
		r.other = append(r.other, line)
	}
	if err := sc.Err(); err != nil {
		r.other = append(r.other, "testreport: reading go test's output: "+err.Error())
	}
}

func (r *report) short(name string) string {
	if name == r.module {
		return "."
	}
	if r.module != "" && strings.HasPrefix(name, r.module+"/") {
		return name[len(r.module)+1:]
	}
	return name
}

func (r *report) event(e event) {
	switch e.Action {
	case "build-output":
		fmt.Fprint(r.w, e.Output)
		r.build[e.ImportPath] = append(r.build[e.ImportPath], strings.TrimRight(e.Output, "\n"))
		return
	case "build-fail":
		return
	}
	p := r.pkgs[e.Package]
	if p == nil {
		p = &pkg{name: e.Package, tests: map[string]*test{}}
		r.pkgs[e.Package] = p
	}
	if e.Action == "output" && r.verbose {
		fmt.Fprint(r.w, e.Output)
	}
	if e.Test == "" {
		switch e.Action {
		case "output":
			p.output.WriteString(e.Output)
		case "pass", "fail", "skip":
			r.finishPackage(p, e)
			delete(r.pkgs, e.Package)
		}
		return
	}
	t := p.tests[e.Test]
	if t == nil {
		t = &test{name: e.Test, action: "run"}
		p.tests[e.Test] = t
		p.order = append(p.order, e.Test)
	}
	switch e.Action {
	case "output":
		t.output.WriteString(e.Output)
	case "pass", "fail", "skip":
		t.action, t.elapsed = e.Action, e.Elapsed
	}
}

// figureRE matches the corpus figures the conformance tests print (see
// conformance/main_test.go, summarize).
var figureRE = regexp.MustCompile(`^(sqldef conformance|realworld round trips): \d+ passed|^testdata/\S+-known-failures\.txt: `)

var corpusPathRE = regexp.MustCompile(regexp.QuoteMeta(corpus.Missing) + `(\S+) does not exist`)

func (r *report) finishPackage(p *pkg, end event) {
	r.npkgs++
	name := r.short(p.name)
	var passed, failed, skipped int
	var failedHere []failure
	parent := map[string]bool{}
	for _, n := range p.order {
		for i := strings.IndexByte(n, '/'); i >= 0; i = next(n, i) {
			parent[n[:i]] = true
		}
	}
	failedBelow := func(n string) bool {
		for _, m := range p.order {
			if strings.HasPrefix(m, n+"/") && p.tests[m].action == "fail" {
				return true
			}
		}
		return false
	}
	for _, n := range p.order {
		t := p.tests[n]
		if t.action == "run" {
			// It never finished: the package failed around it (a
			// panic, a timeout) or the stream was cut.
			t.action = "fail"
			t.output.WriteString("\n(did not finish)\n")
		}
	}
	for _, n := range p.order {
		t := p.tests[n]
		out := lines(t.output.String())
		r.corpusNote(name, t.name, t.action, out)
		switch action := t.action; {
		case action == "fail" && (!parent[n] || !failedBelow(n)):
			failed++
			failedHere = append(failedHere, failure{name, n, t.elapsed, out})
		case parent[n]:
		case action == "pass":
			passed++
		case action == "skip":
			skipped++
		}
	}
	pout := lines(p.output.String())
	for _, l := range pout {
		if figureRE.MatchString(l) {
			r.figures = append(r.figures, l)
		}
	}
	if end.Action == "fail" && failed == 0 {
		out := append(slices.Clone(r.build[end.FailedBuild]), pout...)
		if end.FailedBuild != "" && len(r.build[end.FailedBuild]) == 0 {
			out = append(out, "(build failed)")
		}
		failed++
		failedHere = append(failedHere, failure{name, "", end.Elapsed, out})
	}
	r.counts.passed += passed
	r.counts.failed += failed
	r.counts.skipped += skipped
	r.fails = append(r.fails, failedHere...)

	if !r.verbose {
		for _, f := range failedHere {
			if f.test == "" {
				for _, l := range f.output {
					fmt.Fprintln(r.w, l)
				}
				continue
			}
			fmt.Fprintf(r.w, "--- FAIL: %s (%.2fs)\n", f.test, f.elapsed)
			for _, l := range shown(f.output) {
				fmt.Fprintln(r.w, l)
			}
		}
	}
	status := map[string]string{"pass": "ok  ", "fail": "FAIL", "skip": "?   "}[end.Action]
	if end.Action == "skip" && len(p.order) == 0 {
		fmt.Fprintf(r.w, "%s  %s  [no test files]\n", status, name)
		return
	}
	fmt.Fprintf(r.w, "%s  %-28s %7.1fs  %s\n", status, name, end.Elapsed, brief(passed, failed, skipped))
}

// brief is counts without the zeros, for a package's line.
func brief(passed, failed, skipped int) string {
	s := fmt.Sprintf("%d passed", passed)
	if failed > 0 {
		s += fmt.Sprintf(", %d failed", failed)
	}
	if skipped > 0 {
		s += fmt.Sprintf(", %d skipped", skipped)
	}
	return s
}

func next(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '/')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// corpusNote records a test that said the corpus is missing.
func (r *report) corpusNote(pkg, test, action string, out []string) {
	for _, l := range out {
		m := corpusPathRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if !slices.Contains(r.corpusPaths, m[1]) {
			r.corpusPaths = append(r.corpusPaths, m[1])
		}
		name := pkg + " " + test
		if action == "skip" {
			r.corpusSkipped = append(r.corpusSkipped, name)
		} else if action == "pass" {
			r.corpusPartial = append(r.corpusPartial, name)
		} else {
			r.corpusFailed = append(r.corpusFailed, name)
		}
		return
	}
}

func lines(s string) []string {
	if s = strings.TrimRight(s, "\n"); s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// shown is a test's output without go test's own === and --- lines.
func shown(out []string) []string {
	var s []string
	for _, l := range out {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- PASS") || strings.HasPrefix(t, "--- FAIL") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		s = append(s, l)
	}
	return s
}

func counts(passed, failed, skipped int) string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", passed, failed, skipped)
}

// maxRepeated is how many lines of a failure's output the summary repeats.
const maxRepeated = 20

// maxWidth is where the summary cuts a long line of output.
const maxWidth = 160

func (r *report) finish(elapsed time.Duration) int {
	// Packages whose end never came (go test was killed).
	for _, p := range r.pkgs {
		r.finishPackage(p, event{Action: "fail", Package: p.name})
	}
	if r.vetFailed {
		r.counts.failed++
		r.fails = append(r.fails, failure{pkg: "go vet", output: []string{"(its output is above the tests')"}})
	}
	for _, s := range r.failedSteps {
		r.counts.failed++
		r.fails = append(r.fails, failure{pkg: s, output: []string{"(its output is above the tests')"}})
	}
	if r.exitCode != 0 && r.counts.failed == 0 {
		r.counts.failed++
		out := r.other
		if len(out) == 0 {
			out = []string{"(no output)"}
		}
		r.fails = append(r.fails, failure{pkg: "go test", output: append(slices.Clone(out), fmt.Sprintf("exit status %d", r.exitCode))})
	}

	w := r.w
	fmt.Fprintln(w)
	fmt.Fprintln(w, "──── summary "+strings.Repeat("─", 50))
	for _, f := range r.fails {
		switch {
		case f.test != "":
			fmt.Fprintf(w, "FAIL  %s  %s (%.2fs)\n", f.pkg, f.test, f.elapsed)
		default:
			fmt.Fprintf(w, "FAIL  %s\n", f.pkg)
		}
		out := shown(f.output)
		for i, l := range out {
			if i == maxRepeated {
				fmt.Fprintf(w, "      ... %d more lines (above, in %s's output)\n", len(out)-i, f.pkg)
				break
			}
			if len(l) > maxWidth {
				l = l[:maxWidth] + "…"
			}
			fmt.Fprintln(w, "  "+l)
		}
	}
	for _, f := range r.figures {
		fmt.Fprintln(w, f)
	}
	if line := r.corpusLine(); line != "" {
		fmt.Fprintln(w, line)
	}
	vet := "go vet ok"
	if r.vetFailed {
		vet = "go vet FAILED"
	}
	plural := "s"
	if r.npkgs == 1 {
		plural = ""
	}
	fmt.Fprintf(w, "%s (%d package%s, %s, %s)\n", counts(r.counts.passed, r.counts.failed, r.counts.skipped),
		r.npkgs, plural, vet, elapsed.Round(time.Second))
	fmt.Fprintf(w, "%d passed, %d failed\n", r.counts.passed, r.counts.failed)
	if r.counts.failed > 0 {
		return 1
	}
	return 0
}

// corpusLine says, in one line, which tests did not run for want of the
// corpus and how to get it; "" when none.
func (r *report) corpusLine() string {
	if len(r.corpusPaths) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "corpus not found (%s): ", strings.Join(r.corpusPaths, ", "))
	if len(r.corpusFailed) > 0 {
		fmt.Fprintf(&b, "%d test%s failed, as CI requires the corpus (%s)", len(r.corpusFailed), plural(len(r.corpusFailed)), strings.Join(r.corpusFailed, ", "))
		if len(r.corpusSkipped)+len(r.corpusPartial) > 0 {
			b.WriteString(", ")
		}
	}
	if len(r.corpusSkipped) > 0 {
		fmt.Fprintf(&b, "%d test%s not run (%s)", len(r.corpusSkipped), plural(len(r.corpusSkipped)), strings.Join(r.corpusSkipped, ", "))
	}
	if len(r.corpusPartial) > 0 {
		if len(r.corpusSkipped) > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d ran without it (%s)", len(r.corpusPartial), strings.Join(r.corpusPartial, ", "))
	}
	fmt.Fprintf(&b, "; put the team's shared/ folder beside the repository or set %s", corpus.EnvDir)
	if len(r.corpusFailed) == 0 {
		b.WriteString(" (with CI set a missing corpus fails the run)")
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
