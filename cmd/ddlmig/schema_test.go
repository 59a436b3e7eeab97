package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// compileSchema compiles a JSON Schema file, asserting formats (uri,
// uri-reference) as well as structure.
func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(path, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, what, out string) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, out)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("%s does not match its schema: %v\n%s", what, err, out)
	}
}

// TestOutputMatchesSchemas validates what check, lint, diff and history
// write with --format json against docs/output.schema.json, and check and
// lint's --format sarif against the SARIF 2.1.0 subset in testdata; and
// that the schemas can fail (a document with a misspelt or missing field).
func TestOutputMatchesSchemas(t *testing.T) {
	own := compileSchema(t, "../../docs/output.schema.json")
	sarif := compileSchema(t, "testdata/sarif-2.1.0-subset.schema.json")
	dir := checkProject(t, "", "")
	for _, args := range [][]string{
		{"check", "--format", "json"}, {"lint", "--format", "json"}, {"diff", "--format", "json"}, {"history", "--format", "json"},
		{"check", "--format", "sarif"}, {"lint", "--format", "sarif"},
	} {
		_, out, errs := cli(t, dir, args...)
		schema := own
		if args[2] == "sarif" {
			schema = sarif
		}
		if out == "" {
			t.Fatalf("%v wrote nothing: %s", args, errs)
		}
		validate(t, schema, strings.Join(args, " "), out)
		if args[0] == "check" && args[2] == "sarif" {
			sarifRulesKnown(t, out)
		}
	}
	// The schemas reject what is wrong.
	for _, bad := range []struct {
		schema *jsonschema.Schema
		doc    string
	}{
		{own, `{"version": 1, "command": "check", "ok": true, "problems": [], "note": []}`},
		{own, `{"version": 1, "command": "lint", "ok": true, "problems": [{"file": "a", "kind": "lint", "message": "m"}], "notes": []}`},
		{sarif, `{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`},
		{sarif, `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleID": "a", "message": {"text": "m"}}]}]}`},
	} {
		doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad.doc))
		if bad.schema.Validate(doc) == nil {
			t.Errorf("schema accepts %s", bad.doc)
		}
	}
}

// sarifRulesKnown: every result names a rule the driver lists, as code
// scanning expects.
func sarifRulesKnown(t *testing.T, out string) {
	t.Helper()
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string }
				}
			}
			Results []struct{ RuleID string }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		ids[r.ID] = true
	}
	if len(doc.Runs[0].Results) == 0 {
		t.Fatalf("no results:\n%s", out)
	}
	for _, r := range doc.Runs[0].Results {
		if !ids[r.RuleID] {
			t.Errorf("result of rule %q, which the driver does not list", r.RuleID)
		}
	}
}
