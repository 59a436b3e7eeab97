package oracle

import "context"

// KindStatistics is an extended statistics object: a pg_statistic_ext row.
const KindStatistics Kind = "statistics"

// readStatistics reads extended statistics objects by qualified name with
// their definition as pg_dump prints it (kinds, columns and expressions,
// table), their statistics target, comment and, unless privileges are
// ignored, owner.
func readStatistics(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, s.stxname, tn.nspname, r.relname, pg_get_statisticsobjdef(s.oid),
			NULLIF(s.stxstattarget, -1)::text, obj_description(s.oid, 'pg_statistic_ext'),
			CASE WHEN $1::text[] IS NOT NULL THEN pg_get_userbyid(s.stxowner) END
		FROM pg_statistic_ext s
		JOIN pg_namespace n ON n.oid = s.stxnamespace
		JOIN pg_class r ON r.oid = s.stxrelid
		JOIN pg_namespace tn ON tn.oid = r.relnamespace
		WHERE ` + relFilter("r", "tn")
	return query(ctx, q, o, sql, func(r []string) {
		owner := r[7]
		if o.IgnorePrivileges {
			owner = ""
		}
		c.add(KindStatistics, r[0]+"."+r[1], ObjectID{KindTable, r[2] + "." + r[3]}, map[string]string{
			"definition": r[4],
			"target":     r[5],
			"comment":    r[6],
			"owner":      owner,
		})
	})
}
