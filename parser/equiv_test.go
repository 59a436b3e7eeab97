package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEquivalent lists spellings of one schema that must parse to equal
// catalogs, and near misses that must not.
func TestEquivalent(t *testing.T) {
	tests := []struct {
		name  string
		a, b  string
		equal bool
	}{
		{"qualified name", `CREATE TABLE t (id int);`, `CREATE TABLE public.t (id int);`, true},
		{"case folding", `CREATE TABLE Users (ID int);`, `create table users (id int);`, true},
		{"quoted case kept", `CREATE TABLE "Users" (id int);`, `CREATE TABLE users (id int);`, false},
		{"int spellings", `CREATE TABLE t (a int, b int4, c int2, d int8);`, `CREATE TABLE t (a integer, b integer, c smallint, d bigint);`, true},
		{"varchar spellings", `CREATE TABLE t (a varchar(10), b char(2), c char);`, `CREATE TABLE t (a character varying(10), b character(2), c character(1));`, true},
		{"varchar length matters", `CREATE TABLE t (a varchar(10));`, `CREATE TABLE t (a varchar(11));`, false},
		{"time spellings", `CREATE TABLE t (a timestamptz, b timestamp, c timetz, d time(3));`,
			`CREATE TABLE t (a timestamp with time zone, b timestamp without time zone, c time with time zone, d time(3) without time zone);`, true},
		{"timestamptz is not timestamp", `CREATE TABLE t (a timestamptz);`, `CREATE TABLE t (a timestamp);`, false},
		{"float spellings", `CREATE TABLE t (a float, b float8, c float4, d float(10), e decimal(5,2), f bool, g varbit);`,
			`CREATE TABLE t (a double precision, b double precision, c real, d real, e numeric(5, 2), f boolean, g bit varying);`, true},
		{"array dims", `CREATE TABLE t (a int[]);`, `CREATE TABLE t (a integer ARRAY);`, true},
		{"array vs scalar", `CREATE TABLE t (a int[]);`, `CREATE TABLE t (a int);`, false},
		{"serial expansion", `CREATE TABLE t (id serial);`,
			`CREATE TABLE t (id integer NOT NULL);
			 CREATE SEQUENCE t_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
			 ALTER SEQUENCE t_id_seq OWNED BY t.id;
			 ALTER TABLE ONLY t ALTER COLUMN id SET DEFAULT nextval('t_id_seq'::regclass);`, true},
		{"bigserial is bigint", `CREATE TABLE t (id bigserial);`, `CREATE TABLE t (id serial);`, false},
		{"nextval spellings", `CREATE SEQUENCE s; CREATE TABLE t (id int DEFAULT nextval('s'));`,
			`CREATE SEQUENCE public.s; CREATE TABLE t (id int DEFAULT nextval('public.s'::regclass));`, true},
		{"default whitespace and keywords", `CREATE TABLE t (a int DEFAULT (1+2) * 3, b timestamptz DEFAULT CURRENT_TIMESTAMP);`,
			`CREATE TABLE t (a int DEFAULT ((1 + 2)*3), b timestamptz default current_timestamp);`, true},
		{"now is not current_timestamp", `CREATE TABLE t (b timestamptz DEFAULT now());`, `CREATE TABLE t (b timestamptz DEFAULT CURRENT_TIMESTAMP);`, false},
		{"literal cast to own type", `CREATE TABLE t (a text DEFAULT 'x', b jsonb DEFAULT '{}', c varchar(5) DEFAULT 'a', d int DEFAULT -1);`,
			`CREATE TABLE t (a text DEFAULT 'x'::text, b jsonb DEFAULT '{}'::jsonb, c varchar(5) DEFAULT 'a'::character varying, d int DEFAULT '-1'::integer);`, true},
		{"literal cast to other type kept", `CREATE TABLE t (a text DEFAULT 'x');`, `CREATE TABLE t (a text DEFAULT 'x'::varchar);`, false},
		{"enum default", `CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (a m DEFAULT 'a');`,
			`CREATE TYPE public.m AS ENUM ('a'); CREATE TABLE t (a public.m DEFAULT 'a'::public.m);`, true},
		{"inline vs table vs alter constraint",
			`CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int UNIQUE REFERENCES u ON DELETE CASCADE CHECK (a > 0));`,
			`CREATE TABLE u (id int, PRIMARY KEY (id));
			 CREATE TABLE t (a int);
			 ALTER TABLE ONLY t ADD CONSTRAINT t_a_key UNIQUE (a);
			 ALTER TABLE t ADD CONSTRAINT t_a_check CHECK ((a > 0));
			 ALTER TABLE ONLY public.t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES public.u(id) ON DELETE CASCADE;`, true},
		{"FK defaults omitted", `CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int REFERENCES u (id) MATCH SIMPLE ON DELETE NO ACTION ON UPDATE NO ACTION NOT DEFERRABLE INITIALLY IMMEDIATE);`,
			`CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int REFERENCES u);`, true},
		{"inline deferrable", `CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int REFERENCES u DEFERRABLE INITIALLY DEFERRED);`,
			`CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES u (id) DEFERRABLE INITIALLY DEFERRED);`, true},
		{"deferrable matters", `CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int REFERENCES u DEFERRABLE);`,
			`CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int REFERENCES u);`, false},
		{"storage parameters", `CREATE TABLE t (a int); CREATE INDEX i ON t (a) WITH (fillfactor=70);`,
			`CREATE TABLE t (a int); CREATE INDEX i ON public.t USING btree (a) WITH (fillfactor='70');`, true},
		{"varchar column cast to text", `CREATE TABLE t (a varchar(10) CHECK (a <> '')); CREATE INDEX i ON t (lower(a));`,
			`CREATE TABLE t (a varchar(10) CHECK ((a)::text <> '')); CREATE INDEX i ON t (lower((a)::text));`, true},
		{"varchar cast to text as a whole index key", `CREATE TABLE t (a varchar(10)); CREATE INDEX i ON t ((a::text));`,
			`CREATE TABLE t (a varchar(10)); CREATE INDEX i ON t (a);`, false},
		{"varchar cast to text in an array", `CREATE TABLE t (a varchar(10)); CREATE VIEW v AS SELECT ARRAY[a::text] AS x FROM t;`,
			`CREATE TABLE t (a varchar(10)); CREATE VIEW v AS SELECT ARRAY[a] AS x FROM t;`, false},
		{"varchar cast to text as a view column", `CREATE TABLE t (a varchar(10)); CREATE VIEW v AS SELECT a::text AS x FROM t;`,
			`CREATE TABLE t (a varchar(10)); CREATE VIEW v AS SELECT a AS x FROM t;`, false},
		{"varchar cast to text in format", `CREATE TABLE t (a varchar(10), b text GENERATED ALWAYS AS (format('%s', a::text)) STORED);`,
			`CREATE TABLE t (a varchar(10), b text GENERATED ALWAYS AS (format('%s', a)) STORED);`, false},
		{"varchar cast to text in NULLIF", `CREATE TABLE t (a varchar(10) CHECK (NULLIF(a::text, '') IS NOT NULL));`,
			`CREATE TABLE t (a varchar(10) CHECK (NULLIF(a, '') IS NOT NULL));`, false},
		{"char cast to text in lower", `CREATE TABLE t (a char(3)); CREATE INDEX i ON t (lower(a::text));`,
			`CREATE TABLE t (a char(3)); CREATE INDEX i ON t (lower(a));`, true},
		{"char cast to text in length", `CREATE TABLE t (a char(3) CHECK (length(a::text) > 0));`,
			`CREATE TABLE t (a char(3) CHECK (length(a) > 0));`, false},
		{"char cast to text in a comparison", `CREATE TABLE t (a char(3) CHECK (a::text <> 'x'));`,
			`CREATE TABLE t (a char(3) CHECK (a <> 'x'));`, false},
		{"public function qualification", `CREATE TABLE t (a text DEFAULT public.f());`, `CREATE TABLE t (a text DEFAULT f());`, true},
		{"numeric precision only", `CREATE TABLE t (a numeric(5));`, `CREATE TABLE t (a numeric(5,0));`, true},
		{"boolean and null defaults", `CREATE TABLE t (a bool DEFAULT 't', b varchar DEFAULT NULL, c int DEFAULT '5');`,
			`CREATE TABLE t (a bool DEFAULT true, b varchar DEFAULT NULL::character varying, c int DEFAULT 5);`, true},
		{"DEFAULT NULL is no default, as PostgreSQL stores none", `CREATE TABLE t (a int DEFAULT NULL, b text DEFAULT NULL::text, c int DEFAULT 1, d int[] DEFAULT NULL);
			 ALTER TABLE t ALTER COLUMN c SET DEFAULT NULL; ALTER TABLE t ADD COLUMN e date DEFAULT CAST(NULL AS date);`,
			`CREATE TABLE t (a int, b text, c int, d int[], e date);`, true},
		{"DEFAULT NULL with a type modifier is a length coercion PostgreSQL stores", `CREATE TABLE t (a varchar(16) DEFAULT NULL);`,
			`CREATE TABLE t (a varchar(16));`, false},
		{"DEFAULT NULL on a domain overrides its default", `CREATE DOMAIN d AS int DEFAULT 5; CREATE TABLE t (a d DEFAULT NULL);`,
			`CREATE DOMAIN d AS int DEFAULT 5; CREATE TABLE t (a d);`, false},
		{"literal with backslash and quote", `CREATE TABLE t (a text DEFAULT 'a\b''c');`, `CREATE TABLE t (a text DEFAULT 'a\b''c'::text);`, true},
		{"IN list as the server prints it", `CREATE TABLE t (a text CHECK (a IN ('x', 'y')), b text CHECK (b NOT IN ('z')), c int CHECK (c IN (1, 2)));`,
			`CREATE TABLE t (a text CHECK ((a = ANY (ARRAY['x'::text, 'y'::text]))), b text CHECK ((b <> 'z'::text)), c int CHECK ((c = ANY (ARRAY[1, 2]))));`, true},
		// The server keeps a varchar IN list as an array cast to text[], which
		// pg_dump prints; loading that spelling casts each element instead.
		{"array cast as the server keeps it", `CREATE TABLE t (a varchar(10) CHECK (((a)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[]))));`,
			`CREATE TABLE t (a varchar(10) CHECK (((a)::text = ANY (ARRAY[('x'::character varying)::text, ('y'::character varying)::text]))));`, true},
		{"array cast as pg_dump prints the IN list", `CREATE TABLE t (a varchar(10) CHECK (a IN ('x', 'y')));`,
			`CREATE TABLE t (a varchar(10) CHECK (((a)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[]))));`, true},
		{"comparison literal cast", `CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (a varchar(10), b m, CHECK (a <> 'x' AND b <> 'a'));`,
			`CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (a varchar(10), b m, CHECK ((((a)::text <> 'x'::text) AND (b <> 'a'::public.m))));`, true},
		{"IN list values matter", `CREATE TABLE t (a text CHECK (a IN ('x', 'y')));`, `CREATE TABLE t (a text CHECK (a IN ('x', 'z')));`, false},
		{"LIKE and BETWEEN as the server prints them", `CREATE TABLE t (a text CHECK (a LIKE 'x%' AND a NOT ILIKE 'y'), n int CHECK (n BETWEEN 0 AND 10), m int CHECK (m NOT BETWEEN 1 AND 2));`,
			`CREATE TABLE t (a text CHECK (((a ~~ 'x%'::text) AND (a !~~* 'y'::text))), n int CHECK (((n >= 0) AND (n <= 10))), m int CHECK (((m < 1) OR (m > 2))));`, true},
		{"FK action matters", `CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int REFERENCES u ON DELETE CASCADE);`,
			`CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int REFERENCES u ON DELETE SET NULL);`, false},
		{"NOT VALID matters", `CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;`,
			`CREATE TABLE t (a int, CONSTRAINT c CHECK (a > 0));`, false},
		{"NOT VALID then VALIDATE", `CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT c;`,
			`CREATE TABLE t (a int, CONSTRAINT c CHECK (a > 0));`, true},
		{"check parentheses", `CREATE TABLE t (a int CHECK (a > 0 AND a < 10));`, `CREATE TABLE t (a int CHECK (((a > 0) AND (a < 10))));`, true},
		{"check differs", `CREATE TABLE t (a int CHECK (a > 0));`, `CREATE TABLE t (a int CHECK (a >= 0));`, false},
		{"index spellings", `CREATE TABLE t (a int, b text); CREATE INDEX i ON t (a ASC NULLS LAST, b DESC NULLS FIRST);`,
			`CREATE TABLE t (a int, b text); CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON public.t USING btree (a, b DESC);`, true},
		{"index method matters", `CREATE TABLE t (a int); CREATE INDEX i ON t (a);`, `CREATE TABLE t (a int); CREATE INDEX i ON t USING hash (a);`, false},
		{"index predicate matters", `CREATE TABLE t (a int); CREATE INDEX i ON t (a);`, `CREATE TABLE t (a int); CREATE INDEX i ON t (a) WHERE a > 0;`, false},
		{"index unique matters", `CREATE TABLE t (a int); CREATE INDEX i ON t (a);`, `CREATE TABLE t (a int); CREATE UNIQUE INDEX i ON t (a);`, false},
		{"empty comment is none", `CREATE TABLE t (a int); COMMENT ON TABLE t IS '';`, `CREATE TABLE t (a int);`, true},
		{"extension public schema", `CREATE EXTENSION citext;`, `CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;`, true},
		{"sequence defaults", `CREATE SEQUENCE s;`, `CREATE SEQUENCE s AS bigint START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1 NO CYCLE;`, true},
		{"descending sequence defaults", `CREATE SEQUENCE s INCREMENT -1;`, `CREATE SEQUENCE s INCREMENT -1 MINVALUE -9223372036854775808 MAXVALUE -1 START -1;`, true},
		{"sequence start matters", `CREATE SEQUENCE s;`, `CREATE SEQUENCE s START 2;`, false},
		{"identity options spelled out", `CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);`,
			`CREATE TABLE t (id integer NOT NULL);
			 ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.t_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1);`, true},
		{"identity kind matters", `CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);`, `CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY);`, false},
		{"collation spellings", `CREATE TABLE t (a text COLLATE "C");`, `CREATE TABLE t (a text COLLATE pg_catalog."C");`, true},
		{"AT TIME ZONE default with or without parentheses", `CREATE TABLE t (a timestamp DEFAULT (now() AT TIME ZONE 'utc'), b text DEFAULT ((now() AT TIME ZONE 'utc'))::text);`,
			`CREATE TABLE t (a timestamp DEFAULT ((now() AT TIME ZONE 'utc')), b text DEFAULT (now() AT TIME ZONE 'utc')::text);`, true},
		{"cast of AT TIME ZONE is not a cast of the zone", `CREATE TABLE t (b text DEFAULT (now() AT TIME ZONE 'utc')::text);`,
			`CREATE TABLE t (b text DEFAULT (now() AT TIME ZONE 'utc'::text));`, false},
		{"typed literal as the server keeps it", `CREATE TABLE t (a bigint DEFAULT bigint '2', b bigint DEFAULT '2', c numeric DEFAULT numeric '1.5');`,
			`CREATE TABLE t (a bigint DEFAULT '2'::bigint, b bigint DEFAULT '2'::bigint, c numeric DEFAULT 1.5);`, true},
		{"bigint literal is not an integer coerced", `CREATE TABLE t (a bigint DEFAULT bigint '2');`, `CREATE TABLE t (a bigint DEFAULT 2);`, false},
		{"one-element ANY is not =", `CREATE TABLE t (a int CHECK (a = ANY (ARRAY[0])));`, `CREATE TABLE t (a int CHECK (a = 0));`, false},
		{"one-element ANY as the server prints it", `CREATE TABLE t (a text CHECK (a = ANY (ARRAY['x'])));`, `CREATE TABLE t (a text CHECK ((a = ANY (ARRAY['x'::text]))));`, true},
		{"index spellings", `CREATE TABLE t (n varchar(9)); CREATE INDEX i ON t (lower(n::text) ASC NULLS LAST) WITH (fillfactor=70);`,
			`CREATE TABLE t (n varchar(9)); CREATE INDEX i ON public.t USING btree (lower((n)::text)) WITH (fillfactor='70');`, true},
		{"index cast that changes the key", `CREATE TABLE t (n varchar(9)); CREATE INDEX i ON t ((n::text));`,
			`CREATE TABLE t (n varchar(9)); CREATE INDEX i ON t (n);`, false},
		{"statistics spellings", `CREATE TABLE t (a int, n varchar(9)); CREATE STATISTICS s (dependencies, ndistinct) ON n, a, lower(n::text) FROM t;`,
			`CREATE TABLE t (a int, n varchar(9)); CREATE STATISTICS public.s (ndistinct, dependencies) ON a, n, (lower((n)::text)) FROM public.t;`, true},
		{"statement order", `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a_id int REFERENCES a);`,
			`CREATE TABLE b (a_id int REFERENCES a); CREATE TABLE a (id int PRIMARY KEY);`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _, err := ParseFile("a.sql", []byte(tt.a), Options{})
			if err != nil {
				t.Fatalf("a: %v", err)
			}
			b, _, err := ParseFile("b.sql", []byte(tt.b), Options{})
			if err != nil {
				t.Fatalf("b: %v", err)
			}
			diff := cmp.Diff(a, b, ignorePos, ignoreStmts)
			if tt.equal && diff != "" {
				t.Errorf("catalogs differ (-a +b):\n%s", diff)
			}
			if !tt.equal && diff == "" {
				t.Errorf("catalogs are equal, want a difference:\n%s", dump(a))
			}
		})
	}
}
