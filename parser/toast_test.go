package parser

import (
	"slices"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestToastParamsAgainstServer loads tables with toast.* parameters on
// PostgreSQL: the parameters the model keeps for each must be those the
// server keeps (on the table and its TOAST table), no more, no fewer.
func TestToastParamsAgainstServer(t *testing.T) {
	src := `CREATE TYPE mood AS ENUM ('a');
CREATE DOMAIN small AS integer;
CREATE TABLE fixed (id integer, at timestamptz, m mood, s small, u uuid, i interval) WITH (fillfactor=60, toast.autovacuum_enabled=false);
CREATE TABLE long (id integer, body text) WITH (toast.autovacuum_enabled=false);
CREATE TABLE num (n numeric(10,2), m numeric) WITH (toast.autovacuum_enabled=false);
CREATE TABLE num_bounded (n numeric(10,2), m numeric(1000)) WITH (toast.autovacuum_enabled=false);
CREATE TABLE short_varchar (code varchar(16), c char(3), b bit(8)) WITH (toast.autovacuum_enabled=false);
CREATE TABLE wide_varchar (code varchar(1000)) WITH (toast.autovacuum_enabled=false);
CREATE TABLE edge_varchar (code varchar(495)) WITH (toast.autovacuum_enabled=false);
CREATE TABLE arr (ids integer[]) WITH (toast.autovacuum_enabled=false);
CREATE TABLE later (id integer);
ALTER TABLE later SET (toast.autovacuum_enabled=false, fillfactor=70);
ALTER TABLE later ADD COLUMN body text;
CREATE TABLE set_later (id integer, body text);
ALTER TABLE set_later SET (toast.autovacuum_enabled=false);
`
	cat, _, err := ParseFile("t.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	server := serverDefs(t, src, `SELECT c.relname, coalesce(array_to_string(c.reloptions || (SELECT array_agg('toast.' || o)
		FROM pg_class tc, unnest(tc.reloptions) o WHERE tc.oid = c.reltoastrelid), ', '), '')
		FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace`)
	sorted := func(s string) string {
		l := splitParams(s)
		slices.Sort(l)
		return strings.Join(l, ", ")
	}
	for name, want := range server {
		tb := cat.Tables[schema.QualifiedName{Schema: "public", Name: name}]
		if got := sorted(tb.Options.StorageParams); got != sorted(want) {
			t.Errorf("table %s: ddlmig keeps (%s), the server (%s)", name, got, sorted(want))
		}
	}
}
