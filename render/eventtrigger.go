package render

import (
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Event triggers are created, altered and dropped in blocks of their own.
var blockEventTrigger, blockDropEventTrigger = newBlock(), newBlock()

func init() { registerKind("event trigger", eventTriggerChange) }

// eventTriggerStates spells schema.EventTriggerDef.Enabled after ALTER
// EVENT TRIGGER name.
var eventTriggerStates = map[string]string{"": "ENABLE", "D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}

// eventTriggerChange renders the changes of planner/eventtrigger.go:
// CREATE EVENT TRIGGER is the user's own statement.
func eventTriggerChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateEventTrigger:
		return c.EventTrigger.Stmt + ";", block(blockEventTrigger), true
	case *planner.SetEventTriggerEnabled:
		return "ALTER EVENT TRIGGER " + schema.QuoteIdent(c.Name) + " " + eventTriggerStates[c.Enabled] + ";", block(blockEventTrigger), true
	case *planner.DropEventTrigger:
		return "DROP EVENT TRIGGER " + schema.QuoteIdent(c.EventTrigger.Name) + ";", block(blockDropEventTrigger), true
	}
	return "", alone, false
}
