package parser

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/ddlmig/ddlmig/schema"
)

var update = flag.Bool("update", false, "rewrite the -- catalog -- sections of testdata/fold/*.txtar")

// TestFold folds the SQL files of each testdata/fold/*.txtar case into one
// catalog and compares the result with the case's "catalog" section. A file
// named schema.sql is folded as a declarative schema; any other .sql file as
// a migration, in archive order. With -update the section is rewritten
// (inputs are never touched).
func TestFold(t *testing.T) {
	files, err := filepath.Glob("testdata/fold/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := foldArchive(ar)
			idx := -1
			for i, f := range ar.Files {
				if f.Name == "catalog" {
					idx = i
				}
			}
			if *update {
				if idx < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: "catalog"})
					idx = len(ar.Files) - 1
				}
				ar.Files[idx].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if idx < 0 {
				t.Fatalf("no -- catalog -- section (run with -update)")
			}
			if diff := cmp.Diff(string(ar.Files[idx].Data), got); diff != "" {
				t.Errorf("catalog mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// foldArchive folds the archive's SQL files and renders the catalog,
// warnings and errors as text.
func foldArchive(ar *txtar.Archive) string {
	cat := schema.New()
	var b strings.Builder
	for _, f := range ar.Files {
		if !strings.HasSuffix(f.Name, ".sql") {
			continue
		}
		opts := Options{Migration: f.Name != "schema.sql"}
		warns, err := Parse(cat, f.Name, f.Data, opts)
		for _, w := range warns {
			fmt.Fprintf(&b, "warning: %s\n", w)
		}
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(&b, "error: %s\n", line)
			}
		}
	}
	b.WriteString(dump(cat))
	return b.String()
}
