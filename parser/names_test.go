package parser

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/schema"
)

// Every test of this package runs with the name index checked against a
// walk of the whole catalog (a fold that names a constraint or moves a
// table without telling the index panics in whichever test does it), and
// with every fastDeparse text checked against pg_query's deparser.
func init() { checkNames, checkDeparse = true, true }

// nameCases fold migrations, one Parse call each, whose implicit names
// depend on names taken elsewhere in the schema: by other tables, by
// renamed or moved tables and constraints, by earlier migrations, and
// names freed by drops.
var nameCases = []struct {
	name  string
	files []string
}{
	{"relation takes a key name", []string{
		`CREATE TABLE t_a_key (b int); CREATE TABLE t (a int UNIQUE);`}},
	{"constraint of another table takes a check name", []string{
		`CREATE TABLE u (a int, CONSTRAINT t_a_check CHECK (a > 0)); CREATE TABLE t (a int CHECK (a > 0), CHECK (a < 9));`}},
	{"earlier migration takes the name", []string{
		`CREATE TABLE u (a int, CONSTRAINT t_a_check CHECK (a > 0), CONSTRAINT t_a_idx UNIQUE (a));`,
		`CREATE TABLE t (a int CHECK (a > 0)); CREATE INDEX ON t (a);`}},
	{"renamed constraint", []string{
		`CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT c1 CHECK (a > 0);`,
		`ALTER TABLE t RENAME CONSTRAINT c1 TO t_a_check; ALTER TABLE t ADD CHECK (a < 10);`}},
	{"renamed constraint index", []string{
		`CREATE TABLE t (a int UNIQUE, b int);`,
		`ALTER INDEX t_a_key RENAME TO t_b_key; ALTER TABLE t ADD UNIQUE (b); CREATE INDEX ON t (b);`}},
	{"renamed and moved tables", []string{
		`CREATE SCHEMA s; CREATE TABLE t (a int CHECK (a > 0), b int UNIQUE);`,
		`ALTER TABLE t SET SCHEMA s; CREATE TABLE t (a int CHECK (a > 0), b int UNIQUE);
		 ALTER TABLE s.t RENAME TO t_old; CREATE TABLE s.t (a int CHECK (a > 0), b int UNIQUE);`,
		`CREATE TABLE s.t2 (b int, CONSTRAINT t_b_key2 CHECK (b > 0)); ALTER TABLE s.t RENAME TO t_mid;
		 CREATE TABLE s.x (a int); ALTER TABLE s.x RENAME TO t; CREATE TABLE s.t_b_key3 (a int);
		 ALTER TABLE s.t ADD COLUMN b int UNIQUE;`}},
	{"renamed schema", []string{
		`CREATE SCHEMA s; CREATE TABLE s.t (a int PRIMARY KEY);`,
		`ALTER SCHEMA s RENAME TO s2; CREATE SCHEMA s; CREATE TABLE s.t (a int PRIMARY KEY); CREATE TABLE s2.t_pkey_x (a int);
		 ALTER TABLE s2.t RENAME TO u; CREATE TABLE s2.t (a int PRIMARY KEY);`}},
	{"drops free names", []string{
		`CREATE TABLE t (a int CHECK (a > 0), b int UNIQUE); CREATE TABLE u (a int REFERENCES t (b));`,
		`DROP TABLE u; CREATE TABLE u (a int REFERENCES t (b));
		 ALTER TABLE t DROP CONSTRAINT t_a_check; ALTER TABLE t ADD CHECK (a > 1);
		 ALTER TABLE t DROP COLUMN b CASCADE; ALTER TABLE t ADD COLUMN b int UNIQUE;`}},
	{"LIKE INCLUDING INDEXES names the copies for the new table", []string{
		`CREATE TABLE s (a int PRIMARY KEY, b int UNIQUE, c int, d int, EXCLUDE USING btree (d WITH =));
		 CREATE INDEX ON s (c); CREATE INDEX ON s (c); CREATE INDEX ON s (lower(b::text)); CREATE UNIQUE INDEX ON s (c) INCLUDE (a);
		 CREATE TABLE t_c_idx (x int); CREATE TABLE t_b_key (x int);
		 CREATE TABLE t (LIKE s INCLUDING INDEXES, CONSTRAINT t_d_excl CHECK (d > 0));`}},
	{"LIKE copies after the table's own keys and before its foreign keys", []string{
		`CREATE TABLE s (a int PRIMARY KEY, b int UNIQUE); CREATE INDEX ON s (a);
		 CREATE TABLE t (LIKE s INCLUDING INDEXES EXCLUDING CONSTRAINTS, c int REFERENCES s (a), UNIQUE (b) DEFERRABLE, CONSTRAINT t_b_key1 CHECK (b > 0));
		 CREATE INDEX ON t (a); CREATE TABLE u (LIKE t INCLUDING ALL EXCLUDING IDENTITY);`}},
	{"LIKE INCLUDING CONSTRAINTS keeps the check names", []string{
		`CREATE TABLE s (a int CHECK (a > 0), CONSTRAINT named CHECK (a < 9));
		 CREATE TABLE t (LIKE s INCLUDING CONSTRAINTS, b int CHECK (b > 0)); CREATE TABLE u (LIKE t INCLUDING ALL);`}},
	{"views and composite types take relation names", []string{
		`CREATE TABLE t (a int); CREATE VIEW t_a_idx AS SELECT 1 AS x; CREATE TYPE t_a_idx1 AS (a int);
		 CREATE VIEW v AS SELECT 2 AS y; ALTER TABLE v RENAME TO t_a_idx2; CREATE INDEX ON t (a);`}},
	{"repeated keys of one CREATE TABLE build one index", []string{
		`CREATE TABLE x (a int, b int, CONSTRAINT e1 EXCLUDE USING btree (a WITH =), EXCLUDE (a WITH =) WITH (fillfactor = 50),
		 EXCLUDE USING btree (a WITH =) WHERE (a > 0), CONSTRAINT u1 UNIQUE (b), CONSTRAINT u2 UNIQUE (b) WITH (fillfactor = 50));`}},
	{"foreign keys and checks share a namespace", []string{
		`CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (a int, CONSTRAINT t_a_fkey CHECK (a > 0));
		 ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES p; CREATE TABLE u (a int REFERENCES p, CONSTRAINT u_a_fkey1 CHECK (a > 0), FOREIGN KEY (a) REFERENCES p);`}},
}

// objectNames lists every constraint as "schema.table.constraint" and every
// index as "schema.index on table".
func objectNames(cat *schema.Catalog) []string {
	var out []string
	for q, t := range cat.Tables {
		for _, c := range t.Constraints {
			out = append(out, fmt.Sprintf("constraint %s.%s.%s", q.Schema, q.Name, c.Name))
		}
	}
	for q, ix := range cat.Indexes {
		out = append(out, fmt.Sprintf("index %s.%s on %s", q.Schema, q.Name, ix.Table.Name))
	}
	slices.Sort(out)
	return out
}

// TestNamesAsServer folds each case and compares the constraint and index
// names with the ones PostgreSQL gives the same statements.
func TestNamesAsServer(t *testing.T) {
	for _, tc := range nameCases {
		t.Run(tc.name, func(t *testing.T) {
			cat := schema.New()
			for i, src := range tc.files {
				if _, err := Parse(cat, fmt.Sprintf("%d.sql", i+1), []byte(src), Options{Migration: true}); err != nil {
					t.Fatalf("fold: %v", err)
				}
			}
			url := testdb.New(t)
			ctx := context.Background()
			for _, src := range tc.files {
				if err := testdb.Exec(ctx, url, src); err != nil {
					t.Fatalf("server: %v", err)
				}
			}
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			rows, err := conn.Query(ctx, `
				SELECT format('constraint %s.%s.%s', n.nspname, r.relname, c.conname)
				FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
				WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.contype <> 'n'
				UNION ALL
				SELECT format('index %s.%s on %s', schemaname, indexname, tablename) FROM pg_indexes
				WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
				  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = format('%I.%I', schemaname, indexname)::regclass)`)
			if err != nil {
				t.Fatal(err)
			}
			want, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, objectNames(cat)); diff != "" {
				t.Errorf("names (-server +parser):\n%s", diff)
			}
		})
	}
}

// TestNameIndexBuild checks the index built from a folded catalog (as for
// the second migration of a folder): each name once, recorded for the one
// table that has it, so a lookup visits one table, not all of them.
func TestNameIndexBuild(t *testing.T) {
	var src []byte
	for i := range 300 {
		src = fmt.Appendf(src, "CREATE TABLE t%d (id int PRIMARY KEY, a int UNIQUE CHECK (a > 0), b int REFERENCES t0 (id));\nCREATE INDEX ON t%d (b);\n", i, i)
	}
	cat, _, err := ParseFile("big.sql", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &folder{cat: cat}
	for _, m := range f.names() {
		for name, tables := range m {
			if len(tables) != 1 {
				t.Errorf("%s is recorded for %d tables, want 1", name, len(tables))
			}
		}
	}
	if got, want := len(f.names()[schema.DefaultSchema]), 300*4; got != want {
		t.Errorf("index holds %d names, want %d", got, want)
	}
}
