package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestExampleInSync runs `ddlmig check` on the worked example at the
// repository root, as CI and a pre-commit hook would: schema.sql and
// migrations/ must agree and every hazard must be reviewed. It runs here,
// two folders down, with no flags: the example's ddlmig.json is found.
func TestExampleInSync(t *testing.T) {
	t.Setenv("DDLMIG_SCHEMA", "")
	t.Setenv("DDLMIG_DIR", "")
	os.Unsetenv("DDLMIG_SCHEMA")
	os.Unsetenv("DDLMIG_DIR")
	var out, errb bytes.Buffer
	code := run([]string{"check"}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("ddlmig check on the example: exit %d\n%s%s\nregenerate the example's migration with ddlmig generate", code, out.String(), errb.String())
	}
	if want := "ok: ../../migrations matches ../../schema.sql"; !strings.Contains(out.String(), want) {
		t.Errorf("check did not find the example from cmd/ddlmig: %q, want %q", out.String(), want)
	}
	if strings.Contains(out.String(), "note:") {
		t.Errorf("ddlmig check on the example notes (a missing ddlmig.sum: run ddlmig sum):\n%s", out.String())
	}
}

// TestExampleVerifies replays the example's migrations on the test server,
// up, down to empty and up again, and compares each result with schema.sql
// loaded directly: the worked example is correct on a real database, not
// just in ddlmig's own model.
func TestExampleVerifies(t *testing.T) {
	t.Parallel()
	testdb.Require(t)
	var out, errb bytes.Buffer
	code := run([]string{"--schema", "../../schema.sql", "--dir", "../../migrations", "verify", "--dev-url", testdb.ServerURL()},
		strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("ddlmig verify on the example: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "verified:") {
		t.Errorf("verify output lacks its verdict:\n%s", out.String())
	}
}
