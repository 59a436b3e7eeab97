package parser

import (
	"strconv"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// literalArgTypes are built-in functions, by name and argument count, whose
// every overload takes the given type at the given argument position: a
// string literal passed there becomes a constant of that type, which the
// server stores and pg_dump prints cast (current_setting('app.uid'::text),
// to_tsvector('english'::regconfig, body)). TestLiteralArgsAgainstServer
// proves each entry.
var literalArgTypes = map[string]map[int]string{
	"current_setting/1": {0: "text"}, "current_setting/2": {0: "text"},
	"set_config/3": {0: "text", 1: "text"},
	"date_trunc/2": {0: "text"}, "date_trunc/3": {0: "text", 2: "text"},
	"to_char/2": {1: "text"},
	"format/1":  {0: "text"}, "format/2": {0: "text"}, "format/3": {0: "text"}, "format/4": {0: "text"},
	"concat_ws/2": {0: "text"}, "concat_ws/3": {0: "text"}, "concat_ws/4": {0: "text"},
	"replace/3":        {1: "text", 2: "text"},
	"regexp_replace/3": {1: "text", 2: "text"}, "split_part/3": {1: "text"}, "strpos/2": {1: "text"},
	"starts_with/2": {1: "text"},
	"to_tsvector/2": {0: "regconfig"}, "to_tsquery/2": {0: "regconfig"}, "plainto_tsquery/2": {0: "regconfig"},
	"phraseto_tsquery/2": {0: "regconfig"}, "websearch_to_tsquery/2": {0: "regconfig"},
	// x AT TIME ZONE z is timezone(z, x): its overloads take text or
	// interval as z, and a string literal resolves to text, the preferred
	// type of its category.
	"timezone/2": {0: "text"},
}

// stripLiteralArgCasts drops from a call of a literalArgTypes function the
// cast of a string literal to the type its position takes anyway, so that
// what was written and what the server prints are one text: both mean the
// same call, as no overload takes another type there.
func stripLiteralArgCasts(fc *pg_query.FuncCall) {
	name := strs(fc.Funcname)
	if len(name) == 2 && name[0] != "pg_catalog" || len(name) > 2 || fc.FuncVariadic {
		return
	}
	pos := literalArgTypes[name[len(name)-1]+"/"+strconv.Itoa(len(fc.Args))]
	for i, typ := range pos {
		tc := fc.Args[i].GetTypeCast()
		if tc == nil || tc.Arg.GetAConst().GetSval() == nil || len(tc.TypeName.Typmods) > 0 || len(tc.TypeName.ArrayBounds) > 0 {
			continue
		}
		if tn := strs(tc.TypeName.Names); tn[len(tn)-1] == typ && (len(tn) == 1 || len(tn) == 2 && tn[0] == "pg_catalog") {
			fc.Args[i] = tc.Arg
		}
	}
}
