package inspect

import (
	"context"
	"strings"
)

// readOperators prints operators, operator families and classes as
// pg_dump builds them (the server has no pg_get_*def for them), names
// printed as regproc and format_type do under inspect's empty
// search_path: qualified but for pg_catalog's. Shell operators (made by
// a COMMUTATOR or NEGATOR naming an operator never created) are not
// printed, as pg_dump leaves them out.
func (r *reader) readOperators(ctx context.Context) error {
	sql := `SELECT o.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || o.oprname,
			CASE WHEN o.oprleft = 0 THEN 'NONE' ELSE pg_catalog.format_type(o.oprleft, NULL) END,
			pg_catalog.format_type(o.oprright, NULL), o.oprcode::pg_catalog.regproc::text,
			(SELECT 'OPERATOR(' || pg_catalog.quote_ident(cn.nspname) || '.' || c.oprname || ')'
				FROM pg_catalog.pg_operator c JOIN pg_catalog.pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = o.oprcom),
			(SELECT 'OPERATOR(' || pg_catalog.quote_ident(cn.nspname) || '.' || c.oprname || ')'
				FROM pg_catalog.pg_operator c JOIN pg_catalog.pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = o.oprnegate),
			o.oprcanhash::text, o.oprcanmerge::text,
			NULLIF(o.oprrest, 0)::pg_catalog.regproc::text, NULLIF(o.oprjoin, 0)::pg_catalog.regproc::text,
			pg_catalog.obj_description(o.oid, 'pg_operator'), ` + owner("o.oprowner") + `
		FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
		WHERE o.oprcode <> 0 AND ` + nsFilter("n") + ` AND ` + extFilter("o", "pg_operator")
	err := r.rows(ctx, sql, func(c []string) {
		opts := []string{"FUNCTION = " + c[4]}
		if c[2] != "NONE" {
			opts = append(opts, "LEFTARG = "+c[2])
		}
		opts = append(opts, "RIGHTARG = "+c[3])
		for i, opt := range []string{5: "COMMUTATOR = ", 6: "NEGATOR = ", 9: "RESTRICT = ", 10: "JOIN = "} {
			if opt != "" && c[i] != "" {
				opts = append(opts, opt+c[i])
			}
		}
		if c[7] == "true" {
			opts = append(opts, "HASHES")
		}
		if c[8] == "true" {
			opts = append(opts, "MERGES")
		}
		ident := c[1] + " (" + c[2] + ", " + c[3] + ")"
		it := &item{key: key{"pg_operator", c[0]}, rank: rankOperator, name: ident,
			sql: []string{"CREATE OPERATOR " + c[1] + " (\n    " + strings.Join(opts, ",\n    ") + "\n);"}}
		it.sql = append(it.sql, comment("OPERATOR "+ident, c[11])...)
		it.sql = append(it.sql, r.ownerSQL("OPERATOR", ident, c[12])...)
		r.add(it)
	})
	if err != nil {
		return err
	}
	if err := r.readOpFamilies(ctx); err != nil {
		return err
	}
	return r.readOpClasses(ctx)
}

// readOpFamilies prints CREATE OPERATOR FAMILY for every family, those
// CREATE OPERATOR CLASS made included, as pg_dump does.
func (r *reader) readOpFamilies(ctx context.Context) error {
	sql := `SELECT f.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(f.opfname) ||
			' USING ' || pg_catalog.quote_ident(a.amname),
			pg_catalog.obj_description(f.oid, 'pg_opfamily'), ` + owner("f.opfowner") + `
		FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
		JOIN pg_catalog.pg_am a ON a.oid = f.opfmethod
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("f", "pg_opfamily")
	return r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_opfamily", c[0]}, rank: rankOpFamily, name: c[1],
			sql: []string{"CREATE OPERATOR FAMILY " + c[1] + ";"}}
		it.sql = append(it.sql, comment("OPERATOR FAMILY "+c[1], c[2])...)
		it.sql = append(it.sql, r.ownerSQL("OPERATOR FAMILY", c[1], c[3])...)
		r.add(it)
	})
}

// readOpClasses prints CREATE OPERATOR CLASS with its family spelled
// out and its members (those pg_depend ties to it), after the family and
// the operators and functions they name.
func (r *reader) readOpClasses(ctx context.Context) error {
	sql := `SELECT c.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.opcname),
			pg_catalog.quote_ident(a.amname), c.opcdefault::text, pg_catalog.format_type(c.opcintype, NULL),
			pg_catalog.quote_ident(fn.nspname) || '.' || pg_catalog.quote_ident(f.opfname), f.oid::text,
			CASE WHEN c.opckeytype <> 0 THEN pg_catalog.format_type(c.opckeytype, NULL) END,
			(SELECT pg_catalog.string_agg(m, ',' ORDER BY k, num) FROM (
				SELECT 1 AS k, o.amopstrategy AS num, 'OPERATOR ' || o.amopstrategy || ' ' || o.amopopr::pg_catalog.regoperator::text ||
					CASE WHEN o.amoppurpose = 'o' THEN ' FOR ORDER BY ' || (SELECT pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.opfname)
						FROM pg_catalog.pg_opfamily s JOIN pg_catalog.pg_namespace sn ON sn.oid = s.opfnamespace WHERE s.oid = o.amopsortfamily) ELSE '' END AS m
				FROM pg_catalog.pg_amop o JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND d.objid = o.oid
				WHERE d.refobjid = c.oid AND d.deptype = 'i'
				UNION ALL
				SELECT 2, p.amprocnum, 'FUNCTION ' || p.amprocnum || ' (' || pg_catalog.format_type(p.amproclefttype, NULL) || ', ' ||
					pg_catalog.format_type(p.amprocrighttype, NULL) || ') ' || p.amproc::pg_catalog.regprocedure::text
				FROM pg_catalog.pg_amproc p JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass AND d.objid = p.oid
				WHERE d.refobjid = c.oid AND d.deptype = 'i') ms),
			(SELECT pg_catalog.string_agg(o.amopopr::text, ',') FROM pg_catalog.pg_amop o JOIN pg_catalog.pg_depend d
				ON d.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND d.objid = o.oid WHERE d.refobjid = c.oid AND d.deptype = 'i'),
			(SELECT pg_catalog.string_agg(p.amproc::oid::text, ',') FROM pg_catalog.pg_amproc p JOIN pg_catalog.pg_depend d
				ON d.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass AND d.objid = p.oid WHERE d.refobjid = c.oid AND d.deptype = 'i'),
			pg_catalog.obj_description(c.oid, 'pg_opclass'), ` + owner("c.opcowner") + `
		FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
		JOIN pg_catalog.pg_am a ON a.oid = c.opcmethod
		JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("c", "pg_opclass")
	return r.rows(ctx, sql, func(c []string) {
		ident := c[1] + " USING " + c[2]
		head := "CREATE OPERATOR CLASS " + c[1] + "\n    "
		if c[3] == "true" {
			head += "DEFAULT "
		}
		members := strings.Split(c[8], ",")
		if c[8] == "" {
			members = nil
		}
		if c[7] != "" {
			members = append(members, "STORAGE "+c[7])
		}
		it := &item{key: key{"pg_opclass", c[0]}, rank: rankOpClass, name: ident,
			sql:  []string{head + "FOR TYPE " + c[4] + " USING " + c[2] + " FAMILY " + c[5] + " AS\n    " + strings.Join(members, ",\n    ") + ";"},
			deps: []key{{"pg_opfamily", c[6]}}}
		for _, oid := range splitOids(c[9]) {
			it.deps = append(it.deps, key{"pg_operator", oid})
		}
		for _, oid := range splitOids(c[10]) {
			it.deps = append(it.deps, key{"pg_proc", oid})
		}
		it.sql = append(it.sql, comment("OPERATOR CLASS "+ident, c[11])...)
		it.sql = append(it.sql, r.ownerSQL("OPERATOR CLASS", ident, c[12])...)
		r.add(it)
	})
}

func splitOids(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
