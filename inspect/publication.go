package inspect

import (
	"context"
	"strings"
)

// readPublications prints each publication as pg_dump does: CREATE
// PUBLICATION with its options, then ALTER PUBLICATION ... ADD for each
// table (with its column list and row filter) and schema; then its
// comment and owner. They come after the tables they name.
func (r *reader) readPublications(ctx context.Context) error {
	sql := `SELECT p.oid::text, pg_catalog.quote_ident(p.pubname), p.puballtables::text,
			pg_catalog.concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
				CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END),
			p.pubviaroot::text,
			(SELECT pg_catalog.string_agg('TABLE ONLY ' || pr.prrelid::pg_catalog.regclass::text
				|| CASE WHEN pr.prattrs IS NOT NULL THEN ' (' || (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.i)
					FROM pg_catalog.unnest(pr.prattrs::int2[]) WITH ORDINALITY k(n, i)
					JOIN pg_catalog.pg_attribute a ON a.attrelid = pr.prrelid AND a.attnum = k.n) || ')' ELSE '' END
				|| CASE WHEN pr.prqual IS NOT NULL THEN ' WHERE (' || pg_catalog.pg_get_expr(pr.prqual, pr.prrelid) || ')' ELSE '' END,
				E'\n' ORDER BY pr.prrelid::pg_catalog.regclass::text)
				FROM pg_catalog.pg_publication_rel pr WHERE pr.prpubid = p.oid),
			(SELECT pg_catalog.string_agg('TABLES IN SCHEMA ' || pg_catalog.quote_ident(n.nspname), E'\n' ORDER BY n.nspname)
				FROM pg_catalog.pg_publication_namespace pn JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid
				WHERE pn.pnpubid = p.oid),
			pg_catalog.obj_description(p.oid, 'pg_publication'), ` + owner("p.pubowner") + `
		FROM pg_catalog.pg_publication p`
	return r.rows(ctx, sql, func(c []string) {
		stmt := "CREATE PUBLICATION " + c[1]
		if c[2] == "true" {
			stmt += " FOR ALL TABLES"
		}
		stmt += " WITH (publish = " + literal(c[3]) + ", publish_via_partition_root = " + c[4] + ");"
		it := &item{key: key{"pg_publication", c[0]}, rank: rankTrigger, name: c[1], sql: []string{stmt}}
		for _, objs := range []string{c[5], c[6]} {
			if objs == "" {
				continue
			}
			for _, o := range strings.Split(objs, "\n") {
				it.sql = append(it.sql, "ALTER PUBLICATION "+c[1]+" ADD "+o+";")
			}
		}
		it.sql = append(it.sql, comment("PUBLICATION "+c[1], c[7])...)
		it.sql = append(it.sql, r.ownerSQL("PUBLICATION", c[1], c[8])...)
		r.add(it)
	})
}
