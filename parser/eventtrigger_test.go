package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func init() { kindDumps = append(kindDumps, dumpEventTriggers) }

// dumpEventTriggers writes the event triggers of a golden catalog: name,
// canonical definition, state, comment and owner, then the statement a
// migration runs.
func dumpEventTriggers(b *strings.Builder, cat *schema.Catalog) {
	for _, n := range schema.SortedKeys(cat.EventTriggers) {
		e := cat.EventTriggers[n]
		fmt.Fprintf(b, "event trigger %s %s enabled=%q", schema.QuoteIdent(n), e.Def, e.Enabled)
		comment(b, e.Comment)
		if o := cat.Owners[e.Object()]; o != "" {
			fmt.Fprintf(b, " owner=%s", o)
		}
		fmt.Fprintf(b, "\n  stmt %s\n", e.Stmt)
	}
}
