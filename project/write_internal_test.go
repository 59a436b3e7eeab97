package project

import (
	"errors"
	"os"
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
