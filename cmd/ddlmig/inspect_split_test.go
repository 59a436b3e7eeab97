package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// splitSchema has two schemas that use each other's objects both ways
// (app's table and view use public's type, table and function; public's
// view reads app's table), so that no order of the two folders puts every
// object after what it uses.
const splitSchema = `CREATE SCHEMA app;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN app.positive AS int CHECK (VALUE > 0);
CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'happy');
CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(t) $$;
CREATE TABLE app.pets (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	owner_id bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	legs app.positive, mood mood, tag uuid DEFAULT gen_random_uuid());
CREATE INDEX pets_owner ON app.pets (owner_id);
CREATE VIEW app.loud_pets AS SELECT p.id, shout(o.name) AS owner FROM app.pets p JOIN people o ON o.id = p.owner_id;
CREATE VIEW pet_count AS SELECT owner_id, count(*) AS n FROM app.pets GROUP BY owner_id;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER pets_touch BEFORE UPDATE ON app.pets FOR EACH ROW EXECUTE FUNCTION app.touch();
COMMENT ON TABLE people IS 'who''s who';
`

// TestInspectSplit loads a schema into a database through a migration
// generated from it, inspects the database into a folder with --split, and
// diffs that folder, read back with --schema DIR, against the migrations:
// no changes. The list of files is a golden file; --baseline with --split
// writes what generate writes from the folder.
func TestInspectSplit(t *testing.T) {
	testdb.Require(t)
	dir := t.TempDir()
	mig, split := filepath.Join(dir, "migrations"), filepath.Join(dir, "split")
	write(t, dir, map[string]string{"schema.sql": splitSchema})
	must := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if code := run(args, nil, &out, &out); code != exitOK {
			t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), code, out.String())
		}
		return out.String()
	}
	if err := os.Mkdir(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	must("generate", "--no-input", "-m", "init", "--schema", filepath.Join(dir, "schema.sql"), "--dir", mig)
	db := testdb.New(t)
	must("apply", "--dir", mig, "--database-url", db)
	must("inspect", "--database-url", db, "--split", split)

	if out := must("diff", "--exit-code", "--schema", split, "--dir", mig); !strings.Contains(out, "no changes") {
		t.Errorf("diff of the split folder against the migrations:\n%s", out)
	}
	// --baseline with --split writes the pair generate writes from the folder.
	fresh, base := filepath.Join(dir, "fresh"), filepath.Join(dir, "base")
	if err := os.Mkdir(fresh, 0o755); err != nil {
		t.Fatal(err)
	}
	must("generate", "--no-input", "-m", "baseline", "--schema", split, "--dir", fresh)
	must("inspect", "--database-url", db, "--split", filepath.Join(dir, "split2"), "--baseline", "--dir", base)
	for _, f := range []string{"000001_baseline.up.sql", "000001_baseline.down.sql"} {
		if diff := cmp.Diff(read(t, filepath.Join(fresh, f)), read(t, filepath.Join(base, f))); diff != "" {
			t.Errorf("%s of inspect --split --baseline differs from generate's (-generate +baseline):\n%s", f, diff)
		}
	}

	var files []string
	err := filepath.WalkDir(split, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(split, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(files, "\n") + "\n"
	golden := filepath.Join("testdata", "inspect-split.golden")
	if updating() {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(read(t, golden), got); diff != "" {
		t.Errorf("files of inspect --split (-want +got):\n%s", diff)
	}
	if text := read(t, filepath.Join(split, "app", "12_tables.sql")); !strings.Contains(text, "CREATE TABLE app.pets") || strings.Contains(text, "public.people") {
		t.Errorf("app/12_tables.sql holds other than app's tables:\n%s", text)
	}
}

// TestInspectSplitTarget: a folder that is not empty is refused, also with
// --force when it holds a *.sql file inspect did not write; --force
// replaces inspect's own files (an object dropped since leaves none) and
// leaves other files alone.
func TestInspectSplitTarget(t *testing.T) {
	testdb.Require(t)
	db := testdb.New(t)
	split := t.TempDir()
	stale := filepath.Join(split, "public", "12_tables.sql")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, split, map[string]string{
		"public/12_tables.sql": "-- Schema read from a live database by ddlmig inspect.\nCREATE TABLE gone (id int);\n",
		"README":               "kept\n",
	})
	var out bytes.Buffer
	if code := run([]string{"inspect", "--database-url", db, "--split", split}, nil, &out, &out); code == exitOK || !strings.Contains(out.String(), "is not empty") {
		t.Errorf("inspect --split into a folder that is not empty: exit %d\n%s", code, out.String())
	}
	write(t, split, map[string]string{"mine.sql": "CREATE TABLE mine (id int);\n"})
	out.Reset()
	if code := run([]string{"inspect", "--database-url", db, "--split", split, "--force"}, nil, &out, &out); code == exitOK || !strings.Contains(out.String(), "mine.sql: not written by ddlmig inspect") {
		t.Errorf("inspect --split --force over a file of the user's: exit %d\n%s", code, out.String())
	}
	if _, err := os.Stat(stale); err != nil {
		t.Errorf("a refused --force removed a file: %v", err)
	}
	write(t, split, map[string]string{"mine.sql": ""})
	out.Reset()
	if code := run([]string{"inspect", "--database-url", db, "--split", split, "--force"}, nil, &out, &out); code != exitOK {
		t.Fatalf("inspect --split --force: exit %d\n%s", code, out.String())
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the file of a table gone from the database is still there: %v", err)
	}
	if read(t, filepath.Join(split, "README")) != "kept\n" {
		t.Errorf("--force touched a file that is not *.sql")
	}
}
