package project

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// TestScopedStepDowns holds the down stepDown plans on a step's scope to
// the down planned on the whole schema (wholeStepDown), step for step,
// for every golden case of package render and for synthetic schemas, each
// cut into steps of a few relations so that nearly every change is a step
// of its own, offline and in its online forms.
func TestScopedStepDowns(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "render", "testdata", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no render golden cases: %v", err)
	}
	steps, scoped := 0, 0
	count := func(n, sc int) { steps, scoped = steps+n, scoped+sc }
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) {
			old, nu, opts := goldenCase(t, f)
			count(compareStepDowns(t, old, nu, opts))
		})
	}
	for _, n := range []int{30, 80} {
		r := synth.Generate(synth.Options{Tables: n, Seed: 7, Changed: 0.5})
		base, mutated := parseCase(t, "base.sql", string(r.Base)), parseCase(t, "mutated.sql", string(r.Mutated))
		count(compareStepDowns(t, schema.New(), base, planner.Options{}))
		count(compareStepDowns(t, base, mutated, planner.Options{}))
		count(compareStepDowns(t, mutated, base, planner.Options{}))
	}
	// The corpus must exercise the scoped way, not only its fallback.
	if steps < 1000 || scoped*10 < steps*8 {
		t.Errorf("compared %d steps, %d of them planned on their scope; want over 1,000, 80%% on their scope", steps, scoped)
	}
	t.Logf("compared the downs of %d steps, %d of them planned on their scope", steps, scoped)
}

// compareStepDowns cuts the plan from old to nu into steps of at most 3
// relations (and, online, into its online forms first) and compares both
// ways of planning each step's down; it returns how many steps it
// compared and how many of them stepDown planned on their scope.
func compareStepDowns(t *testing.T, old, nu *schema.Catalog, opts planner.Options) (n, scoped int) {
	t.Helper()
	up, err := planner.Diff(old, nu, opts)
	if err != nil || up.Irreversible() {
		return 0, 0
	}
	s := &State{Current: old, Desired: nu}
	for _, online := range []bool{false, true} {
		steps := []planner.Step{{Plan: up}}
		if online {
			steps = planner.Online(up, old, nu, planner.OnlineOptions{})
		}
		steps = render.CutLocks(render.CutEnumValues(steps), 3)
		// onScope is folded by one Session, as stepDowns folds; whole by a
		// Session per step, which is Parse: both must give the same downs.
		onScope, whole := parser.NewSession(mustClone(t, old)), mustClone(t, old)
		for i, st := range steps {
			name := "step " + string(rune('1'+i%9))
			if sc, keys := scopeOf(st.Plan); !st.NoTransaction && !renamesAny(st.Plan) && sc.widen(onScope.Catalog(), nu, keys) {
				scoped++
			}
			got, err := s.stepDown(onScope, st, name, opts)
			if err != nil {
				t.Fatalf("stepDown: %v", err)
			}
			want := st.Inverse
			if !st.NoTransaction {
				want, err = s.wholeStepDown(parser.NewSession(whole), st, name, downOptions(st, opts))
			} else {
				err = foldStep(parser.NewSession(whole), st, name)
			}
			if err != nil {
				t.Fatalf("wholeStepDown: %v", err)
			}
			if g, w := render.SQL(got), render.SQL(want); g != w {
				t.Errorf("online %v, step %d of %d:\n%s\ndown on its scope:\n%s\ndown on the whole schema:\n%s", online, i+1, len(steps), render.SQL(st.Plan), g, w)
			}
			n++
		}
	}
	return n, scoped
}

func goldenCase(t *testing.T, file string) (old, nu *schema.Catalog, opts planner.Options) {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sec := map[string]string{}
	for _, s := range a.Files {
		sec[s.Name] = string(s.Data)
	}
	for _, line := range strings.Split(sec["options"], "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "rename "); ok {
			r, err := planner.ParseRename(rest)
			if err != nil {
				t.Fatal(err)
			}
			opts.Renames = append(opts.Renames, r)
		}
	}
	return parseCase(t, "old.sql", sec["old.sql"]), parseCase(t, "new.sql", sec["new.sql"]), opts
}

func parseCase(t *testing.T, name, src string) *schema.Catalog {
	t.Helper()
	cat, _, err := parser.ParseFile(name, []byte(src), parser.Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cat
}

func mustClone(t *testing.T, c *schema.Catalog) *schema.Catalog {
	t.Helper()
	out, err := cloneCatalog(c)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
