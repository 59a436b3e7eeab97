package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// dump renders a catalog as stable text for golden files and messages:
// every compared field, one object per block, in name order.
func dump(cat *schema.Catalog) string {
	var b strings.Builder
	for _, n := range schema.SortedKeys(cat.Schemas) {
		s := cat.Schemas[n]
		fmt.Fprintf(&b, "schema %s", schema.QuoteIdent(n))
		comment(&b, s.Comment)
		b.WriteString("\n")
	}
	for _, n := range schema.SortedKeys(cat.Extensions) {
		e := cat.Extensions[n]
		fmt.Fprintf(&b, "extension %s schema=%q", n, e.Schema)
		comment(&b, e.Comment)
		b.WriteString("\n")
	}
	for _, q := range schema.SortedNames(cat.Enums) {
		e := cat.Enums[q]
		fmt.Fprintf(&b, "enum %s %q", q, e.Values)
		comment(&b, e.Comment)
		b.WriteString("\n")
	}
	dumpDomains(&b, cat)
	for _, q := range schema.SortedNames(cat.Sequences) {
		s := cat.Sequences[q]
		fmt.Fprintf(&b, "sequence %s %s start=%d inc=%d min=%d max=%d cache=%d cycle=%v",
			q, s.Type, s.Start, s.Increment, s.Min, s.Max, s.Cache, s.Cycle)
		if !s.OwnedBy.IsZero() {
			fmt.Fprintf(&b, " owned_by=%s.%s", s.OwnedBy.Table, schema.QuoteIdent(s.OwnedBy.Column))
		}
		comment(&b, s.Comment)
		b.WriteString("\n")
	}
	for _, q := range schema.SortedNames(cat.Tables) {
		t := cat.Tables[q]
		fmt.Fprintf(&b, "table %s", q)
		if t.Options.Inherits != "" {
			fmt.Fprintf(&b, " inherits (%s)", t.Options.Inherits)
		}
		if t.Options.IsTyped() {
			fmt.Fprintf(&b, " of %s", t.Options.OfType)
		}
		if t.Options.StorageParams != "" {
			fmt.Fprintf(&b, " with (%s)", t.Options.StorageParams)
		}
		if t.IsForeign() {
			fmt.Fprintf(&b, " server %s", t.Options.Server)
		}
		if len(t.FDWOptions) > 0 {
			fmt.Fprintf(&b, " options (%s)", t.FDWOptions.SQL())
		}
		comment(&b, t.Comment)
		b.WriteString("\n")
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "  column %s %s", schema.QuoteIdent(c.Name), c.Type)
			if c.Collation != "" {
				fmt.Fprintf(&b, " COLLATE %s", c.Collation)
			}
			if c.NotNull {
				b.WriteString(" NOT NULL")
			}
			if c.Default != "" {
				fmt.Fprintf(&b, " DEFAULT %s", c.Default)
			}
			if c.Identity != schema.IdentityNone {
				fmt.Fprintf(&b, " %s", c.Identity)
				if c.IdentityOptions != "" {
					fmt.Fprintf(&b, " (%s)", c.IdentityOptions)
				}
			}
			if c.Generated != "" {
				fmt.Fprintf(&b, " GENERATED ALWAYS AS (%s) STORED", c.Generated)
			}
			if len(c.FDWOptions) > 0 {
				fmt.Fprintf(&b, " OPTIONS (%s)", c.FDWOptions.SQL())
			}
			if c.Inherited {
				b.WriteString(" (inherited, not local)")
			}
			comment(&b, c.Comment)
			b.WriteString("\n")
			if c.DefaultSrc != "" {
				fmt.Fprintf(&b, "    src DEFAULT %s\n", c.DefaultSrc)
			}
			if c.GeneratedSrc != "" {
				fmt.Fprintf(&b, "    src GENERATED ALWAYS AS (%s) STORED\n", c.GeneratedSrc)
			}
		}
		for _, c := range t.Constraints {
			fmt.Fprintf(&b, "  constraint %s %s: %s", schema.QuoteIdent(c.Name), c.Kind, c.Def)
			if c.NotValid {
				b.WriteString(" NOT VALID")
			}
			fmt.Fprintf(&b, " columns=%q", c.Columns)
			if c.Kind == schema.ForeignKey {
				fmt.Fprintf(&b, " ref=%s%q", c.RefTable, c.RefColumns)
			}
			comment(&b, c.Comment)
			b.WriteString("\n")
			if c.Src != "" {
				fmt.Fprintf(&b, "    src %s\n", c.Src)
			}
		}
	}
	for _, q := range schema.SortedNames(cat.Indexes) {
		ix := cat.Indexes[q]
		u := ""
		if ix.Unique {
			u = "unique "
		}
		fmt.Fprintf(&b, "%sindex %s on %s: %s columns=%q", u, q, ix.Table, ix.Def, ix.Columns)
		comment(&b, ix.Comment)
		b.WriteString("\n")
	}
	dumpPrivileges(&b, cat)
	dumpRoutines(&b, cat)
	for _, d := range kindDumps {
		d(&b, cat)
	}
	return b.String()
}

// kindDumps write the sets that the kinds' own test files dump, in the
// order of those files.
var kindDumps []func(*strings.Builder, *schema.Catalog)

func comment(b *strings.Builder, c string) {
	if c != "" {
		fmt.Fprintf(b, " -- %q", c)
	}
}
