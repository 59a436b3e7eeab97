package render

import (
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// routine renders the changes to views, functions and triggers; ok is
// false for other changes.
func routine(c planner.Change) (string, bool) {
	switch c := c.(type) {
	case *planner.CreateView:
		s := "CREATE "
		if c.Replace {
			s += "OR REPLACE "
		}
		if c.View.Materialized {
			s += "MATERIALIZED "
		}
		return s + "VIEW " + c.View.Name.String() + " " + c.View.Def + ";", true
	case *planner.DropView:
		if c.Materialized {
			return "DROP MATERIALIZED VIEW " + c.Name.String() + ";", true
		}
		return "DROP VIEW " + c.Name.String() + ";", true
	case *planner.CreateFunction:
		return c.Function.Def + ";", true
	case *planner.DropFunction:
		return "DROP " + c.Function.Kind.String() + " " + c.Function.Signature() + ";", true
	case *planner.CreateTrigger:
		return c.Trigger.Def + ";", true
	case *planner.DropTrigger:
		return "DROP TRIGGER " + schema.QuoteIdent(c.Name.Name) + " ON " + c.Name.Table.String() + ";", true
	case *planner.SetTriggerEnabled:
		state := c.Enabled
		if state == "" {
			state = "ENABLE"
		}
		return alterTable(c.Name.Table, state+" TRIGGER "+schema.QuoteIdent(c.Name.Name)), true
	}
	return "", false
}

// routineGroup keeps a view with its indexes and a trigger with its
// enable state in one block.
func routineGroup(c planner.Change) string {
	switch c := c.(type) {
	case *planner.CreateView:
		return "view " + c.View.Name.String()
	case *planner.DropView:
		return "drop view"
	case *planner.DropFunction:
		return "drop function"
	case *planner.DropTrigger:
		return "drop trigger"
	case *planner.CreateTrigger:
		return "trigger " + c.Trigger.Table.String() + "." + c.Trigger.Name
	case *planner.SetTriggerEnabled:
		return "trigger " + c.Name.Table.String() + "." + c.Name.Name
	}
	return ""
}
