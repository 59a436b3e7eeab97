package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestStampChecksCatalog: stamp compares the live schema with the
// migrations up to the version before it records anything. A database
// holding only users(id int) is not at migration 3: refused, listing the
// differences, with nothing recorded, until --force. A database built by
// the same statements by hand is, and is stamped.
func TestStampChecksCatalog(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := t.TempDir()
	cli(t, dir, "init")
	for i, schema := range []string{
		usersV1,
		strings.Replace(usersV1, "name text NOT NULL", "name text NOT NULL,\n    email text", 1),
		strings.Replace(usersV1, "name text NOT NULL", "name text NOT NULL,\n    email text", 1) + "CREATE TABLE posts (id int PRIMARY KEY, user_id bigint REFERENCES users);\n",
	} {
		writeSchema(t, dir, schema)
		if code, _, errs := cli(t, dir, "generate", "-m", []string{"users", "email", "posts"}[i]); code != exitOK {
			t.Fatal(errs)
		}
	}

	t.Run("mismatch", func(t *testing.T) {
		url := testdb.New(t)
		if err := testdb.Exec(context.Background(), url, `CREATE TABLE users (id int)`); err != nil {
			t.Fatal(err)
		}
		code, out, errs := cli(t, dir, "stamp", "3", "--database-url", url)
		if code != exitError || !strings.Contains(errs, "stamp refused: the database's schema is not what") ||
			!strings.Contains(errs, "up to version 000003 makes;") || !strings.Contains(errs, "\n  CREATE TABLE public.posts (\n") ||
			!strings.Contains(errs, "ddlmig stamp --force 000003; nothing was recorded") {
			t.Fatalf("stamp 3: exit %d\n%s%s", code, out, errs)
		}
		query := queryFunc(t, url)
		if query(`SELECT (to_regclass('ddlmig_migrations') IS NOT NULL)::text`) == "true" && query(`SELECT count(*)::text FROM ddlmig_migrations`) != "0" {
			t.Error("a refused stamp recorded versions")
		}
		if code, out, errs := cli(t, dir, "stamp", "--force", "3", "--database-url", url); code != exitOK || !strings.Contains(out, "marked applied: 000001, 000002, 000003") {
			t.Fatalf("stamp --force 3: exit %d\n%s%s", code, out, errs)
		}
	})
	t.Run("match", func(t *testing.T) {
		url := testdb.New(t)
		for _, f := range []string{"000001_users.up.sql", "000002_email.up.sql", "000003_posts.up.sql"} {
			b, err := os.ReadFile(filepath.Join(dir, "migrations", f))
			if err != nil {
				t.Fatal(err)
			}
			if err := testdb.Exec(context.Background(), url, string(b)); err != nil {
				t.Fatal(err)
			}
		}
		// Stamped at 2, the database holds posts, which 000002 does not.
		if code, _, errs := cli(t, dir, "stamp", "2", "--database-url", url); code != exitError || !strings.Contains(errs, "DROP TABLE") {
			t.Fatalf("stamp 2 of a database at 3: exit %d\n%s", code, errs)
		}
		if code, out, errs := cli(t, dir, "stamp", "3", "--database-url", url); code != exitOK || !strings.Contains(out, "the database is recorded at version 000003") {
			t.Fatalf("stamp 3: exit %d\n%s%s", code, out, errs)
		}
		if code, out, errs := cli(t, dir, "apply", "--database-url", url); code != exitOK || !strings.Contains(out, "up to date") {
			t.Fatalf("apply after stamp: exit %d\n%s%s", code, out, errs)
		}
	})
	t.Run("baseline", func(t *testing.T) {
		// inspect --baseline, then stamp 1, as the README says: the
		// baseline folds to the schema it was inspected from.
		url := testdb.New(t)
		if err := testdb.Exec(context.Background(), url, "CREATE TYPE mood AS ENUM ('sad', 'happy');\n"+
			"CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'happy');\n"+
			"CREATE INDEX people_name ON people (lower(name));\nCREATE VIEW happy AS SELECT id, name FROM people WHERE mood = 'happy';\n"); err != nil {
			t.Fatal(err)
		}
		base := t.TempDir()
		if code, out, errs := cli(t, base, "inspect", "--database-url", url, "-o", filepath.Join(base, "schema.sql"), "--baseline"); code != exitOK {
			t.Fatalf("inspect --baseline: exit %d\n%s%s", code, out, errs)
		}
		if code, out, errs := cli(t, base, "stamp", "1", "--database-url", url); code != exitOK {
			t.Fatalf("stamp 1 after inspect --baseline: exit %d\n%s%s", code, out, errs)
		}
	})
}
