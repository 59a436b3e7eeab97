package render

import (
	"strconv"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Extended statistics and statistics targets are set in blocks of their
// own: they tune ANALYZE and hold no data.
var blockStatistics, blockDropStatistics = newBlock(), newBlock()

func init() { registerKind("statistics", statisticsChange) }

// statisticsChange renders the changes of planner/statistics.go.
func statisticsChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateStatistics:
		return "CREATE STATISTICS " + c.Statistics.Name.String() + " " + c.Statistics.DefSQL() + ";", block(blockStatistics), true
	case *planner.DropStatistics:
		return "DROP STATISTICS " + c.Statistics.Name.String() + ";", block(blockDropStatistics), true
	case *planner.SetStatisticsTarget:
		return "ALTER STATISTICS " + c.Statistics.Name.String() + " SET STATISTICS " + target(c.Target) + ";", block(blockStatistics), true
	case *planner.SetColumnStatistics:
		return "ALTER TABLE ONLY " + c.Table.String() + " ALTER COLUMN " + schema.QuoteIdent(c.Column) +
			" SET STATISTICS " + target(c.Target) + ";", block(blockStatistics), true
	case *planner.SetIndexStatistics:
		return "ALTER INDEX " + c.Index.String() + " ALTER COLUMN " + strconv.Itoa(c.Column) +
			" SET STATISTICS " + strconv.Itoa(c.Target) + ";", block(blockStatistics), true
	}
	return "", alone, false
}

// target spells a statistics target of the model: "" is the default, -1.
func target(t string) string {
	if t == "" {
		return "-1"
	}
	return t
}
