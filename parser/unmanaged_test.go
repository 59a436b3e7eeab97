package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUnmanaged: settings ddlmig does not model are skipped with a warning
// naming the statement, never silently, and leave the catalog as if they
// were not written; the objects they name must still exist.
func TestUnmanaged(t *testing.T) {
	const base = "CREATE TABLE public.events (id bigint NOT NULL, kind text, payload jsonb);\n"
	tests := []struct {
		name    string
		src     string
		without string // src without what is skipped
		warns   []string
	}{
		{"column settings as pg_dump writes them",
			"ALTER TABLE ONLY public.events ALTER COLUMN kind SET STATISTICS 1000;\n" +
				"ALTER TABLE ONLY public.events ALTER COLUMN payload SET STORAGE EXTERNAL;\n" +
				"ALTER TABLE ONLY public.events ALTER COLUMN kind SET (n_distinct=50, n_distinct_inherited=-1);\n" +
				"ALTER TABLE events ALTER COLUMN kind RESET (n_distinct), ALTER payload SET COMPRESSION pglz;\n",
			"ALTER TABLE ONLY public.events ALTER COLUMN kind SET STATISTICS 1000;\n", // modelled
			[]string{
				"f.sql:3:1: skipped ALTER TABLE public.events ALTER COLUMN payload SET STORAGE EXTERNAL: ddlmig does not manage column storage",
				"f.sql:4:1: skipped ALTER TABLE public.events ALTER COLUMN kind SET (n_distinct, n_distinct_inherited): ddlmig does not manage column attribute options (n_distinct, n_distinct_inherited)",
				"f.sql:5:1: skipped ALTER TABLE public.events ALTER COLUMN kind RESET (n_distinct): ddlmig does not manage column attribute options (n_distinct, n_distinct_inherited)",
				"f.sql:5:1: skipped ALTER TABLE public.events ALTER COLUMN payload SET COMPRESSION pglz: ddlmig does not manage column compression",
			}},
		{"mixed with a managed subcommand, which is folded",
			"ALTER TABLE events ADD COLUMN at timestamptz, ALTER COLUMN at SET STORAGE PLAIN;\n",
			"ALTER TABLE events ADD COLUMN at timestamptz;\n",
			[]string{"f.sql:2:1: skipped ALTER TABLE public.events ALTER COLUMN at SET STORAGE PLAIN: ddlmig does not manage column storage"}},
		{"materialized view and expression index",
			"CREATE MATERIALIZED VIEW mv AS SELECT id, kind FROM events;\n" +
				"CREATE INDEX events_lower ON events (lower(kind));\n" +
				"ALTER TABLE ONLY public.mv ALTER COLUMN kind SET STATISTICS 100;\n" +
				"ALTER MATERIALIZED VIEW mv ALTER COLUMN kind SET STATISTICS 100;\n" +
				"ALTER INDEX public.events_lower ALTER COLUMN 1 SET STATISTICS 500;\n",
			"CREATE MATERIALIZED VIEW mv AS SELECT id, kind FROM events;\n" +
				"CREATE INDEX events_lower ON events (lower(kind));\n" +
				"ALTER TABLE ONLY public.mv ALTER COLUMN kind SET STATISTICS 100;\n" +
				"ALTER MATERIALIZED VIEW mv ALTER COLUMN kind SET STATISTICS 100;\n" +
				"ALTER INDEX public.events_lower ALTER COLUMN 1 SET STATISTICS 500;\n", // all modelled
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, mode := range []Options{{}, {Migration: true}} {
				got, warns, err := ParseFile("f.sql", []byte(base+tt.src), mode)
				if err != nil {
					t.Fatalf("%+v: %v", mode, err)
				}
				var ws []string
				for _, w := range warns {
					ws = append(ws, w.String())
				}
				if diff := cmp.Diff(tt.warns, ws); diff != "" {
					t.Errorf("%+v: warnings (-want +got):\n%s", mode, diff)
				}
				// The catalog is the one without the skipped statements.
				want, _, err := ParseFile("f.sql", []byte(base+tt.without), mode)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got, ignorePos); diff != "" {
					t.Errorf("%+v: (-want +got):\n%s", mode, diff)
				}
			}
		})
	}
}

func TestUnmanagedErrors(t *testing.T) {
	const base = "CREATE TABLE t (a int);\n"
	tests := []struct{ name, src, want string }{
		{"missing column", "ALTER TABLE t ALTER COLUMN nope SET STATISTICS 10;", "m.sql:1:1: column nope of relation t does not exist"},
		{"column by number", "ALTER TABLE t ALTER COLUMN 1 SET STATISTICS 10;", "m.sql:1:1: cannot refer to non-index column by number"},
		{"missing relation", "ALTER INDEX nope ALTER COLUMN 1 SET STATISTICS 10;", "m.sql:1:13: relation public.nope does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantMigrationError(t, base, tt.src, tt.want) })
	}
}
