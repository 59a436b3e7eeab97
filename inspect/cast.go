package inspect

import "context"

// readCasts prints CREATE CAST for each cast that is neither built in, nor
// an extension's, nor made by CREATE TYPE (a range type's cast to its
// multirange depends on it internally), as pg_dump writes it: the types as format_type and the
// function as regprocedure print them under inspect's empty search_path
// (qualified outside pg_catalog), then its comment.
func (r *reader) readCasts(ctx context.Context) error {
	sql := `SELECT c.oid::text, '(' || pg_catalog.format_type(c.castsource, NULL) || ' AS ' || pg_catalog.format_type(c.casttarget, NULL) || ')',
			CASE c.castmethod WHEN 'f' THEN 'WITH FUNCTION ' || c.castfunc::pg_catalog.regprocedure::text
				WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END
			|| CASE c.castcontext WHEN 'i' THEN ' AS IMPLICIT' WHEN 'a' THEN ' AS ASSIGNMENT' ELSE '' END,
			pg_catalog.obj_description(c.oid, 'pg_cast')
		FROM pg_catalog.pg_cast c
		WHERE c.oid >= 16384 AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
			WHERE d.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'i')
		AND ` + extFilter("c", "pg_cast")
	return r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_cast", c[0]}, rank: rankAggregate, name: c[1],
			sql: []string{"CREATE CAST " + c[1] + " " + c[2] + ";"}}
		it.sql = append(it.sql, comment("CAST "+c[1], c[3])...)
		r.add(it)
	})
}
