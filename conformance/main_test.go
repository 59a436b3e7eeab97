package conformance

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

var (
	update  = flag.Bool("update", false, "rewrite testdata/*-known-failures.txt from this run's results")
	workers = flag.Int("workers", 6, "cases checked at once against the server")
	only    = flag.String("case", "", "run only the cases whose name matches this regular expression (no -update then)")
	details = flag.String("details", "", "write every failing case with its migration and the oracle's findings to DIR/sqldef.txt and DIR/realworld.txt")
)

// summaries are printed after all tests ran, on stdout, so that they show in
// plain `go test` output (t.Log only shows with -v or on failure).
var (
	summaryMu sync.Mutex
	summaries []string
)

func summarize(format string, args ...any) {
	summaryMu.Lock()
	defer summaryMu.Unlock()
	summaries = append(summaries, fmt.Sprintf(format, args...))
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := testdb.Main(m)
	for _, s := range summaries {
		fmt.Println(s)
	}
	os.Exit(code)
}

// Status is what became of a case.
type Status string

const (
	Pass        Status = "pass"
	Fail        Status = "fail"
	Unsupported Status = "unsupported"
)

// Result is one case's outcome. Reason is a short, stable phrase (it is
// committed in the known-failures list); Detail is everything a developer
// needs to reproduce the failure.
type Result struct {
	Name   string
	Status Status
	Reason string
	Detail string
	// Server is set when the server itself failed (out of memory, lost
	// connection): no verdict on ddlmig, never recorded as a known failure.
	Server bool
}

// serverTrouble reports whether err is the server's own trouble rather than
// a verdict on the SQL: connection failures and SQLSTATE classes 08
// (connection), 53 (insufficient resources), 57 (operator intervention)
// and 58 (system error).
func serverTrouble(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return slices.Contains([]string{"08", "53", "57", "58"}, pgErr.Code[:2])
	}
	return true
}

// retry runs a case again, a few seconds later, when the server failed it:
// a busy shared test server (another package creating thousands of tables)
// can run out of lock slots for a moment.
func retry(run func() Result) Result {
	r := run()
	for i := 0; r.Server && i < 2; i++ {
		time.Sleep(time.Duration(2+3*i) * time.Second)
		r = run()
	}
	return r
}

// serverErrors fails the test for results the server could not judge, and
// reports whether there were any (then -update must not write a list).
func serverErrors(t *testing.T, results []Result) bool {
	t.Helper()
	n := 0
	for _, r := range results {
		if r.Server {
			n++
			t.Errorf("%s: the server failed, no verdict: %s", r.Name, oneLine(r.Detail))
		}
	}
	return n > 0
}

// knownEntry is a line of a known-failures file.
type knownEntry struct {
	Status Status
	Reason string
}

// readKnown reads a known-failures file: "name<TAB>status<TAB>reason" lines,
// # comments and blank lines ignored. A missing file is an empty list.
func readKnown(t *testing.T, path string) map[string]knownEntry {
	t.Helper()
	out := map[string]knownEntry{}
	fh, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 || (f[1] != string(Fail) && f[1] != string(Unsupported)) {
			t.Fatalf("%s:%d: want name<TAB>fail|unsupported<TAB>reason, got %q", path, n, line)
		}
		e := knownEntry{Status: Status(f[1])}
		if len(f) == 3 {
			e.Reason = f[2]
		}
		out[f[0]] = e
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// writeKnown writes every result that did not pass, sorted by name.
func writeKnown(t *testing.T, path, header string, results []Result) {
	t.Helper()
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(header), "\n") {
		b.WriteString("# " + l + "\n")
	}
	sorted := slices.Clone(results)
	slices.SortFunc(sorted, func(a, b Result) int { return strings.Compare(a.Name, b.Name) })
	for _, r := range sorted {
		if r.Status != Pass && !r.Server {
			fmt.Fprintf(&b, "%s\t%s\t%s\n", r.Name, r.Status, oneLine(r.Reason))
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkKnown fails the test for every result that did not pass and is not in
// the known list (the pass count may only go up), and reports, without
// failing, listed cases that now pass or changed status.
func checkKnown(t *testing.T, file string, known map[string]knownEntry, results []Result) {
	t.Helper()
	var nowPass, changed []string
	for _, r := range results {
		k, listed := known[r.Name]
		switch {
		case r.Server:
			// reported by serverErrors
		case r.Status == Pass && listed:
			nowPass = append(nowPass, r.Name)
		case r.Status != Pass && !listed:
			t.Errorf("%s: %s (%s), not in %s:\n%s", r.Name, r.Status, r.Reason, file, indent(r.Detail))
		case r.Status != Pass && (k.Status != r.Status || k.Reason != oneLine(r.Reason)):
			changed = append(changed, fmt.Sprintf("%s: was %s (%s), now %s (%s)", r.Name, k.Status, k.Reason, r.Status, oneLine(r.Reason)))
		}
	}
	if len(nowPass) > 0 {
		t.Logf("%d case(s) listed in %s now pass; run go test ./conformance -update to record it: %s",
			len(nowPass), file, strings.Join(nowPass, ", "))
		summarize("%s: %d listed case(s) now pass (run go test ./conformance -update): %s",
			file, len(nowPass), strings.Join(nowPass, ", "))
	}
	if len(changed) > 0 {
		t.Logf("%d listed case(s) fail differently now (run -update to record):\n%s", len(changed), strings.Join(changed, "\n"))
	}
}

// writeDetails writes the failures' details for a person to read.
func writeDetails(t *testing.T, name string, results []Result) {
	t.Helper()
	if *details == "" {
		return
	}
	var b strings.Builder
	for _, r := range results {
		if r.Status == Fail {
			fmt.Fprintf(&b, "=== %s: %s\n%s\n", r.Name, r.Reason, r.Detail)
		}
	}
	if err := os.WriteFile(filepath.Join(*details, name+".txt"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func indent(s string) string {
	return "\t" + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n\t")
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// blankMetaCommands blanks psql backslash commands (pg_dump 15.14+ writes
// \restrict lines), which the server would reject.
func blankMetaCommands(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, `\`) {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}
