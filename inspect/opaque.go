package inspect

import "context"

// opaqueSQL builds, for each object of a kind ddlmig carries as its
// statement (see the parser's opaque objects) that is neither built in nor
// an extension's, its catalog and oid, the name DROP and COMMENT ON give
// it, its CREATE statement as pg_dump writes it, its comment and, for the
// kinds that have one, its owner. Function names print as regproc does
// under inspect's empty search_path: qualified outside pg_catalog.
var opaqueSQL = `WITH o(catalog, oid, name, stmt, owner) AS (
	SELECT 'pg_conversion', c.oid, 'CONVERSION ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.conname),
		'CREATE ' || CASE WHEN c.condefault THEN 'DEFAULT ' ELSE '' END || 'CONVERSION ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.conname)
		|| ' FOR ' || pg_catalog.quote_literal(pg_catalog.pg_encoding_to_char(c.conforencoding)) || ' TO ' || pg_catalog.quote_literal(pg_catalog.pg_encoding_to_char(c.contoencoding))
		|| ' FROM ' || c.conproc::pg_catalog.regproc::text, c.conowner
		FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace
	UNION ALL SELECT 'pg_language', l.oid, 'LANGUAGE ' || pg_catalog.quote_ident(l.lanname),
		'CREATE ' || CASE WHEN l.lanpltrusted THEN 'TRUSTED ' ELSE '' END || 'LANGUAGE ' || pg_catalog.quote_ident(l.lanname)
		|| ' HANDLER ' || l.lanplcallfoid::pg_catalog.regproc::text
		|| CASE WHEN l.laninline <> 0 THEN ' INLINE ' || l.laninline::pg_catalog.regproc::text ELSE '' END
		|| CASE WHEN l.lanvalidator <> 0 THEN ' VALIDATOR ' || l.lanvalidator::pg_catalog.regproc::text ELSE '' END, l.lanowner
		FROM pg_catalog.pg_language l
	UNION ALL SELECT 'pg_am', a.oid, 'ACCESS METHOD ' || pg_catalog.quote_ident(a.amname),
		'CREATE ACCESS METHOD ' || pg_catalog.quote_ident(a.amname) || CASE a.amtype WHEN 'i' THEN ' TYPE INDEX' ELSE ' TYPE TABLE' END
		|| ' HANDLER ' || a.amhandler::pg_catalog.regproc::text, NULL
		FROM pg_catalog.pg_am a
	UNION ALL SELECT 'pg_transform', t.oid, 'TRANSFORM FOR ' || pg_catalog.format_type(t.trftype, NULL) || ' LANGUAGE ' || pg_catalog.quote_ident(l.lanname),
		'CREATE TRANSFORM FOR ' || pg_catalog.format_type(t.trftype, NULL) || ' LANGUAGE ' || pg_catalog.quote_ident(l.lanname) || ' ('
		|| pg_catalog.concat_ws(', ', CASE WHEN t.trffromsql <> 0 THEN 'FROM SQL WITH FUNCTION ' || t.trffromsql::pg_catalog.regprocedure::text END,
			CASE WHEN t.trftosql <> 0 THEN 'TO SQL WITH FUNCTION ' || t.trftosql::pg_catalog.regprocedure::text END) || ')', NULL
		FROM pg_catalog.pg_transform t JOIN pg_catalog.pg_language l ON l.oid = t.trflang
	UNION ALL SELECT 'pg_ts_parser', p.oid, 'TEXT SEARCH PARSER ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.prsname),
		'CREATE TEXT SEARCH PARSER ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.prsname)
		|| ' (START = ' || p.prsstart::pg_catalog.regproc::text || ', GETTOKEN = ' || p.prstoken::pg_catalog.regproc::text
		|| ', END = ' || p.prsend::pg_catalog.regproc::text
		|| CASE WHEN p.prsheadline <> 0 THEN ', HEADLINE = ' || p.prsheadline::pg_catalog.regproc::text ELSE '' END
		|| ', LEXTYPES = ' || p.prslextype::pg_catalog.regproc::text || ')', NULL
		FROM pg_catalog.pg_ts_parser p JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace
	UNION ALL SELECT 'pg_ts_template', t.oid, 'TEXT SEARCH TEMPLATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.tmplname),
		'CREATE TEXT SEARCH TEMPLATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.tmplname) || ' ('
		|| CASE WHEN t.tmplinit <> 0 THEN 'INIT = ' || t.tmplinit::pg_catalog.regproc::text || ', ' ELSE '' END
		|| 'LEXIZE = ' || t.tmpllexize::pg_catalog.regproc::text || ')', NULL
		FROM pg_catalog.pg_ts_template t JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace)
SELECT o.catalog, o.oid::text, o.name, o.stmt, pg_catalog.obj_description(o.oid, o.catalog), ` + `CASE WHEN o.owner IS NOT NULL THEN ` + `(` + ownerOfOpaque + `) END
	FROM o
	WHERE o.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
		WHERE e.classid = o.catalog::pg_catalog.regclass AND e.objid = o.oid AND e.deptype = 'e')`

// ownerOfOpaque is ownerOf for the owner column of opaqueSQL.
var ownerOfOpaque = `CASE WHEN o.owner NOT IN (SELECT oid FROM pg_catalog.pg_roles WHERE rolname IN (current_user, 'pg_database_owner'))
		THEN pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(o.owner)) END`

// readOpaque prints the objects ddlmig carries as their statement, each
// after what pg_depend says it uses, with its comment and owner.
func (r *reader) readOpaque(ctx context.Context) error {
	return r.rows(ctx, opaqueSQL, func(c []string) {
		it := &item{key: key{c[0], c[1]}, rank: rankOpaque, name: c[2], sql: []string{c[3] + ";"}}
		it.sql = append(it.sql, comment(c[2], c[4])...)
		if c[5] != "" && r.opts.Owners {
			it.sql = append(it.sql, "ALTER "+c[2]+" OWNER TO "+c[5]+";")
		}
		r.add(it)
	})
}
