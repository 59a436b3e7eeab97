package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func init() { kindDumps = append(kindDumps, dumpPublications) }

// dumpPublications writes the publications of a golden catalog: name,
// objects, options, comment and owner, then the statement a migration
// runs.
func dumpPublications(b *strings.Builder, cat *schema.Catalog) {
	for _, n := range schema.SortedKeys(cat.Publications) {
		p := cat.Publications[n]
		fmt.Fprintf(b, "publication %s all=%v objects=[%s] (%s)", schema.QuoteIdent(n), p.AllTables, schema.PublicationObjects(&p.PublicationDef), p.Options)
		comment(b, p.Comment)
		if o := cat.Owners[p.Object()]; o != "" {
			fmt.Fprintf(b, " owner=%s", o)
		}
		fmt.Fprintf(b, "\n  stmt %s\n", p.Stmt)
	}
}
