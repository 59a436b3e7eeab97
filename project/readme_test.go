package project_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/lint"
	"github.com/ddlmig/ddlmig/planner"
)

// TestReadmeListsEveryHazardCode keeps README.md in step with the
// codes the planner produces.
func TestReadmeListsEveryHazardCode(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range planner.Codes {
		if !strings.Contains(string(b), "| `"+c.Code+"` |") {
			t.Errorf("README.md does not list hazard code %s", c.Code)
		}
	}
}

// TestReadmeListsEveryLintCode keeps the README's lint table in step.
func TestReadmeListsEveryLintCode(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lint.Rules {
		if !strings.Contains(string(b), "`"+r.Code+"`") {
			t.Errorf("README.md does not list lint code %s", r.Code)
		}
	}
}
