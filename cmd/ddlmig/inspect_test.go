package main

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestInspectRoundTrip applies a migration with ddlmig, inspects the
// database into a file (without ddlmig's bookkeeping table), generates the
// migration of that file from an empty folder, applies it to an empty
// database and inspects again: the two texts must be the same.
func TestInspectRoundTrip(t *testing.T) {
	testdb.Require(t)
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	if err := os.Mkdir(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, mig, map[string]string{
		"000001_init.up.sql": `CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'happy');
CREATE TABLE pets (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_id bigint REFERENCES people ON DELETE CASCADE);
CREATE INDEX pets_owner ON pets (owner_id);
CREATE VIEW happy AS SELECT id, name FROM people WHERE mood = 'happy';
COMMENT ON TABLE people IS 'who''s who';
`,
		"000001_init.down.sql": "DROP VIEW happy; DROP TABLE pets; DROP TABLE people; DROP TYPE mood;\n",
	})
	first := testdb.New(t)
	var out bytes.Buffer
	if code := run([]string{"apply", "--dir", mig, "--database-url", first}, nil, &out, &out); code != exitOK {
		t.Fatalf("apply: exit %d\n%s", code, out.String())
	}
	inspected := filepath.Join(dir, "inspected.sql")
	out.Reset()
	if code := run([]string{"inspect", "--database-url", first, "-o", inspected}, nil, &out, &out); code != exitOK {
		t.Fatalf("inspect: exit %d\n%s", code, out.String())
	}
	text, err := os.ReadFile(inspected)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(text), "ddlmig_migrations") {
		t.Errorf("the bookkeeping table is in the inspected schema:\n%s", text)
	}
	for _, want := range []string{"CREATE TABLE public.people", "CREATE VIEW public.happy", "COMMENT ON TABLE public.people IS 'who''s who';"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("inspected schema lacks %q:\n%s", want, text)
		}
	}

	// generate from an empty folder, apply on an empty database.
	fresh := filepath.Join(dir, "fresh")
	out.Reset()
	if err := os.Mkdir(fresh, 0o755); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"generate", "--no-input", "-m", "baseline", "--schema", inspected, "--dir", fresh}, nil, &out, &out); code != exitOK {
		t.Fatalf("generate: exit %d\n%s", code, out.String())
	}
	// inspect --baseline writes the same pair.
	baseDir := filepath.Join(dir, "base")
	out.Reset()
	if code := run([]string{"inspect", "--database-url", first, "-o", filepath.Join(dir, "base.sql"), "--baseline", "--dir", baseDir}, nil, &out, &out); code != exitOK {
		t.Fatalf("inspect --baseline: exit %d\n%s", code, out.String())
	}
	for _, f := range []string{"000001_baseline.up.sql", "000001_baseline.down.sql"} {
		if diff := cmp.Diff(read(t, filepath.Join(fresh, f)), read(t, filepath.Join(baseDir, f))); diff != "" {
			t.Errorf("%s of inspect --baseline differs from generate's (-generate +baseline):\n%s", f, diff)
		}
	}
	out.Reset()
	if code := run([]string{"inspect", "--database-url", first, "-o", filepath.Join(dir, "again.sql"), "--baseline", "--dir", baseDir}, nil, &out, &out); code != exitError || !strings.Contains(out.String(), "not empty") {
		t.Errorf("inspect --baseline into a folder with migrations: exit %d, want %d refusing:\n%s", code, exitError, out.String())
	}
	second := testdb.New(t)
	if code := run([]string{"apply", "--dir", fresh, "--database-url", second}, nil, &out, &out); code != exitOK {
		t.Fatalf("apply the generated baseline: exit %d\n%s", code, out.String())
	}
	var again bytes.Buffer
	if code := run([]string{"inspect", "--database-url", second}, nil, &again, &out); code != exitOK {
		t.Fatalf("inspect: exit %d\n%s", code, out.String())
	}
	if diff := cmp.Diff(string(text), again.String()); diff != "" {
		t.Errorf("inspect -> generate -> apply -> inspect differs (-first +second):\n%s", diff)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInspectHidesPassword inspects a database that does not exist
// through a URL with a password: the error names the problem, never the
// password.
func TestInspectHidesPassword(t *testing.T) {
	testdb.Require(t)
	u, err := url.Parse(testdb.WithDatabase(testdb.ServerURL(), "ddlmig_no_such_database"))
	if err != nil || u.Scheme == "" {
		t.Skip("test server URL is not a URL")
	}
	u.User = url.UserPassword(u.User.Username(), "s3cr3t-pw")
	var out bytes.Buffer
	code := run([]string{"inspect", "--database-url", u.String()}, nil, &out, &out)
	if code != exitError {
		t.Errorf("exit code %d, want %d:\n%s", code, exitError, out.String())
	}
	if strings.Contains(out.String(), "s3cr3t-pw") {
		t.Errorf("password printed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "ddlmig_no_such_database") {
		t.Errorf("the error does not name the database:\n%s", out.String())
	}
	out.Reset()
	t.Setenv("DATABASE_URL", "")
	if code := run([]string{"inspect"}, nil, &out, &out); code != exitUsage || !strings.Contains(out.String(), "--database-url") {
		t.Errorf("no URL: exit %d, want %d asking for --database-url:\n%s", code, exitUsage, out.String())
	}
}
