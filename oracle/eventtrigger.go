package oracle

import "context"

// KindEventTrigger is a database-wide event trigger: a pg_event_trigger row.
const KindEventTrigger Kind = "event trigger"

// readEventTriggers reads event triggers by name with everything CREATE and
// ALTER EVENT TRIGGER set: the event, the tags (sorted: their order means
// nothing), the qualified function, the state, the comment and, unless
// privileges are ignored, the owner (event triggers have no ACL).
func readEventTriggers(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT e.evtname, e.evtevent,
			(SELECT string_agg(quote_literal(t), ', ' ORDER BY t) FROM unnest(e.evttags) t),
			quote_ident(n.nspname) || '.' || quote_ident(p.proname), e.evtenabled::text,
			obj_description(e.oid, 'pg_event_trigger'),
			CASE WHEN $1::text[] IS NOT NULL THEN pg_get_userbyid(e.evtowner) END
		FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid
		JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_event_trigger'::regclass
			AND d.objid = e.oid AND d.deptype = 'e')`
	return query(ctx, q, o, sql, func(r []string) {
		owner := r[6]
		if o.IgnorePrivileges {
			owner = ""
		}
		c.add(KindEventTrigger, r[0], ObjectID{}, map[string]string{
			"event":    r[1],
			"tags":     r[2],
			"function": r[3],
			"enabled":  r[4],
			"comment":  r[5],
			"owner":    owner,
		})
	})
}
