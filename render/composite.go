package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

func attributeDef(a schema.Attribute) string {
	s := schema.QuoteIdent(a.Name) + " " + a.Type.String()
	if a.Collation != "" {
		s += " COLLATE " + a.Collation
	}
	return s
}

// compositeChange renders the changes of planner/composite.go.
func compositeChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateComposite:
		attrs := make([]string, len(c.Type.Attributes))
		for i, a := range c.Type.Attributes {
			attrs[i] = "    " + attributeDef(a)
		}
		if len(attrs) == 0 {
			return "CREATE TYPE " + c.Type.Name.String() + " AS ();", blockOf(blockCompositeType, c.Type.Name.String()), true
		}
		return "CREATE TYPE " + c.Type.Name.String() + " AS (\n" + strings.Join(attrs, ",\n") + "\n);", blockOf(blockCompositeType, c.Type.Name.String()), true
	case *planner.DropComposite:
		return "DROP TYPE " + c.Name.String() + ";", block(blockDropType), true
	case *planner.AddAttribute:
		return "ALTER TYPE " + c.Type.String() + " ADD ATTRIBUTE " + attributeDef(c.Attribute) + cascade(c.Cascade) + ";", blockOf(blockCompositeType, c.Type.String()), true
	case *planner.DropAttribute:
		return "ALTER TYPE " + c.Type.String() + " DROP ATTRIBUTE " + schema.QuoteIdent(c.Attribute) + cascade(c.Cascade) + ";", blockOf(blockCompositeType, c.Type.String()), true
	case *planner.AlterAttributeType:
		s := "ALTER TYPE " + c.Type.String() + " ALTER ATTRIBUTE " + schema.QuoteIdent(c.Attribute.Name) + " TYPE " + c.Attribute.Type.String()
		if c.Attribute.Collation != "" {
			s += " COLLATE " + c.Attribute.Collation
		}
		return s + cascade(c.Cascade) + ";", blockOf(blockCompositeType, c.Type.String()), true
	}
	return "", alone, false
}

// cascade is the CASCADE of an attribute change that reaches typed tables.
func cascade(on bool) string {
	if on {
		return " CASCADE"
	}
	return ""
}

func init() { registerKind("composite type", compositeChange) }
