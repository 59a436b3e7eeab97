package inspect

import (
	"context"
	"strings"
)

// readAggregates prints CREATE AGGREGATE for each user aggregate, built
// from pg_aggregate as pg_dump builds it (the server has no pg_get_*def for
// aggregates): the options that differ from their defaults, in pg_dump's
// order. Function names print as regproc does under inspect's empty
// search_path, so qualified but for pg_catalog's.
func (r *reader) readAggregates(ctx context.Context) error {
	sql := `SELECT p.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname),
			CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_arguments(p.oid) END,
			CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_identity_arguments(p.oid) END,
			a.aggkind::text,
			a.aggtransfn::text, pg_catalog.format_type(a.aggtranstype, NULL), a.aggtransspace::text,
			NULLIF(a.aggfinalfn, 0)::regproc::text, a.aggfinalextra::text, a.aggfinalmodify::text,
			NULLIF(a.aggcombinefn, 0)::regproc::text, NULLIF(a.aggserialfn, 0)::regproc::text,
			NULLIF(a.aggdeserialfn, 0)::regproc::text,
			(a.agginitval IS NOT NULL)::text, a.agginitval,
			NULLIF(a.aggmtransfn, 0)::regproc::text, NULLIF(a.aggminvtransfn, 0)::regproc::text,
			CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END,
			a.aggmtransspace::text, NULLIF(a.aggmfinalfn, 0)::regproc::text, a.aggmfinalextra::text,
			a.aggmfinalmodify::text, (a.aggminitval IS NOT NULL)::text, a.aggminitval,
			(SELECT 'OPERATOR(' || pg_catalog.quote_ident(on_.nspname) || '.' || o.oprname || ')'
				FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace on_ ON on_.oid = o.oprnamespace
				WHERE o.oid = a.aggsortop),
			p.proparallel::text,
			pg_catalog.obj_description(p.oid, 'pg_proc'), ` + owner("p.proowner") + `
		FROM pg_catalog.pg_aggregate a
		JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
		JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("p", "pg_proc")
	return r.rows(ctx, sql, func(c []string) {
		ident := c[1] + "(" + c[3] + ")"
		it := &item{key: key{"pg_proc", c[0]}, rank: rankAggregate, name: ident,
			sql: []string{"CREATE AGGREGATE " + c[1] + "(" + c[2] + ") (\n    " + strings.Join(aggregateOptions(c), ",\n    ") + "\n);"}}
		it.sql = append(it.sql, comment("AGGREGATE "+ident, c[27])...)
		it.sql = append(it.sql, r.ownerSQL("AGGREGATE", ident, c[28])...)
		r.add(it)
	})
}

// aggregateOptions lists an aggregate's options from readAggregates' row,
// leaving out those at their defaults as pg_dump does.
func aggregateOptions(c []string) []string {
	kind := c[4]
	// A normal aggregate's final function reads its state; an
	// ordered-set one's may write it.
	defaultModify := "r"
	if kind != "n" {
		defaultModify = "w"
	}
	modify := map[string]string{"r": "READ_ONLY", "s": "SHAREABLE", "w": "READ_WRITE"}
	opts := []string{"SFUNC = " + c[5], "STYPE = " + c[6]}
	add := func(cond bool, opt string) {
		if cond {
			opts = append(opts, opt)
		}
	}
	add(c[7] != "0", "SSPACE = "+c[7])
	add(c[8] != "", "FINALFUNC = "+c[8])
	add(c[9] == "true", "FINALFUNC_EXTRA")
	add(c[10] != defaultModify, "FINALFUNC_MODIFY = "+modify[c[10]])
	add(c[11] != "", "COMBINEFUNC = "+c[11])
	add(c[12] != "", "SERIALFUNC = "+c[12])
	add(c[13] != "", "DESERIALFUNC = "+c[13])
	add(c[14] == "true", "INITCOND = "+literal(c[15]))
	add(c[16] != "", "MSFUNC = "+c[16])
	add(c[17] != "", "MINVFUNC = "+c[17])
	add(c[18] != "", "MSTYPE = "+c[18])
	add(c[19] != "0", "MSSPACE = "+c[19])
	add(c[20] != "", "MFINALFUNC = "+c[20])
	add(c[21] == "true", "MFINALFUNC_EXTRA")
	add(c[16] != "" && c[22] != defaultModify, "MFINALFUNC_MODIFY = "+modify[c[22]])
	add(c[23] == "true", "MINITCOND = "+literal(c[24]))
	add(c[25] != "", "SORTOP = "+c[25])
	add(kind == "h", "HYPOTHETICAL")
	add(c[26] == "s", "PARALLEL = SAFE")
	add(c[26] == "r", "PARALLEL = RESTRICTED")
	return opts
}
