package testdb

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func dbName(t *testing.T, u string) string {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(pu.Path, "/")
}

func idle(name string) bool {
	thePool.mu.Lock()
	defer thePool.mu.Unlock()
	return slices.Contains(thePool.idle, name)
}

func exists(t *testing.T, name string) bool {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// everything creates one object of each kind a test may leave behind,
// some owned by another role.
const everything = `
CREATE EXTENSION citext;
CREATE EXTENSION pgcrypto SCHEMA public;
CREATE SCHEMA s1; CREATE TABLE s1.t (a int);
CREATE SCHEMA s2 AUTHORIZATION ddlmig_testdb_owner;
CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TYPE comp AS (x int, y text);
CREATE DOMAIN posint AS int CHECK (value > 0);
CREATE TABLE t (id serial PRIMARY KEY, m mood, c comp, p posint, e citext);
CREATE INDEX t_e ON t (e);
INSERT INTO t (m, p, e) VALUES ('a', 1, 'x');
CREATE VIEW v AS SELECT * FROM t; CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'select $1';
CREATE PROCEDURE pr() LANGUAGE sql AS 'select 1';
CREATE AGGREGATE ag(int) (sfunc = int4pl, stype = int);
CREATE OPERATOR === (leftarg = int, rightarg = int, function = int4eq);
CREATE OPERATOR CLASS myops FOR TYPE int USING btree AS OPERATOR 1 <, FUNCTION 1 btint4cmp(int, int);
CREATE STATISTICS st ON id, p FROM t;
CREATE TEXT SEARCH CONFIGURATION myts (COPY = english);
CREATE SEQUENCE sq;
CREATE TABLE pt (a int) PARTITION BY RANGE (a); CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (1) TO (10);
CREATE TYPE r AS RANGE (subtype = int);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS 'begin return new; end';
CREATE TRIGGER tt BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
CREATE PUBLICATION pub FOR TABLE t;
ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY pol ON t USING (true);
COMMENT ON TABLE t IS 'a table';
GRANT SELECT ON t TO ddlmig_testdb_owner;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO ddlmig_testdb_owner;
ALTER DEFAULT PRIVILEGES FOR ROLE ddlmig_testdb_owner GRANT SELECT ON TABLES TO PUBLIC;
SET ROLE ddlmig_testdb_owner;
CREATE TABLE s2.owned (a int);
RESET ROLE;
CREATE TABLE public_owned (a int);
ALTER TABLE public_owned OWNER TO ddlmig_testdb_owner;
CREATE TEMPORARY TABLE tmp (a int);
CREATE FUNCTION evt() RETURNS event_trigger LANGUAGE plpgsql AS 'begin raise exception ''no ddl''; end';
CREATE EVENT TRIGGER no_ddl ON ddl_command_start EXECUTE FUNCTION evt();
`

func TestPoolReusesAnEmptiedDatabase(t *testing.T) {
	CreateRoles(t, "ddlmig_testdb_owner")
	var name string
	t.Run("fill", func(t *testing.T) {
		u := New(t)
		name = dbName(t, u)
		// A session still open when the test ends goes.
		conn, err := pgx.Connect(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		if _, err := conn.Exec(context.Background(), "CREATE TEMPORARY TABLE tmp2 (a int); SELECT pg_advisory_lock(42)"); err != nil {
			t.Fatal(err)
		}
		if err := Exec(context.Background(), u, everything); err != nil {
			t.Fatal(err)
		}
	})
	if !idle(name) {
		t.Fatalf("%s was not kept for reuse (run with DDLMIG_TESTDB_DEBUG=1 to see why)", name)
	}
	t.Run("reuse", func(t *testing.T) {
		u := New(t)
		if got := dbName(t, u); got != name {
			t.Errorf("got %s, want the emptied %s", got, name)
		}
		conn, err := pgx.Connect(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var objects []string
		rows, _ := conn.Query(context.Background(), `SELECT pg_describe_object(classid, objid, 0) FROM pg_depend
			WHERE refclassid = 'pg_namespace'::regclass AND refobjid = 'public'::regnamespace
			UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT IN ('public', 'pg_catalog', 'information_schema', 'pg_toast') AND nspname !~ '^pg_(toast_)?temp_'
			UNION ALL SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
			UNION ALL SELECT 'event trigger ' || evtname FROM pg_event_trigger
			UNION ALL SELECT 'default privileges of ' || defaclrole::regrole FROM pg_default_acl`)
		objects, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if len(objects) > 0 {
			t.Errorf("left in the reused database: %s", strings.Join(objects, ", "))
		}
		var locked bool
		if err := conn.QueryRow(context.Background(), "SELECT pg_try_advisory_lock(42)").Scan(&locked); err != nil || !locked {
			t.Errorf("the advisory lock of the last user's session is still held (%v)", err)
		}
		// DDL works again (the event trigger is gone).
		if _, err := conn.Exec(context.Background(), "CREATE TABLE t (id int)"); err != nil {
			t.Error(err)
		}
	})
}

// TestPoolDropsWhatItCannotEmpty: a database whose catalog still differs
// from a new one after emptying is dropped, not reused.
func TestPoolDropsWhatItCannotEmpty(t *testing.T) {
	for _, tt := range []struct{ name, sql string }{
		{"database setting", "ALTER DATABASE %s SET work_mem = '8MB'"},
		{"database privilege", "REVOKE CONNECT ON DATABASE %s FROM PUBLIC"},
		{"comment on public", "COMMENT ON SCHEMA public IS 'changed'"},
		{"privilege on public", "GRANT CREATE ON SCHEMA public TO PUBLIC"},
		{"privilege on public given and taken back", "GRANT CREATE ON SCHEMA public TO PUBLIC; REVOKE CREATE ON SCHEMA public FROM PUBLIC"},
		{"privilege on a built-in function", "REVOKE EXECUTE ON FUNCTION pg_catalog.now() FROM PUBLIC"},
		{"a cast", "CREATE CAST (text AS bytea) WITHOUT FUNCTION"},
		{"public renamed", "ALTER SCHEMA public RENAME TO old_public; CREATE SCHEMA public"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // DROP DATABASE waits for a checkpoint; concurrent drops share it
			var name string
			t.Run("use", func(t *testing.T) {
				u := New(t)
				name = dbName(t, u)
				sql := tt.sql
				if strings.Contains(sql, "%s") {
					sql = fmt.Sprintf(sql, pgx.Identifier{name}.Sanitize())
				}
				if err := Exec(context.Background(), u, sql); err != nil {
					t.Fatal(err)
				}
			})
			if idle(name) || exists(t, name) {
				t.Errorf("%s: kept (idle %v, exists %v), want dropped", name, idle(name), exists(t, name))
			}
		})
	}
}

// TestPoolDropsStaleDatabases: a pool whose process is gone (nobody holds
// its lock) loses its databases when the next pool starts; a live one keeps
// them.
func TestPoolDropsStaleDatabases(t *testing.T) {
	Require(t)
	ctx := context.Background()
	dead, live := poolPrefix+"0000dead_1", poolPrefix+"0000abcd_1"
	for _, n := range []string{dead, live} {
		if err := Exec(ctx, ServerURL(), "CREATE DATABASE "+n); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { Exec(ctx, ServerURL(), "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)") })
	}
	holder, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	if _, err := holder.Exec(ctx, "SELECT pg_advisory_lock($1, $2)", int32(lockClass), int32(0xabcd)); err != nil {
		t.Fatal(err)
	}
	p := &pool{on: true}
	p.mu.Lock()
	err = p.start(ctx)
	p.mu.Unlock()
	defer p.close()
	if err != nil {
		t.Fatal(err)
	}
	if exists(t, dead) {
		t.Errorf("%s (its owner is gone) was not dropped", dead)
	}
	if !exists(t, live) {
		t.Errorf("%s (its owner holds its lock) was dropped", live)
	}
}
