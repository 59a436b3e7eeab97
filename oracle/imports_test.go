package oracle

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps the oracle independent of what it judges: it must not
// depend on any ddlmig package (a parser or planner bug would hide itself).
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/ddlmig/ddlmig/") && dep != "github.com/ddlmig/ddlmig/oracle" {
			t.Errorf("oracle depends on %s", dep)
		}
	}
}
