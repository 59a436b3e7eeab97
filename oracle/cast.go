package oracle

import "context"

// KindCast is a cast made with CREATE CAST: a pg_cast row.
const KindCast Kind = "cast"

// readCasts reads the casts that are neither built in, nor an extension's,
// nor made by CREATE TYPE (a range type's cast to its multirange depends
// on it internally, deptype 'i'),
// by their types, with how they convert (the function, WITHOUT FUNCTION
// or WITH INOUT), in which contexts, and their comment.
func readCasts(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT '(' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ')',
			CASE WHEN c.castfunc <> 0 THEN c.castfunc::regprocedure::text END, c.castmethod::text, c.castcontext::text,
			obj_description(c.oid, 'pg_cast')
		FROM pg_cast c
		WHERE c.oid >= 16384 AND $1::text[] IS NOT DISTINCT FROM $1::text[] AND NOT EXISTS (SELECT FROM pg_depend d
			WHERE d.classid = 'pg_cast'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i'))`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindCast, r[0], ObjectID{}, map[string]string{"function": r[1], "method": r[2], "context": r[3], "comment": r[4]})
	})
}
