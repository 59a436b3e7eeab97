package parser

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOwnerOfApplyingRole: the model records no owner for what the role
// applying the migrations owns. OWNER TO CURRENT_USER or SESSION_USER names
// that role, and so does OWNER TO the role of a -- ddlmig:role directive
// (pg_dump and inspect name the role they ran as); without the directive a
// role is kept by name, never taken for the applier.
func TestOwnerOfApplyingRole(t *testing.T) {
	const objects = `CREATE SCHEMA s;
CREATE TABLE s.t (id integer);
CREATE SEQUENCE s.q;
CREATE VIEW s.v AS SELECT id FROM s.t;
CREATE TYPE s.e AS ENUM ('a');
CREATE FUNCTION s.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE AGGREGATE s.agg(integer) (SFUNC = int4pl, STYPE = integer);
CREATE TEXT SEARCH CONFIGURATION s.cfg (COPY = pg_catalog.simple);
`
	const owners = `ALTER SCHEMA s OWNER TO postgres;
ALTER TABLE s.t OWNER TO postgres;
ALTER SEQUENCE s.q OWNER TO app_user;
ALTER VIEW s.v OWNER TO CURRENT_USER;
ALTER TYPE s.e OWNER TO SESSION_USER;
ALTER FUNCTION s.f() OWNER TO "Postgres";
ALTER AGGREGATE s.agg(integer) OWNER TO postgres;
ALTER TEXT SEARCH CONFIGURATION s.cfg OWNER TO postgres;
`
	for _, c := range []struct {
		name, head string
		want       []string
	}{
		{"no directive", "", []string{
			`AGGREGATE "s.agg(int)" postgres`, `FUNCTION "s.f()" Postgres`, "SCHEMA s postgres",
			"SEQUENCE s.q app_user", "TABLE s.t postgres", "TEXT SEARCH CONFIGURATION s.cfg postgres"}},
		{"directive", "-- pg_dump ran as postgres\n-- ddlmig:role Postgres\n", []string{
			`FUNCTION "s.f()" Postgres`, "SEQUENCE s.q app_user"}},
		{"directive quoted", `-- ddlmig:role "Postgres"` + "\n", []string{
			`AGGREGATE "s.agg(int)" postgres`, "SCHEMA s postgres",
			"SEQUENCE s.q app_user", "TABLE s.t postgres", "TEXT SEARCH CONFIGURATION s.cfg postgres"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cat, _, err := ParseFile("schema.sql", []byte(c.head+objects+owners), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for o, r := range cat.Owners {
				got = append(got, o.Kind.String()+" "+o.Name.String()+" "+r)
			}
			for k, o := range cat.Opaque {
				if o.Owner != "" {
					got = append(got, k+" "+o.Owner)
				}
			}
			sort.Strings(got)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("owners (-want +got):\n%s", diff)
			}
		})
	}
}
