package render_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ddlmig/ddlmig/internal/corpus"
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

// realworldFiles are the real projects' schema files of the corpus
// (realworld/), with the folder they are in; none when the corpus is
// missing (a failure in CI).
func realworldFiles(t *testing.T) (dir string, files []string) {
	dir, ok := corpus.Optional(t, "realworld")
	if !ok {
		return dir, nil
	}
	files, _ = filepath.Glob(filepath.Join(dir, "*", "*.sql"))
	return dir, files
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
	dir, files := realworldFiles(t)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(filepath.Dir(dir), f)
		sources = append(sources, source{rel, sqltext.BlankMetaCommands(string(b))})
	}
	empty := schema.New()
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel() // each case has databases of its own
			cat, _, err := parser.ParseFile(s.name, []byte(s.sql), parser.Options{})
			if err != nil {
				t.Skipf("does not parse: %v", err) // the golden and conformance tests say why
			}
			up, err := planner.Diff(empty, cat, planner.Options{})
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			oc := oracle.Case{New: s.sql, Up: render.Body(up, 0), SkipDown: true, Rows: -1}
			rep, err := oracle.RoundTripIn(context.Background(), testdb.Databases(), oc)
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
