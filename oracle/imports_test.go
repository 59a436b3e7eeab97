package oracle

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps the oracle independent of what it judges: it must not
// depend on any ddlmig package (a parser or planner bug would hide itself),
// except internal/scratch, which holds its scratch databases and depends on
// none either (go list -deps sees through it).
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/ddlmig/ddlmig/") && dep != "github.com/ddlmig/ddlmig/oracle" && dep != "github.com/ddlmig/ddlmig/internal/scratch" {
			t.Errorf("oracle depends on %s", dep)
		}
	}
}
