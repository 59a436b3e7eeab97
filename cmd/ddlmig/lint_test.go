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

// checkProject is a project whose schema file matches its migrations: a
// table created by a first migration, and a hand-written second one that
// adds a column and indexes it, with marker above the index.
func checkProject(t *testing.T, marker, config string) string {
	t.Helper()
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	writeSchema(t, dir, "CREATE TABLE t (id bigint PRIMARY KEY, b bigint);\nCREATE INDEX t_b ON t (b);\n")
	files := map[string]string{
		"000001_init.up.sql":   "CREATE TABLE t (id bigint PRIMARY KEY);\n",
		"000001_init.down.sql": "DROP TABLE t;\n",
		"000002_hand.up.sql":   "ALTER TABLE t ADD COLUMN b bigint;\n" + marker + "CREATE INDEX t_b ON t (b);\n",
		"000002_hand.down.sql": "DROP INDEX t_b;\nALTER TABLE t DROP COLUMN b;\n",
	}
	if config != "" {
		files["../ddlmig.json"] = config
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(mig, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCheckLints: check gates a hand-written migration with the lint
// rules, at file:line:col; a reviewed marker, the project's baseline
// (lint_since) and --lint-disable let it pass; an unknown code is a usage
// error.
func TestCheckLints(t *testing.T) {
	for _, tc := range []struct {
		name, marker, config string
		args                 []string
		code                 int
	}{
		{"flagged", "", "", nil, exitNo},
		{"reviewed", "-- ddlmig:reviewed create-index: t holds ten rows\n", "", nil, exitOK},
		{"baseline after it", "", `{"lint_since": "000003"}`, nil, exitOK},
		{"baseline at it", "", `{"lint_since": "000002"}`, nil, exitNo},
		{"disabled", "", "", []string{"--lint-disable", "create-index"}, exitOK},
		{"unknown code", "", "", []string{"--lint-disable", "no-such-rule"}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := checkProject(t, tc.marker, tc.config)
			code, out, errs := cli(t, dir, append([]string{"check"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d:\n%s%s", code, tc.code, out, errs)
			}
			want := filepath.Join("migrations", "000002_hand.up.sql") + ":2:1: create-index: CREATE INDEX on t without CONCURRENTLY"
			if flagged := strings.Contains(out, want); flagged != (tc.code == exitNo) {
				t.Fatalf("flagged %v:\n%s%s", flagged, out, errs)
			}
		})
	}
}

// TestCheckLintsExampleWithStyle: the repository's own example migrations
// (generated, one of them edited) pass check with the style rules on too.
func TestCheckLintsExampleWithStyle(t *testing.T) {
	t.Chdir("../..")
	var out, errb strings.Builder
	if code := run([]string{"check", "--lint-style"}, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errb.String())
	}
}

// TestLintRules: --rules lists every rule with its safer form.
func TestLintRules(t *testing.T) {
	code, out, _ := cli(t, t.TempDir(), "lint", "--rules")
	if code != exitOK || strings.Count(out, "\n") < 35 || !strings.Contains(out, "type-change-rewrite") || !strings.Contains(out, "Safer: ") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
