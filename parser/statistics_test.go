package parser

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/schema"
)

// TestCreateStatistics: extended statistics are modelled with a canonical
// definition, named as PostgreSQL names an unnamed one, and follow their
// table and columns (renamed with them, dropped with them).
func TestCreateStatistics(t *testing.T) {
	const table = "CREATE TABLE public.addresses (id bigint NOT NULL, city text, zip text);\n"
	tests := []struct {
		name, src string
		want      map[string]string // name: def, target, comment
	}{
		{"canonical kinds and columns",
			"CREATE STATISTICS s (dependencies, ndistinct) ON zip, city FROM addresses;\n" +
				"CREATE STATISTICS every (mcv, dependencies, ndistinct) ON zip, city FROM addresses;\n",
			map[string]string{
				"public.s":     "(ndistinct, dependencies) ON city, zip FROM public.addresses||",
				"public.every": "ON city, zip FROM public.addresses||",
			}},
		{"unnamed (PostgreSQL 16), target, comment, owner",
			"CREATE STATISTICS ON zip, lower(city) FROM addresses;\n" +
				"CREATE STATISTICS ON zip, lower(city) FROM addresses;\n" +
				"ALTER STATISTICS addresses_zip_expr_stat SET STATISTICS 20000;\n" +
				"COMMENT ON STATISTICS addresses_zip_expr_stat1 IS 'x';\n" +
				"ALTER STATISTICS addresses_zip_expr_stat1 OWNER TO app;\n",
			map[string]string{
				"public.addresses_zip_expr_stat":  "ON zip, (lower(city)) FROM public.addresses|10000|",
				"public.addresses_zip_expr_stat1": "ON zip, (lower(city)) FROM public.addresses||x",
			}},
		{"renamed table and column",
			"CREATE STATISTICS s ON city, zip FROM addresses;\n" +
				"ALTER TABLE addresses RENAME COLUMN city TO town;\n" +
				"ALTER TABLE addresses RENAME TO places;\n",
			map[string]string{"public.s": "ON town, zip FROM public.places||"}},
		{"dropped with a column it names",
			"CREATE STATISTICS s ON city, zip FROM addresses;\n" +
				"CREATE STATISTICS k ON id, zip FROM addresses;\n" +
				"ALTER TABLE addresses DROP COLUMN city;\n",
			map[string]string{"public.k": "ON id, zip FROM public.addresses||"}},
		{"dropped with its table, and by DROP STATISTICS",
			"CREATE STATISTICS s ON city, zip FROM addresses;\n" +
				"CREATE STATISTICS k ON id, zip FROM addresses;\n" +
				"DROP STATISTICS s;\nDROP STATISTICS IF EXISTS nope;\nDROP TABLE addresses;\n",
			map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, mode := range []Options{{}, {Migration: true}} {
				got, _, err := ParseFile("f.sql", []byte(table+tt.src), mode)
				if err != nil {
					t.Fatalf("%+v: %v", mode, err)
				}
				have := map[string]string{}
				for n, s := range got.Statistics {
					have[n.String()] = strings.Join([]string{s.Def, s.Target, s.Comment}, "|")
				}
				if diff := cmp.Diff(tt.want, have); diff != "" {
					t.Errorf("%+v: (-want +got):\n%s", mode, diff)
				}
			}
		})
	}
	got, _, err := ParseFile("f.sql", []byte(table+tests[1].src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := got.Statistics[schema.QualifiedName{Schema: "public", Name: "addresses_zip_expr_stat1"}].Object()
	if got.Owners[o] != "app" {
		t.Errorf("owner: %v", got.Owners)
	}
}

func TestCreateStatisticsErrors(t *testing.T) {
	// Declaratively, the table may come later; it must exist in the end.
	src := "CREATE STATISTICS s ON a, b FROM t;\nCREATE TABLE t (a int, b int);\n"
	if _, warns, err := ParseFile("f.sql", []byte(src), Options{}); err != nil || len(warns) != 0 {
		t.Errorf("declarative: %v %v", warns, err)
	}
	_, _, err := ParseFile("f.sql", []byte(src), Options{Migration: true})
	if err == nil || err.Error() != "f.sql:1:34: relation public.t does not exist" {
		t.Errorf("migration: %v", err)
	}
	const base = "CREATE TABLE t (a int, b int);\n"
	tests := []struct{ name, src, want string }{
		{"missing column", "\nCREATE STATISTICS s ON a, nope FROM t;", "m.sql:2:1: column nope does not exist"},
		{"twice", "CREATE STATISTICS s ON a, b FROM t;\nCREATE STATISTICS s ON a, b FROM t;", "m.sql:2:1: statistics object public.s already exists"},
		{"bad kind", "CREATE STATISTICS s (nope) ON a, b FROM t;", "m.sql:1:1: unrecognized statistics kind 'nope'"},
		{"missing", "ALTER STATISTICS nope SET STATISTICS 1;", "m.sql:1:1: statistics object public.nope does not exist"},
		{"too low", "CREATE STATISTICS s ON a, b FROM t;\nALTER STATISTICS s SET STATISTICS -2;", "m.sql:2:1: statistics target -2 is too low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantMigrationError(t, base, tt.src, tt.want) })
	}
}

// TestStatisticsTargets: SET STATISTICS of a table column and of an index
// expression column are attributes of the model; -1 is the default.
func TestStatisticsTargets(t *testing.T) {
	src := "CREATE TABLE t (a int, b text);\nCREATE INDEX i ON t (a, lower(b));\n" +
		"ALTER TABLE t ALTER COLUMN a SET STATISTICS 0, ALTER COLUMN b SET STATISTICS 300;\n" +
		"ALTER TABLE t ALTER COLUMN b SET STATISTICS -1;\n" +
		"ALTER INDEX i ALTER COLUMN 2 SET STATISTICS 70;\n"
	got, _, err := ParseFile("f.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tab := got.Tables[schema.QualifiedName{Schema: "public", Name: "t"}]
	if a, b := tab.Column("a").Statistics, tab.Column("b").Statistics; a != "0" || b != "" {
		t.Errorf("column targets %q %q", a, b)
	}
	ix := got.Indexes[schema.QualifiedName{Schema: "public", Name: "i"}]
	if diff := cmp.Diff([]schema.IndexStatistics{{Column: 2, Target: 70}}, ix.Statistics); diff != "" {
		t.Errorf("index targets (-want +got):\n%s", diff)
	}
	const base = "CREATE TABLE t (a int, b text);\nCREATE INDEX i ON t (a, lower(b)) INCLUDE (b);\n"
	tests := []struct{ name, src, want string }{
		{"plain index column", "ALTER INDEX i ALTER COLUMN 1 SET STATISTICS 5;", "m.sql:1:1: cannot alter statistics on non-expression column 1 of index i (alter statistics on the table column instead)"},
		{"included column", "ALTER INDEX i ALTER COLUMN 3 SET STATISTICS 5;", "m.sql:1:1: cannot alter statistics on non-expression column 3 of index i (alter statistics on the table column instead)"},
		{"no such index column", "\nALTER INDEX i ALTER COLUMN 4 SET STATISTICS 5;", "m.sql:2:1: column number 4 of relation i does not exist"},
		{"too low", "ALTER TABLE t ALTER COLUMN a SET STATISTICS -5;", "m.sql:1:1: statistics target -5 is too low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantMigrationError(t, base, tt.src, tt.want) })
	}
}

// TestImportForeignSchema: IMPORT FOREIGN SCHEMA is refused at its line
// with the way out, in schema files and migrations; marked unmanaged, it
// is carried.
func TestImportForeignSchema(t *testing.T) {
	src := "CREATE TABLE t (a int);\n\nIMPORT FOREIGN SCHEMA remote FROM SERVER s INTO public;\n"
	for _, mode := range []Options{{}, {Migration: true}} {
		_, _, err := ParseFile("f.sql", []byte(src), mode)
		if err == nil || !strings.HasPrefix(err.Error(), "f.sql:3:1: IMPORT FOREIGN SCHEMA is refused: the foreign tables it makes depend on what the remote server holds") ||
			!strings.Contains(err.Error(), "-- ddlmig:unmanaged") {
			t.Errorf("%+v: %v", mode, err)
		}
	}
	marked := strings.Replace(src, "IMPORT", "-- ddlmig:unmanaged\nIMPORT", 1)
	if _, _, err := ParseFile("f.sql", []byte(marked), Options{}); err != nil {
		t.Errorf("unmanaged: %v", err)
	}
}

// TestStatisticsTargetsPartitionsMatviews: targets of a partition's
// columns and of a materialized view's are modelled, never skipped with a
// warning: ALTER TABLE of a partitioned table without ONLY reaches its
// partitions (PostgreSQL recurses), a new partition and an inherited
// column start at the default.
func TestStatisticsTargetsPartitionsMatviews(t *testing.T) {
	src := "CREATE TABLE m (id int, v int) PARTITION BY LIST (id);\n" +
		"CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);\n" +
		"ALTER TABLE m ALTER COLUMN v SET STATISTICS 70;\n" +
		"ALTER TABLE ONLY m ALTER COLUMN id SET STATISTICS 80;\n" +
		"CREATE TABLE m2 PARTITION OF m FOR VALUES IN (2);\n" +
		"ALTER TABLE ONLY m2 ALTER COLUMN id SET STATISTICS 90;\n" +
		"CREATE TABLE p (a int DEFAULT 1);\nALTER TABLE p ALTER COLUMN a SET STATISTICS 5;\n" +
		"CREATE TABLE c () INHERITS (p);\nALTER TABLE ONLY c ALTER COLUMN a SET STATISTICS 6;\n" +
		"CREATE MATERIALIZED VIEW mv AS SELECT id, v AS \"V\" FROM m;\n" +
		"ALTER MATERIALIZED VIEW mv ALTER COLUMN \"V\" SET STATISTICS 10, ALTER COLUMN id SET STATISTICS 20;\n" +
		"ALTER TABLE ONLY mv ALTER COLUMN id SET STATISTICS -1;\n"
	got, warns, err := ParseFile("f.sql", []byte(src), Options{})
	if err != nil || len(warns) > 0 {
		t.Fatalf("%v %v", err, warns)
	}
	targets := func(table string) string {
		var out []string
		for _, c := range got.Tables[schema.QualifiedName{Schema: "public", Name: table}].Columns {
			out = append(out, c.Name+"="+c.Statistics)
		}
		return strings.Join(out, " ")
	}
	for table, want := range map[string]string{"m": "id=80 v=70", "m1": "id= v=70", "m2": "id=90 v=", "c": "a=6"} {
		if g := targets(table); g != want {
			t.Errorf("%s: %s, want %s", table, g, want)
		}
	}
	if g := got.Views[schema.QualifiedName{Schema: "public", Name: "mv"}].Statistics; g != `"V"=10` {
		t.Errorf("mv: %q", g)
	}
}
