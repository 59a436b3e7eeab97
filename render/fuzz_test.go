package render_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// FuzzRoundTrip checks, for any schema the parser accepts, that planning it
// from an empty database and folding the rendered SQL back gives the same
// model, that the schema planned against itself is empty, and that the
// inverse plan folds back to the empty database. Seeds are the golden
// inputs.
func FuzzRoundTrip(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		a := txtar.Parse(data)
		for _, s := range []string{"old.sql", "new.sql"} {
			if src, ok := section(a, s); ok {
				f.Add(src)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		cat, _, err := parser.ParseFile("schema.sql", []byte(src), parser.Options{})
		if err != nil {
			return // not a schema; the parser's own tests cover errors
		}
		again, _, err := parser.ParseFile("schema.sql", []byte(src), parser.Options{})
		if err != nil {
			t.Fatalf("second parse failed: %v", err)
		}
		if p, err := planner.Diff(cat, again, planner.Options{}); err != nil || !p.Empty() {
			t.Fatalf("schema against itself: %v\n%s", err, renderOrEmpty(p))
		}
		up, err := planner.Diff(schema.New(), cat, planner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		upSQL := render.SQL(up)
		folded := schema.New()
		if _, err := parser.Parse(folded, "up.sql", []byte(upSQL), parser.Options{Migration: true}); err != nil {
			t.Fatalf("rendered SQL does not parse: %v\n%s", err, upSQL)
		}
		if rest, err := planner.Diff(folded, cat, planner.Options{}); err != nil || !rest.Empty() {
			t.Fatalf("folded up misses the schema by: %v\n%s\nup:\n%s", err, renderOrEmpty(rest), upSQL)
		}
		down, err := planner.Diff(cat, schema.New(), planner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		downSQL := render.SQL(down)
		if _, err := parser.Parse(folded, "down.sql", []byte(downSQL), parser.Options{Migration: true}); err != nil {
			t.Fatalf("rendered down SQL does not parse: %v\n%s", err, downSQL)
		}
		if rest, err := planner.Diff(folded, schema.New(), planner.Options{}); err != nil || !rest.Empty() {
			t.Fatalf("folded down misses the empty schema by: %v\n%s\ndown:\n%s", err, renderOrEmpty(rest), downSQL)
		}
	})
}

func renderOrEmpty(p *planner.Plan) string {
	if p == nil {
		return ""
	}
	return render.SQL(p)
}
