package scratch_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddlmig/ddlmig/internal/scratch"
	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestImports keeps scratch usable by the oracle, which must not depend on
// any other ddlmig package.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/ddlmig/ddlmig/") && dep != "github.com/ddlmig/ddlmig/internal/scratch" {
			t.Errorf("scratch depends on %s", dep)
		}
	}
}

func connect(t *testing.T, connString string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), connString)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// TestGuard checks that a connection made from a scratch config runs in its
// database, and that one whose database was changed on the way (as a
// connection pooler mapping names, or a careless caller, could) is refused
// before any statement runs.
func TestGuard(t *testing.T) {
	ctx := context.Background()
	victimURL := testdb.New(t)
	if err := testdb.Exec(ctx, victimURL, "CREATE TABLE keep (id int); INSERT INTO keep VALUES (1), (2)"); err != nil {
		t.Fatal(err)
	}
	victim, err := pgx.ParseConfig(victimURL)
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := scratch.Create(ctx, connect(t, testdb.ServerURL()), "ddlmig_scratchtest", "a")
	if err != nil {
		t.Fatal(err)
	}
	defer dbs.Drop(ctx)

	conn, err := pgx.ConnectConfig(ctx, dbs.Config("a"))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&got); err != nil || got != dbs.Name("a") {
		t.Errorf("current_database() = %q (%v), want %q", got, err, dbs.Name("a"))
	}
	conn.Close(ctx)

	// A config handed out, its database changed afterwards.
	cfg := dbs.Config("a")
	cfg.Database = victim.Database
	if conn, err := pgx.ConnectConfig(ctx, cfg); err == nil {
		conn.Exec(ctx, "DROP TABLE keep")
		conn.Close(ctx)
		t.Error("connected to the victim database")
	} else if !errors.Is(err, scratch.ErrWrongDatabase) || !strings.Contains(err.Error(), victim.Database) {
		t.Errorf("error %v, want ErrWrongDatabase naming %s", err, victim.Database)
	}

	// A guarded config whose own set-up runs a statement: the guard comes
	// first.
	ran := false
	cfg = victim.Copy()
	cfg.AfterConnect = func(ctx context.Context, pc *pgconn.PgConn) error {
		ran = true
		return pc.Exec(ctx, "DROP TABLE keep").Close()
	}
	scratch.Guard(cfg, dbs.Name("a"))
	if conn, err := pgx.ConnectConfig(ctx, cfg); err == nil {
		conn.Close(ctx)
		t.Error("connected to the victim database")
	} else if !errors.Is(err, scratch.ErrWrongDatabase) {
		t.Errorf("error %v, want ErrWrongDatabase", err)
	}
	if ran {
		t.Error("the config's AfterConnect ran in the victim database")
	}

	// A search_path (options=-c search_path=... in the URL) that puts a
	// function answering the scratch name before pg_catalog.
	if err := testdb.Exec(ctx, victimURL, `CREATE SCHEMA evil;
CREATE FUNCTION evil.current_database() RETURNS name LANGUAGE sql AS $$ SELECT `+"'"+dbs.Name("a")+"'"+`::name $$`); err != nil {
		t.Fatal(err)
	}
	cfg = dbs.Config("a")
	cfg.Database = victim.Database
	cfg.RuntimeParams["search_path"] = "evil, pg_catalog"
	if conn, err := pgx.ConnectConfig(ctx, cfg); err == nil {
		conn.Close(ctx)
		t.Error("connected to the victim database with an impostor current_database()")
	} else if !errors.Is(err, scratch.ErrWrongDatabase) {
		t.Errorf("error %v, want ErrWrongDatabase", err)
	}

	var n int
	if err := connect(t, victimURL).QueryRow(ctx, "SELECT count(*) FROM keep").Scan(&n); err != nil || n != 2 {
		t.Errorf("victim: %d rows (%v), want 2", n, err)
	}
}

// TestConnString checks that every way of naming a database in a
// connection string is replaced, by parsing the result back.
func TestConnString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u@h/app", "postgres://u@h/scratch_1"},
		{"postgres://u@h/app?sslmode=disable", "postgres://u@h/scratch_1?sslmode=disable"},
		{"postgres://u@h/app?database=prod", "postgres://u@h/scratch_1"},
		{"postgresql://u@h/?dbname=prod&sslmode=disable", "postgresql://u@h/scratch_1?sslmode=disable"},
		{"postgres://u@h/app?dbname=a&database=prod", "postgres://u@h/scratch_1"},
		{"postgres://u@h/a%2Fb", "postgres://u@h/scratch_1"},
		{"host=h user=u dbname=prod", "host=h user=u dbname=prod dbname='scratch_1'"},
		{"host=h user=u database=prod", "host=h user=u database=prod dbname='scratch_1'"},
		{"host=h user=u", "host=h user=u dbname='scratch_1'"},
	}
	for _, tt := range tests {
		got, err := scratch.ConnString(tt.in, "scratch_1")
		if err != nil || got != tt.want {
			t.Errorf("ConnString(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		cfg, err := pgx.ParseConfig(got)
		if err != nil || cfg.Database != "scratch_1" {
			t.Errorf("ConnString(%q) = %q names %q (%v)", tt.in, got, cfg.Database, err)
		}
	}
	if got, err := scratch.ConnString("host=h dbname=x", "it's"); err != nil {
		t.Errorf("quoted name: %v", err)
	} else if cfg, err := pgx.ParseConfig(got); err != nil || cfg.Database != "it's" {
		t.Errorf("quoted name: %q names %v (%v)", got, cfg, err)
	}
}

// session returns a new session's pid and start time as a stale-aware name
// wants them.
func session(t *testing.T, conn *pgx.Conn) string {
	t.Helper()
	var pid int32
	var start int64
	if err := conn.QueryRow(context.Background(), `SELECT pid, (extract(epoch FROM backend_start) * 1000000)::bigint
FROM pg_stat_activity WHERE pid = pg_backend_pid()`).Scan(&pid, &start); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d_%d", pid, start)
}

// waitGone waits until the backend pid has left pg_stat_activity: a closed
// connection's backend exits a moment later.
func waitGone(t *testing.T, conn *pgx.Conn, pid uint32) {
	t.Helper()
	for range 100 {
		var n int
		if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", int32(pid)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("backend %d still runs", pid)
}

// TestCreateDropsStale leaves databases named as Create names them: one of
// a session that has ended (a killed process), one of a session still
// connected (a run in progress), and one whose name merely starts with the
// prefix. Create drops the first only.
func TestCreateDropsStale(t *testing.T) {
	ctx := context.Background()
	const prefix = "ddlmig_scratchstale"
	admin := connect(t, testdb.ServerURL())
	dead, err := pgx.Connect(ctx, testdb.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	stale := prefix + "_" + session(t, dead) + "_00c0ffee_migrated"
	deadPID := dead.PgConn().PID()
	dead.Close(ctx)
	waitGone(t, admin, deadPID)
	live := prefix + "_" + session(t, connect(t, testdb.ServerURL())) + "_00c0ffee_migrated"
	other := prefix + "_manual"
	for _, name := range []string{stale, live, other} {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		})
	}

	dbs, err := scratch.Create(ctx, admin, prefix, "a")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{stale}; !slices.Equal(dbs.Stale, want) {
		t.Errorf("Stale = %q, want %q", dbs.Stale, want)
	}
	exists := func(name string) bool {
		var ok bool
		if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for name, want := range map[string]bool{stale: false, live: true, other: true, dbs.Name("a"): true} {
		if got := exists(name); got != want {
			t.Errorf("database %s exists: %v, want %v", name, got, want)
		}
	}
	if err := dbs.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if exists(dbs.Name("a")) {
		t.Errorf("database %s survives Drop", dbs.Name("a"))
	}
}
