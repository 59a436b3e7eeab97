package inspect

import (
	"context"
	"strings"
)

// readTextSearch prints the user's text search dictionaries and
// configurations as pg_dump does: CREATE with the template and stored
// options, or with the parser followed by one ADD MAPPING per token type,
// dictionary names as regdictionary prints them under inspect's empty
// search_path.
func (r *reader) readTextSearch(ctx context.Context) error {
	dicts := `SELECT d.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(d.dictname),
			pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.tmplname), COALESCE(d.dictinitoption, ''),
			pg_catalog.obj_description(d.oid, 'pg_ts_dict'), ` + owner("d.dictowner") + `
		FROM pg_catalog.pg_ts_dict d
		JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace
		JOIN pg_catalog.pg_ts_template t ON t.oid = d.dicttemplate
		JOIN pg_catalog.pg_namespace tn ON tn.oid = t.tmplnamespace
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("d", "pg_ts_dict")
	err := r.rows(ctx, dicts, func(c []string) {
		it := &item{key: key{"pg_ts_dict", c[0]}, rank: rankTSDict, name: c[1]}
		opts := "TEMPLATE = " + c[2]
		if c[3] != "" {
			opts += ",\n    " + c[3]
		}
		it.sql = []string{"CREATE TEXT SEARCH DICTIONARY " + c[1] + " (\n    " + opts + " );"}
		it.sql = append(it.sql, comment("TEXT SEARCH DICTIONARY "+c[1], c[4])...)
		it.sql = append(it.sql, r.ownerSQL("TEXT SEARCH DICTIONARY", c[1], c[5])...)
		r.add(it)
	})
	if err != nil {
		return err
	}
	configs := `SELECT c.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.cfgname),
			pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.prsname),
			COALESCE((SELECT pg_catalog.string_agg(x.line, E'\n' ORDER BY x.tok)
				FROM (SELECT m.maptokentype AS tok, t.alias || ' WITH ' ||
						pg_catalog.string_agg(m.mapdict::pg_catalog.regdictionary::text, ', ' ORDER BY m.mapseqno) AS line
					FROM pg_catalog.pg_ts_config_map m
					JOIN pg_catalog.ts_token_type(c.cfgparser) t ON t.tokid = m.maptokentype
					WHERE m.mapcfg = c.oid GROUP BY m.maptokentype, t.alias) x), ''),
			pg_catalog.obj_description(c.oid, 'pg_ts_config'), ` + owner("c.cfgowner") + `
		FROM pg_catalog.pg_ts_config c
		JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
		JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser
		JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("c", "pg_ts_config")
	return r.rows(ctx, configs, func(c []string) {
		it := &item{key: key{"pg_ts_config", c[0]}, rank: rankTSConfig, name: c[1]}
		it.sql = []string{"CREATE TEXT SEARCH CONFIGURATION " + c[1] + " (\n    PARSER = " + c[2] + " );"}
		if c[3] != "" {
			for _, line := range strings.Split(c[3], "\n") {
				it.sql = append(it.sql, "ALTER TEXT SEARCH CONFIGURATION "+c[1]+"\n    ADD MAPPING FOR "+line+";")
			}
		}
		it.sql = append(it.sql, comment("TEXT SEARCH CONFIGURATION "+c[1], c[4])...)
		it.sql = append(it.sql, r.ownerSQL("TEXT SEARCH CONFIGURATION", c[1], c[5])...)
		r.add(it)
	})
}
