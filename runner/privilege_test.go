package runner

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// appRole is the role the privilege tests run ddlmig as (SET ROLE on the
// runner's connection): roles are cluster-wide, so it is shared and its
// grants live in each test's database.
const appRole = "ddlmig_runner_app"

// TestBookkeepingPrivileges runs ddlmig as a user missing a privilege on
// the bookkeeping table (or its schema): the error is a *TableError that
// names the table, the user and the privilege, with the GRANT that fixes
// it, and is never blamed on a migration file's statement.
func TestBookkeepingPrivileges(t *testing.T) {
	testdb.CreateRoles(t, appRole)
	// ownTable creates the table as the superuser, then grants.
	ownTable := func(grants string) func(t *testing.T, url string) {
		return func(t *testing.T, url string) {
			r := newRunner(t, url, fiveMigrations(), Options{})
			if _, err := r.Stamp(context.Background(), 0, false); err != nil {
				t.Fatal(err)
			}
			execSQL(t, url, `GRANT CREATE ON SCHEMA public TO `+appRole+`; `+grants)
		}
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, url string)
		extra map[string]string // migrations beyond fiveMigrations
		table string            // Options.Table
		run   func(ctx context.Context, r *Runner) error
		want  []string // substrings of the error, in order
		// version and tables are the state afterwards.
		version, tables string
	}{{
		name:    "may not create the table",
		setup:   func(*testing.T, string) {},
		run:     func(ctx context.Context, r *Runner) error { _, err := r.Apply(ctx, 0); return err },
		want:    []string{`bookkeeping table public.ddlmig_migrations: creating it failed: user "ddlmig_runner_app" lacks CREATE on schema public (ERROR: permission denied for schema public (SQLSTATE 42501))`, `GRANT CREATE ON SCHEMA "public" TO "ddlmig_runner_app";`, "--table SCHEMA.NAME"},
		version: "none", tables: "",
	}, {
		name:    "may not use the table's schema",
		setup:   func(t *testing.T, url string) { execSQL(t, url, `CREATE SCHEMA app`) },
		table:   "app.ddlmig_migrations",
		run:     func(ctx context.Context, r *Runner) error { _, err := r.Status(ctx); return err },
		want:    []string{`bookkeeping table app.ddlmig_migrations: looking it up failed: user "ddlmig_runner_app" lacks USAGE on schema app (ERROR: permission denied for schema app (SQLSTATE 42501))`, `GRANT USAGE ON SCHEMA "app" TO "ddlmig_runner_app";`},
		version: "none", tables: "",
	}, {
		name:    "may not insert",
		setup:   ownTable(`GRANT SELECT ON ddlmig_migrations TO ` + appRole),
		run:     func(ctx context.Context, r *Runner) error { _, err := r.Apply(ctx, 0); return err },
		want:    []string{`bookkeeping table public.ddlmig_migrations: user "ddlmig_runner_app" lacks INSERT on it, which apply needs; nothing was run`, `GRANT INSERT ON "public"."ddlmig_migrations" TO "ddlmig_runner_app";`},
		version: "0", tables: "ddlmig_migrations",
	}, {
		name:    "may not read",
		setup:   ownTable(``),
		run:     func(ctx context.Context, r *Runner) error { _, err := r.Status(ctx); return err },
		want:    []string{`bookkeeping table public.ddlmig_migrations: reading it failed: user "ddlmig_runner_app" lacks SELECT (ERROR: permission denied for table ddlmig_migrations (SQLSTATE 42501))`, `GRANT SELECT ON "public"."ddlmig_migrations" TO "ddlmig_runner_app";`},
		version: "0", tables: "ddlmig_migrations",
	}, {
		name:    "may not update, for a no-transaction file",
		setup:   ownTable(`GRANT SELECT, INSERT ON ddlmig_migrations TO ` + appRole),
		extra:   map[string]string{"000006_idx": "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n"},
		run:     func(ctx context.Context, r *Runner) error { _, err := r.Apply(ctx, 0); return err },
		want:    []string{`user "ddlmig_runner_app" lacks UPDATE on it, which apply needs; nothing was run`, `GRANT UPDATE ON "public"."ddlmig_migrations"`},
		version: "0", tables: "ddlmig_migrations",
	}, {
		name:  "may not delete",
		setup: ownTable(`GRANT SELECT, INSERT ON ddlmig_migrations TO ` + appRole),
		run: func(ctx context.Context, r *Runner) error {
			if _, err := r.Apply(ctx, 0); err != nil {
				return err
			}
			_, err := r.Down(ctx, 1)
			return err
		},
		want:    []string{`user "ddlmig_runner_app" lacks DELETE on it, which down needs; nothing was run`, `GRANT DELETE ON "public"."ddlmig_migrations" TO "ddlmig_runner_app";`},
		version: "5", tables: "ddlmig_migrations,posts,tags,users",
	}, {
		// Column privileges pass the check made before running; the
		// INSERT fails inside the first migration's transaction.
		name:  "may insert only some columns",
		setup: ownTable(`GRANT SELECT, INSERT (version, name, checksum) ON ddlmig_migrations TO ` + appRole),
		run:   func(ctx context.Context, r *Runner) error { _, err := r.Apply(ctx, 0); return err },
		want: []string{`bookkeeping table public.ddlmig_migrations: recording 000001_users.up.sql in it failed: user "ddlmig_runner_app" lacks INSERT (ERROR: permission denied for table ddlmig_migrations (SQLSTATE 42501))`,
			`GRANT INSERT ON "public"."ddlmig_migrations" TO "ddlmig_runner_app";`, "The migration was rolled back; nothing of it was applied."},
		version: "0", tables: "ddlmig_migrations",
	}, {
		// Not a missing privilege but a row level security policy
		// refusing the row: caught when the INSERT fails, inside the
		// migration's transaction, which rolls back.
		name: "a policy refuses the row",
		setup: ownTable(`GRANT SELECT, INSERT, UPDATE, DELETE ON ddlmig_migrations TO ` + appRole + `;
			ALTER TABLE ddlmig_migrations ENABLE ROW LEVEL SECURITY;
			CREATE POLICY below_3 ON ddlmig_migrations USING (true) WITH CHECK (version < 3)`),
		run: func(ctx context.Context, r *Runner) error { _, err := r.Apply(ctx, 0); return err },
		want: []string{`bookkeeping table public.ddlmig_migrations: recording 000003_post_title.up.sql in it failed: ERROR: new row violates row-level security policy for table "ddlmig_migrations" (SQLSTATE 42501)`,
			"The migration was rolled back; nothing of it was applied.", "(2 migrations completed before the failure: 000001..000002)"},
		version: "2", tables: "ddlmig_migrations,posts,users",
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := testdb.New(t)
			ctx := ctxTimeout(t, time.Minute)
			tc.setup(t, url)
			conn := connect(t, url)
			if _, err := conn.Exec(ctx, `SET ROLE `+appRole); err != nil {
				t.Fatal(err)
			}
			fsys := fiveMigrations()
			for k, v := range files(tc.extra, nil) {
				fsys[k] = v
			}
			r, err := New(conn, fsys, Options{Table: tc.table})
			if err != nil {
				t.Fatal(err)
			}
			err = tc.run(ctx, r)
			var te *TableError
			if !errors.As(err, &te) {
				t.Fatalf("got %v, want a *TableError", err)
			}
			msg := err.Error()
			if strings.HasPrefix(msg, "0000") {
				t.Errorf("error blamed on a migration file:\n%s", msg)
			}
			rest := msg
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error:\n%s\nwant, in order:\n%s", msg, strings.Join(tc.want, "\n"))
				}
				rest = rest[i+len(w):]
			}
			if len(te.Missing) > 0 && !errors.Is(err, ErrTablePrivilege) {
				t.Errorf("errors.Is(err, ErrTablePrivilege) = false")
			}
			got := "none"
			if query(t, url, `to_regclass('ddlmig_migrations') IS NOT NULL`) == "true" {
				got = query(t, url, `SELECT coalesce(max(version), 0) FROM ddlmig_migrations`)
			}
			if got != tc.version {
				t.Errorf("version afterwards %s, want %s", got, tc.version)
			}
			if got := tables(t, url); got != tc.tables {
				t.Errorf("tables afterwards %q, want %q", got, tc.tables)
			}
		})
	}
}
