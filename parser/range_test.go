package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func init() { kindDumps = append(kindDumps, dumpRanges) }

// dumpRanges writes the range types of a golden catalog: name, canonical
// definition, multirange type, the user types and functions it names,
// comment and owner, then the statement a migration runs.
func dumpRanges(b *strings.Builder, cat *schema.Catalog) {
	for _, q := range schema.SortedNames(cat.Ranges) {
		r := cat.Ranges[q]
		fmt.Fprintf(b, "range %s (%s) multirange=%s types=%v funcs=%v", q, r.Def, r.Multirange, r.Types, r.Funcs)
		comment(b, r.Comment)
		if o := cat.Owners[schema.Object{Kind: schema.KindType, Name: q}]; o != "" {
			fmt.Fprintf(b, " owner=%s", o)
		}
		fmt.Fprintf(b, "\n  stmt %s\n", r.Stmt)
	}
}
