package project_test

import (
	"os"
	"strings"
	"testing"

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
