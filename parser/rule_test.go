package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func init() { kindDumps = append(kindDumps, dumpRules) }

// dumpRules writes the rules of a golden catalog: relation, name,
// compared definition and comment, then the statement a migration runs.
func dumpRules(b *strings.Builder, cat *schema.Catalog) {
	for _, k := range schema.SortedTriggers(cat.Rules) {
		r := cat.Rules[k]
		fmt.Fprintf(b, "rule %s ON %s AS %s", schema.QuoteIdent(k.Name), k.Table, r.Def)
		comment(b, r.Comment)
		fmt.Fprintf(b, "\n  stmt %s\n", r.Stmt)
	}
}
