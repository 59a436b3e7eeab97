package render_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// definitionDiff matches a catalog difference in a server-printed
// definition: pg_get_indexdef, pg_get_constraintdef, pg_get_viewdef,
// pg_get_functiondef (each a "definition"), and pg_get_expr of a default
// or a generated column.
var definitionDiff = regexp.MustCompile(`^[a-z ]+ [^:]+: (definition|default|generated) `)

// realworldFiles are the real projects' schema files next to the
// repository (../shared/realworld), or none.
func realworldFiles(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "realworld", "*", "*.sql"))
	return files
}

// TestRenderedDefinitionsPostgres renders each schema of the golden cases
// (and of the real projects, when ../shared is there) as a migration from
// an empty database, applies it, and checks that every definition the
// server prints back is the one it prints for the schema loaded directly:
// the SQL written means the SQL read, whatever ddlmig normalizes to
// compare.
func TestRenderedDefinitionsPostgres(t *testing.T) {
	testdb.Require(t)
	testdb.CreateRoles(t, "app_user", "readonly_user", "user-with-dash", "user.with.dot")
	type source struct{ name, sql string }
	var sources []source
	seen := map[string]bool{}
	for _, c := range loadCases(t) {
		for _, s := range []source{{c.name + "/old.sql", c.old}, {c.name + "/new.sql", c.new}} {
			if !seen[s.sql] {
				seen[s.sql] = true
				sources = append(sources, s)
			}
		}
	}
	for _, f := range realworldFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(filepath.Join("..", "..", "shared"), f)
		sources = append(sources, source{rel, sqltext.BlankMetaCommands(string(b))})
	}
	empty := schema.New()
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			cat, _, err := parser.ParseFile(s.name, []byte(s.sql), parser.Options{})
			if err != nil {
				t.Skipf("does not parse: %v", err) // the golden and conformance tests say why
			}
			up, err := planner.Diff(empty, cat, planner.Options{})
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			oc := oracle.Case{New: s.sql, Up: render.Body(up, 0), SkipDown: true, Rows: -1}
			rep, err := oracle.RoundTrip(context.Background(), testdb.ServerURL(), oc)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed != nil {
				t.Fatalf("the rendered migration does not apply: %v\n%s", rep.Failed, oc.Up)
			}
			for _, d := range rep.UpDiffs {
				if definitionDiff.MatchString(d) {
					t.Errorf("rendered definition differs from the schema's (A = rendered, B = schema.sql):\n\t%s", d)
				}
			}
		})
	}
}
