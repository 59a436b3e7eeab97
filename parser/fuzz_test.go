package parser

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// FuzzParse checks that no input makes the parser panic and that folding
// is deterministic: the same text gives the same catalog twice.
func FuzzParse(f *testing.F) {
	for name, src := range foldSQLFiles(f) {
		f.Add(src, !strings.HasSuffix(name, "/schema.sql"))
	}
	if src, err := os.ReadFile("testdata/pgdump/schema.sql"); err == nil {
		f.Add(string(src), false)
	}
	// Deep nesting, which libpg_query's C code recurses on (pgdecode).
	f.Add("CREATE TABLE t (a int DEFAULT "+strings.Repeat("1 + (", 40)+"1"+strings.Repeat(")", 40)+
		", b text CHECK (b <> "+strings.Repeat("'x' || ", 40)+"'x'));\nCREATE VIEW v AS SELECT "+
		strings.Repeat("CASE WHEN a > 0 THEN ", 20)+"b"+strings.Repeat(" END", 20)+" FROM t;", false)
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
