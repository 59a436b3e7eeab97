package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestExampleInSync runs `ddlmig check` on the worked example at the
// repository root, as CI and a pre-commit hook would: schema.sql and
// migrations/ must agree and every hazard must be reviewed.
func TestExampleInSync(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"--schema", "../../schema.sql", "--dir", "../../migrations", "check"}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("ddlmig check on the example: exit %d\n%s%s\nregenerate the example's migration with ddlmig generate", code, out.String(), errb.String())
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
