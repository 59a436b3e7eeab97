package inspect

import "context"

// readRules prints each rule of a user relation that is not a view's
// _RETURN rule, as pg_get_ruledef prints it under inspect's empty
// search_path (names qualified), with its comment; pg_depend orders it
// after its relation and what its actions name.
func (r *reader) readRules(ctx context.Context) error {
	sql := `SELECT ru.oid::text, pg_catalog.quote_ident(ru.rulename) || ' ON ' || pg_catalog.quote_ident(ns.nspname) || '.' || pg_catalog.quote_ident(c.relname),
			pg_catalog.pg_get_ruledef(ru.oid), pg_catalog.obj_description(ru.oid, 'pg_rewrite')
		FROM pg_catalog.pg_rewrite ru JOIN pg_catalog.pg_class c ON c.oid = ru.ev_class
		JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ru.rulename <> '_RETURN' AND ` + r.relFilter("c", "ns") + ` AND ` + extFilter("ru", "pg_rewrite")
	return r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_rewrite", c[0]}, rank: rankTrigger, name: c[1], sql: []string{c[2]}}
		it.sql = append(it.sql, comment("RULE "+c[1], c[3])...)
		r.add(it)
	})
}
