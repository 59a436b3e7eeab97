package oracle

import (
	"context"
	"fmt"
)

// KindAggregate is an aggregate function: a pg_proc row of kind 'a' with
// its pg_aggregate row.
const KindAggregate Kind = "aggregate"

var aggkinds = map[string]string{"n": "normal", "o": "ordered-set", "h": "hypothetical-set"}

var aggmodify = map[string]string{"r": "read_only", "s": "shareable", "w": "read_write"}

var proparallel = map[string]string{"s": "safe", "r": "restricted", "u": "unsafe"}

// readAggregates reads aggregates by name and identity arguments, with
// everything CREATE AGGREGATE sets: the argument list with names, the
// state and final functions and types (functions qualified, since the
// search path is that of the connection), the moving-aggregate variants,
// the initial conditions, the sort operator and parallel safety.
func readAggregates(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	fn := func(col string) string {
		return fmt.Sprintf("(SELECT quote_ident(fn.nspname) || '.' || quote_ident(f.proname) FROM pg_proc f JOIN pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = g.%s)", col)
	}
	sql := `SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),
			g.aggkind::text, pg_get_function_arguments(p.oid),
			` + fn("aggtransfn") + `, format_type(g.aggtranstype, NULL), g.aggtransspace::text,
			` + fn("aggfinalfn") + `, g.aggfinalextra::text, g.aggfinalmodify::text,
			` + fn("aggcombinefn") + `, ` + fn("aggserialfn") + `, ` + fn("aggdeserialfn") + `,
			g.agginitval,
			` + fn("aggmtransfn") + `, ` + fn("aggminvtransfn") + `,
			CASE WHEN g.aggmtranstype <> 0 THEN format_type(g.aggmtranstype, NULL) END, g.aggmtransspace::text,
			` + fn("aggmfinalfn") + `, g.aggmfinalextra::text, g.aggmfinalmodify::text, g.aggminitval,
			NULLIF(g.aggsortop, 0)::regoperator::text, p.proparallel::text,
			obj_description(p.oid, 'pg_proc'),
			` + privileges("p.proacl", "p.proowner", "f") + `
		FROM pg_proc p JOIN pg_aggregate g ON g.aggfnoid = p.oid
		JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "p", "pg_proc") + `
		AND $1::text[] IS NOT NULL`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindAggregate, r[0]+"."+r[1]+"("+r[2]+")", ObjectID{KindSchema, r[0]}, map[string]string{
			"kind":              aggkinds[r[3]],
			"arguments":         r[4],
			"sfunc":             r[5],
			"stype":             r[6],
			"sspace":            nonZero(r[7]),
			"finalfunc":         r[8],
			"finalfunc_extra":   nonFalse(r[9]),
			"finalfunc_modify":  aggmodify[r[10]],
			"combinefunc":       r[11],
			"serialfunc":        r[12],
			"deserialfunc":      r[13],
			"initcond":          r[14],
			"msfunc":            r[15],
			"minvfunc":          r[16],
			"mstype":            r[17],
			"msspace":           nonZero(r[18]),
			"mfinalfunc":        r[19],
			"mfinalfunc_extra":  nonFalse(r[20]),
			"mfinalfunc_modify": aggmodify[r[21]],
			"minitcond":         r[22],
			"sortop":            r[23],
			"parallel":          proparallel[r[24]],
			"comment":           r[25],
			"privileges":        r[26],
		})
	})
}

func nonZero(s string) string {
	if s == "0" {
		return ""
	}
	return s
}

func nonFalse(s string) string {
	if s == "false" {
		return ""
	}
	return s
}
