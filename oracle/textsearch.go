package oracle

import (
	"context"
	"fmt"
)

// KindTSDictionary and KindTSConfiguration are text search dictionaries
// (pg_ts_dict) and configurations (pg_ts_config with their mappings).
const (
	KindTSDictionary    Kind = "text search dictionary"
	KindTSConfiguration Kind = "text search configuration"
)

// readTextSearch reads dictionaries with their template and options, and
// configurations with their parser and every token type's dictionaries in
// order, all names qualified.
func readTextSearch(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	dicts := `SELECT n.nspname, d.dictname, tn.nspname || '.' || t.tmplname, coalesce(d.dictinitoption, ''),
			obj_description(d.oid, 'pg_ts_dict')
		FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
		JOIN pg_ts_template t ON t.oid = d.dicttemplate JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "d", "pg_ts_dict") + `
		AND $1::text[] IS NOT NULL`
	err := query(ctx, q, o, dicts, func(r []string) {
		c.add(KindTSDictionary, r[0]+"."+r[1], ObjectID{KindSchema, r[0]}, map[string]string{
			"template": r[2], "options": r[3], "comment": r[4],
		})
	})
	if err != nil {
		return err
	}
	configs := `SELECT n.nspname, cf.cfgname, pn.nspname || '.' || p.prsname,
			coalesce((SELECT string_agg(x.line, '; ' ORDER BY x.tok) FROM (
				SELECT m.maptokentype AS tok, t.alias || ' = ' || string_agg(dn.nspname || '.' || d.dictname, ', ' ORDER BY m.mapseqno) AS line
				FROM pg_ts_config_map m JOIN ts_token_type(cf.cfgparser) t ON t.tokid = m.maptokentype
				JOIN pg_ts_dict d ON d.oid = m.mapdict JOIN pg_namespace dn ON dn.oid = d.dictnamespace
				WHERE m.mapcfg = cf.oid GROUP BY m.maptokentype, t.alias) x), ''),
			obj_description(cf.oid, 'pg_ts_config')
		FROM pg_ts_config cf JOIN pg_namespace n ON n.oid = cf.cfgnamespace
		JOIN pg_ts_parser p ON p.oid = cf.cfgparser JOIN pg_namespace pn ON pn.oid = p.prsnamespace
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "cf", "pg_ts_config") + `
		AND $1::text[] IS NOT NULL`
	return query(ctx, q, o, configs, func(r []string) {
		c.add(KindTSConfiguration, r[0]+"."+r[1], ObjectID{KindSchema, r[0]}, map[string]string{
			"parser": r[2], "mappings": r[3], "comment": r[4],
		})
	})
}
