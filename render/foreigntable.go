package render

import (
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Foreign tables are created and dropped by the table changes (CREATE
// FOREIGN TABLE, DROP FOREIGN TABLE); their columns change by ALTER
// TABLE, which PostgreSQL takes for them. This file renders their
// OPTIONS, which only ALTER FOREIGN TABLE changes.

func init() { registerKind("foreign table", foreignTableChange) }

func foreignTableChange(c planner.Change) (string, group, bool) {
	if c, ok := c.(*planner.AlterForeignOptions); ok {
		s := "ALTER FOREIGN TABLE " + c.Table.String()
		if c.Column != "" {
			s += " ALTER COLUMN " + schema.QuoteIdent(c.Column)
		}
		return s + optionChanges(c.From, c.To) + ";", blockOf(blockTable, c.Table.String()), true
	}
	return "", alone, false
}
