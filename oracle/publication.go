package oracle

import "context"

// KindPublication is a publication: a pg_publication row with its tables
// and schemas.
const KindPublication Kind = "publication"

// readPublications reads publications by name with everything CREATE and
// ALTER PUBLICATION set: FOR ALL TABLES, the actions published, the
// partition root option, each table with its columns and row filter, the
// schemas, the comment and, unless privileges are ignored, the owner.
func readPublications(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT p.pubname, p.puballtables::text,
			concat_ws(',', p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate), p.pubviaroot::text,
			(SELECT string_agg(quote_ident(n.nspname) || '.' || quote_ident(r.relname)
				|| coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
					WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs::int2[])) || ')', '')
				|| coalesce(' WHERE ' || pg_get_expr(pr.prqual, pr.prrelid), ''), '; ' ORDER BY n.nspname, r.relname)
				FROM pg_publication_rel pr JOIN pg_class r ON r.oid = pr.prrelid JOIN pg_namespace n ON n.oid = r.relnamespace
				WHERE pr.prpubid = p.oid),
			(SELECT string_agg(n.nspname, ', ' ORDER BY n.nspname) FROM pg_publication_namespace pn
				JOIN pg_namespace n ON n.oid = pn.pnnspid WHERE pn.pnpubid = p.oid),
			obj_description(p.oid, 'pg_publication'),
			CASE WHEN $1::text[] IS NOT NULL THEN pg_get_userbyid(p.pubowner) END
		FROM pg_publication p`
	return query(ctx, q, o, sql, func(r []string) {
		owner := r[7]
		if o.IgnorePrivileges {
			owner = ""
		}
		c.add(KindPublication, r[0], ObjectID{}, map[string]string{
			"all tables": r[1],
			"publish":    r[2],
			"via root":   r[3],
			"tables":     r[4],
			"schemas":    r[5],
			"comment":    r[6],
			"owner":      owner,
		})
	})
}
