package inspect

import (
	"context"
	"strings"
)

// readStatistics prints what ANALYZE is told to gather, as pg_dump does:
// each extended statistics object (CREATE STATISTICS, its target, comment
// and owner) after its table, and the statistics targets of columns
// (ALTER TABLE ONLY ... ALTER COLUMN ... SET STATISTICS) and of index
// expression columns (ALTER INDEX ... ALTER COLUMN n SET STATISTICS) after
// their relation.
func (r *reader) readStatistics(ctx context.Context) error {
	sql := `SELECT s.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(s.stxname),
			pg_catalog.pg_get_statisticsobjdef(s.oid), s.stxstattarget::text,
			pg_catalog.obj_description(s.oid, 'pg_statistic_ext'), ` + owner("s.stxowner") + `
		FROM pg_catalog.pg_statistic_ext s
		JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
		JOIN pg_catalog.pg_class r ON r.oid = s.stxrelid
		JOIN pg_catalog.pg_namespace tn ON tn.oid = r.relnamespace
		WHERE ` + r.relFilter("r", "tn")
	err := r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_statistic_ext", c[0]}, rank: rankTrigger, name: c[1], sql: []string{c[2] + ";"}}
		if c[3] != "-1" {
			it.sql = append(it.sql, "ALTER STATISTICS "+c[1]+" SET STATISTICS "+c[3]+";")
		}
		it.sql = append(it.sql, comment("STATISTICS "+c[1], c[4])...)
		it.sql = append(it.sql, r.ownerSQL("STATISTICS", c[1], c[5])...)
		r.add(it)
	})
	if err != nil {
		return err
	}
	// Targets of table columns by name, of index columns by number.
	sql = `SELECT r.oid::text, r.oid::pg_catalog.regclass::text, (r.relkind = 'i')::text,
			pg_catalog.string_agg(CASE WHEN r.relkind = 'i' THEN a.attnum::text ELSE pg_catalog.quote_ident(a.attname) END
				|| ' SET STATISTICS ' || a.attstattarget, E'\n' ORDER BY a.attnum)
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_class r ON r.oid = a.attrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
		WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget <> -1
		AND r.relkind IN ('r', 'p', 'm', 'i', 'f') AND ` + r.relFilter("r", "n") + `
		GROUP BY r.oid`
	return r.rows(ctx, sql, func(c []string) {
		alter := "ALTER TABLE ONLY "
		if c[2] == "true" {
			alter = "ALTER INDEX "
		}
		it := &item{key: key{"attstattarget", c[0]}, rank: rankTrigger, name: c[1], deps: []key{{"pg_class", c[0]}}}
		for _, s := range strings.Split(c[3], "\n") {
			it.sql = append(it.sql, alter+c[1]+" ALTER COLUMN "+s+";")
		}
		r.add(it)
	})
}
