package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestClusterOn: pg_dump's ALTER TABLE ... CLUSTER ON (and SET WITHOUT
// CLUSTER, CLUSTER) are skipped with a warning; the index must exist on the
// table, and a declarative file may name it before creating it.
func TestClusterOn(t *testing.T) {
	const table = "CREATE TABLE public.events (id bigint NOT NULL PRIMARY KEY, at timestamptz NOT NULL);\n"
	const index = "CREATE INDEX events_at ON public.events USING btree (at);\n"
	const cluster = "ALTER TABLE public.events CLUSTER ON events_at;\nALTER TABLE events CLUSTER ON events_pkey;\nALTER TABLE ONLY events SET WITHOUT CLUSTER;\nCLUSTER events USING events_at;\n"
	want, _, err := ParseFile("f.sql", []byte(table+index), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		src   string
		mode  Options
		warns []string
	}{
		{table + index + cluster, Options{Migration: true}, []string{
			"f.sql:3:1: skipped ALTER TABLE public.events CLUSTER ON events_at: ddlmig does not manage the index a table is clustered on",
			"f.sql:4:1: skipped ALTER TABLE public.events CLUSTER ON events_pkey: ddlmig does not manage the index a table is clustered on",
			"f.sql:5:1: skipped ALTER TABLE public.events SET WITHOUT CLUSTER: ddlmig does not manage the index a table is clustered on",
			"f.sql:6:1: skipped CLUSTER: ddlmig does not manage the index a table is clustered on, and the statement rewrites the table",
		}},
		// Declarative: CLUSTER ON before the index waits for it.
		{table + cluster + index, Options{}, []string{
			"f.sql:3:1: skipped ALTER TABLE public.events CLUSTER ON events_pkey: ddlmig does not manage the index a table is clustered on",
			"f.sql:4:1: skipped ALTER TABLE public.events SET WITHOUT CLUSTER: ddlmig does not manage the index a table is clustered on",
			"f.sql:5:1: skipped CLUSTER: ddlmig does not manage the index a table is clustered on, and the statement rewrites the table",
			"f.sql:2:1: skipped ALTER TABLE public.events CLUSTER ON events_at: ddlmig does not manage the index a table is clustered on",
		}},
	} {
		got, warns, err := ParseFile("f.sql", []byte(tt.src), tt.mode)
		if err != nil {
			t.Fatalf("%+v: %v", tt.mode, err)
		}
		var ws []string
		for _, w := range warns {
			ws = append(ws, w.String())
		}
		if diff := cmp.Diff(tt.warns, ws); diff != "" {
			t.Errorf("%+v: warnings (-want +got):\n%s", tt.mode, diff)
		}
		if diff := cmp.Diff(want, got, ignorePos); diff != "" {
			t.Errorf("%+v: (-want +got):\n%s", tt.mode, diff)
		}
	}
	for _, src := range []string{
		table + "CREATE TABLE other (x int);\nCREATE INDEX other_x ON other (x);\nALTER TABLE events CLUSTER ON other_x;\n",
		table + "ALTER TABLE events CLUSTER ON nope;\n",
	} {
		_, _, err := ParseFile("f.sql", []byte(src), Options{Migration: true})
		if err == nil {
			t.Errorf("no error for %q", src)
			continue
		}
		if got := err.Error(); got != "f.sql:2:1: index nope for table events does not exist" && got != "f.sql:4:1: index other_x for table events does not exist" {
			t.Errorf("error %q", got)
		}
	}
}
