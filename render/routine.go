package render

import (
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// routineChange renders the changes to views, functions and triggers; ok
// is false for other changes.
func routineChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateView:
		s := "CREATE "
		if c.Replace {
			s += "OR REPLACE "
		}
		if c.View.Materialized {
			s += "MATERIALIZED "
		}
		return s + "VIEW " + c.View.Name.String() + " " + c.View.Src + ";", blockOf(blockView, c.View.Name.String()), true
	case *planner.DropView:
		if c.Materialized {
			return "DROP MATERIALIZED VIEW " + c.Name.String() + ";", block(blockDropView), true
		}
		return "DROP VIEW " + c.Name.String() + ";", block(blockDropView), true
	case *planner.CreateFunction:
		return c.Function.Src + ";", alone, true
	case *planner.DropFunction:
		return "DROP " + c.Function.Kind.String() + " " + c.Function.Signature() + ";", block(blockDropFunction), true
	case *planner.CreateTrigger:
		return c.Trigger.Def + ";", blockOf(blockTrigger, c.Trigger.Table.String()+"."+c.Trigger.Name), true
	case *planner.DropTrigger:
		return "DROP TRIGGER " + schema.QuoteIdent(c.Name.Name) + " ON " + c.Name.Table.String() + ";", block(blockDropTrigger), true
	case *planner.SetTriggerEnabled:
		state := c.Enabled
		if state == "" {
			state = "ENABLE"
		}
		return alterTable(c.Name.Table, state+" TRIGGER "+schema.QuoteIdent(c.Name.Name)), blockOf(blockTrigger, c.Name.Table.String()+"."+c.Name.Name), true
	}
	return "", alone, false
}
