package parser

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/testdb"
)

var sqldef = flag.Bool("sqldef", false, "run the sqldef corpus through the server (slow: one database per case)")

// sqldefDir is the corpus folder holding sqldef's cases.jsonl.
const sqldefDir = "conformance/sqldef"

type sqldefCase struct {
	Name      string
	Current   string
	Desired   string
	DesiredOK bool `json:"pg15_desired_ok"`
}

// readSqldef reads the corpus's cases from dir (see corpus.Dir).
func readSqldef(t *testing.T, dir string) []sqldefCase {
	t.Helper()
	fh, err := os.Open(filepath.Join(dir, "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var cases []sqldefCase
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c sqldefCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	return cases
}

// TestSqldefParse parses every desired schema of sqldef's corpus (schemas
// written by people who are not us) that PostgreSQL 15 accepts: the only
// errors allowed are statements outside the modelled world and objects
// that the corpus's harness creates outside the file.
func TestSqldefParse(t *testing.T) {
	allowed := []string{
		": unsupported ",
		"schema foo does not exist", // the harness's search_path schema
		"relation foo.",
		"type foo.",
		"type public.", // domains, unsupported for now
	}
	for _, c := range readSqldef(t, corpus.Dir(t, sqldefDir)) {
		if !c.DesiredOK {
			continue
		}
		_, _, err := ParseFile(c.Name+".sql", []byte(c.Desired), Options{})
		if err == nil {
			continue
		}
		// Objects that unsupported statements would have created (an
		// index on a materialized view) are missing too.
		unsupported := strings.Contains(err.Error(), ": unsupported ")
	lines:
		for _, line := range strings.Split(err.Error(), "\n") {
			if unsupported && strings.HasSuffix(line, " does not exist") {
				continue
			}
			for _, a := range allowed {
				if strings.Contains(line, a) {
					continue lines
				}
			}
			t.Errorf("%s: %s", c.Name, line)
		}
	}
}

// TestSqldefPgDump applies each desired schema of the corpus that parses
// cleanly, dumps it and compares both catalogs (run with -sqldef).
func TestSqldefPgDump(t *testing.T) {
	if !*sqldef {
		t.Skip("run with -sqldef")
	}
	for _, c := range readSqldef(t, corpus.Dir(t, sqldefDir)) {
		if !c.DesiredOK {
			continue
		}
		want, _, err := ParseFile("desired.sql", []byte(c.Desired), Options{})
		if err != nil {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			url := testdb.New(t)
			if err := testdb.Exec(context.Background(), url, c.Desired); err != nil {
				t.Skipf("apply: %v", err)
			}
			out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "-d", url).Output()
			if err != nil {
				t.Fatalf("pg_dump: %v", err)
			}
			got, _, err := ParseFile("dump.sql", out, Options{})
			if err != nil {
				t.Fatalf("parse dump: %v", err)
			}
			knownDifferences(want)
			knownDifferences(got)
			if diff := cmp.Diff(want, got, ignorePos, ignoreStmts); diff != "" {
				t.Errorf("(-desired +pg_dump):\n%s\n%s", diff, c.Desired)
			}
		})
	}
}
