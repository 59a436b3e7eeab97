package parser

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/schema"
)

// knownDifferences blanks, on both sides of a comparison, owners, which
// the dump leaves out by request (--no-owner), and the texts of defaults
// and partition bounds as written, which are not compared.
func knownDifferences(cat *schema.Catalog) {
	clear(cat.Owners)
	for _, t := range cat.Tables {
		t.Options.PartitionBoundSrc = "" // the bound as written: not compared
		for _, c := range t.Columns {
			c.DefaultSrc, c.GeneratedSrc = "", "" // the expressions as written: not compared
		}
		for _, c := range t.Constraints {
			c.Src = ""
		}
	}
}

// TestRealworldPgDump applies each real project's schema to the server,
// dumps it again and checks that the file and the dump parse to the same
// catalog: the projects' own spelling against PostgreSQL's.
func TestRealworldPgDump(t *testing.T) {
	dir := corpus.Dir(t, realworldDir)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.sql"))
	if len(files) == 0 {
		t.Fatalf("no schema files in %s/*/", dir)
	}
	for _, file := range files {
		rel, _ := filepath.Rel(dir, file)
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, _, _ := ParseFile(rel, src, Options{})
			url := testdb.New(t)
			if err := testdb.Exec(context.Background(), url, sqltext.BlankMetaCommands(string(src))); err != nil {
				t.Fatalf("apply: %v", err)
			}
			out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "-d", url).Output()
			if err != nil {
				t.Fatalf("pg_dump: %v", err)
			}
			got, _, err := ParseFile("dump.sql", out, Options{})
			if err != nil {
				for _, line := range strings.Split(err.Error(), "\n") {
					if !strings.Contains(line, ": unsupported statement ") {
						t.Error(line)
					}
				}
			}
			knownDifferences(want)
			knownDifferences(got)
			if diff := cmp.Diff(want, got, ignorePos, ignoreStmts); diff != "" {
				t.Errorf("(-file +pg_dump):\n%s", diff)
			}
		})
	}
}
