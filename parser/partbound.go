package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// storedBound returns the text of partition bound b of a partition of
// parent: compared, with each timestamp literal of a timestamp key column
// as the value PostgreSQL stores, and, when that differs, src, the bound as
// written. The server prints a timestamptz bound in the session's time
// zone ('2022-04-01 01:00:00+01' comes back '2022-04-01 00:00:00+00' in
// UTC), so both spellings compare as the instant in UTC; a literal without
// an offset, whose instant depends on the TimeZone of the session that
// loads it, compares as written.
func storedBound(parent *schema.Table, b *pg_query.PartitionBoundSpec) (compared, src string, err error) {
	src, err = partitionBound(b)
	if err != nil {
		return "", "", err
	}
	types := PartitionKeyTypes(parent)
	if len(types) == 0 {
		return src, "", nil
	}
	n := proto.Clone(b).(*pg_query.PartitionBoundSpec)
	changed := false
	for i, d := range n.Lowerdatums {
		changed = storeDatum(d, types, i) || changed
	}
	for i, d := range n.Upperdatums {
		changed = storeDatum(d, types, i) || changed
	}
	for _, d := range n.Listdatums {
		changed = storeDatum(d, types, 0) || changed
	}
	if !changed {
		return src, "", nil
	}
	compared, err = partitionBound(n)
	if err != nil || compared == src {
		return src, "", err
	}
	return compared, src, nil
}

// storeDatum rewrites d, the bound value of key column i, a string literal,
// into the text of the value PostgreSQL stores when that column is a
// timestamp, and reports whether it did.
func storeDatum(d *pg_query.Node, types []schema.TypeName, i int) bool {
	if i >= len(types) {
		return false
	}
	sv := d.GetAConst().GetSval()
	if sv == nil {
		return false
	}
	t := types[i]
	var v string
	ok := false
	switch {
	case t == schema.TypeName{Name: "timestamp with time zone", Mods: t.Mods}:
		v, ok = isoInstant(sv.Sval, t.Mods == "")
	case t == schema.TypeName{Name: "timestamp without time zone", Mods: t.Mods}:
		v, ok = isoTimestamp(sv.Sval, t.Mods == "")
	}
	if !ok || v == sv.Sval {
		return false
	}
	sv.Sval = v
	return true
}

// PartitionKeyTypes returns the type of each column of parent's partition
// key, a zero TypeName for an expression; nil when it cannot tell.
func PartitionKeyTypes(parent *schema.Table) []schema.TypeName {
	if parent == nil || parent.Options.PartitionBy == "" {
		return nil
	}
	tree, err := pgdecode.Parse("CREATE TABLE x () PARTITION BY " + parent.Options.PartitionBy)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	spec := tree.Stmts[0].Stmt.GetCreateStmt().GetPartspec()
	if spec == nil {
		return nil
	}
	var types []schema.TypeName
	for _, p := range spec.PartParams {
		var t schema.TypeName
		if pe := p.GetPartitionElem(); pe != nil && pe.Name != "" {
			if c := parent.Column(pe.Name); c != nil {
				t = c.Type
			}
		}
		types = append(types, t)
	}
	return types
}
