package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Rules are created and dropped in blocks of their own.
var blockRule, blockDropRule = newBlock(), newBlock()

func init() { registerKind("rule", ruleChange) }

// ruleChange renders the changes of planner/rule.go: CREATE RULE is the
// user's own statement.
func ruleChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateRule:
		stmt := c.Rule.Stmt
		if c.Replace {
			stmt = "CREATE OR REPLACE RULE " + strings.TrimPrefix(stmt, "CREATE RULE ")
		}
		return stmt + ";", block(blockRule), true
	case *planner.DropRule:
		return "DROP RULE " + schema.QuoteIdent(c.Name.Name) + " ON " + c.Name.Table.String() + ";", block(blockDropRule), true
	}
	return "", alone, false
}
