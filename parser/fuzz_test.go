package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// FuzzParse checks that no input makes the parser panic and that folding
// is deterministic: the same text gives the same catalog twice.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/fold/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if filepath.Ext(af.Name) == ".sql" {
				f.Add(string(af.Data), af.Name != "schema.sql")
			}
		}
	}
	if src, err := os.ReadFile("testdata/pgdump/schema.sql"); err == nil {
		f.Add(string(src), false)
	}
	f.Fuzz(func(t *testing.T, src string, migration bool) {
		// A hang is a failure too: crash with the input.
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("parse hangs on %q", src)) })
		defer watchdog.Stop()
		a, _, errA := ParseFile("f.sql", []byte(src), Options{Migration: migration})
		b, _, errB := ParseFile("f.sql", []byte(src), Options{Migration: migration})
		if (errA == nil) != (errB == nil) || (errA != nil && errA.Error() != errB.Error()) {
			t.Fatalf("errors differ between runs:\n%v\n%v", errA, errB)
		}
		if dump(a) != dump(b) {
			t.Fatalf("catalogs differ between runs:\n%s\n%s", dump(a), dump(b))
		}
	})
}
