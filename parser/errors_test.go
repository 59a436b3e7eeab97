package parser

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/schema"
)

// TestErrors checks messages and positions: every problem of a file,
// sorted, each at file:line:col with columns counted in characters.
func TestErrors(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		migration bool
		want      string
	}{
		{"syntax error on line 3",
			"CREATE TABLE a (id int);\n\nCREATE TABLE b (id int,);\n",
			false, "f.sql:3:24: syntax error at or near \")\""},
		{"syntax error after multibyte text",
			"COMMENT ON SCHEMA public IS 'ünïcödé';\nCREATE TABLE \"ü\" (x int) foo;",
			false, "f.sql:2:26: syntax error at or near \"foo\""},
		{"syntax error on the same line as multibyte text",
			"CREATE TABLE t (a text DEFAULT 'äöü' b int);",
			false, "f.sql:1:38: syntax error at or near \"b\""},
		{"unsupported statement",
			"CREATE TABLE t (id int);\n\n\n  CREATE TYPE base (INPUT = base_in, OUTPUT = base_out);",
			false, "f.sql:4:3: unsupported statement CREATE TYPE (to carry it as written, put a line -- ddlmig:unmanaged right above it)"},
		{"unsupported statements all reported",
			"CREATE SUBSCRIPTION sub CONNECTION 'host=x' PUBLICATION p;\nCREATE TABLE typed OF some_type;\nCREATE TYPE base (INPUT = base_in, OUTPUT = base_out);",
			false, "f.sql:1:1: unsupported statement CREATE SUBSCRIPTION (to carry it as written, put a line -- ddlmig:unmanaged right above it)\nf.sql:2:23: type public.some_type does not exist\nf.sql:3:1: unsupported statement CREATE TYPE (to carry it as written, put a line -- ddlmig:unmanaged right above it)"},
		{"$0, which PostgreSQL refuses and the deparser prints as ? (FuzzRoundTrip: a domain CHECK)",
			"CREATE TABLE t (a int);\nCREATE DOMAIN code AS varchar(10)\n  CHECK (length(VALUE) = $0);\nCREATE TABLE u (a int DEFAULT $0);",
			false, "f.sql:3:26: there is no parameter $0\nf.sql:4:31: there is no parameter $0"},
		{"routine without a language or a body, as PostgreSQL refuses it (FuzzRoundTrip printed RETURNS text())",
			"CREATE FUNCTION f() RETURNS text;\nCREATE FUNCTION g() RETURNS text LANGUAGE sql;\nCREATE FUNCTION h(a text) RETURNS text(0!0) AS 'select a' LANGUAGE sql;",
			false, "f.sql:1:1: no language specified: add LANGUAGE (and the body, AS '...')\nf.sql:2:1: no function body specified: add AS '...', or a RETURN or BEGIN ATOMIC body\nf.sql:3:35: type modifiers must be simple constants or identifiers"},
		{"a relation named as a view, a composite type or another type (FuzzRoundTrip: a foreign table and a view both named d)",
			"CREATE VIEW d AS SELECT 1 AS x;\nCREATE TABLE d ();\nCREATE TYPE c AS (a int);\nCREATE SEQUENCE c;\nCREATE DOMAIN dm AS int;\nCREATE VIEW dm AS SELECT 1;\nCREATE VIEW e AS SELECT 2 AS y;\nALTER VIEW e RENAME TO d;\nCREATE TYPE d AS (a int);",
			false, "f.sql:2:14: relation public.d already exists\nf.sql:4:17: relation public.c already exists\nf.sql:6:1: type public.dm already exists: a relation has a row type of the same name, so the name must not be a type's\nf.sql:8:12: relation d already exists\nf.sql:9:1: relation public.d already exists"},
		{"a cast's type modifier that is an expression, as PostgreSQL refuses it (FuzzRoundTrip: a default's ::a(('')::a) was written ::a())",
			"CREATE TABLE t (a text DEFAULT 'x'::text((''::text)));\nCREATE TABLE u (b int CHECK (CAST(b AS numeric(1+1)) > 0));\nCREATE VIEW w AS SELECT 'x'::varchar(2) AS c, numeric(3, 1) '1.5' AS d;",
			false, "f.sql:1:37: type modifiers must be simple constants or identifiers\nf.sql:2:40: type modifiers must be simple constants or identifiers"},
		{"table features outside the model",
			"CREATE TABLE b (x int) WITH (oids = true);\nCREATE TABLE c (x int) INHERITS (b);\nALTER TABLE d ENABLE ROW LEVEL SECURITY;",
			false, "f.sql:1:1: tables declared WITH OIDS are not supported\nf.sql:2:34: relation public.b does not exist\nf.sql:3:13: relation public.d does not exist"},
		{"table access method other than heap",
			"CREATE TABLE h (x int) USING heap;\nSET default_table_access_method = heap;\nCREATE TABLE c (x int) USING columnar;\nSET default_table_access_method = columnar;",
			false, "f.sql:3:1: unsupported statement CREATE TABLE ... USING columnar (a table access method other than heap is not modelled; without this refusal the table would be created as heap) (to carry it as written, put a line -- ddlmig:unmanaged right above it)\nf.sql:4:1: unsupported statement SET default_table_access_method = columnar (a table access method other than heap is not modelled; the tables after it would be created as heap) (to carry it as written, put a line -- ddlmig:unmanaged right above it)"},
		{"column option of a typed table outside the model",
			"CREATE TYPE p AS (a int);\nCREATE TABLE t OF p (a WITH OPTIONS GENERATED ALWAYS AS IDENTITY);",
			false, "f.sql:2:22: unsupported statement IDENTITY on column a of typed table public.t (NOT NULL, DEFAULT and constraints are supported; way out: CREATE TABLE with the columns spelled out) (to carry it as written, put a line -- ddlmig:unmanaged right above it)"},
		{"unsupported ALTER TABLE subcommand",
			"CREATE TABLE d (x int);\nALTER TABLE d SET ACCESS METHOD heap;",
			false, "f.sql:2:1: unsupported statement ALTER TABLE ... SET ACCESS METHOD (to carry it as written, put a line -- ddlmig:unmanaged right above it)"},
		{"alter of a missing table",
			"CREATE TABLE t (id int);\nALTER TABLE nope ADD COLUMN x int;",
			true, "f.sql:2:13: relation public.nope does not exist"},
		{"duplicate table",
			"CREATE TABLE t (id int);\nCREATE TABLE public.t (id int);",
			false, "f.sql:2:14: relation public.t already exists"},
		{"enum named as a view (a view's row type takes the name)",
			"CREATE VIEW v AS SELECT 1 AS a;\nCREATE TYPE v AS ENUM ('x');",
			false, "f.sql:2:1: type public.v already exists"},
		{"domain named as a materialized view",
			"CREATE MATERIALIZED VIEW mv AS SELECT 1 AS a;\nCREATE DOMAIN mv AS int;",
			false, "f.sql:2:1: type public.mv already exists"},
		{"unknown type",
			"CREATE TABLE t (\n  id int,\n  m mood\n);",
			false, "f.sql:3:5: type public.mood does not exist"},
		{"duplicate column",
			"CREATE TABLE t (id int, id text);",
			false, "f.sql:1:25: column id specified more than once"},
		{"key on missing column",
			"CREATE TABLE t (id int, PRIMARY KEY (nope));",
			false, "f.sql:1:25: column nope named in key does not exist"},
		{"foreign key to a missing column, table declared later",
			"CREATE TABLE t (\n  id int,\n  uid int REFERENCES users(idd)\n);\nCREATE TABLE users (id int PRIMARY KEY);",
			false, "f.sql:3:28: foreign key t_uid_fkey: column idd referenced in foreign key constraint does not exist"},
		{"foreign key to a missing quoted column, table-level",
			"CREATE TABLE \"U\" (\"Id\" int PRIMARY KEY);\nCREATE TABLE t (a int, CONSTRAINT fk FOREIGN KEY (a) REFERENCES \"U\" (\"Idd\"));",
			false, "f.sql:2:70: foreign key fk: column \"Idd\" referenced in foreign key constraint does not exist"},
		{"foreign key from a missing column",
			"CREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE t (uid int, FOREIGN KEY (nope) REFERENCES users (id));",
			false, "f.sql:2:26: column nope referenced in foreign key constraint does not exist"},
		{"foreign key to columns without a unique constraint",
			"CREATE TABLE users (id int PRIMARY KEY, email text);\nCREATE TABLE t (e text REFERENCES users (email));",
			false, "f.sql:2:24: foreign key t_e_fkey: there is no unique constraint matching given keys for referenced table users"},
		{"foreign key to a partial or expression unique index",
			"CREATE TABLE users (id int PRIMARY KEY, email text, a int);\nCREATE UNIQUE INDEX ON users (email) WHERE a > 0;\nCREATE UNIQUE INDEX ON users (lower(email));\nCREATE TABLE t (e text REFERENCES users (email));",
			false, "f.sql:4:24: foreign key t_e_fkey: there is no unique constraint matching given keys for referenced table users"},
		{"foreign key column counts disagree",
			"CREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE t (a int, b int, CONSTRAINT t_fk FOREIGN KEY (a, b) REFERENCES users (id));",
			false, "f.sql:2:31: foreign key t_fk: number of referencing and referenced columns for foreign key disagree"},
		{"every bad foreign key of a file is reported",
			"CREATE TABLE t (a int REFERENCES u (x), b int REFERENCES u (z), c int REFERENCES u (y));\nCREATE TABLE u (x int, y int);\nALTER TABLE u ADD UNIQUE (y);",
			false, "f.sql:1:23: foreign key t_a_fkey: there is no unique constraint matching given keys for referenced table u\nf.sql:1:61: foreign key t_b_fkey: column z referenced in foreign key constraint does not exist"},
		{"exclusion constraint on a missing column",
			"CREATE TABLE t (x int, EXCLUDE USING gist (nope WITH =));",
			false, "f.sql:1:24: column nope named in key does not exist"},
		{"exclusion constraint predicate on a missing column",
			"CREATE TABLE t (x int, EXCLUDE USING gist (x WITH =) WHERE (nope > 0));",
			false, "f.sql:1:24: column nope does not exist"},
		{"index INCLUDE column missing",
			"CREATE TABLE t (id int);\nCREATE INDEX ON t (id) INCLUDE (nope);",
			false, "f.sql:2:17: column nope does not exist"},
		{"sequence owned by a missing column",
			"CREATE TABLE t (id int);\nCREATE SEQUENCE s OWNED BY t.nope;",
			false, "f.sql:2:17: column nope of relation t does not exist"},
		{"comment on a missing column of a view",
			"CREATE TABLE t (id int);\nCREATE MATERIALIZED VIEW v AS SELECT id AS x FROM t;\nCOMMENT ON COLUMN v.id IS 'no';",
			false, "f.sql:3:1: column id of relation v does not exist"},
		{"two primary keys",
			"CREATE TABLE t (id int PRIMARY KEY, b int PRIMARY KEY);",
			false, "f.sql:1:43: multiple primary keys for table t are not allowed"},
		{"missing column in ALTER",
			"CREATE TABLE t (id int);\nALTER TABLE t ALTER COLUMN nope SET NOT NULL;",
			true, "f.sql:2:1: column nope of relation t does not exist"},
		{"drop table others depend on",
			"CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);\nDROP TABLE a;",
			true, "f.sql:3:1: cannot drop table public.a because other objects depend on it (constraint b_a_id_fkey on table public.b)"},
		{"drop schema holding a composite type",
			"CREATE SCHEMA s;\nCREATE TYPE s.pair AS (a int, b int);\nDROP SCHEMA s;",
			true, "f.sql:3:1: cannot drop schema s because other objects depend on it"},
		{"drop schema holding a collation",
			"CREATE SCHEMA s;\nCREATE COLLATION s.c (provider = libc, locale = 'C');\nDROP SCHEMA s;",
			true, "f.sql:3:1: cannot drop schema s because other objects depend on it"},
		{"drop schema holding a view",
			"CREATE SCHEMA s;\nCREATE VIEW s.v AS SELECT 1 AS one;\nDROP SCHEMA s;",
			true, "f.sql:3:1: cannot drop schema s because other objects depend on it"},
		{"drop schema holding a function",
			"CREATE SCHEMA s;\nCREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP SCHEMA s;",
			true, "f.sql:3:1: cannot drop schema s because other objects depend on it"},
		{"drop schema holding an aggregate",
			"CREATE SCHEMA s;\nCREATE AGGREGATE s.total(int) (SFUNC = int4pl, STYPE = int);\nDROP SCHEMA s;",
			true, "f.sql:3:1: cannot drop schema s because other objects depend on it"},
		{"aggregate option unknown",
			"CREATE TABLE t (a int);\nCREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int,\n  NOPE = 1);",
			true, "f.sql:3:3: aggregate attribute nope not recognized"},
		{"aggregate without a state function",
			"CREATE TABLE t (a int);\n\nCREATE AGGREGATE total(int) (STYPE = int);",
			true, "f.sql:3:1: aggregate sfunc and stype must be specified"},
		{"aggregate that exists",
			"CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);\nCREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = int);",
			true, "f.sql:2:1: function public.total(int) already exists with same argument types"},
		{"drop of an aggregate that does not exist",
			"CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);\nDROP AGGREGATE total(text);",
			true, "f.sql:2:1: aggregate public.total(text) does not exist"},
		{"every error of the file",
			"CREATE TABLE t (id int);\nALTER TABLE t DROP COLUMN nope;\nCREATE INDEX ON t (nope);\nCREATE TABLE t (x int);",
			true, "f.sql:2:1: column nope of relation t does not exist\nf.sql:3:17: column nope does not exist\nf.sql:4:14: relation public.t already exists"},
		{"cycle of missing objects in a declarative file",
			"CREATE TABLE s1.t (id int);\nCREATE TABLE s2.u (id int);",
			false, "f.sql:1:14: schema s1 does not exist\nf.sql:2:14: schema s2 does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseFile("f.sql", []byte(tt.src), Options{Migration: tt.migration})
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			var list schema.ErrorList
			if !errors.As(err, &list) {
				t.Errorf("error is %T, want schema.ErrorList", err)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	src := "BEGIN;\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nUPDATE t SET id = 2;\nDELETE FROM t;\nSELECT 1;\nDO $$ BEGIN END $$;\nCOPY t FROM stdin;\nCOMMIT;\nCREATE TEMP VIEW tv AS SELECT 1;\n"
	_, warns, err := ParseFile("w.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range warns {
		got = append(got, w.String())
	}
	want := []string{
		"w.sql:3:1: skipped data statement INSERT",
		"w.sql:4:1: skipped data statement UPDATE",
		"w.sql:5:1: skipped data statement DELETE",
		"w.sql:6:1: skipped data statement SELECT",
		"w.sql:7:1: skipped data statement DO",
		"w.sql:8:1: skipped data statement COPY",
		"w.sql:10:1: skipped CREATE TEMPORARY VIEW tv: it lasts only for its session, it is not part of the schema",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// TestSkippedStatements wants the statements that change no schema, or
// change what lies outside it, skipped with a warning that names them, in
// a migration as in a schema file: a migration that holds one must not
// stop generate and check for good.
func TestSkippedStatements(t *testing.T) {
	src := `CREATE TABLE a (x int);
VACUUM ANALYZE a;
ANALYZE a;
TRUNCATE a;
LOCK TABLE a IN ACCESS EXCLUSIVE MODE;
REINDEX TABLE a;
CHECKPOINT;
DISCARD ALL;
EXPLAIN SELECT 1;
NOTIFY ch;
CALL p();
CREATE ROLE r;
GRANT r TO postgres;
ALTER ROLE r SET search_path = public;
ALTER DATABASE d SET timezone = 'UTC';
COMMENT ON DATABASE d IS 'x';
CREATE PUBLICATION p FOR TABLE a;
SECURITY LABEL ON TABLE a IS 'x';
`
	noSchema := ": it changes no schema"
	outside := ": roles, databases and server settings are outside the schema ddlmig manages"
	want := []string{
		"m.sql:2:1: skipped statement VACUUM" + noSchema,
		"m.sql:3:1: skipped statement ANALYZE" + noSchema,
		"m.sql:4:1: skipped statement TRUNCATE" + noSchema,
		"m.sql:5:1: skipped statement LOCK" + noSchema,
		"m.sql:6:1: skipped statement REINDEX" + noSchema,
		"m.sql:7:1: skipped statement CHECKPOINT" + noSchema,
		"m.sql:8:1: skipped statement DISCARD" + noSchema,
		"m.sql:9:1: skipped statement EXPLAIN" + noSchema,
		"m.sql:10:1: skipped statement NOTIFY" + noSchema,
		"m.sql:11:1: skipped statement CALL: if the procedure changes the schema, ddlmig does not see it",
		"m.sql:12:1: skipped statement CREATE ROLE" + outside,
		"m.sql:13:1: skipped statement GRANT role" + outside,
		"m.sql:14:1: skipped statement ALTER ROLE ... SET" + outside,
		"m.sql:15:1: skipped statement ALTER DATABASE ... SET" + outside,
		"m.sql:16:1: skipped statement COMMENT ON DATABASE: roles and databases are outside the schema ddlmig manages",
		"m.sql:18:1: skipped statement SECURITY LABEL: ddlmig does not manage such objects",
	}
	for _, migration := range []bool{true, false} {
		_, warns, err := ParseFile("m.sql", []byte(src), Options{Migration: migration})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range warns {
			got = append(got, w.String())
		}
		want := want
		if migration {
			// A migration holds these for their effect on the data: no
			// warning on every generate for good (see skipData).
			want = slices.DeleteFunc(slices.Clone(want), func(w string) bool { return strings.HasSuffix(w, noSchema) })
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("migration %t: warnings (-want +got):\n%s", migration, diff)
		}
	}
}

// TestDataStatementsInMigrations: a data migration's statements are
// skipped silently in a migration (it is what the file is for) and with a
// warning in a schema file (they will not run); DO and SELECT, which may
// change the schema through what they call, are warned of in both.
func TestDataStatementsInMigrations(t *testing.T) {
	src := "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nUPDATE t SET id = 2;\nDELETE FROM t;\n" +
		"COPY t FROM stdin;\nREFRESH MATERIALIZED VIEW m;\nSELECT f();\nDO $$ BEGIN END $$;\n"
	for _, tc := range []struct {
		migration bool
		want      []string
	}{
		{true, []string{"d.sql:7:1: skipped data statement SELECT", "d.sql:8:1: skipped data statement DO"}},
		{false, []string{
			"d.sql:2:1: skipped data statement INSERT", "d.sql:3:1: skipped data statement UPDATE",
			"d.sql:4:1: skipped data statement DELETE", "d.sql:5:1: skipped data statement COPY",
			"d.sql:6:1: skipped data statement REFRESH MATERIALIZED VIEW",
			"d.sql:7:1: skipped data statement SELECT", "d.sql:8:1: skipped data statement DO",
		}},
	} {
		_, warns, err := ParseFile("d.sql", []byte(src), Options{Migration: tc.migration})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range warns {
			got = append(got, w.String())
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("migration %t: warnings (-want +got):\n%s", tc.migration, diff)
		}
	}
}
