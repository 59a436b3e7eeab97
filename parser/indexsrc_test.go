package parser

import (
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestIndexSrc checks that indexes, EXCLUDE constraints, statistics and
// triggers keep the user's own text to write beside the compared one, on
// partitions' copies and materialized views too, that renames of tables,
// columns, functions, types and materialized views change both, and that a
// file's search path qualifies the table in both.
func TestIndexSrc(t *testing.T) {
	const base = `CREATE TABLE a (id int, name varchar(40));
CREATE FUNCTION f(x text) RETURNS text LANGUAGE sql IMMUTABLE RETURN x;
`
	pub := func(n string) schema.QualifiedName { return schema.QualifiedName{Schema: "public", Name: n} }
	tests := []struct {
		name, sql string
		object    func(*schema.Catalog) (def, src string)
		def, src  string
	}{
		{"index as written", base + `CREATE INDEX i ON a (lower(name::text));`, index(pub("i")),
			"public.a USING btree (lower(name))", "public.a USING btree (lower(name::text))"},
		{"plain index has one text", base + `CREATE INDEX i ON a (id, name);`, index(pub("i")),
			"public.a USING btree (id, name)", ""},
		{"spelled as compared", base + `CREATE INDEX i ON a (lower(name));`, index(pub("i")),
			"public.a USING btree (lower(name))", ""},
		{"table renamed", base + `CREATE INDEX i ON a (lower(name::text)) WHERE name::text <> '';
ALTER TABLE a RENAME TO b;`, index(pub("i")),
			"public.b USING btree (lower(name)) WHERE name <> ''", "public.b USING btree (lower(name::text)) WHERE name::text <> ''"},
		{"column renamed", base + `CREATE INDEX i ON a (lower(name::text), id DESC NULLS FIRST);
ALTER TABLE a RENAME COLUMN name TO full_name;`, index(pub("i")),
			"public.a USING btree (lower(full_name), id DESC)", "public.a USING btree (lower(full_name::text), id DESC NULLS FIRST)"},
		{"function renamed", base + `CREATE INDEX i ON a (public.f(name::text));
ALTER FUNCTION f(text) RENAME TO g;`, index(pub("i")),
			"public.a USING btree (g(name))", "public.a USING btree (public.g(name::text))"},
		{"schema moved", base + `CREATE SCHEMA s; CREATE INDEX i ON a (lower(name::text));
ALTER TABLE a SET SCHEMA s;`, index(schema.QualifiedName{Schema: "s", Name: "i"}),
			"s.a USING btree (lower(name))", "s.a USING btree (lower(name::text))"},
		{"search path", `CREATE SCHEMA s; SET search_path = s; CREATE TABLE a (name varchar(9));
CREATE INDEX i ON a (lower(name::text));`, index(schema.QualifiedName{Schema: "s", Name: "i"}),
			"s.a USING btree (lower(name))", "s.a USING btree (lower(name::text))"},
		{"type renamed", `CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (m mood, n varchar(9));
CREATE INDEX i ON t (m, (n::text)) WHERE m = 'a'::mood AND n::text <> '';
ALTER TYPE mood RENAME TO feeling;`, index(pub("i")),
			"public.t USING btree (m, (n::text)) WHERE m = 'a' AND n <> ''", "public.t USING btree (m, (n::text)) WHERE m = 'a'::feeling AND n::text <> ''"},
		{"trigger when, type moved", `CREATE SCHEMA s; CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (m mood, n varchar(9));
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.m = 'a'::mood AND NEW.n::text <> 'x'::text) EXECUTE FUNCTION tf();
ALTER TYPE mood SET SCHEMA s;`, func(c *schema.Catalog) (string, string) {
			tr := c.Triggers[schema.TriggerName{Table: pub("t"), Name: "tr"}]
			return tr.Def, tr.Src
		}, "CREATE TRIGGER tr BEFORE UPDATE ON public.t FOR EACH ROW WHEN (new.m = 'a' AND new.n <> 'x') EXECUTE FUNCTION public.tf()",
			"CREATE TRIGGER tr BEFORE UPDATE ON public.t FOR EACH ROW WHEN (new.m = 'a'::s.mood AND new.n::text <> 'x'::text) EXECUTE FUNCTION public.tf()"},
		{"partition copy", `CREATE TABLE p (k int, d varchar(9)) PARTITION BY RANGE (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
CREATE INDEX p_d ON p (lower(d::text));`, index(pub("p1_lower_idx")),
			"public.p1 USING btree (lower(d))", "public.p1 USING btree (lower(d::text))"},
		{"materialized view renamed", base + `CREATE MATERIALIZED VIEW m AS SELECT name FROM a;
CREATE INDEX i ON m (public.f(name::text));
ALTER MATERIALIZED VIEW m RENAME TO n;`, func(c *schema.Catalog) (string, string) {
			ix := c.Views[pub("n")].Indexes[pub("i")]
			return ix.Def, ix.Src
		}, "public.n USING btree (f(name::text))", "public.n USING btree (public.f(name::text))"},
		{"statistics", base + `CREATE STATISTICS st (dependencies, ndistinct) ON name, lower(name::text), id FROM a;
ALTER TABLE a RENAME COLUMN name TO nm;`, func(c *schema.Catalog) (string, string) {
			s := c.Statistics[pub("st")]
			return s.Def, s.Src
		}, "(ndistinct, dependencies) ON id, nm, (lower(nm)) FROM public.a", "(dependencies, ndistinct) ON nm, (lower(nm::text)), id FROM public.a"},
		{"exclude", `CREATE EXTENSION btree_gist; CREATE TABLE r (id int, name varchar(9),
  CONSTRAINT r_x EXCLUDE USING gist ((name::text) WITH =, public.f(name::text) WITH <>) WHERE (name::text <> ''));
CREATE FUNCTION f(x text) RETURNS text LANGUAGE sql IMMUTABLE RETURN x;
ALTER TABLE r RENAME COLUMN name TO nm;`, func(c *schema.Catalog) (string, string) {
			con := c.Tables[pub("r")].Constraint("r_x")
			return con.Def, con.Src
		}, "EXCLUDE USING gist ((nm::text) WITH =, f(nm) WITH <>) WHERE (nm <> '')",
			"EXCLUDE USING gist ((nm::text) WITH =, public.f(nm::text) WITH <>) WHERE (nm::text <> '')"},
		{"exclude with options", `CREATE EXTENSION btree_gist; CREATE TABLE r (id int, name varchar(9),
  CONSTRAINT r_x EXCLUDE USING gist (id WITH =) INCLUDE (name) WITH (fillfactor=70) WHERE (name::text <> '') DEFERRABLE);
ALTER TABLE r RENAME COLUMN name TO nm;`, func(c *schema.Catalog) (string, string) {
			con := c.Tables[pub("r")].Constraint("r_x")
			return con.Def, con.Src
		}, "EXCLUDE USING gist (id WITH =) INCLUDE (nm) WITH (fillfactor='70') WHERE (nm <> '') DEFERRABLE",
			"EXCLUDE USING gist (id WITH =) INCLUDE (nm) WITH (fillfactor=70) WHERE (nm::text <> '') DEFERRABLE"},
		{"trigger when", base + `CREATE FUNCTION t() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER tr BEFORE UPDATE ON a FOR EACH ROW WHEN (NEW.name::text <> 'x'::text) EXECUTE FUNCTION t();
ALTER TABLE a RENAME COLUMN name TO nm;`, func(c *schema.Catalog) (string, string) {
			tr := c.Triggers[schema.TriggerName{Table: pub("a"), Name: "tr"}]
			return tr.Def, tr.Src
		}, "CREATE TRIGGER tr BEFORE UPDATE ON public.a FOR EACH ROW WHEN (new.nm <> 'x') EXECUTE FUNCTION public.t()",
			"CREATE TRIGGER tr BEFORE UPDATE ON public.a FOR EACH ROW WHEN (new.nm::text <> 'x'::text) EXECUTE FUNCTION public.t()"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, _, err := ParseFile("schema.sql", []byte(tt.sql), Options{})
			if err != nil {
				t.Fatal(err)
			}
			def, src := tt.object(cat)
			if def != tt.def || src != tt.src {
				t.Errorf("compared %q, written %q; want %q, %q", def, src, tt.def, tt.src)
			}
		})
	}
}

// index reads the Def and Src of index q of a table.
func index(q schema.QualifiedName) func(*schema.Catalog) (string, string) {
	return func(c *schema.Catalog) (string, string) {
		ix := c.Indexes[q]
		if ix == nil {
			return "<no index " + q.String() + ">", ""
		}
		return ix.Def, ix.Src
	}
}
