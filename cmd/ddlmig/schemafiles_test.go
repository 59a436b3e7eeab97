package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestSchemaRepeated: a repeated --schema reads every file named (ddlmig
// once kept the last one silently and planned to drop the others' tables).
func TestSchemaRepeated(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"one.sql": "CREATE TABLE one (id int);\n",
		"two.sql": "CREATE TABLE two (id int);\n",
	})
	var out, errb bytes.Buffer
	code := run([]string{"diff", "--schema", filepath.Join(dir, "one.sql"), "--schema", filepath.Join(dir, "two.sql"),
		"--dir", filepath.Join(dir, "migrations")}, strings.NewReader(""), &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"CREATE TABLE public.one", "CREATE TABLE public.two"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("diff lacks %q:\n%s", want, out.String())
		}
	}
}

// schemaFolder is a schema split over a folder, as a team writes it: a
// main file of includes and files of its own, one with an error position
// checked below. It uses every include form.
var schemaFolder = map[string]string{
	"db/00_main.sql":      "-- the tables\n\\set ON_ERROR_STOP on\n\\ir tables/users.sql\n\\include_relative tables/posts.sql\n",
	"db/tables/users.sql": "CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    name text NOT NULL\n);\n",
	"db/tables/posts.sql": "CREATE TABLE posts (\n    id bigint PRIMARY KEY,\n    user_id bigint REFERENCES users\n);\n",
	"db/views.sql":        "CREATE VIEW user_posts AS\n    SELECT u.name, p.id FROM users u JOIN posts p ON p.user_id = u.id;\n",
}

// writeTree writes files (paths with folders) into dir and creates an
// empty migrations folder.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestSchemaFolderVerified generates the first migration from a folder
// schema, then a second one after an edit in an included file, and
// verifies both on PostgreSQL against the folder loaded as psql would
// load it (includes followed).
func TestSchemaFolderVerified(t *testing.T) {
	t.Parallel()
	testdb.Require(t)
	dir := t.TempDir()
	writeTree(t, dir, schemaFolder)
	g := []string{"--schema", filepath.Join(dir, "db"), "--dir", filepath.Join(dir, "migrations")}
	var out bytes.Buffer
	if code := run(append([]string{"generate", "--no-input", "-m", "initial"}, g...), strings.NewReader(""), &out, &out); code != exitOK {
		t.Fatalf("generate: %d\n%s", code, out.String())
	}
	writeTree(t, dir, map[string]string{"db/tables/posts.sql": "CREATE TABLE posts (\n    id bigint PRIMARY KEY,\n    user_id bigint REFERENCES users,\n    body text\n);\n"})
	out.Reset()
	if code := run(append([]string{"generate", "--no-input", "-m", "body"}, g...), strings.NewReader(""), &out, &out); code != exitOK {
		t.Fatalf("generate: %d\n%s", code, out.String())
	}
	if up := readMigration(t, dir, "000002_body.up.sql"); !strings.Contains(up, "ADD COLUMN body text") || strings.Contains(up, "DROP") {
		t.Errorf("second migration:\n%s", up)
	}
	out.Reset()
	if code := run(append([]string{"check"}, g...), strings.NewReader(""), &out, &out); code != exitOK {
		t.Errorf("check: %d\n%s", code, out.String())
	}
	out.Reset()
	code := run(append([]string{"verify", "--dev-url", testdb.ServerURL()}, g...), nil, &out, &out)
	if code != exitOK || !strings.Contains(out.String(), "verified: 2 migrations agree with") {
		t.Errorf("verify: exit code %d:\n%s", code, out.String())
	}
	// An error the server finds while verify loads the folder names the
	// included file and its line.
	writeTree(t, dir, map[string]string{"db/tables/posts.sql": "CREATE TABLE posts (\n    id bigint PRIMARY KEY,\n    user_id bigint REFERENCES users,\n    body text CHECK (body <> 1::nosuchtype)\n);\n"})
	out.Reset()
	code = run(append([]string{"verify", "--dev-url", testdb.ServerURL()}, g...), nil, &out, &out)
	if want := filepath.Join(dir, "db/tables/posts.sql") + ":4:"; code == exitOK || !strings.Contains(out.String(), want) {
		t.Errorf("verify of a broken include: exit code %d, want an error at %s...:\n%s", code, want, out.String())
	}
}

// TestSchemaIncludeNotIgnored: a main file of \i lines is read with what
// it includes (ddlmig once blanked the lines and planned DROP TABLE of
// every table), and an error in an included file names it.
func TestSchemaIncludeNotIgnored(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, schemaFolder)
	g := []string{"--schema", filepath.Join(dir, "db", "00_main.sql"), "--dir", filepath.Join(dir, "migrations")}
	var out, errb bytes.Buffer
	if code := run(append([]string{"diff"}, g...), strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("diff: %d\n%s", code, errb.String())
	}
	if !strings.Contains(out.String(), "CREATE TABLE public.users") || !strings.Contains(out.String(), "CREATE TABLE public.posts") {
		t.Errorf("diff:\n%s", out.String())
	}
	writeTree(t, dir, map[string]string{"db/tables/users.sql": "CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    name nosuchtype\n);\n"})
	out.Reset()
	errb.Reset()
	code := run(append([]string{"check"}, g...), strings.NewReader(""), &out, &errb)
	if want := filepath.Join(dir, "db", "tables", "users.sql") + ":3:10: type public.nosuchtype does not exist"; code == exitOK || !strings.Contains(out.String()+errb.String(), want) {
		t.Errorf("check: exit %d, want %q in:\n%s%s", code, want, out.String(), errb.String())
	}
}
