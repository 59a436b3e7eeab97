package oracle

import "context"

// KindOpaque is an object of a kind ddlmig carries as its statement: a
// conversion, access method, procedural language, transform, text search
// parser or template. Its name is what
// DROP names it by ("CONVERSION public.c", "LANGUAGE plx").
const KindOpaque Kind = "opaque object"

// opaqueSQL reads each such object that is neither built in nor an
// extension's, as $1 (the excluded relations, unused here) is passed to
// every query: its name, everything its CREATE set as one text, its
// comment and owner (objects without one give NULL).
const opaqueSQL = `WITH o(catalog, oid, name, def, owner) AS (
	SELECT 'pg_conversion'::regclass, c.oid, 'CONVERSION ' || quote_ident(n.nspname) || '.' || quote_ident(c.conname),
		concat_ws(' ', pg_encoding_to_char(c.conforencoding), pg_encoding_to_char(c.contoencoding), c.conproc::regprocedure::text, c.condefault::text), c.conowner
		FROM pg_conversion c JOIN pg_namespace n ON n.oid = c.connamespace
	UNION ALL SELECT 'pg_language'::regclass, l.oid, 'LANGUAGE ' || quote_ident(l.lanname),
		concat_ws(' ', l.lanpltrusted::text, l.lanplcallfoid::regprocedure::text, l.laninline::regprocedure::text, l.lanvalidator::regprocedure::text), l.lanowner
		FROM pg_language l
	UNION ALL SELECT 'pg_am'::regclass, a.oid, 'ACCESS METHOD ' || quote_ident(a.amname),
		concat_ws(' ', a.amtype::text, a.amhandler::regprocedure::text), NULL FROM pg_am a
	UNION ALL SELECT 'pg_transform'::regclass, t.oid, 'TRANSFORM FOR ' || format_type(t.trftype, NULL) || ' LANGUAGE ' || quote_ident(l.lanname),
		concat_ws(' ', t.trffromsql::regprocedure::text, t.trftosql::regprocedure::text), NULL
		FROM pg_transform t JOIN pg_language l ON l.oid = t.trflang
	UNION ALL SELECT 'pg_ts_parser'::regclass, p.oid, 'TEXT SEARCH PARSER ' || quote_ident(n.nspname) || '.' || quote_ident(p.prsname),
		concat_ws(' ', p.prsstart::regprocedure::text, p.prstoken::regprocedure::text, p.prsend::regprocedure::text,
			p.prsheadline::regprocedure::text, p.prslextype::regprocedure::text), NULL
		FROM pg_ts_parser p JOIN pg_namespace n ON n.oid = p.prsnamespace
	UNION ALL SELECT 'pg_ts_template'::regclass, t.oid, 'TEXT SEARCH TEMPLATE ' || quote_ident(n.nspname) || '.' || quote_ident(t.tmplname),
		concat_ws(' ', t.tmplinit::regprocedure::text, t.tmpllexize::regprocedure::text), NULL
		FROM pg_ts_template t JOIN pg_namespace n ON n.oid = t.tmplnamespace)
SELECT o.name, o.def, obj_description(o.oid, o.catalog::name),
	CASE WHEN $1::text[] IS NOT NULL THEN pg_get_userbyid(o.owner) END
	FROM o
	WHERE o.oid >= 16384 AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = o.catalog AND d.objid = o.oid AND d.deptype = 'e')`

// readOpaque reads the objects ddlmig carries as their statement, so that
// a migration that loses or changes one is caught like any other.
func readOpaque(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	return query(ctx, q, o, opaqueSQL, func(r []string) {
		owner := r[3]
		if o.IgnorePrivileges {
			owner = ""
		}
		c.add(KindOpaque, r[0], ObjectID{}, map[string]string{"definition": r[1], "comment": r[2], "owner": owner})
	})
}
