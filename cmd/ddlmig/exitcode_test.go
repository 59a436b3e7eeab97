package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestExitCodes drives every command into each class of the README's exit
// code table: 2 when it cannot do its job (here: the migrations folder is
// missing, or a flag is unknown), with a "ddlmig: " line on stderr; and for
// the commands that answer a question, 1 for "no", never an error's code.
// check once exited 1 and history 2 for the same missing folder.
func TestExitCodes(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	commands := [][]string{
		{"generate", "-m", "x"}, {"generate", "--empty"}, {"diff"}, {"check"}, {"history"},
		{"apply", "--database-url", url}, {"down", "--database-url", url}, {"status", "--database-url", url},
		{"stamp", "1", "--database-url", url}, {"drift", "--database-url", url},
		{"verify", "--dev-url", testdb.ServerURL()},
	}
	dir := t.TempDir()
	writeSchema(t, dir, usersV1)
	for _, args := range commands {
		code, out, errs := cli(t, dir, args...)
		if code != exitError || !strings.HasPrefix(errs, "ddlmig: ") || !strings.Contains(errs, "does not exist") {
			t.Errorf("ddlmig %s without a migrations folder: exit %d, want %d and the folder named\nstdout: %s\nstderr: %s", args[0], code, exitError, out, errs)
		}
		code, _, errs = cli(t, dir, append(args, "--no-such-flag")...)
		if code != exitUsage || !strings.Contains(errs, "unknown flag --no-such-flag") {
			t.Errorf("ddlmig %s --no-such-flag: exit %d, want %d\n%s", args[0], code, exitUsage, errs)
		}
	}

	if code, _, errs := cli(t, dir, "inspect"); code != exitError || !strings.Contains(errs, "ddlmig: no database") {
		t.Errorf("ddlmig inspect without a database: exit %d, want %d\n%s", code, exitError, errs)
	}
	if code, _, errs := cli(t, dir, "init", "--no-such-flag"); code != exitUsage {
		t.Errorf("ddlmig init --no-such-flag: exit %d, want %d\n%s", code, exitUsage, errs)
	}

	// The answers: no is 1 (status --exit-code's pending is 3).
	if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"check"}, exitNo}, // schema changes no migration holds
		{[]string{"diff", "--exit-code"}, exitChanges},
		{[]string{"drift", "--against", "schema", "--database-url", url}, exitChanges},
		{[]string{"generate", "-m", "users"}, exitOK},
		{[]string{"check"}, exitOK},
		{[]string{"diff", "--exit-code"}, exitOK},
		{[]string{"status", "--exit-code", "--database-url", url}, exitPending},
		{[]string{"apply", "--database-url", url}, exitOK},
		{[]string{"status", "--exit-code", "--database-url", url}, exitOK},
		{[]string{"drift", "--database-url", url}, exitOK},
	} {
		if code, out, errs := cli(t, dir, tc.args...); code != tc.want {
			t.Errorf("ddlmig %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(tc.args, " "), code, tc.want, out, errs)
		}
	}
	write(t, filepath.Join(dir, "migrations"), map[string]string{"000001_users.up.sql": "CREATE TABLE users (id int);\n"})
	if code, out, errs := cli(t, dir, "status", "--exit-code", "--database-url", url); code != exitNo {
		t.Errorf("status --exit-code after an applied file changed: exit %d, want %d\n%s%s", code, exitNo, out, errs)
	}
}
