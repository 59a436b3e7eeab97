package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func init() { kindDumps = append(kindDumps, dumpOpaque) }

// dumpOpaque writes the opaque objects of a golden catalog: identity,
// schema, comment and owner, then the statement a migration runs.
func dumpOpaque(b *strings.Builder, cat *schema.Catalog) {
	for _, k := range schema.SortedKeys(cat.Opaque) {
		o := cat.Opaque[k]
		fmt.Fprintf(b, "opaque %s schema=%q kind=%q", k, o.Schema, o.Kind)
		comment(b, o.Comment)
		if o.Owner != "" {
			fmt.Fprintf(b, " owner=%s", o.Owner)
		}
		fmt.Fprintf(b, "\n  stmt %s\n", o.Stmt)
		if o.Norm != o.Stmt {
			fmt.Fprintf(b, "  norm %s\n", o.Norm)
		}
	}
}

func init() { kindDumps = append(kindDumps, dumpCasts) }

// dumpCasts writes the casts of a golden catalog: key, function, comment
// and the statement a migration runs.
func dumpCasts(b *strings.Builder, cat *schema.Catalog) {
	for _, k := range schema.SortedKeys(cat.Casts) {
		c := cat.Casts[k]
		fmt.Fprintf(b, "cast %s func=%q", k, c.Func)
		comment(b, c.Comment)
		fmt.Fprintf(b, "\n  stmt %s\n", c.Stmt)
	}
}
