package conformance

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/schema"
)

const lemmyKnown = "testdata/lemmy-known-failures.txt"

// Lemmy's history is checked at every lemmyConvergeStep-th migration (and
// the last): the fold of the migrations so far must plan no change against
// pg_dump of the database they made. Pairs are lemmyPairStep apart.
const (
	lemmyConvergeStep = 5
	lemmyPairStep     = 25
)

// TestLemmyHistory folds a real project's hand-written migration history
// (realworld/lemmy/migrations, 247 up files) as ddlmig folds a migrations
// folder, and applies it with psql -1 -f, file by file, to a scratch
// database. At each checkpoint the fold must equal the database: pg_dump
// --schema-only of it, used as schema.sql over the migrations so far, plans
// no change. The dumps after migration k and k+25 (k = 0, 25, ..., 225)
// must then round-trip as any pair of schemas does (check). Cases not
// listed in testdata/lemmy-known-failures.txt must pass.
func TestLemmyHistory(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t, "realworld/lemmy/migrations")
	ups, err := filepath.Glob(filepath.Join(dir, "*.up.sql"))
	if err != nil || len(ups) == 0 {
		t.Fatalf("no up migrations in %s: %v", dir, err)
	}
	for _, tool := range []string{"psql", "pg_dump"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to apply and dump the history: %v", tool, err)
		}
	}
	url := testdb.New(t)
	start := time.Now()
	h := &lemmyRun{url: url, cat: schema.New(), dumps: map[int]string{}}
	var results []Result
	for i, f := range ups {
		k := i + 1
		if err := h.apply(f); err != nil {
			t.Fatalf("psql -1 -f %s: %v", filepath.Base(f), err)
		}
		h.fold(f)
		if k%lemmyConvergeStep != 0 && k%lemmyPairStep != 0 && k != len(ups) {
			continue
		}
		dump, err := h.dump()
		if err != nil {
			t.Fatalf("pg_dump after %s: %v", filepath.Base(f), err)
		}
		h.dumps[k] = dump
		results = append(results, h.converge(k, dump))
	}
	applied := time.Since(start)
	results = append(results, h.pairs(len(ups))...)

	counts := map[string][2]int{}
	for _, r := range results {
		kind, _, _ := strings.Cut(r.Name, " ")
		c := counts[kind]
		c[1]++
		if r.Status == Pass {
			c[0]++
		}
		counts[kind] = c
	}
	folded := len(ups)
	if h.foldErr != "" {
		folded = h.folded
	}
	summarize("lemmy history: %d/%d migrations fold; fold equals pg_dump at %d/%d checkpoints; %d/%d pairs round-trip",
		folded, len(ups), counts["converge"][0], counts["converge"][1], counts["pair"][0], counts["pair"][1])
	t.Logf("applied and folded in %s, pairs in %s", applied.Round(time.Second), (time.Since(start) - applied).Round(time.Second))
	writeDetails(t, "lemmy", results)
	if serverErrors(t, results) && *update {
		t.Fatal("-update: not writing the list while the server failed some cases")
	}
	if *update {
		writeKnown(t, lemmyKnown, fmt.Sprintf(`Lemmy history checkpoints and pairs that fail yet: name, fail, reason.
Written by go test ./conformance -run TestLemmyHistory -update; the test fails when a case missing here fails.
%d/%d migrations fold; %d/%d checkpoints converge; %d/%d pairs pass.`, folded, len(ups),
			counts["converge"][0], counts["converge"][1], counts["pair"][0], counts["pair"][1]), results)
		return
	}
	checkKnown(t, lemmyKnown, readKnown(t, lemmyKnown), results)
}

// lemmyRun is the state of one run through the history: the scratch
// database, the fold so far and the dumps taken.
type lemmyRun struct {
	url     string
	cat     *schema.Catalog
	folded  int    // migrations folded without error
	foldErr string // the first fold error; the fold stops there
	dumps   map[int]string
}

// apply runs one up file as a user would: psql, in one transaction,
// stopping at the first error.
func (h *lemmyRun) apply(file string) error {
	cmd := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", file, "-d", h.url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

// fold folds one up file into the catalog, as ddlmig folds a migrations
// folder, until the first file it cannot fold.
func (h *lemmyRun) fold(file string) {
	if h.foldErr != "" {
		return
	}
	src, err := os.ReadFile(file)
	if err == nil {
		_, err = parser.Parse(h.cat, filepath.Base(file), src, parser.Options{Migration: true})
	}
	if err != nil {
		h.foldErr = strings.SplitN(err.Error(), "\n", 2)[0]
		return
	}
	h.folded++
}

func (h *lemmyRun) dump() (string, error) {
	out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "-d", h.url).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		return "", fmt.Errorf("%v: %s", err, stderr)
	}
	return blankMetaCommands(string(out)), nil
}

// converge checks that the fold of the first k migrations plans no change
// against the dump of the database they made.
func (h *lemmyRun) converge(k int, dump string) Result {
	r := Result{Name: fmt.Sprintf("converge %03d", k), Status: Pass}
	if h.foldErr != "" {
		r.Status, r.Reason = Fail, "fold error: "+h.foldErr
		return r
	}
	desired, res := parseSchema("dump.sql", dump)
	if res != nil {
		r.Status, r.Reason, r.Detail = Fail, "dump: "+res.Reason, res.Detail
		return r
	}
	mig, err := plan(h.cat, desired, dump)
	switch {
	case err != nil:
		r.Status, r.Reason, r.Detail = Fail, "plan error", err.Error()
	case !mig.Empty():
		r.Status, r.Reason, r.Detail = Fail, fmt.Sprintf("%d change(s)", len(mig.UpPlan.Changes)), mig.Up
	}
	return r
}

// pairs round-trips the dumps lemmyPairStep migrations apart.
func (h *lemmyRun) pairs(n int) []Result {
	var ks []int
	for k := 0; k < n; k += lemmyPairStep {
		ks = append(ks, k)
	}
	results := make([]Result, len(ks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2) // each loads a few hundred objects twice
	for i, k := range ks {
		to := min(k+lemmyPairStep, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			from := h.dumps[k] // "" for k = 0: the empty schema
			results[i] = retry(func() Result { return check(ctx, migCase{OldSQL: from, NewSQL: h.dumps[to]}) })
			results[i].Name = fmt.Sprintf("pair %03d-%03d", k, to)
		}()
	}
	wg.Wait()
	return results
}
