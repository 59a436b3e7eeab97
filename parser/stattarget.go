package parser

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// Statistics targets: ALTER TABLE ... ALTER COLUMN c SET STATISTICS n and
// ALTER INDEX ... ALTER COLUMN k SET STATISTICS n, as pg_dump writes them
// for a column ANALYZE samples more (or less) than the default. They are
// attributes of the column and of the index (schema.Column.Statistics,
// schema.Index.Statistics), so that a target that differs between two
// schemas is a migration and a re-created table gets its targets back.

// maxStatisticsTarget is the largest target PostgreSQL keeps: it lowers a
// larger one to this, with a warning.
const maxStatisticsTarget = 10000

// statisticsTarget returns the target a SET STATISTICS subcommand sets,
// lowered to the maximum as PostgreSQL does (with a warning); -1 is the
// default.
func (f *folder) statisticsTarget(st *stmt, cmd *pg_query.AlterTableCmd) (int, error) {
	i := cmd.Def.GetInteger()
	if i == nil {
		return 0, f.errorf(st.pos, "SET STATISTICS takes an integer")
	}
	n := int(i.Ival)
	switch {
	case n < -1:
		return 0, f.errorf(st.pos, "statistics target %d is too low", n)
	case n > maxStatisticsTarget:
		f.warn(st, "lowering statistics target to "+strconv.Itoa(maxStatisticsTarget)+", as PostgreSQL does")
		n = maxStatisticsTarget
	}
	return n, nil
}

// setColumnStatistics folds ALTER TABLE [ONLY] t ALTER COLUMN c SET
// STATISTICS n into the column: a partition's column too (the model
// holds a partition's columns), and without ONLY the partitions' of a
// partitioned table, as PostgreSQL recurses. An inherited column of a
// table that inherits gets a copy of its own (ownInherited), as for its
// own default.
func (f *folder) setColumnStatistics(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd, recurse bool) error {
	if cmd.Name == "" {
		return f.errorf(st.pos, "cannot refer to non-index column by number")
	}
	c := t.Column(cmd.Name)
	if c == nil {
		c = f.ownInherited(t, cmd.Name)
	}
	if c == nil {
		return f.errorf(st.pos, "column %s of relation %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
	}
	n, err := f.statisticsTarget(st, cmd)
	if err != nil {
		return err
	}
	c.Statistics = ""
	if n != -1 {
		c.Statistics = strconv.Itoa(n)
	}
	if !recurse {
		return nil
	}
	for _, p := range f.partitionsOf(t.Name) {
		if err := f.setColumnStatistics(st, p, cmd, true); err != nil {
			return err
		}
	}
	return nil
}

// setViewStatistics folds ALTER MATERIALIZED VIEW v ALTER COLUMN c SET
// STATISTICS n (or ALTER TABLE v, as pg_dump writes it) into
// schema.ViewDef.Statistics; ok is false when q names no materialized
// view. The column is not checked: the model does not know a view's
// output columns, and PostgreSQL checks it when the migration runs.
func (f *folder) setViewStatistics(st *stmt, q schema.QualifiedName, cmd *pg_query.AlterTableCmd) (ok bool, err error) {
	v := f.cat.Views[q]
	if v == nil || !v.Materialized || cmd.Subtype != pg_query.AlterTableType_AT_SetStatistics {
		return false, nil
	}
	if cmd.Name == "" {
		return true, f.errorf(st.pos, "cannot refer to non-index column by number")
	}
	n, err := f.statisticsTarget(st, cmd)
	if err != nil {
		return true, err
	}
	targets := map[string]string{}
	for _, item := range splitList(v.Statistics) {
		i := strings.LastIndex(item, "=")
		targets[item[:i]] = item[i+1:]
	}
	col := schema.QuoteIdent(cmd.Name)
	delete(targets, col)
	if n != -1 {
		targets[col] = strconv.Itoa(n)
	}
	var items []string
	for _, c := range slices.Sorted(maps.Keys(targets)) {
		items = append(items, c+"="+targets[c])
	}
	v.Statistics = strings.Join(items, ", ")
	return true, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}

// setIndexStatistics folds ALTER INDEX i ALTER COLUMN k SET STATISTICS n
// into the index; ok is false when q names no index of the model (a
// materialized view's column, which is skipped as before). PostgreSQL
// takes it for an expression column only.
func (f *folder) setIndexStatistics(st *stmt, q schema.QualifiedName, cmd *pg_query.AlterTableCmd) (ok bool, err error) {
	ix := f.cat.Indexes[q]
	if ix == nil || cmd.Subtype != pg_query.AlterTableType_AT_SetStatistics {
		return false, nil
	}
	if cmd.Name != "" {
		return true, f.errorf(st.pos, "cannot alter statistics on index %s by column name: give the column's number", schema.QuoteIdent(q.Name))
	}
	col := int(cmd.Num)
	exprs, err := indexExpressionColumns(ix)
	if err != nil {
		return true, f.errorf(st.pos, "index %s: %v", q, err)
	}
	switch {
	case col < 1 || col > len(exprs):
		return true, f.errorf(st.pos, "column number %d of relation %s does not exist", col, schema.QuoteIdent(q.Name))
	case !exprs[col-1]:
		return true, f.errorf(st.pos, "cannot alter statistics on non-expression column %d of index %s (alter statistics on the table column instead)", col, schema.QuoteIdent(q.Name))
	}
	n, err := f.statisticsTarget(st, cmd)
	if err != nil {
		return true, err
	}
	ix.Statistics = slices.DeleteFunc(ix.Statistics, func(s schema.IndexStatistics) bool { return s.Column == col })
	if n != -1 {
		ix.Statistics = append(ix.Statistics, schema.IndexStatistics{Column: col, Target: n})
		slices.SortFunc(ix.Statistics, func(a, b schema.IndexStatistics) int { return a.Column - b.Column })
	}
	return true, nil
}

// indexExpressionColumns reports, for each key column of ix in order,
// whether it is an expression (INCLUDE columns are plain columns).
func indexExpressionColumns(ix *schema.Index) ([]bool, error) {
	tree, err := pg_query.Parse("CREATE INDEX i ON " + ix.Def)
	if err != nil {
		return nil, err
	}
	var out []bool
	for _, p := range tree.Stmts[0].Stmt.GetIndexStmt().GetIndexParams() {
		out = append(out, p.GetIndexElem().GetExpr() != nil)
	}
	for range tree.Stmts[0].Stmt.GetIndexStmt().GetIndexIncludingParams() {
		out = append(out, false)
	}
	return out, nil
}
