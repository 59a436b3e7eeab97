package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/schema"
)

// storedCallsPrelude holds the functions and the table the expressions of
// TestStoredCallsAgainstServer call and read. public.current_setting(integer)
// shares its name and argument count with a built-in, which a call with a
// string resolves to (current_setting('search_path'::text)).
const storedCallsPrelude = `CREATE SCHEMA s;
CREATE FUNCTION f(x text) RETURNS text LANGUAGE sql IMMUTABLE RETURN x;
CREATE FUNCTION s.f(x text) RETURNS text LANGUAGE sql IMMUTABLE RETURN x || 's';
CREATE FUNCTION g(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN x;
CREATE FUNCTION d(x text, y integer DEFAULT 1) RETURNS text LANGUAGE sql IMMUTABLE RETURN x;
CREATE TYPE mood AS ENUM ('fine', 'sad');
CREATE FUNCTION m(x mood) RETURNS text LANGUAGE sql IMMUTABLE RETURN x;
CREATE FUNCTION current_setting(x integer) RETURNS text LANGUAGE sql IMMUTABLE RETURN x;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TABLE c (n text, i integer);
`

// storedCallsLate is a function the schema declares after the objects
// that call it (the server needs it first).
const storedCallsLate = "CREATE FUNCTION late(x text) RETURNS text LANGUAGE sql IMMUTABLE RETURN x;\n"

// storedKind is one kind of stored expression: object creates object
// o<%[1]d> over expression %[2]s; query reads each object's name and the
// server's text of it, which rebuild (object when "") takes as %[2]s;
// ours is the compared text of each object in ddlmig's model (without
// the object's name, as query reads the server's).
type storedKind struct {
	name, object, query, rebuild string
	ours                         func(cat *schema.Catalog, name string) string
	exprs                        []string
}

// storedIndexKind is the storedKind of indexes on c: the server's text of
// each is read without the index's name.
func storedIndexKind(name, object string, exprs ...string) storedKind {
	return storedKind{
		name:   name,
		object: object,
		query: "SELECT x.relname, substring(pg_get_indexdef(i.indexrelid) from ' ON .*') FROM pg_index i " +
			"JOIN pg_class x ON x.oid = i.indexrelid WHERE i.indrelid = 'c'::regclass",
		rebuild: "CREATE INDEX o%d%s;",
		ours: func(cat *schema.Catalog, n string) string {
			return cat.Indexes[schema.QualifiedName{Schema: "public", Name: n}].Def
		},
		exprs: exprs,
	}
}

var publicC = schema.QualifiedName{Schema: "public", Name: "c"}

func storedTable(cat *schema.Catalog) *schema.Table { return cat.Tables[publicC] }

var storedKinds = []storedKind{
	{
		name:   "column default",
		object: "ALTER TABLE c ADD COLUMN o%d text DEFAULT %s;",
		query:  columnDefaultsQuery("c"),
		ours:   func(cat *schema.Catalog, n string) string { return storedTable(cat).Column(n).Default },
		exprs: []string{"f('x')", "f('x'::text)", "f('y')", "s.f('x')", "s.f('x'::text)",
			"late('x')", "late('x'::text)", "current_setting('search_path')", "current_setting('search_path'::text)", "f('x') || 'y'", "f('x'::text) || 'y'::text",
			"d('x')", "d('x'::text)", "d('x', 1)", "d('x'::text, 1)", "d('x', 2)", "m('fine')", "m('fine'::mood)", "m('sad')"},
	},
	{
		name:   "generated column",
		object: "ALTER TABLE c ADD COLUMN o%d text GENERATED ALWAYS AS (%s) STORED;",
		query:  columnDefaultsQuery("c"),
		ours:   func(cat *schema.Catalog, n string) string { return storedTable(cat).Column(n).Generated },
		exprs: []string{"f(n)", "f('x')", "f('x'::text)", "late(n)", "s.f('x')", "s.f('x'::text)",
			"f(n) || 'x'", "f(n) || 'x'::text", "COALESCE(f(n), '')", "COALESCE(f(n), ''::text)", "f(g(i)::text)"},
	},
	{
		name:   "table check",
		object: "ALTER TABLE c ADD CONSTRAINT o%d CHECK (%s);",
		query:  "SELECT conname, pg_get_expr(conbin, conrelid) FROM pg_constraint WHERE conrelid = 'c'::regclass AND contype = 'c'",
		ours:   func(cat *schema.Catalog, n string) string { return storedTable(cat).Constraint(n).Def },
		exprs: []string{"n = f('x')", "n = f('x'::text)", "n = f('y')", "n = s.f('x')", "n = s.f('x'::text)",
			"f(n) <> ''", "f(n) <> ''::text", "f(n) <> 'a'", "COALESCE(f(n), '') <> 'a'", "COALESCE(f(n), ''::text) <> 'a'",
			"g(i) IS NOT NULL", "g(i::numeric) IS NOT NULL", "g(1) IS NOT NULL", "g(1::numeric) IS NOT NULL",
			"g('1') IS NOT NULL", "g('1'::numeric) IS NOT NULL", "n = late('x')", "n = late('x'::text)",
			"n = current_setting('search_path')", "n = current_setting('search_path'::text)",
			"d(n) <> ''", "d(n) <> ''::text", "n = d('x')", "n = d('x'::text)", "n = d('x', 1)",
			"m('fine') <> ''", "m('fine'::mood) <> ''::text", "m('sad') <> ''"},
	},
	{
		name:    "trigger WHEN",
		object:  "CREATE TRIGGER o%d BEFORE UPDATE ON c FOR EACH ROW WHEN (%s) EXECUTE FUNCTION touch();",
		query:   "SELECT tgname, substring(pg_get_triggerdef(oid) from ' BEFORE .*') FROM pg_trigger WHERE tgrelid = 'c'::regclass",
		rebuild: "CREATE TRIGGER o%d%s;",
		ours: func(cat *schema.Catalog, n string) string {
			def := cat.Triggers[schema.TriggerName{Table: publicC, Name: n}].Def
			return strings.TrimPrefix(def, "CREATE TRIGGER "+n)
		},
		exprs: []string{"NEW.n = f('x')", "NEW.n = f('x'::text)", "NEW.n = f('y')", "f(NEW.n) <> ''", "f(NEW.n) <> ''::text",
			"f(OLD.n) <> 'a'", "g(NEW.i) IS NOT NULL", "g((NEW.i)::numeric) IS NOT NULL", "NEW.n = late('x')",
			"NEW.n = late('x'::text)", "s.f(NEW.n) <> '' AND NEW.i > 0", "s.f(NEW.n) <> ''::text AND NEW.i > 0"},
	},
	{
		name:   "policy",
		object: "CREATE POLICY o%d ON c USING (%s);",
		query:  "SELECT policyname, qual FROM pg_policies WHERE tablename = 'c'",
		ours:   func(cat *schema.Catalog, n string) string { return storedTable(cat).Policy(n).Using },
		exprs: []string{"n = f('x')", "n = f('x'::text)", "f(n) <> ''", "f(n) <> ''::text", "g(i) IS NOT NULL",
			"g(i::numeric) IS NOT NULL", "n = late('x')", "n = late('x'::text)", "n = current_setting('search_path')",
			"n = current_setting('search_path'::text)", "EXISTS (SELECT 1 FROM c c2 WHERE c2.n = f('x'))",
			"EXISTS (SELECT 1 FROM c c2 WHERE c2.n = f('x'::text))"},
	},
	{
		name:    "view",
		object:  "CREATE VIEW o%d AS SELECT %s AS x FROM c;",
		query:   "SELECT relname, pg_get_viewdef(oid) FROM pg_class WHERE relkind = 'v' AND relnamespace = 'public'::regnamespace",
		rebuild: "CREATE VIEW o%d AS %s",
		ours: func(cat *schema.Catalog, n string) string {
			return cat.Views[schema.QualifiedName{Schema: "public", Name: n}].Def
		},
		exprs: []string{"f('x')", "f('x'::text)", "d('x')", "d('x'::text)", "d('x', 1)", "d('x'::text, 1)", "g(i)", "g(i::numeric)"},
	},
	storedIndexKind("index expression", "CREATE INDEX o%d ON c ((%s));",
		"f(n)", "f(n) || f('x')", "f(n) || f('x'::text)", "g(i)", "g(i::numeric)",
		"late(n) || late('x')", "late(n) || late('x'::text)", "s.f(n || 'x')", "s.f(n || 'x'::text)"),
	storedIndexKind("index predicate", "CREATE INDEX o%d ON c (i) WHERE %s;",
		"n = f('x')", "n = f('x'::text)", "f(n) <> ''", "f(n) <> ''::text", "n = late('x')",
		"n = late('x'::text)", "g(i) IS NOT NULL", "g(i::numeric) IS NOT NULL"),
	{
		name:   "domain default",
		object: "CREATE DOMAIN o%d AS text DEFAULT %s;",
		query:  "SELECT typname, typdefault FROM pg_type WHERE typtype = 'd' AND typnamespace = 'public'::regnamespace",
		ours: func(cat *schema.Catalog, n string) string {
			return cat.Domains[schema.QualifiedName{Schema: "public", Name: n}].Default
		},
		exprs: []string{"f('x')", "f('x'::text)", "f('y')", "s.f('x')", "s.f('x'::text)", "late('x')", "late('x'::text)"},
	},
	{
		name:   "domain check",
		object: "CREATE DOMAIN o%d AS text CHECK (%s);",
		query:  "SELECT t.typname, pg_get_expr(k.conbin, 0) FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid WHERE t.typnamespace = 'public'::regnamespace",
		ours: func(cat *schema.Catalog, n string) string {
			return cat.Domains[schema.QualifiedName{Schema: "public", Name: n}].Constraints[0].Def
		},
		exprs: []string{"VALUE = f('x')", "VALUE = f('x'::text)", "f(VALUE) <> ''", "f(VALUE) <> ''::text",
			"VALUE = late('x')", "VALUE = late('x'::text)", "VALUE = s.f('x')", "VALUE = s.f('x'::text)"},
	},
}

// TestStoredCallsAgainstServer asks PostgreSQL how it stores calls of the
// schema's own functions outside views: a string literal argument is cast
// to the parameter's type (f('x'::text)), a narrower number widened
// ((i)::numeric), and a string literal compared with a function returning
// text is printed cast (f(n) <> ”::text). For each kind of stored
// expression, two objects must compare the same in ddlmig's model exactly
// when the server prints them the same, and the server's text of each,
// read back, must compare as the text written: what pg_dump prints of a
// schema converges with it. late() is declared after its callers.
func TestStoredCallsAgainstServer(t *testing.T) {
	testdb.Require(t)
	for _, k := range storedKinds {
		t.Run(k.name, func(t *testing.T) {
			objects := func(texts func(i int) string, tmpl string) string {
				var b strings.Builder
				for i := range k.exprs {
					fmt.Fprintf(&b, tmpl+"\n", i, texts(i))
				}
				return b.String()
			}
			written := objects(func(i int) string { return k.exprs[i] }, k.object)
			ours := storedTexts(t, k, storedCallsPrelude+written+storedCallsLate)
			server := serverDefs(t, storedCallsPrelude+storedCallsLate+written, k.query)
			sameAsServer(t, k.exprs, "o", ours, server)
			rebuild := k.rebuild
			if rebuild == "" {
				rebuild = k.object
			}
			dumped := objects(func(i int) string { return server[fmt.Sprintf("o%d", i)] }, rebuild)
			back := storedTexts(t, k, storedCallsPrelude+storedCallsLate+dumped)
			for i, e := range k.exprs {
				name := fmt.Sprintf("o%d", i)
				if ours[name] != back[name] {
					t.Errorf("%s compares as %s; the server's text of it, %s, as %s", e, ours[name], server[name], back[name])
				}
			}
		})
	}
}

// storedTexts parses src and returns the compared text of each object of
// kind k, by name.
func storedTexts(t *testing.T, k storedKind, src string) map[string]string {
	t.Helper()
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	out := map[string]string{}
	for i := range k.exprs {
		name := fmt.Sprintf("o%d", i)
		out[name] = k.ours(cat, name)
	}
	return out
}
