package oracle

import (
	"context"
	"fmt"
)

// Kinds of foreign data objects: wrappers, servers and user mappings.
const (
	KindForeignDataWrapper Kind = "foreign data wrapper"
	KindServer             Kind = "server"
	KindUserMapping        Kind = "user mapping"
)

// foreignOptions renders an OPTIONS array sorted (the order PostgreSQL
// keeps them in says nothing), a password as its md5 so that a different
// one is a difference the findings never print.
const foreignOptions = `(SELECT string_agg(CASE WHEN o.option_name = 'password' THEN 'password md5:' || md5(o.option_value)
	ELSE o.option_name || '=' || o.option_value END, ', ' ORDER BY o.option_name) FROM pg_options_to_table(%s) o)`

// readForeign reads wrappers (not an extension's), servers and user
// mappings with their options, functions, comments and, unless privileges
// are ignored, owners.
func readForeign(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	owner := func(col string) string {
		return `CASE WHEN $1::text[] IS NOT NULL THEN pg_get_userbyid(` + col + `) END`
	}
	sql := `SELECT w.fdwname, w.fdwhandler::regproc::text, w.fdwvalidator::regproc::text, ` + fmt.Sprintf(foreignOptions, "w.fdwoptions") + `,
			obj_description(w.oid, 'pg_foreign_data_wrapper'), ` + owner("w.fdwowner") + `,
			` + privileges("w.fdwacl", "w.fdwowner", "F") + `
		FROM pg_foreign_data_wrapper w WHERE ` + fmt.Sprintf(notExtMember, "w", "pg_foreign_data_wrapper")
	err := query(ctx, q, o, sql, func(r []string) {
		c.add(KindForeignDataWrapper, r[0], ObjectID{}, map[string]string{
			"handler": r[1], "validator": r[2], "options": r[3], "comment": r[4], "owner": ownerProp(o, r[5]), "privileges": r[6],
		})
	})
	if err != nil {
		return err
	}
	sql = `SELECT s.srvname, w.fdwname, s.srvtype, s.srvversion, ` + fmt.Sprintf(foreignOptions, "s.srvoptions") + `,
			obj_description(s.oid, 'pg_foreign_server'), ` + owner("s.srvowner") + `,
			` + privileges("s.srvacl", "s.srvowner", "S") + `
		FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw`
	err = query(ctx, q, o, sql, func(r []string) {
		c.add(KindServer, r[0], ObjectID{}, map[string]string{
			"wrapper": r[1], "type": r[2], "version": r[3], "options": r[4], "comment": r[5], "owner": ownerProp(o, r[6]), "privileges": r[7],
		})
	})
	if err != nil {
		return err
	}
	sql = `SELECT CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE u.usename END || '@' || u.srvname,
			` + fmt.Sprintf(foreignOptions, "u.umoptions") + `
		FROM pg_user_mappings u
		WHERE $1::text[] IS NOT NULL`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindUserMapping, r[0], ObjectID{}, map[string]string{"options": r[1]})
	})
}
