package parser

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func init() { kindDumps = append(kindDumps, dumpTextSearch) }

// dumpTextSearch writes the text search dictionaries and configurations of
// a golden catalog: definition, mappings by token type, comment and owner,
// then the statement a migration runs.
func dumpTextSearch(b *strings.Builder, cat *schema.Catalog) {
	for _, q := range schema.SortedNames(cat.TextSearch.Dicts) {
		d := cat.TextSearch.Dicts[q]
		fmt.Fprintf(b, "ts dictionary %s template=%s options=%v", q, d.Template, d.Options)
		tsTail(b, cat, d.Comment, schema.Object{Kind: schema.KindTSDictionary, Name: q}, d.Stmt)
	}
	for _, q := range schema.SortedNames(cat.TextSearch.Configs) {
		c := cat.TextSearch.Configs[q]
		fmt.Fprintf(b, "ts configuration %s parser=%s", q, c.Parser)
		for _, t := range slices.Sorted(maps.Keys(c.Mappings)) {
			fmt.Fprintf(b, " %s=%v", t, c.Mappings[t])
		}
		tsTail(b, cat, c.Comment, schema.Object{Kind: schema.KindTSConfiguration, Name: q}, c.Stmt)
	}
}

func tsTail(b *strings.Builder, cat *schema.Catalog, text string, o schema.Object, stmt string) {
	comment(b, text)
	if owner := cat.Owners[o]; owner != "" {
		fmt.Fprintf(b, " owner=%s", owner)
	}
	fmt.Fprintf(b, "\n  stmt %s\n", stmt)
}
