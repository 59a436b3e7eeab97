package main

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestHarmlessChangesPassCheck: creating a table and adding a column put
// drops in the down files only; check gates what apply runs, so a project
// just initialised and generated passes with no file edited.
func TestHarmlessChangesPassCheck(t *testing.T) {
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, usersV1)
	code, _, errs := cli(t, dir, "generate", "-m", "create users")
	if code != 0 {
		t.Fatal(errs)
	}
	if strings.Contains(errs, "hazard to review") || !strings.Contains(errs, "ddlmig down lists these and asks") {
		t.Errorf("generate of a new table asks for a review:\n%s", errs)
	}
	writeSchema(t, dir, strings.Replace(usersV1, "name text NOT NULL", "name text NOT NULL,\n    email text", 1))
	if code, _, errs := cli(t, dir, "generate", "-m", "add email"); code != 0 {
		t.Fatal(errs)
	}
	if code, out, _ := cli(t, dir, "check"); code != 0 {
		t.Fatalf("check after harmless changes: exit %d\n%s", code, out)
	}
}

// TestDownAsks: a down file that drops a table lists the drop and asks on
// a terminal; without one it refuses unless --yes.
func TestDownAsks(t *testing.T) {
	tests := []struct {
		name     string
		terminal bool
		stdin    string
		args     []string
		code     int
		asked    bool
		dropped  bool
		stderr   string
	}{
		{name: "no terminal", code: exitError, stderr: "down refused: its files drop data or may fail as listed above, and there is no terminal to ask; rerun with --yes"},
		{name: "no terminal --yes", args: []string{"--yes"}, dropped: true},
		{name: "terminal y", terminal: true, stdin: "y\n", asked: true, dropped: true},
		{name: "terminal n", terminal: true, stdin: "n\n", asked: true, code: exitError, stderr: "down cancelled; nothing was rolled back"},
		{name: "terminal enter", terminal: true, stdin: "\n", asked: true, code: exitError},
		{name: "dry run", args: []string{"--dry-run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, dbURL := appliedUsers(t)
			if tt.terminal {
				onTerminal(t)
			}
			code, _, errs := cliIn(t, dir, tt.stdin, append([]string{"down", "--database-url", dbURL}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Fatalf("down: exit %d, want %d; stderr:\n%s", code, tt.code, errs)
			}
			dryRun := len(tt.args) > 0 && tt.args[0] == "--dry-run"
			if !dryRun && (!strings.Contains(errs, "000001_create_users.down.sql:") || !strings.Contains(errs, "drop-table: drops table public.users")) {
				t.Errorf("down does not list the drop:\n%s", errs)
			}
			if got := strings.Contains(errs, "Roll back anyway? [y/N] "); got != tt.asked {
				t.Errorf("asked = %t, want %t:\n%s", got, tt.asked, errs)
			}
			conn, err := pgx.Connect(context.Background(), dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			var exists bool
			if err := conn.QueryRow(context.Background(), `SELECT to_regclass('public.users') IS NOT NULL`).Scan(&exists); err != nil {
				t.Fatal(err)
			}
			if exists == tt.dropped {
				t.Errorf("table users exists = %t after down, want %t", exists, !tt.dropped)
			}
		})
	}
}
