package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Publications are created, altered and dropped in blocks of their own.
var blockPublication, blockDropPublication = newBlock(), newBlock()

func init() { registerKind("publication", publicationChange) }

// publicationChange renders the changes of planner/publication.go.
func publicationChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreatePublication:
		return c.Publication.Stmt + ";", block(blockPublication), true
	case *planner.SetPublication:
		return setPublication(c), block(blockPublication), true
	case *planner.DropPublication:
		return "DROP PUBLICATION " + schema.QuoteIdent(c.Publication.Name) + ";", block(blockDropPublication), true
	}
	return "", alone, false
}

// setPublication is ALTER PUBLICATION ... SET (options), SET objects, or
// DROP of every object when none is left (SET needs at least one).
func setPublication(c *planner.SetPublication) string {
	name := "ALTER PUBLICATION " + schema.QuoteIdent(c.Publication.Name)
	if c.Options {
		return name + " SET (" + c.Publication.Options + ");"
	}
	if objs := schema.PublicationObjects(&c.Publication.PublicationDef); objs != "" {
		return name + " SET " + objs + ";"
	}
	var drops []string
	for _, t := range c.From.Tables {
		drops = append(drops, "TABLE "+t.Table.String())
	}
	for _, s := range c.From.Schemas {
		drops = append(drops, "TABLES IN SCHEMA "+schema.QuoteIdent(s))
	}
	if len(drops) == 0 {
		// Nothing was published: only the options can differ.
		return name + " SET (" + c.Publication.Options + ");"
	}
	return name + " DROP " + strings.Join(drops, ", ") + ";"
}
