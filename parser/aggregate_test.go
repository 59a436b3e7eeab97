package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func init() { kindDumps = append(kindDumps, dumpAggregates) }

// dumpAggregates writes the aggregates of a golden catalog: signature,
// canonical definition, comment and owner, then the statement a migration
// runs.
func dumpAggregates(b *strings.Builder, cat *schema.Catalog) {
	for _, k := range schema.SortedKeys(cat.Aggregates) {
		a := cat.Aggregates[k]
		fmt.Fprintf(b, "aggregate %s %s", k, a.Def)
		comment(b, a.Comment)
		if o := cat.Owners[a.Object()]; o != "" {
			fmt.Fprintf(b, " owner=%s", o)
		}
		fmt.Fprintf(b, "\n  stmt %s\n", a.Stmt)
	}
}
