package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hintCommand returns the arguments of the command a rename hint prints
// ("  ddlmig ... --rename x=y" on the line after "run"), split as a POSIX
// shell splits them (plain words and '...' quoting, which is all the hint
// uses here), without "ddlmig".
func hintCommand(t *testing.T, stderr string) []string {
	t.Helper()
	_, after, ok := strings.Cut(stderr, "to write it as a rename instead, run\n  ")
	if !ok {
		t.Fatalf("no rename hint in:\n%s", stderr)
	}
	line, _, _ := strings.Cut(after, "\n")
	var args []string
	var cur strings.Builder
	inWord, quoted := false, false
	for _, c := range line {
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			cur.WriteRune(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == ' ':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	if inWord {
		args = append(args, cur.String())
	}
	if len(args) == 0 || args[0] != "ddlmig" {
		t.Fatalf("hint %q does not start with ddlmig", line)
	}
	return args[1:]
}

// runHint runs the hint's command as the user would paste it.
func runHint(t *testing.T, stderr string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(hintCommand(t, stderr), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestRenameHintWorksAsPrinted: generate writes drop + add for a possible
// rename and prints a command; that command, run as printed, replaces the
// pair with a rename, where the old hint (rerun with --rename) failed
// with "matches no column". It is refused once the pair is shared:
// committed in git, or edited outside git.
func TestRenameHintWorksAsPrinted(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) // after generate wrote 000002
		want  string                         // "" when the hint must work
	}{
		{name: "outside git"},
		{name: "outside git, edited", setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "migrations", "000002_two.up.sql")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.ReplaceAll(b, []byte("ddlmig:unreviewed"), []byte("ddlmig:reviewed")), 0o644)
		}, want: "000002_two.up.sql was edited: delete the pair by hand if it was never applied"},
		{name: "git, not committed", setup: func(t *testing.T, dir string) {
			git(t, dir, "init", "-q")
			git(t, dir, "add", "schema.sql", "migrations/000001_one.up.sql", "migrations/000001_one.down.sql")
			git(t, dir, "commit", "-q", "-m", "one")
			git(t, dir, "add", "migrations") // staged is not committed
		}},
		{name: "git, committed", setup: func(t *testing.T, dir string) {
			git(t, dir, "init", "-q")
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "-m", "two")
		}, want: "000002_two.up.sql is in git's HEAD commit: run generate without --amend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := renameProject(t)
			code, _, errs := cli(t, dir, "generate", "-m", "two")
			if code != 0 {
				t.Fatal(errs)
			}
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			code, out, errs := runHint(t, errs)
			if tt.want != "" {
				if code != exitError || !strings.Contains(errs, tt.want) {
					t.Fatalf("hint ran: exit %d, want 1 and %q\n%s%s", code, tt.want, out, errs)
				}
				return
			}
			if code != 0 {
				t.Fatalf("the hint as printed: exit %d\n%s%s", code, out, errs)
			}
			if files := migrationFiles(t, dir); len(files) != 4 {
				t.Errorf("files after --amend: %v, want the two pairs", files)
			}
			up := readMigration(t, dir, "000002_two.up.sql")
			if !strings.Contains(up, "RENAME COLUMN name TO full_name") || strings.Contains(up, "DROP COLUMN") {
				t.Errorf("amended up:\n%s", up)
			}
			if code, out, _ := cli(t, dir, "check"); code != 0 {
				t.Errorf("check after the amend: exit %d\n%s", code, out)
			}
		})
	}
}

// TestAmendRemovesEmpty: --amend after schema.sql went back to the state
// before the newest pair removes the pair.
func TestAmendRemovesEmpty(t *testing.T) {
	dir := renameProject(t)
	cli(t, dir, "generate", "-m", "two")
	writeSchema(t, dir, usersV1)
	code, out, errs := cli(t, dir, "generate", "--amend")
	if code != 0 || !strings.Contains(out, "no changes without it: removed") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if files := migrationFiles(t, dir); len(files) != 2 {
		t.Errorf("files: %v", files)
	}
}

// TestAmendKeepsEmptyPair: a pair from generate --empty holds what a person
// wrote; --amend refuses to replace it.
func TestAmendKeepsEmptyPair(t *testing.T) {
	dir := renameProject(t)
	if code, _, errs := cli(t, dir, "generate", "--empty", "-m", "backfill"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := cli(t, dir, "generate", "--amend", "-m", "two")
	if code != exitError || !strings.Contains(errs, "000002_backfill.up.sql was written by generate --empty") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if files := migrationFiles(t, dir); len(files) != 4 || files[2] != "000002_backfill.down.sql" {
		t.Errorf("files: %v", files)
	}
}
