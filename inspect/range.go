package inspect

import (
	"context"
	"strings"
)

// readRanges prints CREATE TYPE ... AS RANGE for each user range type,
// built from pg_range as pg_dump builds it: the subtype, the operator
// class and collation only where they are not the subtype's defaults, the
// canonical and subtype_diff functions as regproc prints them under
// inspect's empty search_path, and the multirange type's name. The
// multirange type stands for the range in dependencies.
func (r *reader) readRanges(ctx context.Context) error {
	sql := `SELECT t.oid::text, pg_catalog.format_type(t.oid, NULL), pg_catalog.format_type(g.rngsubtype, NULL),
			CASE WHEN NOT oc.opcdefault THEN
				CASE WHEN ocn.nspname = 'pg_catalog' THEN '' ELSE pg_catalog.quote_ident(ocn.nspname) || '.' END
				|| pg_catalog.quote_ident(oc.opcname) END,
			(SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN '' ELSE pg_catalog.quote_ident(cn.nspname) || '.' END
					|| pg_catalog.quote_ident(co.collname)
				FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
				WHERE co.oid = g.rngcollation AND g.rngcollation <> st.typcollation),
			NULLIF(g.rngcanonical, 0)::pg_catalog.regproc::text, NULLIF(g.rngsubdiff, 0)::pg_catalog.regproc::text,
			pg_catalog.format_type(g.rngmultitypid, NULL), g.rngmultitypid::text,
			pg_catalog.obj_description(t.oid, 'pg_type'), ` + owner("t.typowner") + `
		FROM pg_catalog.pg_range g
		JOIN pg_catalog.pg_type t ON t.oid = g.rngtypid
		JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
		JOIN pg_catalog.pg_type st ON st.oid = g.rngsubtype
		JOIN pg_catalog.pg_opclass oc ON oc.oid = g.rngsubopc
		JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("t", "pg_type")
	return r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_type", c[0]}, rank: rankType, name: c[1]}
		opts := []string{"subtype = " + c[2]}
		for i, name := range []string{3: "subtype_opclass", 4: "collation", 5: "canonical", 6: "subtype_diff", 7: "multirange_type_name"} {
			if name != "" && c[i] != "" {
				opts = append(opts, name+" = "+c[i])
			}
		}
		it.sql = []string{"CREATE TYPE " + c[1] + " AS RANGE (\n    " + strings.Join(opts, ",\n    ") + "\n);"}
		it.sql = append(it.sql, comment("TYPE "+c[1], c[9])...)
		it.sql = append(it.sql, r.ownerSQL("TYPE", c[1], c[10])...)
		r.alias[key{"pg_type", c[8]}] = it.key
		r.add(it)
	})
}
