package oracle

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// load creates a database holding sql and returns its catalog.
func load(t *testing.T, sql string, o ReadOptions) *Catalog {
	t.Helper()
	url := testdb.New(t)
	ctx := t.Context()
	if err := testdb.Exec(ctx, url, sql); err != nil {
		t.Fatalf("load schema: %v\n%s", err, sql)
	}
	c, err := readWith(ctx, url, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readWith(ctx context.Context, url string, o ReadOptions) (*Catalog, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	return ReadCatalog(ctx, conn, o)
}

// TestCatalogGolden pins what the oracle reads of every kind of object.
func TestCatalogGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "catalog.sql"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(load(t, string(src), ReadOptions{}).Lines(), "\n") + "\n"
	golden := filepath.Join("testdata", "catalog.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("catalog of testdata/catalog.sql (-want +got):\n%s", diff)
	}
}

func TestCompareEqual(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{
			name: "column order and spelling",
			a: `CREATE TABLE t (a integer PRIMARY KEY, b varchar(10), c text CHECK (length(c) > 1));
				CREATE INDEX t_b ON t (b);`,
			b: `CREATE TABLE t (c text, b character varying(10));
				ALTER TABLE t ADD COLUMN a int4 NOT NULL;
				ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (a);
				ALTER TABLE t ADD CONSTRAINT t_c_check CHECK ((length(c) > 1));
				create index "t_b" on public.t using btree (b);`,
		},
		{
			name: "enum label inserted before",
			a:    `CREATE TYPE mood AS ENUM ('happy', 'sad')`,
			b:    `CREATE TYPE mood AS ENUM ('sad'); ALTER TYPE mood ADD VALUE 'happy' BEFORE 'sad'`,
		},
		{
			name: "grant then revoke",
			a:    `CREATE TABLE t (a int);`,
			b:    `CREATE TABLE t (a int); GRANT SELECT ON t TO PUBLIC; REVOKE SELECT ON t FROM PUBLIC;`,
		},
		{
			name: "bookkeeping table excluded",
			a:    `CREATE TABLE t (a int);`,
			b:    `CREATE TABLE t (a int); CREATE TABLE ddlmig_migrations (version bigserial PRIMARY KEY, dirty bool);`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(load(t, tt.a, ReadOptions{}), load(t, tt.b, ReadOptions{}))
			if len(got) != 0 {
				t.Errorf("want no differences, got:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

func TestCompareDifferences(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		opts ReadOptions
		want []string
	}{
		{
			name: "type",
			a:    `CREATE TABLE users (email text)`,
			b:    `CREATE TABLE users (email varchar(255))`,
			want: []string{"column public.users.email: type text vs character varying(255)"},
		},
		{
			// A column and a CHECK a table has from its parent are
			// compared by how many parents they come from.
			name: "inherited",
			a:    `CREATE TABLE p (x int CONSTRAINT p_x CHECK (x > 0)); CREATE TABLE c (y int) INHERITS (p)`,
			b:    `CREATE TABLE p (x int CONSTRAINT p_x CHECK (x > 0)); CREATE TABLE c (y int) INHERITS (p); ALTER TABLE c NO INHERIT p`,
			want: []string{
				"column public.c.x: inherited 1 vs (none)",
				"column public.c.x: local false vs (none)",
				"constraint public.c.p_x: inherited 1 vs (none)",
				"constraint public.c.p_x: local false vs (none)",
				"table public.c: inherits public.p vs (none)",
			},
		},
		{
			// And by whether the table declares them too (attislocal,
			// conislocal), which decides what a parent's DROP leaves.
			name: "inherited and local",
			a:    `CREATE TABLE p (x int CONSTRAINT p_x CHECK (x > 0)); CREATE TABLE c (y int, x int, CONSTRAINT p_x CHECK (x > 0)) INHERITS (p)`,
			b:    `CREATE TABLE p (x int CONSTRAINT p_x CHECK (x > 0)); CREATE TABLE c (y int) INHERITS (p)`,
			want: []string{
				"column public.c.x: local true vs false",
				"constraint public.c.p_x: local true vs false",
			},
		},
		{
			name: "default",
			a:    `CREATE TABLE t (n int DEFAULT 0)`,
			b:    `CREATE TABLE t (n int)`,
			want: []string{"column public.t.n: default 0 vs (none)"},
		},
		{
			name: "not null",
			a:    `CREATE TABLE t (n int NOT NULL)`,
			b:    `CREATE TABLE t (n int)`,
			want: []string{"column public.t.n: not null true vs false"},
		},
		{
			name: "constraint definition",
			a:    `CREATE TABLE t (id int, x int, PRIMARY KEY (id))`,
			b:    `CREATE TABLE t (id int, x int, PRIMARY KEY (id, x))`,
			want: []string{
				"column public.t.x: not null false vs true",
				"constraint public.t.t_pkey: definition PRIMARY KEY (id) vs PRIMARY KEY (id, x)",
			},
		},
		{
			name: "constraint not validated",
			a:    `CREATE TABLE t (n int); ALTER TABLE t ADD CONSTRAINT c CHECK (n > 0) NOT VALID`,
			b:    `CREATE TABLE t (n int, CONSTRAINT c CHECK (n > 0))`,
			want: []string{
				"constraint public.t.c: definition CHECK ((n > 0)) NOT VALID vs CHECK ((n > 0))",
				"constraint public.t.c: validated false vs true",
			},
		},
		{
			name: "index definition",
			a:    `CREATE TABLE t (a int, b int); CREATE INDEX i ON t (a)`,
			b:    `CREATE TABLE t (a int, b int); CREATE INDEX i ON t (b)`,
			want: []string{"index public.i: definition CREATE INDEX i ON public.t USING btree (a) vs CREATE INDEX i ON public.t USING btree (b)"},
		},
		{
			name: "range multirange name",
			a:    `CREATE TYPE fr AS RANGE (subtype = float8)`,
			b:    `CREATE TYPE fr AS RANGE (subtype = float8, multirange_type_name = frs)`,
			want: []string{"type public.fr: range subtype double precision, opclass float8_ops, multirange fr_multirange vs subtype double precision, opclass float8_ops, multirange frs"},
		},
		{
			name: "collation locale",
			a:    `CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
			b:    `CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level1', deterministic = false)`,
			want: []string{"collation public.ci: locale und-u-ks-level2 vs und-u-ks-level1"},
		},
		{
			name: "aggregate initial condition and parallel safety",
			a:    `CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int, initcond = '0')`,
			b:    `CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int, parallel = safe)`,
			want: []string{
				"aggregate public.total(integer): initcond 0 vs (none)",
				"aggregate public.total(integer): parallel unsafe vs safe",
			},
		},
		{
			name: "aggregate state function",
			a:    `CREATE FUNCTION f(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1'; CREATE AGGREGATE a(int) (sfunc = int4pl, stype = int)`,
			b:    `CREATE FUNCTION f(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1'; CREATE AGGREGATE a(int) (sfunc = f, stype = int)`,
			want: []string{"aggregate public.a(integer): sfunc pg_catalog.int4pl vs public.f"},
		},
		{
			name: "collation comment",
			a:    `CREATE COLLATION c (provider = libc, locale = 'C'); COMMENT ON COLLATION c IS 'bytes'`,
			b:    `CREATE COLLATION c (provider = libc, locale = 'C')`,
			want: []string{"collation public.c: comment bytes vs (none)"},
		},
		{
			name: "enum label added",
			a:    `CREATE TYPE mood AS ENUM ('happy', 'sad')`,
			b:    `CREATE TYPE mood AS ENUM ('happy', 'sad'); ALTER TYPE mood ADD VALUE 'ok'`,
			want: []string{"type public.mood: labels 'happy', 'sad' vs 'happy', 'sad', 'ok'"},
		},
		{
			name: "enum labels swapped",
			a:    `CREATE TYPE mood AS ENUM ('happy', 'sad')`,
			b:    `CREATE TYPE mood AS ENUM ('sad', 'happy')`,
			want: []string{"type public.mood: labels 'happy', 'sad' vs 'sad', 'happy'"},
		},
		{
			name: "comment",
			a:    `CREATE TABLE t (a int); COMMENT ON TABLE t IS 'people'; COMMENT ON COLUMN t.a IS 'age'`,
			b:    `CREATE TABLE t (a int); COMMENT ON COLUMN t.a IS 'years'`,
			want: []string{"column public.t.a: comment age vs years", "table public.t: comment people vs (none)"},
		},
		{
			name: "sequence option",
			a:    `CREATE SEQUENCE s`,
			b:    `CREATE SEQUENCE s INCREMENT 5 CYCLE`,
			want: []string{"sequence public.s: cycle false vs true", "sequence public.s: increment 1 vs 5"},
		},
		{
			name: "serial owned by",
			a:    `CREATE TABLE t (id serial)`,
			b:    `CREATE SEQUENCE t_id_seq AS integer; CREATE TABLE t (id int NOT NULL DEFAULT nextval('t_id_seq'))`,
			want: []string{"sequence public.t_id_seq: owned by public.t.id vs (none)"},
		},
		{
			name: "missing table reported once",
			a:    `CREATE TABLE foo (id int PRIMARY KEY, b text); CREATE INDEX foo_b ON foo (b); CREATE TABLE t ()`,
			b:    `CREATE TABLE t ()`,
			want: []string{"table public.foo: only in A"},
		},
		{
			name: "missing column",
			a:    `CREATE TABLE t (a int)`,
			b:    `CREATE TABLE t (a int, b int)`,
			want: []string{"column public.t.b: only in B"},
		},
		{
			name: "identity",
			a:    `CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)`,
			b:    `CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY (START 10))`,
			want: []string{
				"column public.t.id: identity always vs by default",
				"column public.t.id: identity sequence integer start 1 increment 1 minvalue 1 maxvalue 2147483647 cache 1 vs integer start 10 increment 1 minvalue 1 maxvalue 2147483647 cache 1",
			},
		},
		{
			name: "generated and collation",
			a:    `CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED, c text COLLATE "C")`,
			b:    `CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 3) STORED, c text)`,
			want: []string{
				"column public.t.b: generated (a * 2) vs (a * 3)",
				"column public.t.c: collation pg_catalog.C vs (none)",
			},
		},
		{
			name: "unlogged and partitioned",
			a:    `CREATE UNLOGGED TABLE t (a int); CREATE TABLE p (a int)`,
			b:    `CREATE TABLE t (a int); CREATE TABLE p (a int) PARTITION BY RANGE (a)`,
			want: []string{
				"table public.p: partition key (none) vs RANGE (a)",
				"table public.p: relkind table vs partitioned table",
				"table public.t: persistence unlogged vs permanent",
			},
		},
		{
			name: "schema and extension",
			a:    `CREATE SCHEMA app; CREATE EXTENSION citext`,
			b:    `CREATE SCHEMA app; CREATE EXTENSION citext SCHEMA app; CREATE SCHEMA other`,
			want: []string{"extension citext: schema public vs app", "schema other: only in B"},
		},
		{
			name: "domain",
			a:    `CREATE DOMAIN pos AS int CONSTRAINT pos_check CHECK (VALUE > 0)`,
			b:    `CREATE DOMAIN pos AS bigint NOT NULL CONSTRAINT pos_check CHECK (VALUE >= 0)`,
			want: []string{
				"constraint public.pos.pos_check: definition CHECK ((VALUE > 0)) vs CHECK ((VALUE >= 0))",
				"type public.pos: base type integer vs bigint",
				"type public.pos: not null false vs true",
			},
		},
		{
			name: "view and function",
			a:    `CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
			b:    `CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t WHERE a > 0; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2'`,
			want: []string{
				`function public.f(): definition "CREATE OR REPLACE FUNCTION public.f()\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT 1$function$\n" vs "CREATE OR REPLACE FUNCTION public.f()\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT 2$function$\n"`,
				`view public.v: definition " SELECT t.a\n   FROM t;" vs " SELECT t.a\n   FROM t\n  WHERE (t.a > 0);"`,
			},
		},
		{
			name: "trigger and policy",
			a: `CREATE TABLE t (a int); CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
				CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
				CREATE POLICY p ON t USING (a > 0)`,
			b: `CREATE TABLE t (a int); CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
				CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();
				CREATE POLICY p ON t FOR SELECT USING (a > 0); ALTER TABLE t ENABLE ROW LEVEL SECURITY`,
			want: []string{
				"policy public.t.p: command all vs select",
				"table public.t: row security disabled vs enabled",
				"trigger public.t.tr: definition CREATE TRIGGER tr BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION f() vs CREATE TRIGGER tr BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION f()",
			},
		},
		{
			name: "privileges",
			a:    `CREATE TABLE t (a int); GRANT SELECT ON t TO PUBLIC`,
			b:    `CREATE TABLE t (a int)`,
			want: []string{"table public.t: privileges {=r/postgres,postgres=arwdDxt/postgres} vs {postgres=arwdDxt/postgres}"},
		},
		{
			name: "privileges ignored",
			a:    `CREATE TABLE t (a int); GRANT SELECT ON t TO PUBLIC`,
			b:    `CREATE TABLE t (a int)`,
			opts: ReadOptions{IgnorePrivileges: true},
		},
		{
			name: "exclusion is an option",
			a:    `CREATE TABLE ddlmig_migrations (v int); CREATE TABLE app_log (v int)`,
			b:    ``,
			opts: ReadOptions{Exclude: []string{"public.app_log"}},
			want: []string{"table public.ddlmig_migrations: only in A"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(load(t, tt.a, tt.opts), load(t, tt.b, tt.opts))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Compare (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompareDatabases(t *testing.T) {
	a, b := testdb.New(t), testdb.New(t)
	ctx := t.Context()
	if err := testdb.Exec(ctx, a, `CREATE TABLE users (email text)`); err != nil {
		t.Fatal(err)
	}
	if err := testdb.Exec(ctx, b, `CREATE TABLE users (email varchar(255))`); err != nil {
		t.Fatal(err)
	}
	got, err := CompareDatabases(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"column public.users.email: type text vs character varying(255)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CompareDatabases (-want +got):\n%s", diff)
	}
}
