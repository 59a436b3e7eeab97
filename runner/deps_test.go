package runner

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the runner a file applier: it reads migration
// files and talks to PostgreSQL, and must not grow a dependency on the
// schema model, the parser, the planner or the renderer. It may use the
// migrations folder's rules (migfile) and the standard-library leaf for
// SQL-text positions (internal/sqltext).
func TestDependencies(t *testing.T) {
	allowed := map[string]bool{
		"github.com/ddlmig/ddlmig/runner":           true,
		"github.com/ddlmig/ddlmig/migfile":          true,
		"github.com/ddlmig/ddlmig/internal/sqltext": true,
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/ddlmig/ddlmig/") && !allowed[p] {
			t.Errorf("runner depends on %s", p)
		}
	}
}
