package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

const driftUp = `CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    status text DEFAULT 'new',
    mood mood
);
CREATE INDEX users_email ON users (email);
CREATE TABLE orders (id int PRIMARY KEY, user_id bigint REFERENCES users, total numeric CHECK (total >= 0));
CREATE FUNCTION add1(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1';
CREATE VIEW user_emails AS SELECT id, email FROM users;
COMMENT ON TABLE users IS 'people';
GRANT SELECT ON users TO readonly_user;
`

// TestDrift changes a migrated database behind ddlmig's back in ten ways
// and checks drift reports each (exit 1), reading as a role that may only
// log in and read the bookkeeping table; the untouched database has no drift (exit 0).
func TestDrift(t *testing.T) {
	const role = "ddlmig_inspect_reader"
	testdb.CreateRoles(t, role, "readonly_user", "app_user")
	ctx := context.Background()
	if err := testdb.Exec(ctx, testdb.ServerURL(), "ALTER ROLE "+role+" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	if err := os.Mkdir(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, mig, map[string]string{
		"000001_init.up.sql":   driftUp,
		"000001_init.down.sql": "DROP VIEW user_emails; DROP FUNCTION add1(int); DROP TABLE orders; DROP TABLE users; DROP TYPE mood;\n",
		// Not applied: drift compares with what the database applied.
		"000002_later.up.sql":   "CREATE TABLE later (id int);\n",
		"000002_later.down.sql": "DROP TABLE later;\n",
	})
	db := testdb.New(t)
	var out bytes.Buffer
	if code := run([]string{"apply", "--dir", mig, "--to", "1", "--database-url", db}, nil, &out, &out); code != exitOK {
		t.Fatalf("apply: exit %d\n%s", code, out.String())
	}
	// The reader may log in and read the bookkeeping table, nothing else.
	if err := testdb.Exec(ctx, db, "GRANT SELECT ON ddlmig_migrations TO "+role); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(db)
	if err != nil || u.Scheme == "" {
		t.Skip("test server URL is not a URL")
	}
	u.User = url.User(role)
	reader := u.String()

	drift := func() (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run([]string{"drift", "--dir", mig, "--database-url", reader}, nil, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	if code, stdout, stderr := drift(); code != exitOK || !strings.Contains(stdout, "no drift") {
		t.Fatalf("untouched database: exit %d, want 0\n%s%s", code, stdout, stderr)
	}
	// Against a schema file: the same as the migration, then one column
	// more.
	schemaFile := filepath.Join(dir, "schema.sql")
	for _, tc := range []struct {
		schema string
		code   int
		want   string
	}{
		{driftUp, exitOK, "no drift"},
		{strings.Replace(driftUp, "mood mood\n", "mood mood,\n    age int\n", 1), exitChanges, "ADD COLUMN age integer"},
	} {
		write(t, dir, map[string]string{"schema.sql": tc.schema})
		var stdout, stderr bytes.Buffer
		code := run([]string{"drift", "--against", "schema", "--schema", schemaFile, "--dir", mig, "--database-url", reader}, nil, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stdout.String(), tc.want) {
			t.Errorf("--against schema: exit %d, want %d and %q:\n%s%s", code, tc.code, tc.want, stdout.String(), stderr.String())
		}
	}

	if err := testdb.Exec(ctx, db, `
ALTER TABLE users ADD COLUMN extra int;
DROP INDEX users_email;
ALTER TABLE users ALTER COLUMN status SET DEFAULT 'old';
CREATE FUNCTION sneaky() RETURNS int LANGUAGE sql AS 'SELECT 1';
GRANT UPDATE ON users TO app_user;
CREATE TABLE stray (id int);
ALTER TABLE orders DROP CONSTRAINT orders_total_check;
COMMENT ON TABLE users IS 'changed';
ALTER TYPE mood ADD VALUE 'meh';
CREATE OR REPLACE VIEW user_emails AS SELECT id, email, status FROM users;
`); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := drift()
	if code != exitChanges {
		t.Errorf("drifted database: exit %d, want %d\n%s%s", code, exitChanges, stdout, stderr)
	}
	for _, want := range []string{
		"DROP COLUMN extra",
		"CREATE INDEX users_email",
		"SET DEFAULT 'new'",
		"DROP FUNCTION public.sneaky()",
		"REVOKE UPDATE ON TABLE public.users FROM app_user",
		"DROP TABLE public.stray",
		"ADD CONSTRAINT orders_total_check CHECK",
		"COMMENT ON TABLE public.users IS 'people'",
		"'meh'",
		"VIEW public.user_emails",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("drift does not print %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "changes bring it back") || strings.Contains(stdout, "public.later") {
		t.Errorf("summary:\n%s\nSQL:\n%s", stderr, stdout)
	}
}
