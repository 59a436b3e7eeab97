package render

import (
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// domainChange renders the changes of planner/domain.go.
func domainChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateDomain:
		d := c.Domain
		s := "CREATE DOMAIN " + d.Name.String() + " AS " + d.Type.String()
		if d.Collation != "" {
			s += " COLLATE " + d.Collation
		}
		if d.Default != "" {
			s += " DEFAULT " + d.DefaultSQL()
		}
		if d.NotNull {
			s += " NOT NULL"
		}
		for _, con := range c.Constraints {
			s += "\n    CONSTRAINT " + schema.QuoteIdent(con.Name) + " " + con.SQL()
		}
		return s + ";", blockOf(blockDomain, c.Domain.Name.String()), true
	case *planner.DropDomain:
		return "DROP DOMAIN " + c.Name.String() + ";", block(blockDropDomain), true
	case *planner.SetDomainDefault:
		if c.Default == "" {
			return alterDomain(c.Name, "DROP DEFAULT"), blockOf(blockDomain, c.Name.String()), true
		}
		return alterDomain(c.Name, "SET DEFAULT "+c.Default), blockOf(blockDomain, c.Name.String()), true
	case *planner.SetDomainNotNull:
		if c.NotNull {
			return alterDomain(c.Name, "SET NOT NULL"), blockOf(blockDomain, c.Name.String()), true
		}
		return alterDomain(c.Name, "DROP NOT NULL"), blockOf(blockDomain, c.Name.String()), true
	case *planner.AddDomainConstraint:
		s := "ADD CONSTRAINT " + schema.QuoteIdent(c.Constraint.Name) + " " + c.Constraint.SQL()
		if c.Constraint.NotValid {
			s += " NOT VALID"
		}
		return alterDomain(c.Name, s), blockOf(blockDomain, c.Name.String()), true
	case *planner.DropDomainConstraint:
		return alterDomain(c.Name, "DROP CONSTRAINT "+schema.QuoteIdent(c.Constraint)), blockOf(blockDomain, c.Name.String()), true
	case *planner.ValidateDomainConstraint:
		return alterDomain(c.Name, "VALIDATE CONSTRAINT "+schema.QuoteIdent(c.Constraint)), blockOf(blockDomain, c.Name.String()), true
	case *planner.RenameDomainConstraint:
		return alterDomain(c.Name, "RENAME CONSTRAINT "+schema.QuoteIdent(c.From)+" TO "+schema.QuoteIdent(c.To)), block(blockRename), true
	}
	return "", alone, false
}

func alterDomain(n schema.QualifiedName, action string) string {
	return "ALTER DOMAIN " + n.String() + " " + action + ";"
}

func init() { registerKind("domain", domainChange) }
