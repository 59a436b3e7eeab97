package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/scratch"
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
	t.Parallel()
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
			code:  exitNo,
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
			code:  exitNo,
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
		{
			// pg_dump 17.6+ starts its output with \restrict: the error
			// stays at its line and column in the file (verify once said 1:44).
			name:  "schema file does not load after a restrict line",
			files: map[string]string{"schema.sql": "\\restrict abcdefghijklmnopqrstuvwxyz0123456789\n\nCREATE TABLE users (id bigint, name texte);\n\\unrestrict abcdefghijklmnopqrstuvwxyz0123456789\n"},
			code:  exitError,
			want: `note: <dir>/migrations/000002_email.down.sql:1: unreviewed data-loss: drops column public.users.email and its data (verified anyway)
ddlmig: <dir>/schema.sql:3:37: loading the schema file into PostgreSQL: ERROR: type "texte" does not exist (SQLSTATE 42704)
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
			got := strings.ReplaceAll(dropNotes(out.String()), dir, "<dir>")
			if code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
	if after := scratchCount(t); after > before {
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
	if code != exitNo {
		t.Errorf("exit code %d, want %d:\n%s", code, exitNo, out.String())
	}
	if strings.Contains(out.String(), "s3cr3t-pw") {
		t.Errorf("password printed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "column public.users.name: only in B") {
		t.Errorf("drift not reported:\n%s", out.String())
	}
}

// dropNotes removes the notes about stale scratch databases verify dropped:
// another test process's verify, killed, may have left one behind.
func dropNotes(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "note: dropped scratch database ") {
			b.WriteString(l)
		}
	}
	return b.String()
}

// scratchCount counts verify's databases on the test server that no running
// verify owns: left behind. Databases of verify runs going on at the same
// time (other test processes share the server) are not counted.
func scratchCount(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testdb.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	stale, err := scratch.Stale(ctx, conn, "ddlmig_verify")
	if err != nil {
		t.Fatal(err)
	}
	return len(stale)
}

// TestVerifyGenerated verifies what ddlmig generate writes over three edits
// of a schema file, the way a project's CI would.
func TestVerifyGenerated(t *testing.T) {
	t.Parallel()
	testdb.Require(t)
	dir := t.TempDir()
	schemaFile := filepath.Join(dir, "schema.sql")
	mig := filepath.Join(dir, "migrations")
	g := []string{"--schema", schemaFile, "--dir", mig}
	var out bytes.Buffer
	if err := os.Mkdir(mig, 0o755); err != nil { // init writes in the working directory, which a parallel test cannot change
		t.Fatal(err)
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
	// Four: step 2's index on an existing table is built concurrently,
	// in a no-transaction migration of its own.
	if code != exitOK || !strings.Contains(out.String(), "verified: 4 migrations agree with") {
		t.Errorf("exit code %d:\n%s", code, out.String())
	}
}

// TestVerifyDevURLNamesAnotherDatabase gives verify dev URLs that name a
// database holding data in every way pgx reads one (the URL's path, its
// dbname= and database= parameters, key=value strings), with migrations a
// careless verify would happily run there (IF NOT EXISTS, then DROP TABLE).
// verify must work on its own scratch databases only: the victim keeps its
// table and every row.
func TestVerifyDevURLNamesAnotherDatabase(t *testing.T) {
	t.Parallel()
	testdb.Require(t)
	ctx := context.Background()
	victimURL := testdb.New(t)
	cfg, err := pgx.ParseConfig(victimURL)
	if err != nil {
		t.Fatal(err)
	}
	victim := cfg.Database
	server, err := pgx.ParseConfig(testdb.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	kv := fmt.Sprintf("host=%s port=%d user=%s sslmode=disable", server.Host, server.Port, server.User)
	withQuery := func(q string) string {
		u, err := url.Parse(testdb.ServerURL())
		if err != nil || u.Scheme == "" {
			t.Skip("test server URL is not a URL")
		}
		if u.RawQuery != "" {
			q = u.RawQuery + "&" + q
		}
		u.RawQuery = q
		return u.String()
	}
	tests := []struct {
		name   string
		devURL func() string
	}{
		{"URL database= parameter", func() string { return withQuery("database=" + victim) }},
		{"URL dbname= parameter", func() string { return withQuery("dbname=" + victim) }},
		{"URL path", func() string { return victimURL }},
		{"key=value dbname", func() string { return kv + " dbname=" + victim }},
		{"key=value database", func() string { return kv + " database=" + victim }},
		{"key=value dbname twice", func() string { return kv + " dbname=postgres dbname=" + victim }},
	}
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	if err := os.Mkdir(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	const table = "CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, name text NOT NULL);\n"
	write(t, dir, map[string]string{"schema.sql": table})
	write(t, mig, map[string]string{"000001_users.up.sql": table, "000001_users.down.sql": "DROP TABLE users;\n"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := testdb.Exec(ctx, victimURL, `DROP TABLE IF EXISTS users;
CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO users SELECT g, 'n' || g FROM generate_series(1, 500) g;`); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			code := run([]string{"verify", "--dev-url", tt.devURL(), "--schema", filepath.Join(dir, "schema.sql"), "--dir", mig}, nil, &out, &out)
			if code != exitOK || !strings.Contains(out.String(), "verified: 1 migration agrees with") {
				t.Errorf("exit code %d:\n%s", code, out.String())
			}
			conn, err := pgx.Connect(ctx, victimURL)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			var n int
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil || n != 500 {
				t.Fatalf("victim database %s: %d rows in users, want 500 (%v)", victim, n, err)
			}
		})
	}
}

// TestVerifyKilled runs verify in a real process whose first migration
// sleeps, and while it sleeps runs a second verify: that one must leave the
// running verify's scratch databases alone. Then the first process is
// killed with SIGKILL, which leaves its databases behind, and the next
// verify drops them and says so.
func TestVerifyKilled(t *testing.T) {
	testdb.Require(t)
	ctx := t.Context()
	bin := filepath.Join(t.TempDir(), "ddlmig")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	admin, err := pgx.Connect(ctx, testdb.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.WithoutCancel(ctx))

	folder := func(up string) (schema, mig string) {
		dir := t.TempDir()
		mig = filepath.Join(dir, "migrations")
		if err := os.Mkdir(mig, 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, dir, map[string]string{"schema.sql": "CREATE TABLE a (id int);\n"})
		write(t, mig, map[string]string{"000001_a.up.sql": up, "000001_a.down.sql": "DROP TABLE a;\n"})
		return filepath.Join(dir, "schema.sql"), mig
	}
	// The token tells this test's slow statement from another test
	// process's.
	token := fmt.Sprintf("verify-killed-%d", time.Now().UnixNano())
	schema, mig := folder("CREATE TABLE a (id int);\nSELECT pg_sleep(60), '" + token + "';\n")
	cmd := exec.Command(bin, "verify", "--dev-url", testdb.ServerURL(), "--schema", schema, "--dir", mig)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var sleeping string // the database the slow migration runs in
	for deadline := time.Now().Add(60 * time.Second); sleeping == ""; time.Sleep(50 * time.Millisecond) {
		admin.QueryRow(ctx, `SELECT datname FROM pg_stat_activity WHERE datname LIKE 'ddlmig\_verify\_%' AND strpos(query, $1) > 0 AND state = 'active'`, token).Scan(&sleeping)
		if time.Now().After(deadline) {
			t.Fatal("the slow migration never started")
		}
	}
	base := strings.TrimSuffix(sleeping, "_migrated")
	var names []string
	for _, role := range []string{"migrated", "schema", "empty"} {
		names = append(names, base+"_"+role)
	}
	exist := func() []string {
		rows, err := admin.Query(ctx, "SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname", names)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := slices.Sorted(slices.Values(names))

	schema, mig = folder("CREATE TABLE a (id int);\n")
	verify := func() string {
		var out bytes.Buffer
		if code := run([]string{"verify", "--dev-url", testdb.ServerURL(), "--schema", schema, "--dir", mig}, nil, &out, &out); code != exitOK {
			t.Errorf("verify: exit code %d:\n%s", code, out.String())
		}
		return out.String()
	}
	out := verify()
	if strings.Contains(out, base) {
		t.Errorf("verify named the running verify's databases:\n%s", out)
	}
	if diff := cmp.Diff(want, exist()); diff != "" {
		t.Errorf("a running verify's databases (-want +got):\n%s", diff)
	}

	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	// The killed process's server session ends once the server sees its
	// socket closed.
	pid, _, _ := strings.Cut(strings.TrimPrefix(base, "ddlmig_verify_"), "_")
	for i := 0; ; i++ {
		var n int
		if err := admin.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int", pid).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if i == 200 {
			t.Fatalf("the killed verify's session %s still runs", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if diff := cmp.Diff(want, exist()); diff != "" {
		t.Errorf("a killed verify's databases (-want +got):\n%s", diff)
	}
	out = verify()
	for _, name := range want {
		if note := "note: dropped scratch database " + name + ", left behind by a verify that no longer runs\n"; !strings.Contains(out, note) {
			t.Errorf("output lacks %q:\n%s", note, out)
		}
	}
	if got := exist(); len(got) > 0 {
		t.Errorf("left behind: %q", got)
	}
}
