package inspect

import (
	"context"
	"strings"
)

// defaultObjTypes spells pg_default_acl.defaclobjtype after ON.
var defaultObjTypes = map[string]string{"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES", "n": "SCHEMAS"}

// readDefaultPrivileges prints ALTER DEFAULT PRIVILEGES for each
// pg_default_acl row, last, as pg_dump does (so that the objects printed
// before keep the privileges printed with them): a row without a schema
// as what it grants beyond, and revokes from, PostgreSQL's own default
// (acldefault), a row of a schema as what it grants. FOR ROLE is left out
// for the connected role, as owners are.
func (r *reader) readDefaultPrivileges(ctx context.Context) error {
	sql := `WITH acl AS (
			SELECT d.oid, d.defaclrole, d.defaclnamespace, d.defaclobjtype, x.grantee, x.privilege_type, x.is_grantable
			FROM pg_catalog.pg_default_acl d, pg_catalog.aclexplode(d.defaclacl) x),
		def AS (
			SELECT d.oid, d.defaclrole, d.defaclnamespace, d.defaclobjtype, x.grantee, x.privilege_type, x.is_grantable
			FROM pg_catalog.pg_default_acl d,
				pg_catalog.aclexplode(pg_catalog.acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END, d.defaclrole)) x
			WHERE d.defaclnamespace = 0)
		SELECT s.oid::text, ` + owner("s.defaclrole") + `, s.defaclnamespace::text,
			(SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_namespace n WHERE n.oid = s.defaclnamespace),
			s.defaclobjtype::text, s.verb,
			CASE WHEN s.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(s.grantee)) END,
			s.privilege_type, s.is_grantable::text
		FROM (SELECT 'GRANT' AS verb, * FROM (SELECT * FROM acl EXCEPT SELECT * FROM def) g
			UNION ALL
			SELECT 'REVOKE', * FROM (SELECT * FROM def EXCEPT SELECT * FROM acl) v) s
		WHERE s.grantee <> s.defaclrole
		ORDER BY s.oid, s.verb DESC, 7, s.privilege_type`
	return r.rows(ctx, sql, func(c []string) {
		k := key{"pg_default_acl", c[0]}
		it := r.items[k]
		if it == nil {
			it = &item{key: k, rank: rankDefaultPrivileges, name: "default privileges " + c[0]}
			if c[2] != "0" {
				it.deps = []key{{"pg_namespace", c[2]}}
			}
			r.add(it)
		}
		var b strings.Builder
		b.WriteString("ALTER DEFAULT PRIVILEGES")
		if c[1] != "" {
			b.WriteString(" FOR ROLE " + c[1])
		}
		if c[3] != "" {
			b.WriteString(" IN SCHEMA " + c[3])
		}
		on := defaultObjTypes[c[4]]
		if c[5] == "GRANT" {
			b.WriteString(" GRANT " + c[7] + " ON " + on + " TO " + c[6])
			if c[8] == "true" {
				b.WriteString(" WITH GRANT OPTION")
			}
		} else {
			b.WriteString(" REVOKE " + c[7] + " ON " + on + " FROM " + c[6])
		}
		it.sql = append(it.sql, b.String()+";")
	})
}
