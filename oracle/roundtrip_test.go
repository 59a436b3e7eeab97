package oracle

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

const usersOld = `CREATE TABLE users (
	id serial PRIMARY KEY,
	name text NOT NULL,
	age int
);`

const usersNew = `CREATE TABLE users (
	id serial PRIMARY KEY,
	name text NOT NULL,
	age int,
	email varchar(255)
);
CREATE INDEX users_email ON users (email);`

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		c    Case
		// want is the report's String(), so every finding is pinned.
		want string
	}{
		{
			name: "correct",
			c: Case{
				Old:  usersOld,
				New:  usersNew,
				Up:   "ALTER TABLE users ADD COLUMN email varchar(255);\nCREATE INDEX users_email ON users (email);\n",
				Down: "DROP INDEX users_email;\nALTER TABLE users DROP COLUMN email;\n",
			},
			want: "ok\n",
		},
		{
			name: "up forgets a column",
			c: Case{
				Old:  usersOld,
				New:  usersNew,
				Up:   "CREATE INDEX users_email ON users (name);\n",
				Down: "DROP INDEX users_email;\n",
			},
			want: "after up, schema differs from new (A = migrated, B = new):\n" +
				"\tcolumn public.users.email: only in B\n" +
				"\tindex public.users_email: definition CREATE INDEX users_email ON public.users USING btree (name) vs CREATE INDEX users_email ON public.users USING btree (email)\n",
		},
		{
			name: "drop and re-add loses data",
			c: Case{
				Old:  usersOld,
				New:  strings.Replace(usersOld, "age int", "age bigint", 1),
				Up:   "ALTER TABLE users DROP COLUMN age;\nALTER TABLE users ADD COLUMN age bigint;\n",
				Down: "ALTER TABLE users ALTER COLUMN age TYPE int;\n",
			},
			want: "after up, data lost or changed:\n" +
				"\tdata public.users.age: values [\"1\", \"2\", \"3\"] vs [NULL, NULL, NULL]\n" +
				"after down, data lost or changed:\n" +
				"\tdata public.users.age: values [\"1\", \"2\", \"3\"] vs [NULL, NULL, NULL]\n",
		},
		{
			name: "type change keeps data",
			c: Case{
				Old:  usersOld,
				New:  strings.Replace(usersOld, "age int", "age bigint", 1),
				Up:   "ALTER TABLE users ALTER COLUMN age TYPE bigint;\n",
				Down: "ALTER TABLE users ALTER COLUMN age TYPE int;\n",
			},
			want: "ok\n",
		},
		{
			name: "text to integer",
			c: Case{
				Old:  "CREATE TABLE t (c text UNIQUE, d varchar(1));",
				New:  "CREATE TABLE t (c integer UNIQUE, d int2);",
				Up:   "ALTER TABLE t ALTER COLUMN c TYPE integer USING c::integer, ALTER COLUMN d TYPE int2 USING d::int2;\n",
				Down: "ALTER TABLE t ALTER COLUMN c TYPE text, ALTER COLUMN d TYPE varchar(1);\n",
			},
			want: "ok\n",
		},
		{
			name: "column added to a table without columns",
			c: Case{
				Old:  "CREATE TABLE t ();",
				New:  "CREATE TABLE t (c text DEFAULT 'x');",
				Up:   "ALTER TABLE t ADD COLUMN c text DEFAULT 'x';\n",
				Down: "ALTER TABLE t DROP COLUMN c;\n",
			},
			want: "ok\n",
		},
		{
			name: "table without columns dropped and recreated loses rows",
			c: Case{
				Old:  "CREATE TABLE t ();",
				New:  "CREATE TABLE t ();",
				Up:   "DROP TABLE t; CREATE TABLE t ();\n",
				Down: "\n",
			},
			want: "after up, data lost or changed:\n" +
				"\tdata public.t: 3 rows vs 0 rows\n" +
				"after down, data lost or changed:\n" +
				"\tdata public.t: 3 rows vs 0 rows\n",
		},
		{
			name: "table dropped and recreated loses rows",
			c: Case{
				Old:  usersOld,
				New:  strings.Replace(usersOld, "name text NOT NULL", "name text", 1),
				Up:   "DROP TABLE users;\n" + strings.Replace(usersOld, "name text NOT NULL", "name text", 1),
				Down: "ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n",
			},
			want: "after up, data lost or changed:\n" +
				"\tdata public.users: 3 rows vs 0 rows\n" +
				"after down, data lost or changed:\n" +
				"\tdata public.users: 3 rows vs 0 rows\n",
		},
		{
			name: "down leaves a difference",
			c: Case{
				Old:  usersOld,
				New:  usersNew,
				Up:   "ALTER TABLE users ADD COLUMN email varchar(255);\nCREATE INDEX users_email ON users (email);\n",
				Down: "DROP INDEX users_email;\n",
			},
			want: "after down, schema differs from old (A = migrated, B = old):\n" +
				"\tcolumn public.users.email: only in A\n",
		},
		{
			name: "renames are followed",
			c: Case{
				Old:     usersOld,
				New:     "CREATE TABLE people (id serial PRIMARY KEY, full_name text NOT NULL, age int);",
				Up:      "ALTER TABLE users RENAME TO people;\nALTER TABLE people RENAME COLUMN name TO full_name;\nALTER SEQUENCE users_id_seq RENAME TO people_id_seq;\nALTER INDEX users_pkey RENAME TO people_pkey;\n",
				Down:    "ALTER INDEX people_pkey RENAME TO users_pkey;\nALTER SEQUENCE people_id_seq RENAME TO users_id_seq;\nALTER TABLE people RENAME COLUMN full_name TO name;\nALTER TABLE people RENAME TO users;\n",
				Renames: map[string]string{"public.users": "public.people", "public.users.name": "public.people.full_name"},
			},
			want: "ok\n",
		},
		{
			name: "rename done as drop and add loses data",
			c: Case{
				Old:     usersOld,
				New:     "CREATE TABLE users (id serial PRIMARY KEY, age int, full_name text);",
				Up:      "ALTER TABLE users DROP COLUMN name;\nALTER TABLE users ADD COLUMN full_name text;\n",
				Down:    "ALTER TABLE users DROP COLUMN full_name;\nALTER TABLE users ADD COLUMN name text NOT NULL DEFAULT '';\nALTER TABLE users ALTER COLUMN name DROP DEFAULT;\n",
				Renames: map[string]string{"public.users.name": "public.users.full_name"},
			},
			want: "after up, data lost or changed:\n" +
				"\tdata public.users.name: values [\"1\", \"2\", \"3\"] vs [NULL, NULL, NULL]\n" +
				"after down, data lost or changed:\n" +
				"\tdata public.users.name: values [\"1\", \"2\", \"3\"] vs [\"\", \"\", \"\"]\n",
		},
		{
			name: "concurrent index outside a transaction",
			c: Case{
				Old:  usersOld,
				New:  usersOld + "\nCREATE INDEX users_name ON users (name);",
				Up:   "-- review: concurrently\nCREATE INDEX CONCURRENTLY users_name ON users (name);\n",
				Down: "DROP INDEX CONCURRENTLY users_name;\n",
			},
			want: "ok\n",
		},
		{
			name: "irreversible, down skipped",
			c: Case{
				Old:      usersOld,
				New:      "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);",
				Up:       "ALTER TABLE users DROP COLUMN age;\n",
				SkipDown: true,
			},
			want: "ok\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := RoundTripIn(t.Context(), testdb.Databases(), tt.c)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rep.String()); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
			if rep.OK() != (tt.want == "ok\n") {
				t.Errorf("OK() = %v for report:\n%s", rep.OK(), rep)
			}
			for table, n := range rep.Filled {
				if n != 3 {
					t.Errorf("filled %d rows in %s, want 3", n, table)
				}
			}
			if len(rep.Filled) == 0 && rep.Failed == nil {
				t.Errorf("no table filled")
			}
		})
	}
}

func TestRoundTripScriptFails(t *testing.T) {
	rep, err := RoundTrip(t.Context(), testdb.ServerURL(), Case{
		Old:  usersOld,
		New:  usersNew,
		Up:   "ALTER TABLE users ADD COLUMN email varchar(255);\nUPDATE users SET email = nmae;\n",
		Down: "",
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || rep.Failed == nil {
		t.Fatalf("want a failed up script, got:\n%s", rep)
	}
	var pgErr *pgconn.PgError
	if !errors.As(rep.Failed, &pgErr) || pgErr.Code != "42703" {
		t.Errorf("want an undefined column error, got %v", rep.Failed)
	}
	if got, want := rep.Failed.Error(), `up:2:26: ERROR: column "nmae" does not exist (SQLSTATE 42703)`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

// TestFill checks that the filler gets rows into tables of many types,
// through foreign keys (also self-referencing and composite), checks and
// domains, without looking at anything but the catalog.
func TestFill(t *testing.T) {
	url := testdb.New(t)
	ctx := t.Context()
	err := testdb.Exec(ctx, url, `
		CREATE TYPE mood AS ENUM ('happy', 'sad');
		CREATE DOMAIN pos AS int CHECK (VALUE > 0);
		CREATE TABLE kinds (
			a int2, b int8 NOT NULL, c numeric(5,2), d float8, e text, f varchar(2) UNIQUE,
			g char(3), h boolean, i date, j timestamp, k timestamptz, l time, m interval,
			n uuid UNIQUE, o json, p jsonb, q bytea, r mood NOT NULL, s int[] NOT NULL, t pos,
			u inet, v int GENERATED ALWAYS AS (b * 2) STORED, w int GENERATED BY DEFAULT AS IDENTITY,
			x point
		);
		CREATE TABLE parent (b int8, r mood, odd int NOT NULL CHECK (odd % 2 = 1), PRIMARY KEY (b, r));
		CREATE TABLE child (id int PRIMARY KEY, parent_b int8, parent_r mood, boss int REFERENCES child,
			FOREIGN KEY (parent_b, parent_r) REFERENCES parent (b, r));
		-- child sorts before parent: only the foreign keys order them.
		CREATE TABLE a_nothing (id int PRIMARY KEY CHECK (id < 0));
		CREATE TABLE empty_ref (id int PRIMARY KEY, nothing_id int NOT NULL REFERENCES a_nothing);
		CREATE TABLE no_columns ();
	`)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	got, err := fill(ctx, conn, ReadOptions{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"public.kinds": 3, "public.parent": 3, "public.child": 3, "public.no_columns": 3,
		"public.a_nothing": 0, "public.empty_ref": 0,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows per table (-want +got):\n%s", diff)
	}
	var selfRefs int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM child WHERE boss IS NOT NULL`).Scan(&selfRefs); err != nil {
		t.Fatal(err)
	}
	if selfRefs == 0 {
		t.Errorf("no child row references another child row")
	}
}

func TestSplitStatements(t *testing.T) {
	script := "CREATE TABLE a (x text DEFAULT 'a;b');\n" +
		"-- a comment; with a semicolon\n" +
		"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$;\n" +
		"/* block; /* nested; */ */ SELECT E'\\';', \"we;ird\";\n" +
		"  ;\n" +
		"SELECT $1"
	var got []string
	for _, s := range splitStatements(script) {
		got = append(got, strings.TrimSpace(script[s.start:s.end]))
	}
	want := []string{
		"CREATE TABLE a (x text DEFAULT 'a;b')",
		"-- a comment; with a semicolon\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$",
		"/* block; /* nested; */ */ SELECT E'\\';', \"we;ird\"",
		"SELECT $1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("splitStatements (-want +got):\n%s", diff)
	}
}

func TestBatchSpans(t *testing.T) {
	script := "ALTER TYPE t ADD VALUE 'x';\n" +
		"\n-- ddlmig:batch 2 of 3\n\n" +
		"CREATE TABLE a ();\n" +
		"-- ddlmig:batchy is not a marker\n" +
		"  -- ddlmig:batch\n" +
		"CREATE TABLE b ();"
	var got []string
	for _, s := range batchSpans(script) {
		got = append(got, strings.TrimSpace(script[s.start:s.end]))
	}
	want := []string{
		"ALTER TYPE t ADD VALUE 'x';",
		"CREATE TABLE a ();\n-- ddlmig:batchy is not a marker",
		"CREATE TABLE b ();",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("batchSpans (-want +got):\n%s", diff)
	}
}
