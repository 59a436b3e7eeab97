package fleet

import (
	"context"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/runner"
	"github.com/jackc/pgx/v5"
)

// scalar returns the first column of the first row of sql as text.
func scalar(t *testing.T, url, sql string) string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var s string
	if err := conn.QueryRow(context.Background(), sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// tablesIn lists the tables of schema ns, sorted, comma-separated.
func tablesIn(t *testing.T, url, ns string) string {
	return scalar(t, url, `SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class
		WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = '`+ns+`') AND relkind = 'r'`)
}

// TestSchemaPerTenant: the tenant schemas of one database, found by a
// query, each get the folder's unqualified tables and their own
// bookkeeping table; public gets nothing. One tenant already holds a t2,
// fails, and a rerun after the fix finishes only it. down --to 1 over the
// tenants then rolls each back.
func TestSchemaPerTenant(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	if err := testdb.Exec(ctx, url, `CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA "Tenant C"; CREATE SCHEMA other;
		CREATE TABLE tenant_b.t2 (x text)`); err != nil {
		t.Fatal(err)
	}
	names, err := Query(ctx, url, `SELECT nspname FROM pg_namespace WHERE lower(nspname) LIKE 'tenant%' ORDER BY nspname`)
	if err != nil || strings.Join(names, ",") != "Tenant C,tenant_a,tenant_b" {
		t.Fatalf("schemas %q, %v", names, err)
	}
	targets := Schemas(url, names)
	res := Run(ctx, targets, Apply(folder, runner.Options{}, 0), Options{Parallel: 3, PerHost: 3})
	if got := outcomes(res); got != "oof" {
		t.Fatalf("outcomes %s, want oof: %+v", got, res)
	}
	if res[2].Schema != "tenant_b" || res[2].After != 1 {
		t.Errorf("failed tenant: %+v", res[2])
	}
	testdb.Exec(ctx, url, `DROP TABLE tenant_b.t2`)
	res = Run(ctx, targets, Apply(folder, runner.Options{}, 0), Options{})
	for i, r := range res {
		want := map[bool]int{false: 0, true: 2}[i == 2]
		if r.Outcome != OK || r.Applied != want || r.After != 3 {
			t.Errorf("rerun %s: %s, %d applied, at %d; want ok, %d applied, at 3 (%s)", r.Schema, r.Outcome, r.Applied, r.After, want, r.Error)
		}
	}
	for _, ns := range names {
		if got := tablesIn(t, url, ns); got != "ddlmig_migrations,t1,t2,t3" {
			t.Errorf("schema %s: tables %s", ns, got)
		}
	}
	if got := tablesIn(t, url, "public") + tablesIn(t, url, "other"); got != "" {
		t.Errorf("tables outside the tenants: %s", got)
	}
	res = Run(ctx, targets, Down(folder, runner.Options{}, 1), Options{})
	for _, r := range res {
		if r.Outcome != OK || r.RolledBack != 2 || r.After != 1 {
			t.Errorf("down %s: %+v", r.Schema, r)
		}
	}
	if got := tablesIn(t, url, "Tenant C"); got != "ddlmig_migrations,t1" {
		t.Errorf("after down: %s", got)
	}
}

func TestQueryRefuses(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	for _, c := range []struct{ sql, want string }{
		{`SELECT 'a', 'b'`, "2 columns"},
		{`SELECT NULL::text`, "NULL in row 1"},
		{`SELECT x FROM (VALUES ('a'), ('b'), ('a')) v(x)`, "rows 1 and 3"},
		{`SELECT 'a' WHERE false`, "no row"},
		{`SELECT nosuch FROM pg_class`, "nosuch"},
	} {
		if _, err := Query(ctx, url, c.sql); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.sql, err, c.want)
		}
	}
}
