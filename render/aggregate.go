package render

import "github.com/ddlmig/ddlmig/planner"

// aggregateChange renders the changes of planner/aggregate.go: CREATE
// AGGREGATE is the user's own statement.
func aggregateChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateAggregate:
		return c.Aggregate.Stmt + ";", block(blockAggregate), true
	case *planner.DropAggregate:
		return "DROP AGGREGATE " + c.Aggregate.Signature() + ";", block(blockDropAggregate), true
	}
	return "", alone, false
}
