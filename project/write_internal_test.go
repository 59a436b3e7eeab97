package project

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestWriteBothOrNeither: when the down file cannot be put in place after
// the up file was, the up file is removed again, and no temporary file is
// left behind.
func TestWriteBothOrNeither(t *testing.T) {
	dir := t.TempDir()
	m := &Migration{UpFile: "000001_a.up.sql", DownFile: "000001_a.down.sql", Up: "CREATE TABLE a ();\n", Down: "DROP TABLE a;\n"}
	calls := 0
	link = func(tmp, path string) error {
		if calls++; calls == 2 {
			return errors.New("disk full")
		}
		return linkNew(tmp, path)
	}
	defer func() { link = linkNew }()
	if err := m.Write(dir); err == nil || calls != 2 {
		t.Fatalf("Write = %v after %d links, want the second one's failure", err, calls)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Errorf("left behind: %v", names)
	}
	link = linkNew
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 2 {
		t.Errorf("%d files, want the pair", len(es))
	}
	if err := m.Write(dir); err == nil {
		t.Error("Write overwrote the pair")
	}
}

// TestRulesCached: check remembers a large file that keeps the rules, by
// its contents; a file that breaks one is reported every time.
func TestRulesCached(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv(CacheEnv, "")
	clean := []byte(strings.Repeat("CREATE TABLE a (id int);\n", rulesCacheMin/20) + "-- ddlmig:batch\nCREATE TABLE b (id int);\n")
	if ps := rulesCached("x.sql", clean); ps != nil {
		t.Fatalf("clean file: %v", ps)
	}
	path := rulesCachePath(clean)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("clean file not remembered: %v", err)
	}
	bad := append(append([]byte{}, clean...), "COMMIT;\n"...)
	for i := 0; i < 2; i++ {
		if ps := rulesCached("x.sql", bad); len(ps) != 1 || !strings.Contains(ps[0].Msg, "COMMIT would end") {
			t.Fatalf("run %d: file with COMMIT: %v", i, ps)
		}
	}
	if p := rulesCachePath(bad); p == path {
		t.Fatal("two contents share a cache entry")
	} else if _, err := os.Stat(p); err == nil {
		t.Error("a file that breaks a rule was remembered")
	}
	t.Setenv(CacheEnv, "off")
	if rulesCachePath(clean) != "" {
		t.Error("DDLMIG_CACHE=off still caches")
	}
}
