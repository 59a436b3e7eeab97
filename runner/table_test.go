package runner

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/migfile"
)

// TestTableNotOurs names, as the bookkeeping table, relations ddlmig did not
// make: each command refuses with ErrNotBookkeeping and a message saying
// what is there, and the relation is left exactly as it was (no column
// added), with no migration run.
func TestTableNotOurs(t *testing.T) {
	cases := []struct {
		name  string
		setup string // run before the runner starts
		table string
		// relation is what must stay unchanged: its columns, from
		// pg_attribute.
		relation string
		want     string
	}{{
		name:     "a user's table",
		setup:    `CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text)`,
		table:    "customers",
		relation: "public.customers",
		want:     "bookkeeping table public.customers: the table exists but is not one ddlmig made (its columns are id, name, email; a ddlmig table's are version, name, checksum, applied_at, duration, dirty, failure, batch, batch_file)",
	}, {
		name:     "a system view",
		table:    "information_schema.tables",
		relation: "information_schema.tables",
		want:     "bookkeeping table information_schema.tables: it is a view, not a table ddlmig made",
	}, {
		name:     "a view of the user's",
		setup:    `CREATE VIEW v AS SELECT 1 AS version`,
		table:    "public.v",
		relation: "public.v",
		want:     "bookkeeping table public.v: it is a view, not a table ddlmig made",
	}, {
		name: "an older ddlmig table with a column of the user's",
		setup: `CREATE TABLE ddlmig_migrations (version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT clock_timestamp(), duration interval, dirty boolean NOT NULL DEFAULT false, failure text, note text)`,
		relation: "public.ddlmig_migrations",
		want:     "(unexpected column note text)",
	}, {
		name: "ddlmig's columns with another type",
		setup: `CREATE TABLE ddlmig_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT clock_timestamp(), duration interval, dirty boolean NOT NULL DEFAULT false, failure text, batch integer, batch_file text)`,
		relation: "public.ddlmig_migrations",
		want:     "(column version is integer NOT NULL, not bigint NOT NULL)",
	}, {
		name: "ddlmig's columns without the primary key",
		setup: `CREATE TABLE ddlmig_migrations (version bigint NOT NULL, name text NOT NULL, checksum text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT clock_timestamp(), duration interval, dirty boolean NOT NULL DEFAULT false, failure text)`,
		relation: "public.ddlmig_migrations",
		want:     "(no primary key on version)",
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := testdb.New(t)
			ctx := ctxTimeout(t, time.Minute)
			if tc.setup != "" {
				execSQL(t, url, tc.setup)
			}
			columns := `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute
				WHERE attrelid = '` + tc.relation + `'::regclass AND attnum > 0 AND NOT attisdropped`
			before := query(t, url, columns)
			r := newRunner(t, url, fiveMigrations(), Options{Table: tc.table})
			for name, f := range map[string]func() error{
				"apply":  func() error { _, err := r.Apply(ctx, 0); return err },
				"stamp":  func() error { _, err := r.Stamp(ctx, 2, false); return err },
				"status": func() error { _, err := r.Status(ctx); return err },
				"plan":   func() error { _, err := r.Plan(ctx, 0); return err },
				"down":   func() error { _, err := r.Down(ctx, 1); return err },
			} {
				err := f()
				if !errors.Is(err, ErrNotBookkeeping) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "ddlmig changed nothing") {
					t.Errorf("%s: got %v\nwant ErrNotBookkeeping containing %q", name, err, tc.want)
				}
			}
			if after := query(t, url, columns); after != before {
				t.Errorf("%s changed:\nbefore %s\nafter  %s", tc.relation, before, after)
			}
			if got := query(t, url, `to_regclass('users') IS NULL`); got != "true" {
				t.Errorf("a migration ran")
			}
		})
	}
}

// TestOlderTableUpgraded keeps the upgrade of a table made before batches
// existed (without batch and batch_file): read-only commands read it as it
// is, apply adds the two columns and carries on.
func TestOlderTableUpgraded(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	fsys := fiveMigrations()
	execSQL(t, url, `CREATE TABLE ddlmig_migrations (
	version    bigint PRIMARY KEY,
	name       text NOT NULL,
	checksum   text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	duration   interval,
	dirty      boolean NOT NULL DEFAULT false,
	failure    text
)`)
	execSQL(t, url, `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
		INSERT INTO ddlmig_migrations (version, name, checksum, duration) VALUES (1, 'users', '`+checksumOf(t, fsys, "000001_users.up.sql")+`', '1 ms')`)
	cols := `SELECT count(*) FROM pg_attribute WHERE attrelid = 'ddlmig_migrations'::regclass AND attnum > 0 AND NOT attisdropped`
	r := newRunner(t, url, fsys, Options{})
	if got, want := states(t, r), "version 000001: 000001 applied, 000002 pending, 000003 pending, 000004 pending, 000005 pending"; got != want {
		t.Errorf("status of the older table:\n got %s\nwant %s", got, want)
	}
	if steps, err := r.Plan(ctx, 0); err != nil || len(steps) != 4 {
		t.Errorf("plan: %v, %d steps", err, len(steps))
	}
	if got := query(t, url, cols); got != "7" {
		t.Errorf("read-only commands changed the older table: %s columns", got)
	}
	res, err := r.Apply(ctx, 0)
	if err != nil || len(res) != 4 {
		t.Fatalf("apply: %v %+v", err, res)
	}
	if got := query(t, url, cols); got != "9" {
		t.Errorf("apply did not add the batch columns: %s columns", got)
	}
	if got, want := states(t, r), "version 000005: 000001 applied, 000002 applied, 000003 applied, 000004 applied, 000005 applied"; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func checksumOf(t *testing.T, fsys interface{ ReadFile(string) ([]byte, error) }, name string) string {
	t.Helper()
	text, err := fsys.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return migfile.Checksum(text)
}

// TestCommitsAreDurable checks the contract behind every "ok" apply and
// down print: each commit that records a migration (or a batch, or a
// no-transaction file's progress) runs with synchronous_commit on, so it
// survives a server crash once reported. A deferred constraint trigger on
// the bookkeeping table fires inside each such commit and logs the
// setting in force. The database's own default is off in one case (an
// administrator's choice for the application's sessions), and a migration
// file turns it off in the session in another.
func TestCommitsAreDurable(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, url string)
		first string // the first migration's text
	}{{
		name:  "server defaults",
		setup: func(*testing.T, string) {},
		first: "CREATE TABLE a (id int);\n",
	}, {
		name: "database default off",
		setup: func(t *testing.T, url string) {
			execSQL(t, url, `DO $$BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END$$`)
		},
		first: "CREATE TABLE a (id int);\n",
	}, {
		name:  "a migration sets it off for the session",
		setup: func(*testing.T, string) {},
		first: "CREATE TABLE a (id int);\nSET synchronous_commit = off;\n",
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := testdb.New(t)
			ctx := ctxTimeout(t, time.Minute)
			tc.setup(t, url)
			fsys := files(map[string]string{
				"000001_a":     tc.first,
				"000002_b":     "CREATE TABLE b (id int);\n",
				"000003_index": "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY b_id ON b (id);\n",
				"000004_c":     "CREATE TABLE c1 (id int);\n-- ddlmig:batch\nCREATE TABLE c2 (id int);\n-- ddlmig:batch\nCREATE TABLE c3 (id int);\n",
				"000005_d":     "CREATE TABLE d (id int);\n",
			}, map[string]string{
				"000005_d": "DROP TABLE d;\n",
				"000004_c": "DROP TABLE c3;\n-- ddlmig:batch\nDROP TABLE c2, c1;\n",
			})
			r := newRunner(t, url, fsys, Options{})
			// Create the table (stamp 0 writes no row), then watch
			// every commit that writes it.
			if _, err := r.Stamp(ctx, 0, false); err != nil {
				t.Fatal(err)
			}
			execSQL(t, url, `CREATE TABLE commit_log (n serial, op text, version bigint, sync text);
CREATE FUNCTION log_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO commit_log (op, version, sync) VALUES (TG_OP, coalesce(NEW.version, OLD.version), current_setting('synchronous_commit'));
	RETURN NULL;
END$$;
CREATE CONSTRAINT TRIGGER log_commit AFTER INSERT OR UPDATE OR DELETE ON ddlmig_migrations
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_commit();`)
			var done []uint64
			r.opts.OnEvent = func(e Event) {
				if e.Kind == EventDone {
					done = append(done, e.Step.Version)
				}
			}
			if _, err := r.Apply(ctx, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Down(ctx, 2); err != nil {
				t.Fatal(err)
			}
			if got, want := len(done), 7; got != want {
				t.Errorf("%d steps reported done, want %d", got, want)
			}
			// Up: 1, 2, 3 (dirty mark, then clean), 4 (three batches), 5;
			// down: 5, 4 (two batches).
			want := "INSERT 1 on, INSERT 2 on, INSERT 3 on, UPDATE 3 on, INSERT 4 on, UPDATE 4 on, UPDATE 4 on, INSERT 5 on, DELETE 5 on, UPDATE 4 on, DELETE 4 on"
			if got := query(t, url, `SELECT string_agg(op || ' ' || version || ' ' || sync, ', ' ORDER BY n) FROM commit_log`); got != want {
				t.Errorf("bookkeeping commits and their synchronous_commit:\n got %s\nwant %s", got, want)
			}
		})
	}
}
