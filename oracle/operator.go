package oracle

import (
	"context"
	"fmt"
)

// Operator kinds: a pg_operator row (shell operators too, which COMMUTATOR
// and NEGATOR make for operators not created yet), a pg_opclass row and a
// pg_opfamily row with its members.
const (
	KindOperator Kind = "operator"
	KindOpClass  Kind = "operator class"
	KindOpFamily Kind = "operator family"
)

// ownerUnlessIgnored is the owner column of a catalog without an ACL, as
// the event trigger reader reads it: NULL when privileges are ignored ($1
// is the excluded names, never NULL, so the CASE only uses it).
func ownerUnlessIgnored(col string) string {
	return "CASE WHEN $1::text[] IS NOT NULL THEN pg_get_userbyid(" + col + ") END"
}

// readOperators reads operators by name and argument types, with what
// CREATE and ALTER OPERATOR set, the links to other operators as
// regoperator prints them; then operator families with their members
// (the operators and support functions of every class in them) and
// operator classes.
func readOperators(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, p.oid::regoperator::text, p.oprkind::text,
			format_type(p.oprresult, NULL), NULLIF(p.oprcode, 0)::regprocedure::text,
			NULLIF(p.oprcom, 0)::regoperator::text, NULLIF(p.oprnegate, 0)::regoperator::text,
			NULLIF(p.oprrest, 0)::regprocedure::text, NULLIF(p.oprjoin, 0)::regprocedure::text,
			p.oprcanhash::text, p.oprcanmerge::text,
			obj_description(p.oid, 'pg_operator'), ` + ownerUnlessIgnored("p.oprowner") + `
		FROM pg_operator p JOIN pg_namespace n ON n.oid = p.oprnamespace
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "p", "pg_operator")
	err := query(ctx, q, o, sql, func(r []string) {
		c.add(KindOperator, r[0]+"."+r[1], ObjectID{KindSchema, r[0]}, map[string]string{
			"kind": r[2], "result": r[3], "function": r[4], "commutator": r[5], "negator": r[6],
			"restrict": r[7], "join": r[8], "hashes": r[9], "merges": r[10], "comment": r[11], "owner": ownerProp(o, r[12]),
		})
	})
	if err != nil {
		return err
	}
	sql = `SELECT n.nspname, f.opfname, a.amname,
			(SELECT string_agg(m, ', ' ORDER BY m) FROM (
				SELECT 'OPERATOR ' || o.amopstrategy || ' ' || o.amopopr::regoperator::text ||
					CASE WHEN o.amoppurpose = 'o' THEN ' FOR ORDER BY ' || o.amopsortfamily::text ELSE '' END AS m
				FROM pg_amop o WHERE o.amopfamily = f.oid
				UNION ALL
				SELECT 'FUNCTION ' || p.amprocnum || ' (' || format_type(p.amproclefttype, NULL) || ', ' ||
					format_type(p.amprocrighttype, NULL) || ') ' || p.amproc::regprocedure::text
				FROM pg_amproc p WHERE p.amprocfamily = f.oid) ms),
			obj_description(f.oid, 'pg_opfamily'), ` + ownerUnlessIgnored("f.opfowner") + `
		FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace JOIN pg_am a ON a.oid = f.opfmethod
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "f", "pg_opfamily")
	err = query(ctx, q, o, sql, func(r []string) {
		c.add(KindOpFamily, r[0]+"."+r[1]+" USING "+r[2], ObjectID{KindSchema, r[0]}, map[string]string{
			"members": r[3], "comment": r[4], "owner": ownerProp(o, r[5]),
		})
	})
	if err != nil {
		return err
	}
	sql = `SELECT n.nspname, c.opcname, a.amname, format_type(c.opcintype, NULL), c.opcdefault::text,
			fn.nspname || '.' || f.opfname, CASE WHEN c.opckeytype <> 0 THEN format_type(c.opckeytype, NULL) END,
			obj_description(c.oid, 'pg_opclass'), ` + ownerUnlessIgnored("c.opcowner") + `
		FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace JOIN pg_am a ON a.oid = c.opcmethod
		JOIN pg_opfamily f ON f.oid = c.opcfamily JOIN pg_namespace fn ON fn.oid = f.opfnamespace
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "c", "pg_opclass")
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindOpClass, r[0]+"."+r[1]+" USING "+r[2], ObjectID{KindSchema, r[0]}, map[string]string{
			"type": r[3], "default": r[4], "family": r[5], "storage": r[6], "comment": r[7], "owner": ownerProp(o, r[8]),
		})
	})
}

// ownerProp is an owner as compared: "" when privileges are ignored.
func ownerProp(o ReadOptions, owner string) string {
	if o.IgnorePrivileges {
		return ""
	}
	return owner
}
