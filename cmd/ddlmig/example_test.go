package main

import (
	"bytes"
	"strings"
	"testing"
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
}
