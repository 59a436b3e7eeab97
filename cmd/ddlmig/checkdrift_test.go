package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestApplyCheckDrift applies one migration, changes the database behind
// ddlmig's back, and checks apply --check-drift then refuses (exit 1,
// the drift listed, the pending migration not applied), while without
// drift it applies.
func TestApplyCheckDrift(t *testing.T) {
	mig := filepath.Join(t.TempDir(), "migrations")
	if err := os.Mkdir(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, mig, map[string]string{
		"000001_init.up.sql":    "CREATE TABLE users (id int PRIMARY KEY, email text);\n",
		"000001_init.down.sql":  "DROP TABLE users;\n",
		"000002_later.up.sql":   "CREATE TABLE later (id int);\n",
		"000002_later.down.sql": "DROP TABLE later;\n",
		"000003_last.up.sql":    "CREATE TABLE last (id int);\n",
		"000003_last.down.sql":  "DROP TABLE last;\n",
	})
	db := testdb.New(t)
	apply := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"apply", "--dir", mig, "--database-url", db, "--check-drift"}, args...), nil, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	if code, stdout, stderr := apply("--to", "1"); code != exitOK {
		t.Fatalf("fresh database: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := apply("--to", "2"); code != exitOK || !strings.Contains(stdout, "applied 1 migration") {
		t.Fatalf("no drift: exit %d\n%s%s", code, stdout, stderr)
	}
	if err := testdb.Exec(context.Background(), db, "ALTER TABLE users ADD COLUMN sneaky int"); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := apply()
	if code != exitChanges || !strings.Contains(stderr, "apply --check-drift: the database differs") || !strings.Contains(stderr, "sneaky") {
		t.Fatalf("drift: exit %d, want %d with the drift listed\n%s%s", code, exitChanges, stdout, stderr)
	}
	var st bytes.Buffer
	run([]string{"status", "--dir", mig, "--database-url", db}, nil, &st, &st)
	if !strings.Contains(st.String(), "000003") || strings.Contains(stdout, "applied") {
		t.Fatalf("drift: something was applied\n%s\n%s", stdout, st.String())
	}
	// Without the flag apply goes ahead, as before.
	var out bytes.Buffer
	if code := run([]string{"apply", "--dir", mig, "--database-url", db}, nil, &out, &out); code != exitOK {
		t.Fatalf("apply without --check-drift: exit %d\n%s", code, out.String())
	}
}
