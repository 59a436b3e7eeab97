package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func dumpDomains(b *strings.Builder, cat *schema.Catalog) {
	for _, q := range schema.SortedNames(cat.Composites) {
		c := cat.Composites[q]
		fmt.Fprintf(b, "composite %s", q)
		comment(b, c.Comment)
		b.WriteString("\n")
		for _, a := range c.Attributes {
			fmt.Fprintf(b, "  attribute %s %s", schema.QuoteIdent(a.Name), a.Type)
			if a.Collation != "" {
				fmt.Fprintf(b, " COLLATE %s", a.Collation)
			}
			b.WriteString("\n")
		}
	}
	for _, q := range schema.SortedNames(cat.Domains) {
		d := cat.Domains[q]
		fmt.Fprintf(b, "domain %s %s", q, d.Type)
		if d.Collation != "" {
			fmt.Fprintf(b, " COLLATE %s", d.Collation)
		}
		if d.NotNull {
			b.WriteString(" NOT NULL")
		}
		if d.Default != "" {
			fmt.Fprintf(b, " DEFAULT %s", d.Default)
		}
		comment(b, d.Comment)
		b.WriteString("\n")
		if d.DefaultSrc != "" {
			fmt.Fprintf(b, "  src DEFAULT %s\n", d.DefaultSrc)
		}
		for _, c := range d.Constraints {
			fmt.Fprintf(b, "  constraint %s %s", schema.QuoteIdent(c.Name), c.Def)
			if c.NotValid {
				b.WriteString(" NOT VALID")
			}
			b.WriteString("\n")
			if c.Src != "" {
				fmt.Fprintf(b, "    src %s\n", c.Src)
			}
		}
	}
}

// dumpPrivileges prints the privileges that are not a new database's: the
// public schema's USAGE for PUBLIC is printed when it is missing.
func dumpPrivileges(b *strings.Builder, cat *schema.Catalog) {
	if g, ok := cat.Privileges[schema.PublicSchemaUsage]; !ok && cat.Schemas[schema.DefaultSchema] != nil {
		b.WriteString("no privilege USAGE SCHEMA public to \"PUBLIC\"\n")
	} else if ok && g.Grantable {
		b.WriteString("privilege USAGE SCHEMA public to \"PUBLIC\" with grant option\n")
	}
	for _, k := range schema.SortedPrivileges(cat.Privileges) {
		if k == schema.PublicSchemaUsage {
			continue
		}
		o := k.Object
		fmt.Fprintf(b, "privilege %s %s", k.Privilege, o.Kind)
		switch o.Kind {
		case schema.KindSchema:
			fmt.Fprintf(b, " %s", schema.QuoteIdent(o.Name.Name))
		case schema.KindFunction, schema.KindProcedure, schema.KindAggregate:
			fmt.Fprintf(b, " %s", o.Name.Name)
		default:
			fmt.Fprintf(b, " %s", o.Name)
		}
		if o.Column != "" {
			fmt.Fprintf(b, " (%s)", schema.QuoteIdent(o.Column))
		}
		fmt.Fprintf(b, " to %q", k.Grantee)
		if cat.Privileges[k].Grantable {
			b.WriteString(" with grant option")
		}
		b.WriteString("\n")
	}
}
