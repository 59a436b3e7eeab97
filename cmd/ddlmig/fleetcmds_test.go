package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/jackc/pgx/v5"
)

// fleetFolder writes three migrations creating a, b and c.
func fleetFolder(t *testing.T) string {
	t.Helper()
	mig := filepath.Join(t.TempDir(), "migrations")
	os.Mkdir(mig, 0o755)
	for name, sql := range map[string]string{
		"000001_a.up.sql": "CREATE TABLE a (id int);\n", "000001_a.down.sql": "DROP TABLE a;\n",
		"000002_b.up.sql": "CREATE TABLE b (id int);\n", "000002_b.down.sql": "-- ddlmig:down-hazard drops table b\nDROP TABLE b;\n",
		"000003_c.up.sql": "CREATE TABLE c (id int);\n", "000003_c.down.sql": "DROP TABLE c;\n",
	} {
		if err := os.WriteFile(filepath.Join(mig, name), []byte(sql), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return mig
}

// fleetRun runs ddlmig with args on mig, failing the test if secret shows.
func fleetRun(t *testing.T, mig, secret string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append(args, "--dir", mig), strings.NewReader(""), &out, &errb)
	if strings.Contains(out.String()+errb.String(), secret) {
		t.Fatalf("password printed:\n%s%s", out.String(), errb.String())
	}
	return code, out.String(), errb.String()
}

func fleetDoc(t *testing.T, out string) FleetJSON {
	t.Helper()
	var doc FleetJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return doc
}

// TestFleetQueryDriftDown: the targets are the URLs a control database's
// tenants table holds (with passwords, never printed). apply brings all
// four to version 3; one gets a table by hand, and drift --targets-query
// reports that one drifted, naming the change, and exits 1, and
// apply --check-drift fails that one only; down --to 1
// refuses the hazardous down file without --yes, then with it brings all
// to version 1. Dry runs before apply and down list the files each target
// would run and change nothing.
func TestFleetQueryDriftDown(t *testing.T) {
	ctx := context.Background()
	mig := fleetFolder(t)
	const secret = "ctlpw4q8z"
	control := testdb.New(t)
	if err := testdb.Exec(ctx, control, `CREATE TABLE tenants (id int, url text)`); err != nil {
		t.Fatal(err)
	}
	var urls []string
	for i := range 4 {
		u := testdb.New(t)
		urls = append(urls, u)
		p, _ := url.Parse(u)
		p.User = url.UserPassword(p.User.Username(), secret) // trust auth ignores it
		if err := testdb.Exec(ctx, control, `INSERT INTO tenants VALUES (`+string(rune('0'+i))+`, '`+p.String()+`')`); err != nil {
			t.Fatal(err)
		}
	}
	sel := []string{"--targets-query", "SELECT url FROM tenants ORDER BY id", "--control-url", control, "--format", "json"}
	code, out, errs := fleetRun(t, mig, secret, append([]string{"apply", "--dry-run", "--to", "2"}, sel...)...)
	doc := fleetDoc(t, out)
	for i, r := range doc.Targets {
		if code != exitOK || strings.Join(r.WouldRun, " ") != "000001_a.up.sql 000002_b.up.sql" || r.After != 0 {
			t.Fatalf("apply --dry-run target %d: exit %d %+v\n%s", i, code, r, errs)
		}
	}
	if code, out, errs := fleetRun(t, mig, secret, append([]string{"apply"}, sel...)...); code != exitOK {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	testdb.Exec(ctx, urls[2], "CREATE TABLE extra (id int)")
	code, out, errs = fleetRun(t, mig, secret, append([]string{"drift"}, sel...)...)
	doc = fleetDoc(t, out)
	if code != exitChanges || doc.OK != 3 || doc.Drifted != 1 || doc.Targets[2].Outcome != "drifted" {
		t.Fatalf("drift: exit %d\n%s%s", code, out, errs)
	}
	if d := doc.Targets[2].Drift; len(d) != 1 || !strings.Contains(d[0], "DROP TABLE public.extra") || doc.Targets[2].After != 3 {
		t.Errorf("drift of target 2: %+v", doc.Targets[2])
	}
	code, out, _ = fleetRun(t, mig, secret, append([]string{"apply", "--check-drift"}, sel...)...)
	doc = fleetDoc(t, out)
	if code != exitNo || doc.OK != 3 || doc.Failed != 1 || !strings.Contains(doc.Targets[2].Error, "check-drift") || len(doc.Targets[2].Drift) != 1 {
		t.Errorf("apply --check-drift: exit %d\n%s", code, out)
	}
	code, _, errs = fleetRun(t, mig, secret, append([]string{"down", "--to", "1"}, sel...)...)
	if code == exitOK || !strings.Contains(errs, "drops table b") {
		t.Errorf("down without --yes: exit %d\n%s", code, errs)
	}
	code, _, errs = fleetRun(t, mig, secret, append([]string{"down", "--steps", "1"}, sel...)...)
	if code != exitUsage || !strings.Contains(errs, "needs --to VERSION") {
		t.Errorf("down --steps: exit %d\n%s", code, errs)
	}
	code, out, _ = fleetRun(t, mig, secret, append([]string{"down", "--to", "1", "--dry-run"}, sel...)...)
	doc = fleetDoc(t, out)
	if code != exitOK || strings.Join(doc.Targets[0].WouldRun, " ") != "000003_c.down.sql 000002_b.down.sql" || doc.Targets[0].After != 3 {
		t.Errorf("down --dry-run: exit %d %+v", code, doc.Targets[0])
	}
	code, out, errs = fleetRun(t, mig, secret, append([]string{"down", "--to", "1", "--yes"}, sel...)...)
	doc = fleetDoc(t, out)
	if code != exitOK || doc.OK != 4 {
		t.Fatalf("down: exit %d\n%s%s", code, out, errs)
	}
	for i, r := range doc.Targets {
		if r.Before != 3 || r.After != 1 || r.RolledBack != 2 {
			t.Errorf("down target %d: %+v", i, r)
		}
	}
}

// TestFleetSchemasQueryWaves: schema per tenant on one database, found by
// --schemas-query, run as a canary of 1 then waves of 50%: five tenants
// go as 1 | 2 | 2; each schema gets its own tables and ledger.
func TestFleetSchemasQueryWaves(t *testing.T) {
	ctx := context.Background()
	mig := fleetFolder(t)
	db := testdb.New(t)
	if err := testdb.Exec(ctx, db, `CREATE SCHEMA t1; CREATE SCHEMA t2; CREATE SCHEMA t3; CREATE SCHEMA t4; CREATE SCHEMA t5`); err != nil {
		t.Fatal(err)
	}
	code, out, errs := fleetRun(t, mig, "no-secret-zq9", "apply", "--database-url", db, "--schemas-query", "SELECT nspname FROM pg_namespace WHERE nspname ~ '^t[0-9]$' ORDER BY 1",
		"--canary", "1", "--wave", "50%", "--format", "json")
	doc := fleetDoc(t, out)
	if code != exitOK || doc.OK != 5 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	var waves, schemas []string
	for _, r := range doc.Targets {
		waves = append(waves, string(rune('0'+r.Wave)))
		schemas = append(schemas, r.Schema)
	}
	if got := strings.Join(waves, ""); got != "01122" {
		t.Errorf("waves %s, want 01122", got)
	}
	if got := strings.Join(schemas, ","); got != "t1,t2,t3,t4,t5" {
		t.Errorf("schemas %s", got)
	}
	n, err := countTables(ctx, db, `SELECT count(*) FROM pg_tables WHERE schemaname ~ '^t[0-9]$'`)
	if err != nil || n != 20 {
		t.Errorf("%d tables in the tenant schemas (%v), want 5 × (a, b, c, ddlmig_migrations)", n, err)
	}
	if n, _ := countTables(ctx, db, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`); n != 0 {
		t.Errorf("%d tables in public", n)
	}
	// --exit-code: 3 while a target has pending migrations.
	code, _, errs = fleetRun(t, mig, "no-secret-zq9", "status", "--database-url", db, "--schemas-query", "SELECT 't1'", "--exit-code")
	if code != exitOK {
		t.Errorf("status --exit-code, all applied: exit %d\n%s", code, errs)
	}
	code, _, errs = fleetRun(t, mig, "no-secret-zq9", "status", "--database-url", db, "--schemas-query", "SELECT 't6'", "--exit-code")
	if code != exitPending {
		t.Errorf("status --exit-code, a new tenant: exit %d, want %d\n%s", code, exitPending, errs)
	}
	code, _, errs = fleetRun(t, mig, "no-secret-zq9", "status", "--database-url", db, "--schemas-query", "SELECT 't1'", "--targets", "x")
	if code != exitUsage || !strings.Contains(errs, "give one of") {
		t.Errorf("two selections: exit %d\n%s", code, errs)
	}
}

func countTables(ctx context.Context, url, sql string) (int, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, sql).Scan(&n)
	return n, err
}
