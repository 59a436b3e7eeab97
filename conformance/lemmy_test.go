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

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/pgdecode"
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
	h := &lemmyRun{dir: dir, url: url, cat: schema.New(), dumps: map[int]string{}}
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
%d/%d migrations fold; %d/%d checkpoints converge; %d/%d pairs pass.
Known cause: migrations 036-044 compare with 'now'::timestamp in post_aggregates_view, which the
server reads once, when it creates the view: the database holds the time the migration ran, which
no fold can know (converge 040, 045).`, folded, len(ups),
			counts["converge"][0], counts["converge"][1], counts["pair"][0], counts["pair"][1]), results)
		return
	}
	checkKnown(t, lemmyKnown, readKnown(t, lemmyKnown), results)
}

// lemmyRun is the state of one run through the history: the scratch
// database, the fold so far and the dumps taken.
type lemmyRun struct {
	dir     string // the migrations
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
			name := fmt.Sprintf("pair %03d-%03d", k, to)
			newSQL, err := h.withConversions(to, h.dumps[to])
			if err != nil {
				results[i] = Result{Name: name, Status: Fail, Reason: "conversions", Detail: err.Error()}
				return
			}
			results[i] = retry(func() Result { return check(ctx, migCase{OldSQL: from, NewSQL: newSQL}) })
			results[i].Name = name
		}()
	}
	wg.Wait()
	return results
}

// lemmyConversions are the column type changes of Lemmy's history that
// PostgreSQL has no cast for (type-change-no-cast: smallint to an enum).
// A user of ddlmig says how to convert on the column's line of schema.sql;
// Lemmy's migration says it in its USING clauses, up and down. The pair
// whose newer dump first holds the new type gets them there, as
// -- ddlmig:using and -- ddlmig:down-using comments, and the round trip
// proves them.
var lemmyConversions = []struct {
	to            int    // the pair's newer dump
	migration     string // the migration that converts, without .up.sql
	table, column string
}{
	{150, "000142_add_listingtype_sorttype_enums", "local_user", "default_sort_type"},
	{150, "000142_add_listingtype_sorttype_enums", "local_user", "default_listing_type"},
}

// withConversions writes into the dump after migration to the conversions
// lemmyConversions lists for it.
func (h *lemmyRun) withConversions(to int, dump string) (string, error) {
	for _, c := range lemmyConversions {
		if c.to != to {
			continue
		}
		up, err := alterTypeUsing(filepath.Join(h.dir, c.migration+".up.sql"), c.table, c.column)
		if err != nil {
			return "", err
		}
		down, err := alterTypeUsing(filepath.Join(h.dir, c.migration+".down.sql"), c.table, c.column)
		if err != nil {
			return "", err
		}
		if dump, err = commentColumn(dump, c.table, c.column, fmt.Sprintf(" /* ddlmig:using %s */ -- ddlmig:down-using %s", up, down)); err != nil {
			return "", err
		}
	}
	return dump, nil
}

// alterTypeUsing returns the USING expression of the ALTER COLUMN ... TYPE
// of table.column in a migration file, deparsed on one line.
func alterTypeUsing(file, table, column string) (string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	tree, err := pgdecode.Parse(string(src))
	if err != nil {
		return "", fmt.Errorf("%s: %v", file, err)
	}
	for _, raw := range tree.Stmts {
		at := raw.Stmt.GetAlterTableStmt()
		if at == nil || at.Relation.GetRelname() != table {
			continue
		}
		for _, c := range at.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd.GetSubtype() != pg_query.AlterTableType_AT_AlterColumnType || cmd.Name != column || cmd.GetDef().GetColumnDef().GetRawDefault() == nil {
				continue
			}
			sel := &pg_query.SelectStmt{TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: cmd.GetDef().GetColumnDef().GetRawDefault()}}}}}
			out, err := pgdecode.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}}}}})
			if err != nil {
				return "", fmt.Errorf("%s: %v", file, err)
			}
			return strings.TrimPrefix(out, "SELECT "), nil
		}
	}
	return "", fmt.Errorf("%s: no ALTER COLUMN %s TYPE ... USING on table %s", file, column, table)
}

// commentColumn appends comment to the line of column in pg_dump's CREATE
// TABLE of public.table.
func commentColumn(dump, table, column, comment string) (string, error) {
	lines := strings.Split(dump, "\n")
	in := false
	for i, l := range lines {
		switch {
		case l == "CREATE TABLE public."+table+" (":
			in = true
		case in && strings.HasPrefix(l, ")"):
			in = false
		case in && strings.HasPrefix(strings.TrimSpace(l), column+" "):
			lines[i] = l + comment
			return strings.Join(lines, "\n"), nil
		}
	}
	return "", fmt.Errorf("pg_dump has no column %s in CREATE TABLE public.%s", column, table)
}
