package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"golang.org/x/tools/txtar"

	"github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/schema"
)

// sqlFile is one file of a fold: a migration, or a declarative schema.
type sqlFile struct {
	name string
	src  []byte
	opts Options
}

// foldBoth folds files into one catalog by a Session and into another by
// Parse, one call per file, and reports where they differ: catalog,
// warnings, errors. It returns the session, for its counts.
func foldBoth(t *testing.T, files []sqlFile) *Session {
	t.Helper()
	byParse, sess := schema.New(), NewSession(schema.New())
	for _, f := range files {
		wantW, wantErr := Parse(byParse, f.name, f.src, f.opts)
		gotW, gotErr := sess.Parse(f.name, f.src, f.opts)
		if diff := cmp.Diff(fmt.Sprint(wantW), fmt.Sprint(gotW)); diff != "" {
			t.Errorf("%s: warnings differ (-Parse +Session):\n%s", f.name, diff)
		}
		if diff := cmp.Diff(fmt.Sprint(wantErr), fmt.Sprint(gotErr)); diff != "" {
			t.Errorf("%s: errors differ (-Parse +Session):\n%s", f.name, diff)
		}
		if diff := cmp.Diff(byParse, sess.Catalog()); diff != "" {
			t.Fatalf("after %s: catalogs differ (-Parse +Session):\n%s", f.name, diff)
		}
	}
	return sess
}

func migrations(srcs ...string) []sqlFile {
	var out []sqlFile
	for i, s := range srcs {
		out = append(out, sqlFile{name: fmt.Sprintf("m%d.sql", i+1), src: []byte(s), opts: Options{Migration: true}})
	}
	return out
}

// TestSessionFinishesTouched folds short histories whose later files a
// Session finishes by the tables they touch (fast counts them), or must
// not (inheritance, partitions, a DROP, an error), and holds each to Parse.
func TestSessionFinishesTouched(t *testing.T) {
	for _, tc := range []struct {
		name string
		migs []string
		fast int
	}{
		{"foreign keys without columns", []string{
			"CREATE TABLE a (id int PRIMARY KEY);",
			"CREATE TABLE b (a_id int REFERENCES a);",
			"ALTER TABLE b ADD CONSTRAINT x FOREIGN KEY (a_id) REFERENCES a; CREATE TABLE c (id int);",
		}, 2},
		{"foreign key errors", []string{
			"CREATE TABLE a (id int PRIMARY KEY, n int);",
			"CREATE TABLE b (a_id int REFERENCES a (n));",
			"CREATE TABLE c (a_id int);",
		}, 1},
		{"constraint names kept between calls", []string{
			"CREATE TABLE x (a int, CONSTRAINT y_a_check CHECK (a > 0), CONSTRAINT y_pkey UNIQUE (a));",
			"CREATE TABLE y (a int PRIMARY KEY CHECK (a > 0));",
			"ALTER TABLE y ADD CHECK (a > 0); ALTER TABLE x ADD CHECK (a < 9);",
		}, 2},
		{"null defaults", []string{
			"CREATE DOMAIN d AS int DEFAULT 1;",
			"CREATE TABLE t (a d DEFAULT NULL, b int DEFAULT NULL, c varchar(3) DEFAULT NULL);",
			"ALTER TABLE t ADD COLUMN e int DEFAULT NULL::int; ALTER TABLE t ALTER COLUMN b SET DEFAULT NULL;",
		}, 2},
		{"collations", []string{
			"CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);",
			"CREATE TABLE t (s text COLLATE ci, u text COLLATE \"C\");",
		}, 1},
		{"function users", []string{
			"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE TABLE t (a int DEFAULT f());",
			"CREATE TABLE u (a int DEFAULT f() CHECK (a <> f())); CREATE TABLE s (a int DEFAULT f());",
		}, 1},
		{"user function calls cast as stored", []string{
			"CREATE FUNCTION g(x text, n numeric) RETURNS text LANGUAGE sql AS 'SELECT x'; " +
				"CREATE DOMAIN d AS text CHECK (VALUE <> g('a', 1)); CREATE TABLE t (a int, s text DEFAULT g('x', 1));",
			"CREATE TABLE u (a int, s text DEFAULT g('y', 2) CHECK (s <> g('z', a))); CREATE INDEX ON u (g(s, a));",
			"ALTER TABLE t ADD COLUMN b text DEFAULT g('w', 3); ALTER TABLE t ADD CHECK (b <> g(s, a)); CREATE INDEX ON t (g(b, a));",
		}, 2},
		{"partitions", []string{
			"CREATE TABLE p (a int) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);",
			"ALTER TABLE p ADD COLUMN b int DEFAULT NULL; CREATE INDEX ON p (b);",
			"CREATE TABLE plain (a int);",
		}, 0},
		{"inheritance", []string{
			"CREATE TABLE a (x int);",
			"CREATE TABLE b (y int) INHERITS (a);",
			"ALTER TABLE a ADD COLUMN z int;",
		}, 0},
		{"drop, then touched again", []string{
			"CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a_id int REFERENCES a);",
			"DROP TABLE b; CREATE INDEX ON a (id);",
			"CREATE TABLE c (a_id int REFERENCES a); COMMENT ON TABLE c IS 'c'; GRANT SELECT ON c TO PUBLIC;",
		}, 1},
		{"an error in finish, then all of it", []string{
			"CREATE TABLE a (id int PRIMARY KEY);",
			"CREATE TABLE b (id int REFERENCES nope);",
			"CREATE TABLE c (id int REFERENCES a);",
		}, 1},
		{"a syntax error after a piece was folded, then all of it", []string{
			"CREATE TABLE a (id int PRIMARY KEY);",
			"CREATE TABLE b (a_id int REFERENCES a); CREATE TABLE (;",
			"CREATE TABLE c (x int);",
		}, 0},
		{"search path", []string{
			"CREATE SCHEMA s; CREATE TABLE s.a (id int PRIMARY KEY);",
			"SET search_path = s; CREATE TABLE b (a_id int REFERENCES a); CREATE SEQUENCE q OWNED BY s.b.a_id;",
			"SET search_path = s; ALTER TABLE b ADD CONSTRAINT b_a_id_key UNIQUE (a_id);",
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if sess := foldBoth(t, migrations(tc.migs...)); sess.touchedFinishes != tc.fast {
				t.Errorf("%d files finished by the tables they touched, want %d", sess.touchedFinishes, tc.fast)
			}
		})
	}
}

// TestSessionFoldsAsParse holds a Session to Parse on every file sequence
// the tests have: the fold archives (testdata/fold), a synthetic schema of
// 200 tables cut into migrations of 40 statements (as the steps of a first
// migration are), and the lemmy migration history of the corpus.
func TestSessionFoldsAsParse(t *testing.T) {
	archives, err := filepath.Glob("testdata/fold/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no archives: %v", err)
	}
	for _, file := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var files []sqlFile
			for _, f := range ar.Files {
				if strings.HasSuffix(f.Name, ".sql") {
					files = append(files, sqlFile{f.Name, f.Data, Options{Migration: f.Name != "schema.sql"}})
				}
			}
			foldBoth(t, files)
		})
	}
	t.Run("synthetic", func(t *testing.T) {
		stmts, err := pg_query.SplitWithParser(string(synth.Generate(synth.Options{Tables: 200, Seed: 1}).Base), true)
		if err != nil {
			t.Fatal(err)
		}
		var migs []string
		for len(stmts) > 0 {
			n := min(40, len(stmts))
			migs = append(migs, strings.Join(stmts[:n], ";\n")+";\n")
			stmts = stmts[n:]
		}
		if sess := foldBoth(t, migrations(migs...)); sess.touchedFinishes < len(migs)-2 {
			t.Errorf("%d of %d files finished by the tables they touched, want all but the first two", sess.touchedFinishes, len(migs))
		}
	})
	t.Run("lemmy", func(t *testing.T) {
		dir := filepath.Join(corpus.Dir(t, "realworld"), "lemmy", "migrations")
		ups, err := filepath.Glob(filepath.Join(dir, "*.up.sql"))
		if err != nil || len(ups) < 200 {
			t.Fatalf("lemmy history: %d files, %v", len(ups), err)
		}
		var files []sqlFile
		for _, up := range ups {
			src, err := os.ReadFile(up)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, sqlFile{filepath.Base(up), src, Options{Migration: true}})
		}
		sess := foldBoth(t, files)
		t.Logf("%d of %d migrations finished by the tables they touched", sess.touchedFinishes, len(files))
	})
}
