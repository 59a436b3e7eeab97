package render_test

import (
	"bufio"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

var update = flag.Bool("update", false, "rewrite the expected sections (up.sql, down.sql, hazards) of testdata/*.txtar")

// A golden case is one txtar file under testdata: the inputs old.sql,
// new.sql and optionally options (one "rename ..." per line), and the
// expected up.sql, down.sql and hazards.
type goldenCase struct {
	name    string
	file    string
	archive *txtar.Archive
	old     string
	new     string
	opts    planner.Options
}

// Inputs, in the order they are written back by -update; the expected
// sections follow.
var (
	inputSections    = []string{"old.sql", "new.sql", "options"}
	expectedSections = []string{"up.sql", "down.sql", "hazards"}
)

func section(a *txtar.Archive, name string) (string, bool) {
	for _, f := range a.Files {
		if f.Name == name {
			return string(f.Data), true
		}
	}
	return "", false
}

func loadCases(t *testing.T) []*goldenCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden cases in testdata")
	}
	var cases []*goldenCase
	for _, f := range files {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := &goldenCase{name: strings.TrimSuffix(filepath.Base(f), ".txtar"), file: f, archive: a}
		var ok bool
		if c.old, ok = section(a, "old.sql"); !ok {
			t.Fatalf("%s: no old.sql section", f)
		}
		if c.new, ok = section(a, "new.sql"); !ok {
			t.Fatalf("%s: no new.sql section", f)
		}
		opts, _ := section(a, "options")
		sc := bufio.NewScanner(strings.NewReader(opts))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			rest, ok := strings.CutPrefix(line, "rename ")
			if !ok {
				t.Fatalf("%s: unknown option %q", f, line)
			}
			r, err := planner.ParseRename(rest)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			c.opts.Renames = append(c.opts.Renames, r)
		}
		cases = append(cases, c)
	}
	return cases
}

func parse(t *testing.T, name, src string) *schema.Catalog {
	t.Helper()
	cat, _, err := parser.ParseFile(name, []byte(src), parser.Options{})
	if err != nil {
		t.Fatalf("parse %s:\n%v", name, err)
	}
	return cat
}

// plans parses a case and plans both directions.
func (c *goldenCase) plans(t *testing.T) (oldCat, newCat *schema.Catalog, up, down *planner.Plan) {
	t.Helper()
	oldCat = parse(t, "old.sql", c.old)
	newCat = parse(t, "new.sql", c.new)
	var err error
	if up, err = planner.Diff(oldCat, newCat, c.opts); err != nil {
		t.Fatalf("up: %v", err)
	}
	if down, err = planner.Diff(newCat, oldCat, c.opts.Invert()); err != nil {
		t.Fatalf("down: %v", err)
	}
	return oldCat, newCat, up, down
}

func hazardsText(up, down *planner.Plan) string {
	var b strings.Builder
	for _, h := range up.Hazards() {
		b.WriteString("up " + h.Code + ": " + h.Message + "\n")
	}
	for _, h := range down.Hazards() {
		b.WriteString("down " + h.Code + ": " + h.Message + "\n")
	}
	for _, r := range up.PossibleRenames {
		b.WriteString("possible rename: " + r.Suggestion() + "\n")
	}
	return b.String()
}

func irreversible(p *planner.Plan) bool {
	for _, c := range p.Changes {
		if _, ok := c.(*planner.Irreversible); ok {
			return true
		}
	}
	return false
}

// TestGolden plans every case both ways, renders it and compares with the
// expected sections; -update rewrites them.
func TestGolden(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			_, _, up, down := c.plans(t)
			got := map[string]string{
				"up.sql":   render.Body(up, 0),
				"down.sql": render.Body(down, 0),
				"hazards":  hazardsText(up, down),
			}
			if *update {
				a := &txtar.Archive{Comment: c.archive.Comment}
				for _, n := range inputSections {
					if s, ok := section(c.archive, n); ok {
						a.Files = append(a.Files, txtar.File{Name: n, Data: []byte(s)})
					}
				}
				for _, n := range expectedSections {
					a.Files = append(a.Files, txtar.File{Name: n, Data: []byte(got[n])})
				}
				if err := os.WriteFile(c.file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, n := range expectedSections {
				want, ok := section(c.archive, n)
				if !ok {
					t.Errorf("no %s section (run with -update)", n)
					continue
				}
				if d := cmp.Diff(want, got[n]); d != "" {
					t.Errorf("%s (-want +got):\n%s", n, d)
				}
			}
		})
	}
}

// TestGoldenSameIsEmpty checks that a schema planned against itself needs
// no change, for every golden input.
func TestGoldenSameIsEmpty(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			for _, in := range []struct{ name, src string }{{"old.sql", c.old}, {"new.sql", c.new}} {
				a, b := parse(t, in.name, in.src), parse(t, in.name, in.src)
				p, err := planner.Diff(a, b, planner.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if !p.Empty() {
					t.Errorf("%s against itself:\n%s", in.name, render.SQL(p))
				}
			}
		})
	}
}

// TestGoldenFold is the offline proof of every case: folding the rendered
// up migration into the old schema gives the new one, and folding the down
// migration into the new schema gives the old one. "Gives" means that
// planning from the folded catalog to the target finds nothing to do.
func TestGoldenFold(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			_, _, up, down := c.plans(t)
			for _, dir := range []struct {
				name       string
				start, end string
				plan       *planner.Plan
			}{
				{"up", c.old, c.new, up},
				{"down", c.new, c.old, down},
			} {
				if irreversible(dir.plan) {
					continue // it stops on purpose
				}
				cat := parse(t, "start.sql", dir.start)
				sql := render.Body(dir.plan, 0)
				if _, err := parser.Parse(cat, dir.name+".sql", []byte(sql), parser.Options{Migration: true}); err != nil {
					t.Errorf("%s does not parse back: %v\n%s", dir.name, err, sql)
					continue
				}
				rest, err := planner.Diff(cat, parse(t, "end.sql", dir.end), planner.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if !rest.Empty() {
					t.Errorf("%s folded into its start misses its target by:\n%s\nmigration:\n%s", dir.name, render.SQL(rest), sql)
				}
			}
		})
	}
}

// TestGoldenPostgres runs every case on a real PostgreSQL: old plus up must
// match new loaded directly, then down must give back old, and no value of
// a kept column may be lost on the way.
func TestGoldenPostgres(t *testing.T) {
	testdb.Require(t)
	testdb.CreateRoles(t, "app_user", "readonly_user", "user-with-dash", "user.with.dot") // the cases' grantees
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, _, up, down := c.plans(t)
			oc := oracle.Case{
				Old:      c.old,
				New:      c.new,
				Up:       render.Body(up, 0),
				Down:     render.Body(down, 0),
				SkipDown: irreversible(down),
				Renames:  oracleRenames(c.opts),
			}
			if up.MayFailOnRows() || down.MayFailOnRows() || recreatesTable(up) || recreatesTable(down) {
				// The migration may fail on existing rows, or a re-created
				// table lose them, by nature (its hazards say so); run it
				// on empty tables.
				oc.Rows = -1
			}
			rep, err := oracle.RoundTripIn(context.Background(), testdb.Databases(), oc)
			if err != nil {
				t.Fatal(err)
			}
			if irreversible(up) {
				// The migration must stop, loudly, at its DO block.
				if rep.Failed == nil || !strings.Contains(rep.Failed.Error(), "ddlmig: cannot migrate") {
					t.Errorf("irreversible up did not fail with its reason: %v", rep.Failed)
				}
				return
			}
			if !rep.OK() {
				t.Errorf("round trip:\n%s\nup:\n%s\ndown:\n%s", rep, oc.Up, oc.Down)
			}
		})
	}
}

// recreatesTable reports whether p drops a table to create it again,
// which loses its rows (HazardRecreateTable).
func recreatesTable(p *planner.Plan) bool {
	for _, h := range p.Hazards() {
		if h.Code == planner.HazardRecreateTable {
			return true
		}
	}
	return false
}

func oracleRenames(o planner.Options) map[string]string {
	if len(o.Renames) == 0 {
		return nil
	}
	m := map[string]string{}
	tables := map[schema.QualifiedName]schema.QualifiedName{}
	for _, r := range o.Renames {
		if r.Kind == planner.TableRename {
			nn := schema.QualifiedName{Schema: r.Table.Schema, Name: r.To}
			tables[r.Table] = nn
			m[r.Table.Schema+"."+r.Table.Name] = nn.Schema + "." + nn.Name
		}
	}
	for _, r := range o.Renames {
		if r.Kind == planner.ColumnRename {
			nt := r.Table
			if nn, ok := tables[r.Table]; ok {
				nt = nn
			}
			m[r.Table.Schema+"."+r.Table.Name+"."+r.From] = nt.Schema + "." + nt.Name + "." + r.To
		}
	}
	return m
}
