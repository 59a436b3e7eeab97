package render

import (
	"fmt"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// domainGroup keeps the statements about one domain together.
func domainGroup(c planner.Change) string {
	switch c := c.(type) {
	case *planner.CreateDomain:
		return "domain " + c.Domain.Name.String()
	case *planner.DropDomain:
		return "drop domain"
	case *planner.SetDomainDefault:
		return "domain " + c.Name.String()
	case *planner.SetDomainNotNull:
		return "domain " + c.Name.String()
	case *planner.AddDomainConstraint:
		return "domain " + c.Name.String()
	case *planner.DropDomainConstraint:
		return "domain " + c.Name.String()
	case *planner.ValidateDomainConstraint:
		return "domain " + c.Name.String()
	case *planner.RenameDomainConstraint:
		return "rename"
	}
	return ""
}

// domainStatement renders the changes of planner/domain.go.
func domainStatement(c planner.Change) string {
	switch c := c.(type) {
	case *planner.CreateDomain:
		d := c.Domain
		s := "CREATE DOMAIN " + d.Name.String() + " AS " + d.Type.String()
		if d.Collation != "" {
			s += " COLLATE " + d.Collation
		}
		if d.Default != "" {
			s += " DEFAULT " + d.Default
		}
		if d.NotNull {
			s += " NOT NULL"
		}
		for _, con := range c.Constraints {
			s += "\n    CONSTRAINT " + schema.QuoteIdent(con.Name) + " " + con.Def
		}
		return s + ";"
	case *planner.DropDomain:
		return "DROP DOMAIN " + c.Name.String() + ";"
	case *planner.SetDomainDefault:
		if c.Default == "" {
			return alterDomain(c.Name, "DROP DEFAULT")
		}
		return alterDomain(c.Name, "SET DEFAULT "+c.Default)
	case *planner.SetDomainNotNull:
		if c.NotNull {
			return alterDomain(c.Name, "SET NOT NULL")
		}
		return alterDomain(c.Name, "DROP NOT NULL")
	case *planner.AddDomainConstraint:
		s := "ADD CONSTRAINT " + schema.QuoteIdent(c.Constraint.Name) + " " + c.Constraint.Def
		if c.Constraint.NotValid {
			s += " NOT VALID"
		}
		return alterDomain(c.Name, s)
	case *planner.DropDomainConstraint:
		return alterDomain(c.Name, "DROP CONSTRAINT "+schema.QuoteIdent(c.Constraint))
	case *planner.ValidateDomainConstraint:
		return alterDomain(c.Name, "VALIDATE CONSTRAINT "+schema.QuoteIdent(c.Constraint))
	case *planner.RenameDomainConstraint:
		return alterDomain(c.Name, "RENAME CONSTRAINT "+schema.QuoteIdent(c.From)+" TO "+schema.QuoteIdent(c.To))
	}
	panic(fmt.Sprintf("render: not a domain change %T", c))
}

func alterDomain(n schema.QualifiedName, action string) string {
	return "ALTER DOMAIN " + n.String() + " " + action + ";"
}
