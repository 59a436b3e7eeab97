package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestPartitionBoundsAgainstServer asks PostgreSQL which spellings of a
// partition bound over a timestamp key are the same bound: two bounds must
// compare the same in ddlmig's model exactly when pg_get_expr prints them
// the same, and migrations must write each bound as written.
func TestPartitionBoundsAgainstServer(t *testing.T) {
	bounds := []struct{ key, bound string }{
		{"timestamptz", "FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 01:00:00+01')"},
		{"timestamptz", "FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 00:00:00+00')"},
		{"timestamptz", "FROM ('2022-03-01T00:00:00Z') TO ('2022-03-31 19:00:00-05')"},
		{"timestamptz", "FROM ('2022-03-01 00:00:00 UTC') TO ('2022-04-01 05:30:00+05:30')"},
		{"timestamptz", "FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 00:00:00.5+00')"},
		{"timestamptz", "FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 01:00:00.500+01')"},
		{"timestamptz", "FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 01:00:00-01')"},
		{"timestamptz", "FROM ('2022-03-01 00:00:00+00') TO (MAXVALUE)"},
		{"timestamptz", "FROM ('2022-03-01 01:00:00+01') TO (MAXVALUE)"},
		{"timestamptz", "FROM (MINVALUE) TO ('2023-06-01')"},
		{"timestamp", "FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 01:00:00+01')"},
		{"timestamp", "FROM ('2022-03-01') TO ('2022-04-01 01:00:00')"},
		{"timestamp", "FROM ('2022-03-01 00:00:00') TO ('2022-04-01 00:00:00')"},
		{"timestamp(0)", "FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 00:00:00')"},
		{"timestamp(0)", "FROM ('2022-03-01') TO ('2022-04-01 00:00:00+03')"},
		{"date", "FROM ('2022-03-01') TO ('2022-04-01')"},
	}
	var b strings.Builder
	for i, p := range bounds {
		fmt.Fprintf(&b, "CREATE TABLE p%d (a %s) PARTITION BY RANGE (a);\nCREATE TABLE c%d PARTITION OF p%d FOR VALUES %s;\n", i, p.key, i, i, p.bound)
	}
	src := b.String()
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{}
	written := make([]string, len(bounds))
	for i, p := range bounds {
		c := fmt.Sprintf("c%d", i)
		o := cat.Tables[schema.QualifiedName{Schema: "public", Name: c}].Options
		ours[c] = p.key + " " + o.PartitionBound
		written[i] = p.key + " " + p.bound
		if got := o.BoundSQL(); !strings.EqualFold(got, "FOR VALUES "+p.bound) {
			t.Errorf("%s: migrations write %s", written[i], got)
		}
	}
	server := serverDefs(t, src, `SELECT c.relname, format_type(a.atttypid, a.atttypmod) || ' ' || pg_get_expr(c.relpartbound, c.oid)
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'a' WHERE c.relispartition`)
	sameAsServer(t, written, "c", ours, server)
}
