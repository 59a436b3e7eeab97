package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/corpus"
)

// realworldDir is the corpus folder holding schema files of open-source
// projects (pg_dump structure.sql files), one folder per project.
const realworldDir = "realworld"

// TestRealworld parses real projects' schema files. Views, functions,
// triggers and other statements outside the modelled world are expected to
// be reported as unsupported; every other error fails the test.
func TestRealworld(t *testing.T) {
	dir := corpus.Dir(t, realworldDir)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.sql"))
	if len(files) == 0 {
		t.Fatalf("no schema files in %s/*/", dir)
	}
	for _, file := range files {
		rel, _ := filepath.Rel(dir, file)
		t.Run(rel, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			cat, _, err := ParseFile(rel, src, Options{})
			unsupported := 0
			if err != nil {
				for _, line := range strings.Split(err.Error(), "\n") {
					if strings.Contains(line, ": unsupported statement ") {
						t.Log(line)
						unsupported++
						continue
					}
					t.Error(line)
				}
			}
			t.Logf("%d tables, %d indexes, %d sequences, %d enums; %d unsupported statements",
				len(cat.Tables), len(cat.Indexes), len(cat.Sequences), len(cat.Enums), unsupported)
		})
	}
}
