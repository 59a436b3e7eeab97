package render

import "github.com/ddlmig/ddlmig/planner"

// Casts are created and dropped in blocks of their own.
var blockCast, blockDropCast = newBlock(), newBlock()

func init() { registerKind("cast", castChange) }

// castChange renders the changes of planner/castkind.go: CREATE CAST is
// the user's own statement.
func castChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateCast:
		return c.Cast.Stmt + ";", block(blockCast), true
	case *planner.DropCast:
		return "DROP CAST " + c.Cast.Key + ";", block(blockDropCast), true
	}
	return "", alone, false
}
