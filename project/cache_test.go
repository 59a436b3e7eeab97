package project_test

import (
	"bytes"
	"encoding/gob"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/internal/synth/fixture"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/schema"
)

// cacheFiles lists the fold cache's entries under the cache root.
func cacheFiles(t *testing.T, root string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "ddlmig", "fold", "*.gob"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// generated is what generate would write, and the catalog it diffed
// against.
type generated struct {
	current  *schema.Catalog
	up, down string
}

func generate(t *testing.T, p project.Project) generated {
	t.Helper()
	st, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.Plan("change", planner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return generated{st.Current, m.Up, m.Down}
}

func (g generated) diff(t *testing.T, want generated) {
	t.Helper()
	if d := cmp.Diff(want.current, g.current); d != "" {
		t.Errorf("folded catalog (-no cache +cache):\n%s", d)
	}
	if d := cmp.Diff(want.up, g.up); d != "" {
		t.Errorf("up (-no cache +cache):\n%s", d)
	}
	if d := cmp.Diff(want.down, g.down); d != "" {
		t.Errorf("down (-no cache +cache):\n%s", d)
	}
}

// TestFoldCache runs generate on a synthetic project cold (cache off),
// then with the cache (a miss that writes the entry, then a warm hit), and
// checks every run gives the same catalog and migration; then that a
// planted entry is what a hit returns, that editing a migration misses,
// and that a corrupt entry falls back to folding.
func TestFoldCache(t *testing.T) {
	root := t.TempDir()
	p, err := fixture.Write(root, synth.Options{Tables: 60, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	cacheRoot := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cacheRoot)

	t.Setenv(project.CacheEnv, "off")
	cold := generate(t, p.Project)
	if files := cacheFiles(t, cacheRoot); len(files) != 0 {
		t.Fatalf("%s=off wrote %v", project.CacheEnv, files)
	}

	t.Setenv(project.CacheEnv, "")
	generate(t, p.Project).diff(t, cold) // miss: folds and writes
	files := cacheFiles(t, cacheRoot)
	if len(files) != 1 {
		t.Fatalf("cache entries after a miss: %v, want one", files)
	}
	entry := files[0]
	generate(t, p.Project).diff(t, cold) // hit

	t.Run("hit returns the entry", func(t *testing.T) {
		saved, err := os.ReadFile(entry)
		if err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(entry, saved, 0o644)
		planted := schema.New()
		planted.Schemas["planted"] = &schema.Namespace{Name: "planted"}
		var buf bytes.Buffer
		// The same shape as the cache's entry: a header (gob matches
		// fields by name) and one catalog shard.
		enc := gob.NewEncoder(&buf)
		if err := enc.Encode(struct{ Shards int }{1}); err != nil {
			t.Fatal(err)
		}
		if err := enc.Encode(planted); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(entry, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		st, err := p.Load()
		if err != nil {
			t.Fatal(err)
		}
		if st.Current.Schemas["planted"] == nil || len(st.Current.Tables) != 0 {
			t.Errorf("Load did not return the cached catalog: %d tables, schemas %v", len(st.Current.Tables), schema.SortedKeys(st.Current.Schemas))
		}
	})

	t.Run("corrupt entry", func(t *testing.T) {
		if err := os.WriteFile(entry, []byte("not a gob"), 0o644); err != nil {
			t.Fatal(err)
		}
		generate(t, p.Project).diff(t, cold)
		data, _ := os.ReadFile(entry)
		if string(data) == "not a gob" {
			t.Error("the corrupt entry was not replaced")
		}
	})

	t.Run("edited migration", func(t *testing.T) {
		ups, _ := filepath.Glob(filepath.Join(p.Dir, "*.up.sql"))
		if len(ups) != 1 {
			t.Fatalf("up files: %v", ups)
		}
		f, err := os.OpenFile(ups[0], os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.WriteString("\nCREATE TABLE cache_probe (id int);\n")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		st, err := p.Load()
		if err != nil {
			t.Fatal(err)
		}
		if st.Current.Tables[schema.QualifiedName{Schema: "public", Name: "cache_probe"}] == nil {
			t.Error("the edited migration's table is missing: a stale entry was used")
		}
		if got := len(cacheFiles(t, cacheRoot)); got != 2 {
			t.Errorf("cache entries: %d, want 2 (one per version of the folder)", got)
		}
	})
}
