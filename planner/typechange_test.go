package planner_test

import (
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// typ reads a type as the parser canonicalizes it: "character varying(20)",
// "numeric(10,2)", "timestamp(3) with time zone", "integer[]".
func typ(s string) schema.TypeName {
	var t schema.TypeName
	for strings.HasSuffix(s, "[]") {
		t.ArrayDims++
		s = strings.TrimSuffix(s, "[]")
	}
	if i := strings.IndexByte(s, '('); i >= 0 {
		j := strings.IndexByte(s, ')')
		t.Mods = s[i+1 : j]
		s = s[:i] + s[j+1:]
	}
	if sch, name, ok := strings.Cut(s, "."); ok {
		t.Schema, s = sch, name
	}
	t.Name = s
	return t
}

// TestClassifyTypeChange pins the class of each type change. The cases
// marked "server" were checked on PostgreSQL 15 by comparing
// pg_class.relfilenode of the table and of an index on the column across
// the ALTER (TestTypeChangeClassesOnServer in package render repeats that
// check for every case of its own table).
func TestClassifyTypeChange(t *testing.T) {
	tests := []struct {
		from, to string
		collFrom string
		collTo   string
		indexed  bool
		want     planner.TypeChangeClass
	}{
		// Widening or dropping a length limit: metadata-only.
		{from: "character varying(20)", to: "character varying(50)", want: planner.MetadataOnly},
		{from: "character varying(20)", to: "character varying", want: planner.MetadataOnly},
		{from: "character varying(20)", to: "text", want: planner.MetadataOnly},
		{from: "text", to: "character varying", want: planner.MetadataOnly},
		{from: "character(5)", to: "bpchar", want: planner.MetadataOnly},
		{from: "numeric(10,2)", to: "numeric(12,2)", indexed: true, want: planner.MetadataOnly},
		{from: "numeric(10,2)", to: "numeric", want: planner.MetadataOnly},
		{from: "timestamp(3) without time zone", to: "timestamp(6) without time zone", want: planner.MetadataOnly},
		{from: "timestamp(3) with time zone", to: "timestamp with time zone", want: planner.MetadataOnly},
		{from: "time(3) without time zone", to: "time(6) without time zone", want: planner.MetadataOnly},
		{from: "interval(3)", to: "interval", want: planner.MetadataOnly},
		{from: "bit varying(5)", to: "bit varying(10)", want: planner.MetadataOnly},
		{from: "cidr", to: "inet", indexed: true, want: planner.MetadataOnly},
		// Indexes rebuilt, rows kept.
		{from: "text", to: "text", collTo: `"C"`, indexed: true, want: planner.Reindex},
		{from: "text", to: "text", collTo: `"C"`, indexed: false, want: planner.MetadataOnly},
		{from: "character varying(20)", to: "character varying(50)", collTo: `"C"`, indexed: true, want: planner.Reindex},
		{from: "bit(5)", to: "bit varying", indexed: true, want: planner.Reindex},
		// Rewrites that keep every value.
		{from: "integer", to: "bigint", want: planner.Rewrite},
		{from: "smallint", to: "integer", want: planner.Rewrite},
		{from: "integer", to: "numeric", want: planner.Rewrite},
		{from: "integer", to: "numeric(12,0)", want: planner.Rewrite},
		{from: "integer", to: "double precision", want: planner.Rewrite},
		{from: "real", to: "double precision", want: planner.Rewrite},
		{from: "numeric(10,2)", to: "numeric(12,4)", want: planner.Rewrite},
		{from: "timestamp without time zone", to: "timestamp with time zone", want: planner.Rewrite},
		{from: "timestamp with time zone", to: "timestamp without time zone", want: planner.Rewrite},
		{from: "date", to: "timestamp with time zone", want: planner.Rewrite},
		{from: "character(5)", to: "character(10)", want: planner.Rewrite},
		{from: "character(5)", to: "text", want: planner.Rewrite},
		{from: "integer", to: "text", want: planner.Rewrite},
		{from: "uuid", to: "character varying", want: planner.Rewrite},
		{from: "character varying(20)[]", to: "character varying(50)[]", want: planner.Rewrite},
		{from: "integer[]", to: "bigint[]", want: planner.Rewrite},
		{from: "public.mood", to: "text", want: planner.Rewrite},
		{from: "jsonb", to: "json", want: planner.Rewrite},
		{from: "bit(5)", to: "bit varying(10)", want: planner.Rewrite},
		// Lossy: values can be rejected or changed.
		{from: "character varying(50)", to: "character varying(20)", want: planner.Lossy},
		{from: "text", to: "character varying(20)", want: planner.Lossy},
		{from: "character varying", to: "character varying(20)", want: planner.Lossy},
		{from: "text", to: "character(10)", want: planner.Lossy},
		{from: "text", to: "name", want: planner.Lossy},
		{from: "numeric(10,2)", to: "numeric(10,1)", want: planner.Lossy},
		{from: "numeric(10,2)", to: "numeric(9,2)", want: planner.Lossy},
		{from: "numeric", to: "numeric(10,2)", want: planner.Lossy},
		{from: "integer", to: "numeric(5,0)", want: planner.Lossy},
		{from: "text", to: "integer", want: planner.Lossy},
		{from: "bigint", to: "integer", want: planner.Lossy},
		{from: "integer", to: "smallint", want: planner.Lossy},
		{from: "bigint", to: "double precision", want: planner.Lossy},
		{from: "double precision", to: "real", want: planner.Lossy},
		{from: "numeric", to: "integer", want: planner.Lossy},
		{from: "timestamp with time zone", to: "date", want: planner.Lossy},
		{from: "timestamp(6) without time zone", to: "timestamp(3) without time zone", want: planner.Lossy},
		{from: "time with time zone", to: "time without time zone", want: planner.Lossy},
		{from: "interval", to: "interval(3)", want: planner.Lossy},
		{from: "bit varying(10)", to: "bit varying(5)", want: planner.Lossy},
		{from: "bit(5)", to: "bit(10)", want: planner.Lossy},
		{from: "inet", to: "cidr", want: planner.Lossy},
		{from: "json", to: "jsonb", want: planner.Lossy},
		{from: "text", to: "public.mood", want: planner.Lossy},
		{from: "integer", to: "integer[]", want: planner.Lossy},
		{from: "text[]", to: "integer[]", want: planner.Lossy},
	}
	for _, tt := range tests {
		from := schema.ColumnDef{Type: typ(tt.from), Collation: tt.collFrom}
		to := schema.ColumnDef{Type: typ(tt.to), Collation: tt.collTo}
		got, reason := planner.ClassifyTypeChange(from, to, tt.indexed)
		if got != tt.want {
			t.Errorf("%s -> %s (collation %q, indexed %t): %s (%s), want %s", tt.from, tt.to, tt.collTo, tt.indexed, got, reason, tt.want)
		}
		if reason == "" {
			t.Errorf("%s -> %s: no reason", tt.from, tt.to)
		}
	}
}
