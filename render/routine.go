package render

import (
	"strings"

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
		return onBodyPath(c.Function, c.Function.Src+";"), alone, true
	case *planner.DropFunction:
		return "DROP " + c.Function.Kind.String() + " " + c.Function.Signature() + ";", block(blockDropFunction), true
	case *planner.CreateTrigger:
		return c.Trigger.DefSQL() + ";", blockOf(blockTrigger, c.Trigger.Table.String()+"."+c.Trigger.Name), true
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

// onBodyPath runs stmt, the CREATE of fn, on the search path its quoted
// body was written for (schema.Function.BodyPath), as the schema file ran
// it: PostgreSQL checks the body's names when it creates the routine.
// SET LOCAL, and the return to the session's default after the statement,
// keep that path off the rest of the migration, whose names are all
// qualified, and off the session once the transaction ends. The routine
// is the one the file creates: it has no SET search_path of its own.
func onBodyPath(fn *schema.Function, stmt string) string {
	if len(fn.BodyPath) == 0 {
		return stmt
	}
	path := make([]string, len(fn.BodyPath))
	for i, s := range fn.BodyPath {
		path[i] = schema.QuoteIdent(s)
	}
	return "SET LOCAL search_path TO " + strings.Join(path, ", ") + ";\n" + stmt + "\nSET LOCAL search_path TO DEFAULT;"
}
