package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// onlineProject is a project (outside git) whose migration 1 creates
// users, with a schema file that adds an index and a NOT NULL to it.
func onlineProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeSchema(t, dir, "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n")
	if code, _, errs := cli(t, dir, "init"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := cli(t, dir, "generate", "-m", "v1"); code != 0 {
		t.Fatal(errs)
	}
	writeSchema(t, dir, "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE INDEX users_email ON users (email);\n")
	return dir
}

// TestGenerateOnline: by default generate writes the online forms as
// consecutive migrations and says it wrote each; --online=false writes the
// blocking forms in one, as before.
func TestGenerateOnline(t *testing.T) {
	dir := onlineProject(t)
	code, out, errs := cli(t, dir, "generate", "-m", "email")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var wrote []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		wrote = append(wrote, filepath.Base(strings.TrimPrefix(l, "wrote ")))
	}
	want := []string{
		"000002_email.up.sql", "000002_email.down.sql", // the index, concurrently
		"000003_email.up.sql", "000003_email.down.sql", // the NOT VALID check
		"000004_email.up.sql", "000004_email.down.sql", // VALIDATE
		"000005_email.up.sql", "000005_email.down.sql", // SET NOT NULL, check dropped
	}
	if diff := cmp.Diff(want, wrote); diff != "" {
		t.Errorf("wrote (-want +got):\n%s", diff)
	}
	for _, f := range []string{"000002_email.up.sql", "000002_email.down.sql"} {
		if s := readMigration(t, dir, f); !strings.HasPrefix(s, "-- ddlmig:no-transaction\n") {
			t.Errorf("%s does not start with the no-transaction marker:\n%s", f, s)
		}
	}
	if code, out, errs := cli(t, dir, "generate"); code != 0 || out != "no changes\n" {
		t.Errorf("generate after the run: exit %d, %q %s", code, out, errs)
	}

	dir = onlineProject(t)
	if code, out, errs := cli(t, dir, "generate", "-m", "email", "--online=false"); code != 0 || strings.Count(out, "wrote ") != 2 {
		t.Fatalf("--online=false: exit %d\n%s%s", code, out, errs)
	}
	up := readMigration(t, dir, "000002_email.up.sql")
	if !strings.Contains(up, "ALTER TABLE public.users ALTER COLUMN email SET NOT NULL;") || !strings.Contains(up, "CREATE INDEX users_email ON public.users") || strings.Contains(up, "INDEX CONCURRENTLY users_email") {
		t.Errorf("--online=false up:\n%s", up)
	}
}

// TestAmendRun: --amend replaces every migration of the run the last
// generate wrote, and refuses a run with a file missing.
func TestAmendRun(t *testing.T) {
	dir := onlineProject(t)
	if code, _, errs := cli(t, dir, "generate", "-m", "email"); code != 0 {
		t.Fatal(errs)
	}
	writeSchema(t, dir, "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email ON users (email);\n")
	code, out, errs := cli(t, dir, "generate", "--amend")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "replaced ") || strings.Count(out, "_email.") != 8+2 {
		t.Errorf("amend output:\n%s", out)
	}
	want := []string{"000001_v1.down.sql", "000001_v1.up.sql", "000002_email.down.sql", "000002_email.up.sql"}
	if diff := cmp.Diff(want, migrationFiles(t, dir)); diff != "" {
		t.Errorf("files after --amend (-want +got):\n%s", diff)
	}
	if up := readMigration(t, dir, "000002_email.up.sql"); !strings.Contains(up, "CREATE INDEX CONCURRENTLY users_email") || strings.Contains(up, "NOT NULL") {
		t.Errorf("amended up:\n%s", up)
	}

	// A run with its first file gone cannot be amended in part.
	dir = onlineProject(t)
	if code, _, errs := cli(t, dir, "generate", "-m", "email"); code != 0 {
		t.Fatal(errs)
	}
	for _, f := range []string{"000003_email.up.sql", "000003_email.down.sql"} {
		if err := os.Remove(filepath.Join(dir, "migrations", f)); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range []string{"000004_email", "000005_email"} {
		for _, d := range []string{".up.sql", ".down.sql"} {
			to := filepath.Join(dir, "migrations", "00000"+string(rune('3'+i))+"_email"+d)
			if err := os.Rename(filepath.Join(dir, "migrations", f+d), to); err != nil {
				t.Fatal(err)
			}
		}
	}
	if code, _, errs := cli(t, dir, "generate", "--amend"); code == 0 || !strings.Contains(errs, "--amend replaces a whole run") {
		t.Errorf("amend of a broken run: exit %d: %s", code, errs)
	}
}

// TestOnlineConfig: "online": false in the config file is --online=false
// for every run; the flag still wins.
func TestOnlineConfig(t *testing.T) {
	root := repo(t)
	write(t, root, map[string]string{"ddlmig.json": `{"online": false}`, "schema.sql": "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"})
	if err := os.Mkdir(filepath.Join(root, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	expect(t, root, exitOK, []string{"generate", "-m", "v1"}, "wrote migrations/000001_v1.up.sql")
	write(t, root, map[string]string{"schema.sql": "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email ON users (email);\n"})
	out := expect(t, root, exitOK, []string{"diff"}, "CREATE INDEX users_email ON public.users")
	if strings.Contains(out, "INDEX CONCURRENTLY users_email") {
		t.Errorf("online: false in the config, diff still writes the online form:\n%s", out)
	}
	expect(t, root, exitOK, []string{"diff", "--online"}, "CREATE INDEX CONCURRENTLY users_email ON public.users")
}
