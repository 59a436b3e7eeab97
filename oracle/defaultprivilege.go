package oracle

import "context"

// KindDefaultPrivileges is a pg_default_acl row: the privileges a role's
// new objects of one kind get, in one schema or in all.
const KindDefaultPrivileges Kind = "default privileges"

// readDefaultPrivileges reads pg_default_acl by role, schema and object
// type, the ACL sorted. Not read when privileges are ignored: the rows
// are nothing else.
func readDefaultPrivileges(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	if o.IgnorePrivileges {
		return nil
	}
	sql := `SELECT pg_get_userbyid(d.defaclrole), coalesce(n.nspname, ''), d.defaclobjtype::text,
			` + sortedACL("d.defaclacl") + `
		FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
		WHERE $1::text[] IS NOT NULL`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindDefaultPrivileges, "for role "+r[0]+" in schema "+r[1]+" on "+r[2], ObjectID{}, map[string]string{
			"privileges": r[3],
		})
	})
}
