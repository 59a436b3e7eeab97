package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func init() { kindDumps = append(kindDumps, dumpOperators) }

// dumpOperators writes the operators, operator families and classes of a
// golden catalog: identity, canonical definition, links, estimators,
// comment and owner, then the statement a migration runs.
func dumpOperators(b *strings.Builder, cat *schema.Catalog) {
	owner := func(o schema.Object) {
		if r := cat.Owners[o]; r != "" {
			fmt.Fprintf(b, " owner=%s", r)
		}
	}
	for _, k := range schema.SortedKeys(cat.Operators.Ops) {
		op := cat.Operators.Ops[k]
		fmt.Fprintf(b, "operator %s (%s) commutator=%q negator=%q restrict=%q join=%q", k, op.Def, op.Commutator, op.Negator, op.Restrict, op.Join)
		comment(b, op.Comment)
		owner(op.Object())
		fmt.Fprintf(b, "\n  stmt %s\n", op.Stmt)
	}
	for _, k := range schema.SortedKeys(cat.Operators.Families) {
		fam := cat.Operators.Families[k]
		fmt.Fprintf(b, "operator family %s", k)
		comment(b, fam.Comment)
		owner(fam.Object())
		b.WriteString("\n")
	}
	for _, k := range schema.SortedKeys(cat.Operators.Classes) {
		c := cat.Operators.Classes[k]
		fmt.Fprintf(b, "operator class %s %s ops=%v", k, c.Def, c.Ops)
		comment(b, c.Comment)
		owner(c.Object())
		fmt.Fprintf(b, "\n  stmt %s\n", c.Stmt)
	}
}
