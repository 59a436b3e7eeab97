package runner

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the runner a file applier: it reads migration
// files and talks to PostgreSQL, and must not grow a dependency on the
// schema model, the parser, the planner or the renderer.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/ddlmig/ddlmig/") && p != "github.com/ddlmig/ddlmig/runner" && p != "github.com/ddlmig/ddlmig/migfile" {
			t.Errorf("runner depends on %s", p)
		}
	}
}
