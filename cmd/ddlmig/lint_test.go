package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func lintProject(t *testing.T, up string) string {
	t.Helper()
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	writeSchema(t, dir, "CREATE TABLE t (a int);\n")
	for name, text := range map[string]string{
		"000001_init.up.sql":   "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\n",
		"000001_init.down.sql": "DROP TABLE t;\n",
		"000002_hand.up.sql":   up,
		"000002_hand.down.sql": "SELECT 1;\n",
	} {
		if err := os.WriteFile(filepath.Join(mig, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLintCommand: a hand-written DROP COLUMN fails lint at file:line:col;
// the same statement marked reviewed passes; the first file's index on a
// table it creates is not flagged.
func TestLintCommand(t *testing.T) {
	dir := lintProject(t, "SELECT 1;\nALTER TABLE t DROP COLUMN a;\n")
	code, out, _ := cli(t, dir, "lint")
	if code != exitNo || !strings.Contains(out, "000002_hand.up.sql:2:1: drop-column:") || strings.Contains(out, "000001") {
		t.Fatalf("exit %d, out:\n%s", code, out)
	}
	dir = lintProject(t, "SELECT 1;\n-- ddlmig:reviewed drop-column: unused since v2\nALTER TABLE t DROP COLUMN a;\n")
	if code, out, errs := cli(t, dir, "lint"); code != exitOK || out != "" {
		t.Fatalf("reviewed: exit %d, out:\n%s%s", code, out, errs)
	}
}

// TestLintSARIF checks the structure SARIF 2.1.0 requires (the schema is
// not fetched: no network in CI), and what code scanning reads.
func TestLintSARIF(t *testing.T) {
	dir := lintProject(t, "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n")
	code, out, _ := cli(t, dir, "lint", "--format", "sarif")
	if code != exitNo {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						Help             struct{ Text string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err, out)
	}
	if doc.Version != "2.1.0" || doc.Schema == "" || len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "ddlmig" {
		t.Fatalf("bad header:\n%s", out)
	}
	ids := map[string]bool{}
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		if r.ID == "" || r.ShortDescription.Text == "" || r.Help.Text == "" || ids[r.ID] {
			t.Errorf("bad rule %+v", r)
		}
		ids[r.ID] = true
	}
	rs := doc.Runs[0].Results
	if len(rs) != 1 || rs[0].RuleID != "set-not-null" || !ids[rs[0].RuleID] || rs[0].Level != "error" || rs[0].Message.Text == "" {
		t.Fatalf("results:\n%s", out)
	}
	loc := rs[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "migrations/000002_hand.up.sql" || loc.Region.StartLine != 1 || loc.Region.StartColumn != 1 {
		t.Fatalf("location %+v", loc)
	}
}

// TestLintChangedSince: only the migration changed since the commit is
// linted; the committed one with the same hazard is not.
func TestLintChangedSince(t *testing.T) {
	dir := lintProject(t, "ALTER TABLE t DROP COLUMN a;\n")
	t.Chdir(dir)
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"}} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Skip("git:", err, string(out))
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "migrations", "000003_more.up.sql"), []byte("ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "migrations", "000003_more.down.sql"), []byte("SELECT 1;\n"), 0o644)
	code, out, errs := cli(t, dir, "lint", "--changed-since", "HEAD")
	if code != exitNo || !strings.Contains(out, "000003_more.up.sql:1:1: set-not-null") || strings.Contains(out, "000002") {
		t.Fatalf("exit %d, out:\n%s%s", code, out, errs)
	}
}
