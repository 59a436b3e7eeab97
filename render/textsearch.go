package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
)

// Text search dictionaries and configurations are created, changed and
// dropped in blocks of their own.
var blockTextSearch, blockDropTextSearch = newBlock(), newBlock()

func init() {
	registerKind("text search dictionary", textSearchChange)
	registerKind("text search configuration", textSearchChange)
}

// textSearchChange renders the changes of planner/textsearch.go: CREATE
// is the user's own statement, mappings and options are ALTER.
func textSearchChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateTSDictionary:
		return c.Dict.Stmt + ";", block(blockTextSearch), true
	case *planner.AlterTSDictionary:
		return "ALTER TEXT SEARCH DICTIONARY " + c.Name.String() + " (" + strings.Join(append(append([]string{}, c.Set...), c.Reset...), ", ") + ");", block(blockTextSearch), true
	case *planner.DropTSDictionary:
		return "DROP TEXT SEARCH DICTIONARY " + c.Dict.Name.String() + ";", block(blockDropTextSearch), true
	case *planner.CreateTSConfiguration:
		return c.Config.Stmt + ";", block(blockTextSearch), true
	case *planner.AlterTSMapping:
		return tsMapping(c), block(blockTextSearch), true
	case *planner.DropTSConfiguration:
		return "DROP TEXT SEARCH CONFIGURATION " + c.Config.Name.String() + ";", block(blockDropTextSearch), true
	}
	return "", alone, false
}

// tsMapping is ADD, ALTER or DROP MAPPING FOR the change's token types.
func tsMapping(c *planner.AlterTSMapping) string {
	head := "ALTER TEXT SEARCH CONFIGURATION " + c.Name.String()
	tokens := strings.Join(c.Tokens, ", ")
	switch {
	case len(c.Dicts) == 0:
		return head + " DROP MAPPING FOR " + tokens + ";"
	case c.Replace:
		return head + " ALTER MAPPING FOR " + tokens + " WITH " + strings.Join(c.Dicts, ", ") + ";"
	}
	return head + " ADD MAPPING FOR " + tokens + " WITH " + strings.Join(c.Dicts, ", ") + ";"
}
