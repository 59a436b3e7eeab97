package render

import "github.com/ddlmig/ddlmig/planner"

// Range types are created and dropped in blocks of their own.
var blockRange, blockDropRange = newBlock(), newBlock()

func init() { registerKind("range type", rangeChange) }

// rangeChange renders the changes of planner/range.go: CREATE TYPE ... AS
// RANGE is the user's own statement.
func rangeChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateRange:
		return c.Range.Stmt + ";", block(blockRange), true
	case *planner.DropRange:
		return "DROP TYPE " + c.Range.Name.String() + ";", block(blockDropRange), true
	}
	return "", alone, false
}
