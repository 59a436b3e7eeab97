package inspect

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the package to its job: pgx and the standard library. It
// prints text; ddlmig's model, parser and planner are the caller's.
func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch {
		case !strings.Contains(strings.Split(pkg, "/")[0], "."): // standard library
		case pkg == "github.com/ddlmig/ddlmig/inspect":
		case strings.HasPrefix(pkg, "github.com/jackc/"), strings.HasPrefix(pkg, "golang.org/x/text/"):
		default:
			t.Errorf("inspect depends on %s", pkg)
		}
	}
}
