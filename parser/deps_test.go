package parser

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the package's imports to its job: the model, pg_query_go
// (and the protobuf runtime its nodes are made of) and the standard
// library. The planner, render and runner must never be reachable from
// here.
func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch {
		case !strings.Contains(strings.Split(pkg, "/")[0], "."): // standard library
		case pkg == "github.com/ddlmig/ddlmig/parser", pkg == "github.com/ddlmig/ddlmig/schema":
		case pkg == "github.com/ddlmig/ddlmig/internal/pgdecode": // libpg_query with a generated decoder
		case pkg == "github.com/ddlmig/ddlmig/internal/sqltext": // a standard-library leaf
		case strings.HasPrefix(pkg, "github.com/pganalyze/pg_query_go/"):
		case strings.HasPrefix(pkg, "google.golang.org/protobuf/"):
		default:
			t.Errorf("parser depends on %s", pkg)
		}
	}
}
