package runner

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestApplyDownApply(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	r := newRunner(t, url, fiveMigrations(), Options{})

	if got, want := states(t, r), "version 000000: 000001 pending, 000002 pending, 000003 pending, 000004 pending, 000005 pending"; got != want {
		t.Errorf("before apply:\n got %s\nwant %s", got, want)
	}
	if got := query(t, url, `to_regclass('ddlmig_migrations') IS NULL`); got != "true" {
		t.Errorf("status created the bookkeeping table")
	}

	res, err := r.Apply(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 5 || res[0].Version != 1 || res[4].Version != 5 || res[4].Direction != Up {
		t.Fatalf("apply results: %+v", res)
	}
	if got, want := states(t, r), "version 000005: 000001 applied, 000002 applied, 000003 applied, 000004 applied, 000005 applied"; got != want {
		t.Errorf("after apply:\n got %s\nwant %s", got, want)
	}
	if got, want := tables(t, url), "ddlmig_migrations,posts,tags,users"; got != want {
		t.Errorf("tables = %s, want %s", got, want)
	}
	st, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range st.Migrations {
		if m.AppliedAt.IsZero() || m.Stamped || m.AppliedAt.After(time.Now().Add(time.Minute)) {
			t.Errorf("%06d: applied at %v, stamped %v", m.Version, m.AppliedAt, m.Stamped)
		}
	}
	if got := query(t, url, `SELECT count(*) FROM ddlmig_migrations WHERE duration IS NOT NULL AND checksum ~ '^[0-9a-f]{64}$'`); got != "5" {
		t.Errorf("rows with duration and sha256 = %s, want 5", got)
	}

	res, err = r.Down(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Version != 5 || res[1].Version != 4 || res[0].Direction != Down {
		t.Fatalf("down results: %+v", res)
	}
	if got, want := states(t, r), "version 000003: 000001 applied, 000002 applied, 000003 applied, 000004 pending, 000005 pending"; got != want {
		t.Errorf("after down 2:\n got %s\nwant %s", got, want)
	}
	if got := query(t, url, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'`); got != "0" {
		t.Errorf("down of 000004 left users.name behind")
	}

	if res, err = r.Apply(ctx, 4); err != nil || len(res) != 1 {
		t.Fatalf("apply --to 4: %v %+v", err, res)
	}
	if got, want := states(t, r), "version 000004: 000001 applied, 000002 applied, 000003 applied, 000004 applied, 000005 pending"; got != want {
		t.Errorf("after apply --to 4:\n got %s\nwant %s", got, want)
	}
	if res, err = r.Apply(ctx, 0); err != nil || len(res) != 1 {
		t.Fatalf("apply: %v %+v", err, res)
	}
	if res, err = r.Apply(ctx, 0); err != nil || len(res) != 0 {
		t.Fatalf("second apply should do nothing: %v %+v", err, res)
	}
	if got, want := states(t, r), "version 000005: 000001 applied, 000002 applied, 000003 applied, 000004 applied, 000005 applied"; got != want {
		t.Errorf("after apply again:\n got %s\nwant %s", got, want)
	}

	if _, err = r.DownTo(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got, want := states(t, r), "version 000000: 000001 pending, 000002 pending, 000003 pending, 000004 pending, 000005 pending"; got != want {
		t.Errorf("after down --to 0:\n got %s\nwant %s", got, want)
	}
	if got, want := tables(t, url), "ddlmig_migrations"; got != want {
		t.Errorf("tables after down --to 0 = %s, want %s", got, want)
	}
}

// TestFailureRollsBack breaks migration 3 of 5 in several ways; each time
// the database stays at version 2, nothing of 3 exists, and the error
// points at the file, line and column.
func TestFailureRollsBack(t *testing.T) {
	cases := []struct {
		name string
		up   string
		// want is the error's start: file:line:col: message.
		want string
		hint string
	}{{
		name: "missing relation, position from the server",
		up:   "CREATE TABLE t3 (id int);\n\nINSERT INTO t3 SELECT id FROM nosuch;\n",
		want: `000003_broken.up.sql:3:31: ERROR: relation "nosuch" does not exist (SQLSTATE 42P01)`,
	}, {
		name: "syntax error",
		up:   "CREATE TABLE t3 (id int);\nCREATE TABLE t3b (id int,);\n",
		want: `000003_broken.up.sql:2:26: ERROR: syntax error at or near ")" (SQLSTATE 42601)`,
	}, {
		name: "multibyte text before the error counts characters",
		up:   "CREATE TABLE t3 (id int);\nCOMMENT ON TABLE t3 IS 'héllo ☃'; SELECT nosuchcol FROM t3;\n",
		want: `000003_broken.up.sql:2:42: ERROR: column "nosuchcol" does not exist (SQLSTATE 42703)`,
	}, {
		name: "runtime error without position, found by statement count",
		up:   "CREATE TABLE t3 (id int NOT NULL);\n-- a comment\nINSERT INTO t3 VALUES (1);\n  INSERT INTO t3 VALUES (NULL);\nINSERT INTO t3 VALUES (2);\n",
		want: `000003_broken.up.sql:4:3: ERROR: null value in column "id" of relation "t3" violates not-null constraint (SQLSTATE 23502)`,
	}, {
		name: "hint is shown",
		up:   "CREATE TABLE t3 (id int);\nSELECT foo(1);\n",
		want: `000003_broken.up.sql:2:8: ERROR: function foo(integer) does not exist (SQLSTATE 42883)`,
		hint: "HINT: No function matches the given name and argument types.",
	}, {
		name: "error in a DO block",
		up:   "CREATE TABLE t3 (id int);\nDO $$\nBEGIN\n  RAISE EXCEPTION 'boom %', 42 USING HINT = 'fix it';\nEND $$;\n",
		want: `000003_broken.up.sql:2:1: ERROR: boom 42 (SQLSTATE P0001)`,
		hint: "HINT: fix it",
	}, {
		// After the bookkeeping INSERT, but the file's: not blamed on
		// the bookkeeping table.
		name: "a deferred constraint fails at commit",
		up:   "CREATE TABLE t3 (id int PRIMARY KEY, p int REFERENCES t3 DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO t3 VALUES (1, 2);\n",
		want: `000003_broken.up.sql: ERROR: insert or update on table "t3" violates foreign key constraint "t3_p_fkey" (SQLSTATE 23503)`,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := testdb.New(t)
			ctx := ctxTimeout(t, time.Minute)
			fsys := fiveMigrations()
			delete(fsys, "000003_post_title.up.sql")
			delete(fsys, "000003_post_title.down.sql")
			fsys["000003_broken.up.sql"] = &fstest.MapFile{Data: []byte(c.up)}
			fsys["000003_broken.down.sql"] = &fstest.MapFile{Data: []byte("DROP TABLE t3;\n")}
			r := newRunner(t, url, fsys, Options{})

			res, err := r.Apply(ctx, 0)
			if err == nil {
				t.Fatal("apply succeeded")
			}
			if len(res) != 2 {
				t.Errorf("applied %d before the failure, want 2", len(res))
			}
			var pe *PartialError
			if !errors.As(err, &pe) || len(pe.Done) != 2 || pe.Done[1].Version != 2 {
				t.Errorf("want a PartialError with 2 done, got %#v", err)
			}
			var me *MigrationError
			if !errors.As(err, &me) || !me.RolledBack || me.Dirty {
				t.Errorf("want a rolled-back MigrationError, got %#v", err)
			}
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) {
				t.Errorf("PgError not reachable through Unwrap")
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error:\n%s\nwant prefix:\n%s", err, c.want)
			}
			if !strings.Contains(err.Error(), c.hint) || !strings.Contains(err.Error(), "rolled back") {
				t.Errorf("error lacks hint %q or rollback note:\n%s", c.hint, err)
			}
			if got, want := states(t, r), "version 000002: 000001 applied, 000002 applied, 000003 pending, 000004 pending, 000005 pending"; got != want {
				t.Errorf("\n got %s\nwant %s", got, want)
			}
			if got := query(t, url, `to_regclass('t3') IS NULL`); got != "true" {
				t.Errorf("t3 of the failed migration exists")
			}
			if got := query(t, url, `SELECT txid_current_if_assigned() IS NULL`); got != "true" {
				t.Errorf("fresh session sees a transaction")
			}
			// The runner's own connection is usable again.
			if _, err := r.Status(ctx); err != nil {
				t.Errorf("status after failure: %v", err)
			}
		})
	}
}

func TestRowsSurviveApply(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	fsys := fiveMigrations()
	r := newRunner(t, url, fsys, Options{})
	if _, err := r.Apply(ctx, 2); err != nil {
		t.Fatal(err)
	}
	execSQL(t, url, `INSERT INTO users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 5000) g;
		INSERT INTO posts SELECT g, 1 + g % 5000 FROM generate_series(1, 20000) g;`)
	before := query(t, url, `SELECT count(*) || ':' || sum(hashtext(email)) FROM users`) + "/" +
		query(t, url, `SELECT count(*) || ':' || sum(user_id) FROM posts`)
	if _, err := r.Apply(ctx, 0); err != nil {
		t.Fatal(err)
	}
	after := query(t, url, `SELECT count(*) || ':' || sum(hashtext(email)) FROM users`) + "/" +
		query(t, url, `SELECT count(*) || ':' || sum(user_id) FROM posts`)
	if before != after || !strings.HasPrefix(after, "5000:") {
		t.Errorf("rows changed: before %s, after %s", before, after)
	}
	if got := query(t, url, `SELECT count(*) FROM posts WHERE title = ''`); got != "20000" {
		t.Errorf("posts with the new column's default = %s", got)
	}
}

func TestNoTransaction(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	fsys := files(map[string]string{
		"000001_items": "CREATE TABLE items (id int, code text);\nINSERT INTO items VALUES (1, 'a'), (2, 'a');\n",
		"000002_indexes": "-- ddlmig:no-transaction\n-- Message: Index items concurrently\n" +
			"CREATE INDEX CONCURRENTLY items_id_idx ON items (id);\n\n" +
			"CREATE UNIQUE INDEX CONCURRENTLY items_code_key\n  ON items (code);\n" +
			"CREATE INDEX CONCURRENTLY items_never ON items (id, code);\n",
		"000003_more": "CREATE TABLE more (id int);\n",
	}, map[string]string{
		"000003_more":    "DROP TABLE more;\n",
		"000002_indexes": "-- ddlmig:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS items_never;\nDROP INDEX CONCURRENTLY IF EXISTS items_code_key;\nDROP INDEX CONCURRENTLY items_id_idx;\n",
	})
	r := newRunner(t, url, fsys, Options{})

	res, err := r.Apply(ctx, 0)
	var me *MigrationError
	if !errors.As(err, &me) || !me.Dirty || !errors.As(err, new(*pgconn.PgError)) {
		t.Fatalf("want a dirty MigrationError, got %v", err)
	}
	if len(res) != 1 {
		t.Errorf("done before failure: %+v", res)
	}
	wantPrefix := `000002_indexes.up.sql:5:1: ERROR: could not create unique index "items_code_key" (SQLSTATE 23505)`
	if !strings.HasPrefix(err.Error(), wantPrefix) || !strings.Contains(err.Error(), "stamp --force 000002") {
		t.Errorf("error:\n%s\nwant prefix %s and recovery advice", err, wantPrefix)
	}
	if got := query(t, url, `to_regclass('items_id_idx') IS NOT NULL`); got != "true" {
		t.Errorf("first statement of the no-transaction migration did not stay applied")
	}

	st, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := st.Dirty()
	if !ok || d.Version != 2 || !strings.Contains(d.Failure, "000002_indexes.up.sql:5:1:") {
		t.Errorf("status dirty = %v %+v", ok, d)
	}

	for name, f := range map[string]func() error{
		"apply": func() error { _, err := r.Apply(ctx, 0); return err },
		"plan":  func() error { _, err := r.Plan(ctx, 0); return err },
		"down":  func() error { _, err := r.Down(ctx, 1); return err },
		"stamp": func() error { _, err := r.Stamp(ctx, 2, false); return err },
	} {
		if err := f(); !errors.Is(err, ErrDirty) || !strings.Contains(err.Error(), "000002_indexes.up.sql:5:1") {
			t.Errorf("%s on a dirty database: %v", name, err)
		}
	}

	// Resolve by hand: fix the data, finish the statements, stamp.
	execSQL(t, url, `UPDATE items SET code = 'b' WHERE id = 2; DROP INDEX items_code_key;
		CREATE UNIQUE INDEX items_code_key ON items (code); CREATE INDEX items_never ON items (id, code);`)
	sr, err := r.Stamp(ctx, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(sr.Cleared) != 1 || sr.Cleared[0] != 2 || len(sr.Added)+len(sr.Removed) != 0 {
		t.Errorf("stamp result %+v", sr)
	}
	if res, err := r.Apply(ctx, 0); err != nil || len(res) != 1 || res[0].Version != 3 {
		t.Fatalf("apply after stamp --force: %v %+v", err, res)
	}

	// Going down through the no-transaction down file works too.
	if _, err := r.Down(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if got := query(t, url, `SELECT count(*) FROM pg_indexes WHERE tablename = 'items'`); got != "0" {
		t.Errorf("indexes left after down: %s", got)
	}
	if got, want := states(t, r), "version 000001: 000001 applied, 000002 pending, 000003 pending"; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	// And up again, cleanly this time.
	execSQL(t, url, `UPDATE items SET code = 'c' WHERE id = 2`)
	if _, err := r.Apply(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got := query(t, url, `SELECT dirty::text || coalesce(failure, '-') || (duration IS NOT NULL)::text FROM ddlmig_migrations WHERE version = 2`); got != "false-true" {
		t.Errorf("row of the no-transaction migration: %s", got)
	}
}

// TestInterrupt cancels the context while a migration sleeps, as Ctrl-C
// does in the CLI: the migration rolls back and the next apply finishes.
func TestInterrupt(t *testing.T) {
	url := testdb.New(t)
	fsys := files(map[string]string{
		"000001_a":    "CREATE TABLE a (id int);\n",
		"000002_slow": "CREATE TABLE slow (id int);\nSELECT pg_sleep(30);\n",
		"000003_c":    "CREATE TABLE c (id int);\n",
	}, nil)
	var started = make(chan struct{})
	r := newRunner(t, url, fsys, Options{OnEvent: func(e Event) {
		if e.Kind == EventStart && e.Step.Version == 2 {
			close(started)
		}
	}})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		time.Sleep(300 * time.Millisecond)
		cancel()
	}()
	begin := time.Now()
	res, err := r.Apply(ctx, 0)
	if err == nil || len(res) != 1 {
		t.Fatalf("apply: %v %+v", err, res)
	}
	if took := time.Since(begin); took > 10*time.Second {
		t.Errorf("cancel took %s", took)
	}
	if !strings.Contains(err.Error(), "000002_slow.up.sql:2:1") || !strings.Contains(err.Error(), "57014") {
		t.Errorf("error: %v", err)
	}
	if got := query(t, url, `to_regclass('slow') IS NULL`); got != "true" {
		t.Errorf("half of the interrupted migration is there")
	}
	fsys["000002_slow.up.sql"].Data = []byte("CREATE TABLE slow (id int);\nSELECT pg_sleep(0.01);\n")
	r2 := newRunner(t, url, fsys, Options{})
	if res, err := r2.Apply(context.Background(), 0); err != nil || len(res) != 2 {
		t.Fatalf("apply after interrupt: %v %+v", err, res)
	}
}

func TestStampAdoptsDatabase(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	execSQL(t, url, `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
		CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users);`)
	r := newRunner(t, url, fiveMigrations(), Options{Table: "meta.versions"})
	sr, err := r.Stamp(ctx, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(sr.Added) != 2 {
		t.Errorf("stamp added %v", sr.Added)
	}
	st, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Table != "meta.versions" || st.Version != 2 || !st.Migrations[0].Stamped || st.Pending() != 3 {
		t.Errorf("status after stamp: %+v", st)
	}
	if res, err := r.Apply(ctx, 0); err != nil || len(res) != 3 {
		t.Fatalf("apply after stamp: %v %+v", err, res)
	}
	if got := query(t, url, `SELECT count(*) FROM meta.versions`); got != "5" {
		t.Errorf("rows in meta.versions: %s", got)
	}
	// Stamping lower without force would forget applied migrations.
	if _, err := r.Stamp(ctx, 3, false); err == nil || !strings.Contains(err.Error(), "000004_user_name, 000005_tags") {
		t.Errorf("stamp below the version: %v", err)
	}
	if sr, err := r.Stamp(ctx, 3, true); err != nil || len(sr.Removed) != 2 {
		t.Errorf("stamp --force 3: %v %+v", err, sr)
	}
	if _, err := r.Stamp(ctx, 9, false); !errors.Is(err, ErrBadTarget) {
		t.Errorf("stamp of an unknown version: %v", err)
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	r := newRunner(t, url, fiveMigrations(), Options{})
	steps, err := r.Plan(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || steps[2].File != "000003_post_title.up.sql" || !strings.Contains(steps[2].SQL, "ADD COLUMN title") {
		t.Errorf("plan: %+v", steps)
	}
	if got := tables(t, url); got != "" {
		t.Errorf("dry run created tables: %s", got)
	}
	if _, err := r.Apply(ctx, 0); err != nil {
		t.Fatal(err)
	}
	down, err := r.PlanDownTo(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(down) != 2 || down[0].File != "000005_tags.down.sql" || down[1].Version != 4 {
		t.Errorf("plan down: %+v", down)
	}
	if got := query(t, url, `SELECT max(version) FROM ddlmig_migrations`); got != "5" {
		t.Errorf("plan down changed the version: %s", got)
	}
}

// TestChecks covers what stops a run before anything is executed.
func TestChecks(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	fsys := fiveMigrations()
	r := newRunner(t, url, fsys, Options{})
	if _, err := r.Apply(ctx, 3); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		return tables(t, url) + "|" + query(t, url, `SELECT string_agg(version::text, ',' ORDER BY version) FROM ddlmig_migrations`)
	}
	base := snapshot()

	with := func(edit func(fs fstest.MapFS)) fstest.MapFS {
		c := fstest.MapFS{}
		for k, v := range fsys {
			c[k] = &fstest.MapFile{Data: v.Data}
		}
		edit(c)
		return c
	}
	cases := []struct {
		name  string
		fsys  fstest.MapFS
		opts  Options
		down  bool
		is    error
		parts []string
	}{{
		name: "checksum mismatch",
		fsys: with(func(c fstest.MapFS) {
			c["000002_posts.up.sql"].Data = []byte("CREATE TABLE posts (id bigint);\n")
		}),
		is:    ErrChecksum,
		parts: []string{"000002_posts.up.sql changed after it was applied", "stamp --force"},
	}, {
		name:  "checksum mismatch stops down too",
		down:  true,
		fsys:  with(func(c fstest.MapFS) { c["000001_users.up.sql"].Data = []byte("-- edited\n") }),
		is:    ErrChecksum,
		parts: []string{"000001_users.up.sql changed"},
	}, {
		name: "missing file",
		fsys: with(func(c fstest.MapFS) {
			delete(c, "000003_post_title.up.sql")
			delete(c, "000003_post_title.down.sql")
		}),
		is:    ErrMissingFile,
		parts: []string{"000003_post_title (applied ", "has no up file"},
	}, {
		name: "unreviewed markers in every pending file are all listed",
		fsys: with(func(c fstest.MapFS) {
			c["000004_user_name.up.sql"].Data = []byte("-- ddlmig:unreviewed adds a column\nALTER TABLE users ADD COLUMN name text;\n")
			c["000005_tags.up.sql"].Data = []byte("CREATE TABLE tags (post_id bigint);\n\n-- ddlmig:unreviewed: drops data\nDROP TABLE IF EXISTS nothing;\n")
		}),
		is:    ErrUnreviewed,
		parts: []string{"000004_user_name.up.sql:1: adds a column", "000005_tags.up.sql:3: drops data", "nothing was run"},
	}, {
		name: "transaction control in a transactional file",
		fsys: with(func(c fstest.MapFS) {
			c["000004_user_name.up.sql"].Data = []byte("ALTER TABLE users ADD COLUMN name text;\nCOMMIT;\nBEGIN;\nSAVEPOINT s; ROLLBACK TO SAVEPOINT s;\n")
		}),
		is:    ErrUnsafeStatement,
		parts: []string{"000004_user_name.up.sql:2:1: COMMIT would end", "000004_user_name.up.sql:3:1: BEGIN would end"},
	}, {
		name: "COPY FROM STDIN",
		fsys: with(func(c fstest.MapFS) {
			c["000004_user_name.up.sql"].Data = []byte("ALTER TABLE users ADD COLUMN name text;\n\n  COPY users (id, email) FROM stdin;\n1\ta@b\n\\.\n")
		}),
		is:    ErrUnsafeStatement,
		parts: []string{"000004_user_name.up.sql:3:3: COPY ... FROM STDIN"},
	}, {
		name:  "down file missing",
		down:  true,
		fsys:  with(func(c fstest.MapFS) { delete(c, "000003_post_title.down.sql") }),
		is:    ErrNoDownFile,
		parts: []string{"000003_post_title.up.sql has no down file (000003_post_title.down.sql)"},
	}, {
		name:  "misnamed file",
		fsys:  with(func(c fstest.MapFS) { c["4_oops.sql"] = &fstest.MapFile{Data: []byte("SELECT 1;")} }),
		is:    ErrBadFolder,
		parts: []string{"4_oops.sql: not a migration file name"},
	}, {
		name:  "unknown target",
		fsys:  fsys,
		is:    ErrBadTarget,
		parts: []string{"no migration 000042"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRunner(t, url, c.fsys, c.opts)
			var err error
			switch {
			case c.down:
				_, err = r.Down(ctx, 1)
			case c.is == ErrBadTarget:
				_, err = r.Apply(ctx, 42)
			default:
				_, err = r.Apply(ctx, 0)
			}
			if !errors.Is(err, c.is) {
				t.Fatalf("error %v, want %v", err, c.is)
			}
			for _, p := range c.parts {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error lacks %q:\n%s", p, err)
				}
			}
			if got := snapshot(); got != base {
				t.Errorf("database changed: %s, was %s", got, base)
			}
		})
	}
}

func TestOutOfOrder(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	all := fiveMigrations()
	branch := fstest.MapFS{}
	for k, v := range all {
		if !strings.HasPrefix(k, "000003") {
			branch[k] = v
		}
	}
	if _, err := newRunner(t, url, branch, Options{}).Apply(ctx, 0); err != nil {
		t.Fatal(err)
	}
	// The other branch's 000003 arrives after 4 and 5 were applied.
	_, err := newRunner(t, url, all, Options{}).Apply(ctx, 0)
	if !errors.Is(err, ErrOutOfOrder) || !strings.Contains(err.Error(), "000003_post_title.up.sql is pending but 000005 is already applied") ||
		!strings.Contains(err.Error(), "--allow-out-of-order") {
		t.Fatalf("error: %v", err)
	}
	st, err := newRunner(t, url, all, Options{}).Status(ctx)
	if err != nil || !st.Migrations[2].OutOfOrder {
		t.Errorf("status does not flag 000003 as out of order: %v %+v", err, st)
	}
	res, err := newRunner(t, url, all, Options{AllowOutOfOrder: true}).Apply(ctx, 0)
	if err != nil || len(res) != 1 || res[0].Version != 3 {
		t.Fatalf("apply --allow-out-of-order: %v %+v", err, res)
	}
}

func TestLockTimeout(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	r := newRunner(t, url, fiveMigrations(), Options{LockTimeout: 400 * time.Millisecond})
	holder := connect(t, url)
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock($1)`, r.table.lockKey()); err != nil {
		t.Fatal(err)
	}
	var waits int
	r.opts.OnEvent = func(e Event) {
		if e.Kind == EventLockWait {
			waits++
		}
	}
	start := time.Now()
	_, err := r.Apply(ctx, 0)
	if !errors.Is(err, ErrLockTimeout) || !strings.Contains(err.Error(), `application "ddlmig"`) {
		t.Fatalf("error: %v", err)
	}
	// Only the lower bound is checked: a loaded machine may be slow to
	// report, and tests never time.
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("waited %s for a 400ms lock timeout", d)
	}
	if waits != 1 {
		t.Errorf("%d lock-wait events, want 1", waits)
	}
	if got := tables(t, url); got != "" {
		t.Errorf("tables created without the lock: %s", got)
	}
	// Released by the holder, the lock is taken and the run proceeds.
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_unlock($1)`, r.table.lockKey()); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Apply(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got := query(t, url, `SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
		WHERE l.locktype = 'advisory' AND d.datname = current_database()`); got != "0" {
		t.Errorf("advisory lock still held after apply: %s", got)
	}
}

func TestStatementTimeout(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	fsys := files(map[string]string{
		"000001_a":    "CREATE TABLE a (id int);\n",
		"000002_slow": "CREATE TABLE slow (id int);\n\nSELECT pg_sleep(5);\n",
	}, nil)
	r := newRunner(t, url, fsys, Options{StatementTimeout: 200 * time.Millisecond})
	_, err := r.Apply(ctx, 0)
	if err == nil || !strings.Contains(err.Error(), "000002_slow.up.sql:3:1: ERROR: canceling statement due to statement timeout (SQLSTATE 57014)") {
		t.Fatalf("error: %v", err)
	}
	if got, want := states(t, r), "version 000001: 000001 applied, 000002 pending"; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}
