package render

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

func compositeGroup(c planner.Change) string {
	switch c := c.(type) {
	case *planner.CreateComposite:
		return "type " + c.Type.Name.String()
	case *planner.AddAttribute:
		return "type " + c.Type.String()
	case *planner.DropAttribute:
		return "type " + c.Type.String()
	case *planner.AlterAttributeType:
		return "type " + c.Type.String()
	}
	return "drop type"
}

func attributeDef(a schema.Attribute) string {
	s := schema.QuoteIdent(a.Name) + " " + a.Type.String()
	if a.Collation != "" {
		s += " COLLATE " + a.Collation
	}
	return s
}

// compositeStatement renders the changes of planner/composite.go.
func compositeStatement(c planner.Change) string {
	switch c := c.(type) {
	case *planner.CreateComposite:
		attrs := make([]string, len(c.Type.Attributes))
		for i, a := range c.Type.Attributes {
			attrs[i] = "    " + attributeDef(a)
		}
		if len(attrs) == 0 {
			return "CREATE TYPE " + c.Type.Name.String() + " AS ();"
		}
		return "CREATE TYPE " + c.Type.Name.String() + " AS (\n" + strings.Join(attrs, ",\n") + "\n);"
	case *planner.DropComposite:
		return "DROP TYPE " + c.Name.String() + ";"
	case *planner.AddAttribute:
		return "ALTER TYPE " + c.Type.String() + " ADD ATTRIBUTE " + attributeDef(c.Attribute) + ";"
	case *planner.DropAttribute:
		return "ALTER TYPE " + c.Type.String() + " DROP ATTRIBUTE " + schema.QuoteIdent(c.Attribute) + ";"
	case *planner.AlterAttributeType:
		s := "ALTER TYPE " + c.Type.String() + " ALTER ATTRIBUTE " + schema.QuoteIdent(c.Attribute.Name) + " TYPE " + c.Attribute.Type.String()
		if c.Attribute.Collation != "" {
			s += " COLLATE " + c.Attribute.Collation
		}
		return s + ";"
	}
	panic(fmt.Sprintf("render: not a composite type change %T", c))
}
