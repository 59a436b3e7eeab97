package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

const verifySchema = `CREATE TABLE users (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    email varchar(255)
);
CREATE INDEX users_email ON users (email);
`

// verifyFolder is a migrations folder that matches verifySchema; the cases
// override some of its files.
var verifyFolder = map[string]string{
	"000001_users.up.sql":   "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);\n",
	"000001_users.down.sql": "DROP TABLE users;\n",
	"000002_email.up.sql":   "ALTER TABLE users ADD COLUMN email varchar(255);\nCREATE INDEX users_email ON users (email);\n",
	"000002_email.down.sql": "-- ddlmig:unreviewed data-loss: drops column public.users.email and its data\nALTER TABLE users DROP COLUMN email;\n",
}

// TestVerify runs `ddlmig verify` against the test server on folders that
// agree with the schema file and on folders that drift from it.
func TestVerify(t *testing.T) {
	testdb.Require(t)
	tests := []struct {
		name  string
		files map[string]string // overrides of verifyFolder; "" deletes
		code  int
		want  string
	}{
		{
			name: "migrations match the schema",
			code: exitOK,
			want: `note: <dir>/migrations/000002_email.down.sql:1: unreviewed data-loss: drops column public.users.email and its data (verified anyway)
2 up migrations: matches <dir>/schema.sql
2 down migrations: matches an empty database
2 up migrations again: matches <dir>/schema.sql
verified: 2 migrations agree with <dir>/schema.sql
`,
		},
		{
			name:  "up edited by hand",
			files: map[string]string{"000002_email.up.sql": "ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX users_email ON users (email);\n"},
			code:  exitError,
			want: `note: <dir>/migrations/000002_email.down.sql:1: unreviewed data-loss: drops column public.users.email and its data (verified anyway)
2 up migrations: 1 difference from <dir>/schema.sql (A = migrated, B = <dir>/schema.sql):
	column public.users.email: type text vs character varying(255)
2 down migrations: matches an empty database
2 up migrations again: 1 difference from <dir>/schema.sql (A = migrated, B = <dir>/schema.sql):
	column public.users.email: type text vs character varying(255)
ddlmig: the migrations and the schema file disagree (see above)
`,
		},
		{
			name:  "down does not restore",
			files: map[string]string{"000001_users.down.sql": "ALTER TABLE users DROP COLUMN name;\n", "000002_email.down.sql": "DROP INDEX users_email;\nALTER TABLE users DROP COLUMN email;\n"},
			code:  exitError,
			want: `2 up migrations: matches <dir>/schema.sql
2 down migrations: 1 difference from an empty database (A = migrated, B = an empty database):
	table public.users: only in A
2 up migrations again: FAILED
ddlmig: 000001_users.up.sql:1:1: ERROR: relation "users" already exists (SQLSTATE 42P07)
The migration was rolled back; nothing of it was applied.
`,
		},
		{
			name:  "schema file does not load",
			files: map[string]string{"schema.sql": "CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    name texte\n);\n"},
			code:  exitError,
			want: `note: <dir>/migrations/000002_email.down.sql:1: unreviewed data-loss: drops column public.users.email and its data (verified anyway)
ddlmig: <dir>/schema.sql:3:10: loading the schema file into PostgreSQL: ERROR: type "texte" does not exist (SQLSTATE 42704)
`,
		},
	}
	before := scratchCount(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			mig := filepath.Join(dir, "migrations")
			schemaFile := filepath.Join(dir, "schema.sql")
			write(t, dir, map[string]string{"schema.sql": verifySchema})
			if err := os.Mkdir(mig, 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, mig, verifyFolder)
			for name, text := range tt.files {
				if name == "schema.sql" {
					write(t, dir, map[string]string{name: text})
				} else {
					write(t, mig, map[string]string{name: text})
				}
			}
			var out bytes.Buffer
			code := run([]string{"verify", "--dev-url", testdb.ServerURL(), "--schema", schemaFile, "--dir", mig}, nil, &out, &out)
			got := strings.ReplaceAll(out.String(), dir, "<dir>")
			if code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
	if after := scratchCount(t); after != before {
		t.Errorf("%d scratch databases left behind", after-before)
	}
}

// TestVerifyNoDevURL checks that verify says how to get a server.
func TestVerifyNoDevURL(t *testing.T) {
	t.Setenv("DDLMIG_DEV_URL", "")
	var out bytes.Buffer
	code := run([]string{"verify"}, nil, &out, &out)
	if code != exitUsage {
		t.Errorf("exit code %d, want %d", code, exitUsage)
	}
	for _, want := range []string{"--dev-url", "DDLMIG_DEV_URL", "CREATE DATABASE", "scripts/pg-throwaway"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestVerifyHidesPassword gives verify a URL with a password (the test
// server trusts everyone, so it connects anyway) and a failure to report,
// and checks that the password is printed nowhere.
func TestVerifyHidesPassword(t *testing.T) {
	testdb.Require(t)
	u, err := url.Parse(testdb.ServerURL())
	if err != nil || u.Scheme == "" {
		t.Skip("test server URL is not a URL") // key=value strings are covered by runner's tests
	}
	u.User = url.UserPassword(u.User.Username(), "s3cr3t-pw")
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	if err := os.Mkdir(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, map[string]string{"schema.sql": verifySchema})
	write(t, mig, map[string]string{"000001_users.up.sql": "CREATE TABLE users (id int);\n", "000001_users.down.sql": "DROP TABLE users;\n"})
	t.Setenv("DDLMIG_DEV_URL", u.String())
	var out bytes.Buffer
	code := run([]string{"verify", "--schema", filepath.Join(dir, "schema.sql"), "--dir", mig}, nil, &out, &out)
	if code != exitError {
		t.Errorf("exit code %d, want %d:\n%s", code, exitError, out.String())
	}
	if strings.Contains(out.String(), "s3cr3t-pw") {
		t.Errorf("password printed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "column public.users.name: only in B") {
		t.Errorf("drift not reported:\n%s", out.String())
	}
}

// scratchCount counts verify's databases on the test server.
func scratchCount(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testdb.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname LIKE 'ddlmig\\_verify\\_%'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestVerifyGenerated verifies what ddlmig generate writes over three edits
// of a schema file, the way a project's CI would.
func TestVerifyGenerated(t *testing.T) {
	testdb.Require(t)
	dir := t.TempDir()
	schemaFile := filepath.Join(dir, "schema.sql")
	mig := filepath.Join(dir, "migrations")
	g := []string{"--schema", schemaFile, "--dir", mig}
	var out bytes.Buffer
	if code := run(append([]string{"init"}, g...), nil, &out, &out); code != exitOK {
		t.Fatalf("init: %d\n%s", code, out.String())
	}
	for i, schema := range []string{
		"CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);\n",
		verifySchema,
		verifySchema + "CREATE TYPE mood AS ENUM ('ok', 'sad');\nALTER TABLE users ADD COLUMN mood mood DEFAULT 'ok';\n",
	} {
		write(t, dir, map[string]string{"schema.sql": schema})
		out.Reset()
		if code := run(append([]string{"generate", "--no-input", "-m", fmt.Sprintf("step %d", i+1)}, g...), strings.NewReader(""), &out, &out); code != exitOK {
			t.Fatalf("generate %d: %d\n%s", i+1, code, out.String())
		}
	}
	out.Reset()
	code := run(append([]string{"verify", "--dev-url", testdb.ServerURL()}, g...), nil, &out, &out)
	if code != exitOK || !strings.Contains(out.String(), "verified: 3 migrations agree with") {
		t.Errorf("exit code %d:\n%s", code, out.String())
	}
}
