package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// dumpRoutines adds views, functions and triggers to dump, with the
// references the planner orders them by.
func dumpRoutines(b *strings.Builder, cat *schema.Catalog) {
	for _, q := range schema.SortedNames(cat.Views) {
		v := cat.Views[q]
		kind := "view"
		if v.Materialized {
			kind = "materialized view"
		}
		fmt.Fprintf(b, "%s %s %s refs=%v funcs=%v", kind, q, v.Def, v.Refs, v.Funcs)
		if v.Statistics != "" {
			fmt.Fprintf(b, " statistics=%s", v.Statistics)
		}
		comment(b, v.Comment)
		b.WriteString("\n")
		dumpSrc(b, v.Def, v.Src)
		for _, in := range schema.SortedNames(v.Indexes) {
			fmt.Fprintf(b, "  index %s unique=%t: %s", in, v.Indexes[in].Unique, v.Indexes[in].Def)
			comment(b, v.Indexes[in].Comment)
			b.WriteString("\n")
		}
	}
	for _, k := range schema.SortedKeys(cat.Functions) {
		fn := cat.Functions[k]
		fmt.Fprintf(b, "%s %s refs=%v types=%v: %s", strings.ToLower(fn.Kind.String()), k, fn.Refs, fn.Types, fn.Def)
		comment(b, fn.Comment)
		b.WriteString("\n")
		dumpSrc(b, fn.Def, fn.Src)
	}
	for _, tn := range schema.SortedTriggers(cat.Triggers) {
		tr := cat.Triggers[tn]
		fmt.Fprintf(b, "trigger %s on %s enabled=%q: %s", schema.QuoteIdent(tn.Name), tn.Table, tr.Enabled, tr.Def)
		comment(b, tr.Comment)
		b.WriteString("\n")
	}
}

// dumpSrc writes the text a migration runs for a view or routine where it
// is not the compared one: the user's own statement.
func dumpSrc(b *strings.Builder, def, src string) {
	if src != def {
		fmt.Fprintf(b, "  src %s\n", src)
	}
}
