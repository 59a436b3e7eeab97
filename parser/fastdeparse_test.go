package parser

import (
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/synth"
)

// TestFastDeparse pins which shapes fastDeparse prints itself, and that
// its text is the deparser's for each; every other shape must go to the
// deparser.
func TestFastDeparse(t *testing.T) {
	tests := []struct {
		sql  string
		fast bool
	}{
		{`ALTER TABLE x ADD CONSTRAINT c PRIMARY KEY (id)`, true},
		{`ALTER TABLE x ADD CONSTRAINT c UNIQUE (a, "B", "select", "a b", "from")`, true},
		{`ALTER TABLE x ADD CONSTRAINT c UNIQUE (a) DEFERRABLE`, false},
		{`ALTER TABLE x ADD CONSTRAINT c UNIQUE NULLS NOT DISTINCT (a)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c UNIQUE (a) INCLUDE (b)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c UNIQUE (a) WITH (fillfactor='70')`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a > 0)`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (price_cents BETWEEN 0 AND 100)`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (price_cents NOT BETWEEN 0 AND 100)`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a BETWEEN SYMMETRIC 0 AND 100)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (email LIKE '%@%')`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (email NOT LIKE '%@%')`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (email ILIKE '%@%')`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (email LIKE '%@%' ESCAPE '!')`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK ("Select" <> '' AND b >= 0 AND c = true)`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (updated_at IS NULL OR updated_at >= created_at)`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a IS NOT NULL)`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (char_length(name) <= 100)`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (f(a, 'x', 1) = g())`, true},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK ((a > 0 OR b > 0) AND c)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (NOT a)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a + b > 0)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a > -1)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a > 1.5)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a IN ('x', 'y'))`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a = ANY (ARRAY['x', 'y']))`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a::text <> '')`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (t.a > 0)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a > 0) NO INHERIT`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a > 0) NOT VALID`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (a OPERATOR(pg_catalog.>) 0)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (length(a::text) > 0)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (pg_catalog.length(a) > 0)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c CHECK (extract(year FROM d) > 2000)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES s.t (id)`, true},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a, "B") REFERENCES t (id, "X") ON DELETE CASCADE`, true},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES s.t (id) ON DELETE SET NULL ON UPDATE CASCADE`, true},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES s.t (id) ON UPDATE RESTRICT ON DELETE SET DEFAULT`, true},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES "S"."select" MATCH FULL ON DELETE NO ACTION`, true},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES s.t (id) MATCH SIMPLE`, true},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES s.t (id) NOT DEFERRABLE INITIALLY IMMEDIATE`, true},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES s.t (id) ON DELETE SET NULL (a)`, false},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES s.t (id) DEFERRABLE INITIALLY DEFERRED`, false},
		{`ALTER TABLE x ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES s.t (id) NOT VALID`, false},
		{`ALTER TABLE ONLY x ADD CONSTRAINT c PRIMARY KEY (id)`, false},
		{`ALTER TABLE x ADD CONSTRAINT d PRIMARY KEY (id)`, false},
		{`CREATE INDEX i ON public.t USING btree (a)`, true},
		{`CREATE INDEX i ON "My Schema"."T" USING gin (a, "B", "user")`, true},
		{`CREATE INDEX i ON public.t USING btree (a DESC)`, true},
		{`CREATE INDEX i ON public.t USING btree (a ASC NULLS LAST, b DESC NULLS FIRST)`, true},
		{`CREATE INDEX i ON public.t USING btree (a NULLS FIRST)`, true},
		{`CREATE INDEX i ON public.t USING btree (a text_pattern_ops)`, true},
		{`CREATE INDEX i ON public.t USING gin (metadata jsonb_path_ops)`, true},
		{`CREATE INDEX i ON public.t USING btree (a public.my_ops)`, false},
		{`CREATE INDEX i ON public.t USING btree (a COLLATE "C")`, false},
		{`CREATE INDEX i ON public.t USING btree (lower(a))`, true},
		{`CREATE INDEX i ON public.t USING btree (lower(a), b DESC) WHERE deleted_at IS NULL`, true},
		{`CREATE INDEX i ON public.t USING btree ((a + b))`, false},
		{`CREATE INDEX i ON public.t USING btree (a) WHERE a > 0`, true},
		{`CREATE INDEX i ON public.t USING btree (a) WHERE a > 0 AND b IS NOT NULL`, true},
		{`CREATE INDEX i ON public.t USING btree (a) WHERE (a > 0 OR b < 1) AND c`, false},
		{`SELECT amount * quantity`, true},
		{`SELECT a + 1`, true},
		{`SELECT a * b + c`, false},
		{`CREATE INDEX i ON public.t USING btree (a) INCLUDE (b)`, false},
		{`CREATE INDEX i ON ONLY public.t USING btree (a)`, false},
		{`SELECT 0`, true},
		{`SELECT 42`, true},
		{`SELECT true`, true},
		{`SELECT false`, true},
		{`SELECT now()`, true},
		{`SELECT public.gen_id()`, true},
		{`SELECT 'it''s'::text`, true},
		{`SELECT '{}'::jsonb`, true},
		{`SELECT ''::text`, true},
		{`SELECT 'ü'::text`, true},
		{`SELECT 'en'`, true},
		{`SELECT 'it''s'`, true},
		{`SELECT 'a\b'`, false},
		{`SELECT -1`, false},
		{`SELECT 1.5`, false},
		{`SELECT NULL`, false},
		{`SELECT 'a\b'::text`, false},
		{`SELECT 'x'::varchar`, false},
		{`SELECT 'x'::character varying(3)`, false},
		{`SELECT 'x'::public.mood`, false},
		{`SELECT 'x'::text[]`, false},
		{`SELECT current_timestamp`, false},
		{`SELECT nextval('s'::regclass)`, true},
		{`SELECT nextval('public."My Seq"'::regclass)`, true},
		{`SELECT f(1, 'a', true)`, true},
		{`SELECT f(g())`, false},
		{`SELECT f(a)`, false},
		{`SELECT pg_catalog.now()`, false},
		{`SELECT "Now"()`, false},
		{`SELECT count(*)`, false},
		{`SELECT 1 AS a`, false},
		{`SELECT 1 FROM t`, false},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			tree, err := pg_query.Parse(tt.sql)
			if err != nil {
				t.Fatal(err)
			}
			n := tree.Stmts[0].Stmt
			want, err := pg_query.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: n}}})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := fastDeparse(n)
			if sel := n.GetSelectStmt(); sel != nil && ok {
				// deparseExpr builds its SELECT without an Op.
				sel.Op = pg_query.SetOperation_SET_OPERATION_UNDEFINED
				if again, ok2 := fastDeparse(n); !ok2 || again != got {
					t.Errorf("without Op: %q, %v", again, ok2)
				}
			}
			if ok != tt.fast {
				t.Fatalf("fastDeparse took it: %v, want %v (text %q)", ok, tt.fast, got)
			}
			if ok && got != want {
				t.Errorf("fastDeparse: %q, deparser: %q", got, want)
			}
		})
	}
}

// TestFastDeparseSynth folds the synthetic benchmark schemas (base and
// mutated), whose keys, indexes and defaults are the shapes fastDeparse
// exists for, with every fast text checked against the deparser.
func TestFastDeparseSynth(t *testing.T) {
	r := synth.Generate(synth.Options{Tables: 300, Seed: 7})
	for name, src := range map[string][]byte{"base.sql": r.Base, "mutated.sql": r.Mutated} {
		if _, _, err := ParseFile(name, src, Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
