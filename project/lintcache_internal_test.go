package project

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ddlmig/ddlmig/migfile"
)

// TestLintCached: check's lint of the folder is remembered by the folder's
// contents and settings; editing a migration or a setting lints again, and
// DDLMIG_CACHE=off never reads or writes the cache.
func TestLintCached(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv(CacheEnv, "")
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("000001_a.up.sql", "CREATE TABLE a (id int);\n")
	write("000001_a.down.sql", "DROP TABLE a;\n")
	write("000002_b.up.sql", "CREATE INDEX a_id ON a (id);\n")
	write("000002_b.down.sql", "DROP INDEX a_id;\n")
	p := Project{Dir: dir}
	migs := func() []migfile.Migration {
		f, err := migfile.Read(os.DirFS(dir))
		if err != nil {
			t.Fatal(err)
		}
		return f.Migrations
	}
	first, err := p.lintAll(migs())
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 {
		t.Fatal("no finding: the test needs a migration lint reports (CREATE INDEX without CONCURRENTLY)")
	}
	path := p.lintCachePath(migs())
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("findings not remembered: %v", err)
	}
	// A planted entry proves the second run reads the cache.
	planted := []Finding{{File: "planted", Msg: "from the cache"}}
	writeLintCache(path, planted)
	if got, _ := p.lintAll(migs()); !slices.Equal(got, planted) {
		t.Fatalf("second run = %v, want the cached findings", got)
	}
	p.Lint.Disable = []string{first[0].Msg}
	if p.lintCachePath(migs()) == path {
		t.Error("a lint setting does not change the key")
	}
	p.Lint.Disable = nil
	write("000002_b.up.sql", "CREATE INDEX CONCURRENTLY a_id ON a (id);\n")
	if p.lintCachePath(migs()) == path {
		t.Fatal("an edited migration does not change the key")
	}
	if got, _ := p.lintAll(migs()); slices.Equal(got, planted) {
		t.Fatal("an edited migration reads the old entry")
	}
	t.Setenv(CacheEnv, "off")
	if p.lintCachePath(migs()) != "" {
		t.Error("DDLMIG_CACHE=off still caches")
	}
}
