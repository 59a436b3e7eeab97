package planner

import (
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// CreateStatistics creates an extended statistics object after its table
// and columns.
type CreateStatistics struct {
	Base
	Statistics *schema.Statistics
}

// DropStatistics drops an extended statistics object, before the columns
// it names are dropped.
type DropStatistics struct {
	Base
	Statistics *schema.Statistics
}

func (c *DropStatistics) dropped() schema.Object { return c.Statistics.Object() }

// SetStatisticsTarget is ALTER STATISTICS ... SET STATISTICS Target ("" for
// the default, -1).
type SetStatisticsTarget struct {
	Base
	Statistics *schema.Statistics
	Target     string
}

// SetColumnStatistics is ALTER TABLE ... ALTER COLUMN ... SET STATISTICS
// Target ("" for the default, -1).
type SetColumnStatistics struct {
	Base
	Table  schema.QualifiedName
	Column string
	Target string
}

// SetIndexStatistics is ALTER INDEX ... ALTER COLUMN Column SET STATISTICS
// Target (-1 for the default).
type SetIndexStatistics struct {
	Base
	Index  schema.QualifiedName
	Column int
	Target int
}

// diffStatistics plans extended statistics objects and the statistics
// targets of columns and indexes. A statistics object whose definition
// changes, or that names a column the plan drops or adds again, is
// dropped and created again (it holds no data, only what ANALYZE
// gathered); one on a table the plan drops goes with it.
func (s *planState) diffStatistics() {
	for _, n := range schema.SortedNames(s.from.Statistics) {
		fs, ts := s.from.Statistics[n], s.to.Statistics[n]
		if s.recreatedTable[fs.Table] || s.to.Tables[fs.Table] == nil {
			continue // dropped with its table
		}
		if ts == nil || s.statisticsRecreated(fs, ts) {
			s.add(phDropIndex, &DropStatistics{Statistics: fs})
		}
	}
	for _, n := range schema.SortedNames(s.to.Statistics) {
		ts, fs := s.to.Statistics[n], s.from.Statistics[n]
		if fs != nil && s.statisticsRecreated(fs, ts) {
			fs = nil
		}
		if fs == nil {
			fs = &schema.Statistics{}
			s.add(phCreateIndex, &CreateStatistics{Statistics: ts})
		}
		if fs.Target != ts.Target {
			s.add(phCreateIndex, &SetStatisticsTarget{Statistics: ts, Target: ts.Target})
		}
		if fs.Comment != ts.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindStatistics, Name: n, Comment: ts.Comment})
		}
	}
	s.diffColumnStatistics()
	s.diffIndexStatistics()
}

// statisticsRecreated reports whether the statistics object fs of from
// must be dropped and created again as ts.
func (s *planState) statisticsRecreated(fs, ts *schema.Statistics) bool {
	if fs.Def != ts.Def || fs.Table != ts.Table || s.recreatedTable[fs.Table] {
		return true
	}
	return slices.ContainsFunc(fs.Columns, func(c string) bool {
		k := conKey{fs.Table, c}
		return s.droppedCol[k] || s.recreatedCol[k]
	})
}

// diffColumnStatistics sets the statistics target of every column of to
// whose target differs from the one it has after the earlier steps: a
// column created or added again starts at the default.
func (s *planState) diffColumnStatistics() {
	for _, n := range s.toTables() {
		tt, ft := s.to.Tables[n], s.from.Tables[n]
		var fcols map[string]*schema.Column
		if ft != nil {
			fcols = columnMap(ft)
		}
		for _, c := range tt.Columns {
			from := ""
			if f := fcols[c.Name]; f != nil && !s.recreatedCol[conKey{n, c.Name}] {
				from = f.Statistics
			}
			if from != c.Statistics {
				s.add(phTableOptions, &SetColumnStatistics{Table: n, Column: c.Name, Target: c.Statistics})
			}
		}
		s.resetInheritedStatistics(n, ft, tt)
	}
}

// resetInheritedStatistics resets the target of an inherited column that
// table n held one of its own for (ALTER TABLE ONLY child ... SET
// STATISTICS) and no longer does: the column stays, the parent's.
func (s *planState) resetInheritedStatistics(n schema.QualifiedName, ft, tt *schema.Table) {
	if ft == nil || tt.Options.Inherits == "" || s.recreatedTable[n] {
		return
	}
	inh, _ := inheritedFrom(s.to, inheritsNames(tt.Options.Inherits))
	for _, c := range ft.Columns {
		if c.Statistics != "" && tt.Column(c.Name) == nil && slices.ContainsFunc(inh, sameName(c.Name)) {
			s.add(phTableOptions, &SetColumnStatistics{Table: n, Column: c.Name})
		}
	}
}

// diffIndexStatistics sets the statistics targets of the expression
// columns of every index of to as diffColumnStatistics does for columns.
func (s *planState) diffIndexStatistics() {
	for _, n := range s.toIndexes() {
		ti := s.to.Indexes[n]
		var from []schema.IndexStatistics
		if f := s.from.Indexes[n]; f != nil && !s.recreatedIdx[n] {
			from = f.Statistics
		} else if f := s.idxRenamed[n]; f != nil {
			from = f.Statistics
		}
		target := func(list []schema.IndexStatistics, col int) int {
			if i := slices.IndexFunc(list, func(x schema.IndexStatistics) bool { return x.Column == col }); i >= 0 {
				return list[i].Target
			}
			return -1
		}
		var cols []int
		for _, x := range append(slices.Clone(from), ti.Statistics...) {
			if !slices.Contains(cols, x.Column) {
				cols = append(cols, x.Column)
			}
		}
		slices.Sort(cols)
		for _, col := range cols {
			if f, t := target(from, col), target(ti.Statistics, col); f != t {
				s.add(phTableOptions, &SetIndexStatistics{Index: n, Column: col, Target: t})
			}
		}
	}
}

func init() {
	registerKind("statistics", kindPlanner{diff: (*planState).diffStatistics, stage: stageRoutines, order: 52,
		changes: []Change{&CreateStatistics{}, &DropStatistics{}, &SetStatisticsTarget{}, &SetColumnStatistics{}, &SetIndexStatistics{}}})
}

// diffViewStatistics sets the statistics targets of the columns of
// materialized view n that differ between from and to
// (schema.ViewDef.Statistics), once the view exists: a view created or
// created again starts with every target at the default ("" for from).
func (s *planState) diffViewStatistics(n schema.QualifiedName, from, to string) {
	if from == to {
		return
	}
	f, t := viewTargets(from), viewTargets(to)
	var cols []string
	for c := range f {
		if _, ok := t[c]; !ok {
			cols = append(cols, c)
		}
	}
	for c, v := range t {
		if f[c] != v {
			cols = append(cols, c)
		}
	}
	slices.Sort(cols)
	for _, c := range cols {
		s.add(phCreateView, &SetColumnStatistics{Table: n, Column: unquoteIdent(c), Target: t[c]})
	}
}

// viewTargets reads schema.ViewDef.Statistics back: target by quoted
// column.
func viewTargets(s string) map[string]string {
	m := map[string]string{}
	if s == "" {
		return m
	}
	for _, item := range strings.Split(s, ", ") {
		i := strings.LastIndex(item, "=")
		m[item[:i]] = item[i+1:]
	}
	return m
}
