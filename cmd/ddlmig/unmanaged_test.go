package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// unmanagedSchema marks three statements ddlmig does not model: a
// publication and a rule (objects it can name, so a down migration drops
// them) and a statistics target (which names none).
const unmanagedSchema = `CREATE TABLE events (id bigint PRIMARY KEY, kind text);
-- ddlmig:unmanaged
CREATE PUBLICATION events_pub FOR TABLE events;
-- events are never deleted
-- ddlmig:unmanaged
CREATE RULE events_keep AS ON DELETE TO events DO INSTEAD NOTHING;
-- ddlmig:unmanaged
ALTER TABLE events ALTER COLUMN kind SET STATISTICS 500;
`

// TestUnmanagedOnPostgres carries statements marked -- ddlmig:unmanaged
// through generate, apply, down and check on PostgreSQL: written once as
// they are, undone by the down, no change once a migration holds them,
// written again (flagged) when their text changes; and verify agrees.
func TestUnmanagedOnPostgres(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	testdb.Require(t)
	dbURL := testdb.New(t)
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, unmanagedSchema)
	if code, _, errs := cli(t, dir, "generate", "-m", "events"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	up := readMigration(t, dir, "000001_events.up.sql")
	for _, want := range []string{
		"-- ddlmig:unmanaged\nCREATE PUBLICATION events_pub FOR TABLE events;\n",
		"-- ddlmig:unmanaged\nCREATE RULE events_keep AS ON DELETE TO events DO INSTEAD NOTHING;\n",
		"-- ddlmig:unmanaged\nALTER TABLE events ALTER COLUMN kind SET STATISTICS 500;\n",
	} {
		if !strings.Contains(up, want) {
			t.Errorf("up lacks %q:\n%s", want, up)
		}
	}
	if strings.Index(up, "CREATE TABLE public.events") > strings.Index(up, "CREATE PUBLICATION") {
		t.Errorf("unmanaged statements must run after the tables they name:\n%s", up)
	}
	down := readMigration(t, dir, "000001_events.down.sql")
	for _, want := range []string{"DROP RULE events_keep ON events;", "DROP PUBLICATION events_pub;", "write its inverse here by hand"} {
		if !strings.Contains(down, want) {
			t.Errorf("down lacks %q:\n%s", want, down)
		}
	}
	if strings.Index(down, "DROP TABLE") < strings.Index(down, "DROP RULE") {
		t.Errorf("the rule must go before its table:\n%s", down)
	}
	if code, out, errs := cli(t, dir, "generate", "-m", "again"); code != 0 || !strings.Contains(out+errs, "no changes") {
		t.Fatalf("second generate: %d %s %s", code, out, errs)
	}
	if code, out, errs := cli(t, dir, "check"); code != 0 {
		t.Fatalf("check: %s%s", out, errs)
	}
	if code, _, errs := cli(t, dir, "apply", "--database-url", dbURL); code != 0 {
		t.Fatalf("apply: %s", errs)
	}
	q := queryFunc(t, dbURL)
	if got := q("SELECT count(*)::text FROM pg_publication WHERE pubname = 'events_pub'") + q("SELECT count(*)::text FROM pg_rules WHERE rulename = 'events_keep'") +
		q("SELECT attstattarget::text FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'kind'"); got != "11500" {
		t.Errorf("after apply: publication, rule, statistics = %s, want 1 1 500", got)
	}
	if code, _, errs := cli(t, dir, "down", "--database-url", dbURL, "--yes"); code != 0 {
		t.Fatalf("down: %s", errs)
	}
	if got := q("SELECT count(*)::text FROM pg_publication") + q("SELECT count(*)::text FROM pg_class WHERE relname = 'events'"); got != "00" {
		t.Errorf("after down: publications, tables = %s, want none", got)
	}

	// The text changes: written again, flagged; check fails until reviewed.
	writeSchema(t, dir, strings.Replace(unmanagedSchema, "FOR TABLE events;", "FOR TABLE events WITH (publish = 'insert');", 1))
	if code, _, errs := cli(t, dir, "generate", "-m", "publish inserts"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	up2 := readMigration(t, dir, "000002_publish_inserts.up.sql")
	if !strings.Contains(up2, "-- ddlmig:unreviewed unmanaged-changed: ") || !strings.Contains(up2, "DROP PUBLICATION events_pub;\n-- ddlmig:unmanaged\nCREATE PUBLICATION events_pub FOR TABLE events WITH (publish = 'insert');") ||
		strings.Contains(up2, "RULE") {
		t.Errorf("second migration:\n%s", up2)
	}
	if code, out, errs := cli(t, dir, "check"); code == 0 || !strings.Contains(out+errs, "unmanaged-changed") {
		t.Errorf("check passed an unreviewed change: %s%s", out, errs)
	}
	fixed := strings.Replace(up2, "-- ddlmig:unreviewed unmanaged-changed", "-- ddlmig:reviewed unmanaged-changed", 1)
	writeFile(t, filepath.Join(dir, "migrations", "000002_publish_inserts.up.sql"), fixed)
	if code, out, errs := cli(t, dir, "check"); code != 0 {
		t.Errorf("check after review: %s%s", out, errs)
	}
	if code, _, errs := cli(t, dir, "apply", "--database-url", dbURL); code != 0 {
		t.Fatalf("apply: %s", errs)
	}
	if got := q("SELECT pubdelete::text FROM pg_publication WHERE pubname = 'events_pub'"); got != "false" {
		t.Errorf("publication publishes deletes after the change: %s", got)
	}
	var out strings.Builder
	if code, o, errs := cli(t, dir, "verify", "--dev-url", testdb.ServerURL()); code != 0 || !strings.Contains(o, "verified: 2 migrations agree") {
		out.WriteString(o + errs)
		t.Errorf("verify: %d\n%s", code, out.String())
	}
}

// TestHandWrittenUnfoldable: a hand-written migration (generate --empty)
// holding a statement ddlmig cannot fold makes check fail at its line,
// saying the way out; marked unmanaged, check and generate work again and
// the statement is never diffed.
func TestHandWrittenUnfoldable(t *testing.T) {
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, "CREATE TABLE t (id int);\n")
	if code, _, errs := cli(t, dir, "generate", "-m", "t"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := cli(t, dir, "generate", "--empty", "-m", "by hand"); code != 0 {
		t.Fatal(errs)
	}
	file := filepath.Join(dir, "migrations", "000002_by_hand.up.sql")
	blank, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, file, string(blank)+"CREATE TYPE base (INPUT = base_in, OUTPUT = base_out);\n")
	cli(t, dir, "sum") // the edit is reviewed
	line := strings.Count(string(blank), "\n") + 1
	code, out, errs := cli(t, dir, "check")
	wantAt := "000002_by_hand.up.sql:" + strconv.Itoa(line) + ":1: unsupported statement CREATE TYPE (to carry it as written, put a line -- ddlmig:unmanaged right above it)"
	if code == 0 || !strings.Contains(out+errs, wantAt) {
		t.Fatalf("check: exit %d, want %q in:\n%s%s", code, wantAt, out, errs)
	}
	writeFile(t, file, string(blank)+"-- ddlmig:unmanaged\nCREATE TYPE base (INPUT = base_in, OUTPUT = base_out);\n")
	if code, out, errs := cli(t, dir, "sum"); code != 0 { // the hand edit is reviewed
		t.Fatalf("sum: %s%s", out, errs)
	}
	if code, out, errs := cli(t, dir, "check"); code != 0 {
		t.Errorf("check of the marked migration: %s%s", out, errs)
	}
	if code, out, errs := cli(t, dir, "generate", "-m", "nothing"); code != 0 || !strings.Contains(out+errs, "no changes") {
		t.Errorf("generate: %d %s%s", code, out, errs)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestUnmanagedBecomesManaged: a statement a migration ran marked
// -- ddlmig:unmanaged and that schema.sql now writes unmarked is adopted:
// the fold knows its object exists, so generate plans no CREATE of it (which
// would fail on the database) but only what differs; check agrees, and
// apply and verify pass on PostgreSQL.
func TestUnmanagedBecomesManaged(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	testdb.Require(t)
	dbURL := testdb.New(t)
	dir := t.TempDir()
	cli(t, dir, "init")
	const table = "CREATE TABLE events (id bigint PRIMARY KEY, kind text);\n"
	writeSchema(t, dir, table+
		"-- ddlmig:unmanaged\nCREATE PUBLICATION events_pub FOR TABLE events;\n"+
		"-- ddlmig:unmanaged\nCREATE RULE events_keep AS ON DELETE TO events DO INSTEAD NOTHING;\n")
	if code, _, errs := cli(t, dir, "generate", "-m", "events"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	// The rule is managed as it was written; the publication changes.
	writeSchema(t, dir, table+
		"CREATE PUBLICATION events_pub FOR TABLE events WITH (publish = 'insert');\n"+
		"CREATE RULE events_keep AS ON DELETE TO events DO INSTEAD NOTHING;\n")
	if code, _, errs := cli(t, dir, "generate", "-m", "managed"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	up := readMigration(t, dir, "000002_managed.up.sql")
	if !strings.Contains(up, "-- ddlmig:adopt PUBLICATION events_pub\n-- ddlmig:adopt RULE events_keep ON events\n") ||
		!strings.Contains(up, "ALTER PUBLICATION events_pub SET (publish = 'insert'") ||
		strings.Contains(up, "CREATE PUBLICATION") || strings.Contains(up, "CREATE RULE") {
		t.Errorf("second migration:\n%s", up)
	}
	if code, out, errs := cli(t, dir, "generate", "-m", "again"); code != 0 || !strings.Contains(out+errs, "no changes") {
		t.Fatalf("third generate: %d %s %s", code, out, errs)
	}
	if code, out, errs := cli(t, dir, "check"); code != 0 {
		t.Fatalf("check: %s%s", out, errs)
	}
	if code, _, errs := cli(t, dir, "apply", "--database-url", dbURL); code != 0 {
		t.Fatalf("apply: %s", errs)
	}
	q := queryFunc(t, dbURL)
	if got := q("SELECT pubdelete::text FROM pg_publication WHERE pubname = 'events_pub'"); got != "false" {
		t.Errorf("after apply: publishes deletes = %s, want false", got)
	}
	if code, o, errs := cli(t, dir, "verify", "--dev-url", testdb.ServerURL()); code != 0 || !strings.Contains(o, "verified: 2 migrations agree") {
		t.Errorf("verify: %d\n%s%s", code, o, errs)
	}
}

// TestUnmanagedRemovedDown: a statement marked -- ddlmig:unmanaged that
// schema.sql drops, in a change that writes a migration, leaves its object
// alone (ddlmig never drops it), so the down of that migration must not
// run the statement again over the object that still exists.
func TestUnmanagedRemovedDown(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	testdb.Require(t)
	dbURL := testdb.New(t)
	dir := t.TempDir()
	cli(t, dir, "init")
	writeSchema(t, dir, "CREATE TABLE events (id bigint PRIMARY KEY, kind text);\n-- ddlmig:unmanaged\nCREATE INDEX events_kind ON events (kind);\n")
	if code, _, errs := cli(t, dir, "generate", "-m", "events"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	writeSchema(t, dir, "CREATE TABLE events (id bigint PRIMARY KEY, kind text, at timestamptz);\n")
	if code, _, errs := cli(t, dir, "generate", "-m", "at"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	if down := readMigration(t, dir, "000002_at.down.sql"); strings.Contains(down, "CREATE INDEX") {
		t.Errorf("the down runs the unmanaged statement again:\n%s", down)
	}
	if code, _, errs := cli(t, dir, "apply", "--database-url", dbURL); code != 0 {
		t.Fatalf("apply: %s", errs)
	}
	if code, _, errs := cli(t, dir, "down", "--database-url", dbURL, "--yes"); code != 0 {
		t.Fatalf("down: %s", errs)
	}
	q := queryFunc(t, dbURL)
	if got := q("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'events_kind'") + q("SELECT count(*)::text FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'at'"); got != "10" {
		t.Errorf("after down: index, column at = %s, want 1 0", got)
	}
}
