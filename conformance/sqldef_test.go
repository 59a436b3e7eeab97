package conformance

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/schema"
)

const sqldefKnown = "testdata/sqldef-known-failures.txt"

// sqldefCase is a line of sqldef's corpus (see its README for the fields).
type sqldefCase struct {
	Name         string
	Current      string
	Desired      string
	ExpectsError bool `json:"expects_error"`
	MinPG        *int `json:"min_pg_version"`
	MaxPG        *int `json:"max_pg_version"`
	Notes        string
	CurrentOK    bool `json:"pg15_current_ok"`
	DesiredOK    bool `json:"pg15_desired_ok"`
	notes        struct {
		User    string `json:"user"`
		Flavor  string `json:"flavor"`
		Offline bool   `json:"offline"`
	}
}

// statementOrder are the corpus's cases whose schemas PostgreSQL rejects only
// because they name objects before creating them (README, group "statement
// order"): a declarative tool must sort them. Their reference database is
// loaded through ddlmig's own migration from empty.
var statementOrder = map[string]bool{
	"ForeignKeyConstraintsAreEmittedLast":              true,
	"ForeignKeyDependenciesCircular":                   true,
	"IndexAndForeignOrder":                             true,
	"ForeignKeyDependencyOrderingQuotedParent":         true,
	"ForeignKeyDependencyOrderingQuotedLowercaseRef":   true,
	"ForeignKeyDependencyOrderingUnquotedCaseMismatch": true,
	"ViewDependencyOrderingUnquotedCaseMismatch":       true,
	"ViewDDLsAreEmittedLastWithChangingDefinition":     true,
	"ViewDDLsAreEmittedLastWithoutChangingDefinition":  true,
	"FunctionBeforeTable_AlterAddColumnDefaultConcat":  true,
	"CreateSchema": true,
}

func readSqldefCases(t *testing.T, dir string) []*sqldefCase {
	t.Helper()
	fh, err := os.Open(filepath.Join(dir, "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var cases []*sqldefCase
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		c := &sqldefCase{}
		if err := json.Unmarshal(sc.Bytes(), c); err != nil {
			t.Fatalf("cases.jsonl line %d: %v", len(cases)+1, err)
		}
		if err := json.Unmarshal([]byte(c.Notes), &c.notes); err != nil {
			t.Fatalf("%s: notes: %v", c.Name, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func readRoles(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "harness_roles.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			roles = append(roles, l)
		}
	}
	return roles
}

// unsupported says why a case is out of reach whatever ddlmig does, or "".
func (c *sqldefCase) unsupported() string {
	switch {
	case c.MinPG != nil && *c.MinPG > 15:
		return fmt.Sprintf("needs PostgreSQL %d", *c.MinPG)
	case c.MaxPG != nil && *c.MaxPG < 15:
		return fmt.Sprintf("needs PostgreSQL <= %d", *c.MaxPG)
	case c.notes.Flavor != "":
		return "needs " + c.notes.Flavor
	case c.notes.Offline:
		return "offline (Aurora DSQL) syntax"
	case (!c.CurrentOK || !c.DesiredOK) && !statementOrder[c.Name]:
		return "does not load on PostgreSQL 15"
	}
	return ""
}

// run judges one case.
func (c *sqldefCase) run(ctx context.Context) Result {
	if why := c.unsupported(); why != "" {
		return Result{Status: Unsupported, Reason: why}
	}
	if c.ExpectsError {
		return c.runExpectingError()
	}
	mc := migCase{OldSQL: c.Current, NewSQL: c.Desired, Renames: sqldefRenames(c.Desired), Session: sessionFor(c.notes.User)}
	// Statement-order cases: PostgreSQL needs the objects in dependency
	// order, which is what ddlmig's migration from empty writes.
	for _, side := range []struct {
		ok       bool
		src      string
		load     *string
		fileName string
	}{{c.CurrentOK, c.Current, &mc.OldLoad, "current.sql"}, {c.DesiredOK, c.Desired, &mc.NewLoad, "desired.sql"}} {
		if side.ok {
			continue
		}
		cat, res := parseSchema(side.fileName, side.src)
		if res != nil {
			return *res
		}
		mig, err := plan(schema.New(), cat, side.src)
		if err != nil {
			return Result{Status: Fail, Reason: "plan error", Detail: "from empty to " + side.fileName + ": " + err.Error()}
		}
		*side.load = mig.Up
	}
	return check(ctx, mc)
}

// runExpectingError passes when ddlmig refuses the case, at parse or plan
// time; sqldef's message need not match.
func (c *sqldefCase) runExpectingError() Result {
	current, res := parseSchema("current.sql", c.Current)
	if res != nil {
		return Result{Status: Pass, Detail: res.Detail}
	}
	desired, res := parseSchema("desired.sql", c.Desired)
	if res != nil {
		return Result{Status: Pass, Detail: res.Detail}
	}
	if _, err := plan(current, desired, c.Desired); err != nil {
		return Result{Status: Pass, Detail: err.Error()}
	}
	return Result{Status: Fail, Reason: "no error", Detail: "sqldef refuses this case; ddlmig generated a migration"}
}

// TestSqldef runs sqldef's PostgreSQL corpus through ddlmig and the oracle.
// Every case not listed in testdata/sqldef-known-failures.txt must pass.
func TestSqldef(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the sqldef corpus takes minutes (three databases per case)")
	}
	t.Parallel()
	dir := corpus.Dir(t, "conformance/sqldef")
	cases := readSqldefCases(t, dir)
	// The role of the cases with a "user" note (see session).
	testdb.CreateRoles(t, append(readRoles(t, dir), "psqldef_user")...)
	var filter *regexp.Regexp
	if *only != "" {
		filter = regexp.MustCompile(*only)
	}

	start := time.Now()
	results := make([]Result, len(cases))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(*workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				results[i] = retry(func() Result { return cases[i].run(ctx) })
				results[i].Name = cases[i].Name
				cancel()
			}
		}()
	}
	ran := 0
	for i, c := range cases {
		if filter != nil && !filter.MatchString(c.Name) {
			continue
		}
		ran++
		next <- i
	}
	close(next)
	wg.Wait()
	var kept []Result
	for _, r := range results {
		if r.Name != "" {
			kept = append(kept, r)
		}
	}
	results = kept

	counts := map[Status]int{}
	for _, r := range results {
		counts[r.Status]++
	}
	summarize("sqldef conformance: %d passed, %d failed, %d unsupported", counts[Pass], counts[Fail], counts[Unsupported])
	t.Logf("%d cases in %s", ran, time.Since(start).Round(time.Second))
	writeDetails(t, "sqldef", results)
	if serverErrors(t, results) && *update {
		t.Fatal("-update: not writing the list while the server failed some cases")
	}

	if *update {
		if filter != nil {
			t.Fatal("-update needs the whole corpus: drop -case")
		}
		writeKnown(t, sqldefKnown, fmt.Sprintf(`sqldef conformance cases that do not pass yet: name, fail|unsupported, reason.
Written by go test ./conformance -update; the test fails when a case missing here fails.
%d cases: %d pass, %d fail, %d unsupported.`, len(results), counts[Pass], counts[Fail], counts[Unsupported]), results)
		return
	}
	known := readKnown(t, sqldefKnown)
	checkKnown(t, sqldefKnown, known, results)
}
