package render

import (
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Aggregates are created and dropped in blocks of their own.
var blockAggregate, blockDropAggregate = newBlock(), newBlock()

func init() { registerKind("aggregate", aggregateChange) }

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

// aggregateGrantName is an aggregate's signature (schema.Aggregate's) as
// GRANT and REVOKE take it: every argument type in one list, no ORDER BY
// and no "*".
func aggregateGrantName(sig string) string {
	quoted := false
	for i, r := range sig {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '(' && !quoted:
			args := sig[i+1 : len(sig)-1]
			return sig[:i] + "(" + schema.FlatAggregateArgs(args) + ")"
		}
	}
	return sig
}
