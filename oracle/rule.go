package oracle

import "context"

// KindRule is a rewrite rule made with CREATE RULE: a pg_rewrite row other
// than a view's _RETURN rule.
const KindRule Kind = "rule"

// readRules reads the rules of user relations by relation and name, with
// their definition as pg_get_ruledef prints it and their comment.
func readRules(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname || '.' || cl.relname, r.rulename, pg_get_ruledef(r.oid), obj_description(r.oid, 'pg_rewrite')
		FROM pg_rewrite r JOIN pg_class cl ON cl.oid = r.ev_class JOIN pg_namespace n ON n.oid = cl.relnamespace
		WHERE r.rulename <> '_RETURN' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
			AND NOT (n.nspname || '.' || cl.relname = ANY (coalesce($1::text[], '{}')))
			AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.deptype = 'e')`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindRule, r[0]+"."+r[1], ObjectID{Kind: KindTable, Name: r[0]}, map[string]string{"definition": r[2], "comment": r[3]})
	})
}
