package inspect

import (
	"context"
	"strings"
)

// foreignOptions prints an OPTIONS array as OPTIONS (...) takes it, in name
// order (%[1]s is the array).
const foreignOptions = `(SELECT ' OPTIONS (' || pg_catalog.string_agg(pg_catalog.quote_ident(o.option_name) || ' ' || pg_catalog.quote_literal(o.option_value), ', ' ORDER BY o.option_name) || ')'
	FROM pg_catalog.pg_options_to_table(%[1]s) o)`

// readForeign prints foreign data wrappers (not an extension's), servers
// and user mappings as pg_dump does, a user mapping's password included:
// the output is the schema, which must create it. Servers come after
// their wrapper, mappings after their server.
func (r *reader) readForeign(ctx context.Context) error {
	opts := func(col string) string { return strings.ReplaceAll(foreignOptions, "%[1]s", col) }
	sql := `SELECT w.oid::text, pg_catalog.quote_ident(w.fdwname),
			CASE WHEN w.fdwhandler <> 0 THEN ' HANDLER ' || w.fdwhandler::pg_catalog.regproc::text ELSE '' END,
			CASE WHEN w.fdwvalidator <> 0 THEN ' VALIDATOR ' || w.fdwvalidator::pg_catalog.regproc::text ELSE '' END,
			` + opts("w.fdwoptions") + `, pg_catalog.obj_description(w.oid, 'pg_foreign_data_wrapper'), ` + owner("w.fdwowner") + `
		FROM pg_catalog.pg_foreign_data_wrapper w WHERE ` + extFilter("w", "pg_foreign_data_wrapper")
	err := r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_foreign_data_wrapper", c[0]}, rank: rankSequence, name: c[1],
			sql: []string{"CREATE FOREIGN DATA WRAPPER " + c[1] + c[2] + c[3] + c[4] + ";"}}
		it.sql = append(it.sql, comment("FOREIGN DATA WRAPPER "+c[1], c[5])...)
		it.sql = append(it.sql, r.ownerSQL("FOREIGN DATA WRAPPER", c[1], c[6])...)
		r.add(it)
	})
	if err != nil {
		return err
	}
	sql = `SELECT s.oid::text, pg_catalog.quote_ident(s.srvname), s.srvfdw::text, pg_catalog.quote_ident(w.fdwname),
			coalesce(' TYPE ' || pg_catalog.quote_literal(s.srvtype), '') || coalesce(' VERSION ' || pg_catalog.quote_literal(s.srvversion), ''),
			` + opts("s.srvoptions") + `, pg_catalog.obj_description(s.oid, 'pg_foreign_server'), ` + owner("s.srvowner") + `
		FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw`
	err = r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_foreign_server", c[0]}, rank: rankSequence, name: c[1], deps: []key{{"pg_foreign_data_wrapper", c[2]}},
			sql: []string{"CREATE SERVER " + c[1] + c[4] + " FOREIGN DATA WRAPPER " + c[3] + c[5] + ";"}}
		it.sql = append(it.sql, comment("SERVER "+c[1], c[6])...)
		it.sql = append(it.sql, r.ownerSQL("SERVER", c[1], c[7])...)
		r.add(it)
	})
	if err != nil {
		return err
	}
	// The view, not pg_user_mapping, which only a superuser may read; it
	// shows the options to the server's owner and the mapped role.
	sql = `SELECT u.umid::text, u.srvid::text,
			CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(u.usename) END,
			pg_catalog.quote_ident(u.srvname), ` + opts("u.umoptions") + `
		FROM pg_catalog.pg_user_mappings u`
	return r.rows(ctx, sql, func(c []string) {
		r.add(&item{key: key{"pg_user_mapping", c[0]}, rank: rankSequence, name: c[2] + "@" + c[3], deps: []key{{"pg_foreign_server", c[1]}},
			sql: []string{"CREATE USER MAPPING FOR " + c[2] + " SERVER " + c[3] + c[4] + ";"}})
	})
}
