package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCreateStatistics: extended statistics, as pg_dump writes them, are
// skipped with a warning naming the statement.
func TestCreateStatistics(t *testing.T) {
	const table = "CREATE TABLE public.addresses (id bigint NOT NULL, city text, zip text);\n"
	const stats = "CREATE STATISTICS public.addresses_city_zip (dependencies, ndistinct) ON city, zip FROM public.addresses;\n" +
		"ALTER STATISTICS public.addresses_city_zip OWNER TO postgres;\n" +
		"COMMENT ON STATISTICS public.addresses_city_zip IS 'x';\n" +
		"ALTER STATISTICS addresses_city_zip SET STATISTICS 100;\n" +
		"DROP STATISTICS public.addresses_city_zip;\n" +
		"CREATE STATISTICS ON lower(city) FROM addresses;\n"
	want, _, err := ParseFile("f.sql", []byte(table), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []Options{{}, {Migration: true}} {
		got, warns, err := ParseFile("f.sql", []byte(table+stats), mode)
		if err != nil {
			t.Fatalf("%+v: %v", mode, err)
		}
		var ws []string
		for _, w := range warns {
			ws = append(ws, w.String())
		}
		wantWarns := []string{
			"f.sql:2:1: skipped CREATE STATISTICS public.addresses_city_zip: ddlmig does not manage extended statistics",
			"f.sql:3:1: skipped ALTER STATISTICS ... OWNER TO: ddlmig does not manage extended statistics",
			"f.sql:4:1: skipped COMMENT ON STATISTICS: ddlmig does not manage extended statistics",
			"f.sql:5:1: skipped ALTER STATISTICS public.addresses_city_zip: ddlmig does not manage extended statistics",
			"f.sql:6:1: skipped DROP STATISTICS: ddlmig does not manage extended statistics",
			"f.sql:7:1: skipped CREATE STATISTICS (unnamed): ddlmig does not manage extended statistics",
		}
		if diff := cmp.Diff(wantWarns, ws); diff != "" {
			t.Errorf("%+v: warnings (-want +got):\n%s", mode, diff)
		}
		if diff := cmp.Diff(want, got, ignorePos); diff != "" {
			t.Errorf("%+v: (-want +got):\n%s", mode, diff)
		}
	}
}

func TestCreateStatisticsErrors(t *testing.T) {
	// Declaratively, the table may come later; it must exist in the end.
	src := "CREATE STATISTICS s ON a, b FROM t;\nCREATE TABLE t (a int, b int);\n"
	if _, warns, err := ParseFile("f.sql", []byte(src), Options{}); err != nil || len(warns) != 1 {
		t.Errorf("declarative: %v %v", warns, err)
	}
	_, _, err := ParseFile("f.sql", []byte(src), Options{Migration: true})
	if err == nil || err.Error() != "f.sql:1:34: relation public.t does not exist" {
		t.Errorf("migration: %v", err)
	}
}
