package parser

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// statisticsPrefix is cut from a deparsed CREATE STATISTICS to leave
// Statistics.Def and Src.
const statisticsPrefix = "CREATE STATISTICS x "

// statKinds are the kinds of extended statistics in the order PostgreSQL
// keeps them (pg_statistic_ext.stxkind) and pg_dump prints them.
var statKinds = []string{"ndistinct", "dependencies", "mcv"}

// createStatistics folds CREATE STATISTICS. The definition is kept
// canonical: kinds in PostgreSQL's order and left out when all are built,
// plain columns in table order then the expressions (as pg_statistic_ext
// keeps them), the table qualified. An unnamed one is named as PostgreSQL
// names it. Extended statistics on a materialized view are skipped with a
// warning: ddlmig models no statistics of views.
func (f *folder) createStatistics(st *stmt, cs *pg_query.CreateStatsStmt) error {
	if len(cs.Relations) != 1 || cs.Relations[0].GetRangeVar() == nil {
		return f.errorf(st.pos, "only a single relation is allowed in CREATE STATISTICS")
	}
	q := rangeVarName(cs.Relations[0].GetRangeVar())
	if f.cat.Tables[q] == nil && f.cat.Views[q] != nil {
		f.warn(st, "skipped CREATE STATISTICS on "+q.String()+": ddlmig does not manage extended statistics on views")
		return nil
	}
	_, err := f.addStatistics(st, cs)
	return err
}

// addStatistics folds CREATE STATISTICS on a table (of one relation) and
// returns the statistics object (nil when IF NOT EXISTS found one of the
// name); LIKE ... INCLUDING STATISTICS builds its copies with it.
func (f *folder) addStatistics(st *stmt, cs *pg_query.CreateStatsStmt) (*schema.Statistics, error) {
	rv := cs.Relations[0].GetRangeVar()
	q := rangeVarName(rv)
	t := f.cat.Tables[q]
	if t == nil {
		return nil, f.missingf(f.at(st, rv.Location), "relation %s does not exist", q)
	}
	def, cols, err := f.statisticsDef(st, cs, t)
	if err != nil {
		return nil, err
	}
	src, err := statisticsSrc(cs, t.Name)
	if err != nil {
		return nil, f.errorf(st.pos, "statistics: %v", err)
	}
	if src == def {
		src = ""
	}
	var name schema.QualifiedName
	if len(cs.Defnames) == 0 {
		var parts []string // as ChooseExtendedStatisticNameAddition names them
		for _, n := range cs.Exprs {
			if e := n.GetStatsElem(); e.GetName() != "" {
				parts = append(parts, e.Name)
			} else {
				parts = append(parts, "expr")
			}
		}
		addition := nameAddition(parts)
		name = schema.QualifiedName{Schema: q.Schema, Name: chooseName(q.Name, addition, "stat", func(n string) bool {
			return f.cat.Statistics[schema.QualifiedName{Schema: q.Schema, Name: n}] != nil
		})}
	} else {
		name = listName(f.qualifyList(cs.Defnames, f.creationSchema))
	}
	if f.cat.Statistics[name] != nil {
		if cs.IfNotExists {
			return nil, nil
		}
		return nil, f.errorf(st.pos, "statistics object %s already exists", name)
	}
	if f.cat.Schemas[name.Schema] == nil {
		return nil, f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(name.Schema))
	}
	s := &schema.Statistics{Name: name, Table: q, StatisticsDef: schema.StatisticsDef{Def: def}, Columns: cols, Src: src, Pos: st.pos}
	f.cat.Statistics[name] = s
	return s, nil
}

// statisticsDef returns the canonical definition of CREATE STATISTICS on
// table t and the columns it names.
func (f *folder) statisticsDef(st *stmt, cs *pg_query.CreateStatsStmt, t *schema.Table) (string, []string, error) {
	c := proto.Clone(cs).(*pg_query.CreateStatsStmt)
	var kinds []string
	for _, k := range strs(c.StatTypes) {
		k = strings.ToLower(k)
		if !slices.Contains(statKinds, k) {
			return "", nil, f.errorf(st.pos, "unrecognized statistics kind %s", schema.QuoteLiteral(k))
		}
		kinds = append(kinds, k)
	}
	c.StatTypes = nil
	if len(kinds) < len(statKinds) {
		for _, k := range statKinds {
			if slices.Contains(kinds, k) {
				c.StatTypes = append(c.StatTypes, pg_query.MakeStrNode(k))
			}
		}
	}
	var plain, exprs []*pg_query.Node
	var cols []string
	for _, n := range c.Exprs {
		e := n.GetStatsElem()
		if e.GetName() != "" {
			if t.Column(e.Name) == nil {
				return "", nil, f.errorf(st.pos, "column %s does not exist", schema.QuoteIdent(e.Name))
			}
			plain = append(plain, n)
			continue
		}
		normalizeExpr(e.GetExpr(), tableTypes(t))
		exprs = append(exprs, n)
	}
	pos := func(n *pg_query.Node) int {
		return slices.IndexFunc(t.Columns, func(c *schema.Column) bool { return c.Name == n.GetStatsElem().Name })
	}
	slices.SortStableFunc(plain, func(a, b *pg_query.Node) int { return pos(a) - pos(b) })
	for _, n := range plain {
		cols = appendUnique(cols, n.GetStatsElem().Name)
	}
	for _, n := range exprs {
		for _, col := range columnRefs(n.GetStatsElem().Expr) {
			cols = appendUnique(cols, col)
		}
	}
	c.Exprs = append(plain, exprs...)
	c.Defnames = []*pg_query.Node{pg_query.MakeStrNode("x")}
	c.Relations = []*pg_query.Node{{Node: &pg_query.Node_RangeVar{RangeVar: rangeVar(t.Name)}}}
	c.IfNotExists, c.Stxcomment = false, ""
	s, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateStatsStmt{CreateStatsStmt: c}})
	if err != nil {
		return "", nil, f.errorf(st.pos, "statistics: %v", err)
	}
	return strings.TrimPrefix(s, statisticsPrefix), cols, nil
}

// statisticsSrc is the user's statement cs on table tq as it follows
// "CREATE STATISTICS name ": kinds, columns and expressions as written.
func statisticsSrc(cs *pg_query.CreateStatsStmt, tq schema.QualifiedName) (string, error) {
	c := &pg_query.CreateStatsStmt{
		Defnames:    []*pg_query.Node{pg_query.MakeStrNode("x")},
		StatTypes:   cs.StatTypes,
		Exprs:       cs.Exprs,
		Relations:   []*pg_query.Node{{Node: &pg_query.Node_RangeVar{RangeVar: rangeVar(tq)}}},
		Transformed: cs.Transformed,
	}
	s, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateStatsStmt{CreateStatsStmt: c}})
	return strings.TrimPrefix(s, statisticsPrefix), err
}

// statisticsName resolves a statistics object's name on the search path.
func (f *folder) statisticsName(items []*pg_query.Node) schema.QualifiedName {
	if len(items) == 1 {
		if s := f.statisticsSchema(items[0].GetString_().GetSval()); s != "" {
			return schema.QualifiedName{Schema: s, Name: items[0].GetString_().GetSval()}
		}
	}
	return listName(items)
}

// statisticsSchema is the first schema of the path with a statistics
// object named name, or "".
func (f *folder) statisticsSchema(name string) string {
	for _, s := range f.searchPath() {
		if f.cat.Statistics[schema.QualifiedName{Schema: s, Name: name}] != nil {
			return s
		}
	}
	return ""
}

// statistics returns the statistics object named q, or an error at st.
func (f *folder) statistics(st *stmt, q schema.QualifiedName) (*schema.Statistics, error) {
	if s := f.cat.Statistics[q]; s != nil {
		return s, nil
	}
	return nil, f.missingf(st.pos, "statistics object %s does not exist", q)
}

// alterStatistics folds ALTER STATISTICS ... SET STATISTICS n.
func (f *folder) alterStatistics(st *stmt, as *pg_query.AlterStatsStmt) error {
	s, err := f.statistics(st, f.statisticsName(as.Defnames))
	if err != nil {
		if as.MissingOk {
			return nil
		}
		return err
	}
	n := int(as.Stxstattarget)
	switch {
	case n < -1:
		return f.errorf(st.pos, "statistics target %d is too low", n)
	case n > maxStatisticsTarget:
		f.warn(st, "lowering statistics target to "+strconv.Itoa(maxStatisticsTarget)+", as PostgreSQL does")
		n = maxStatisticsTarget
	}
	s.Target = ""
	if n != -1 {
		s.Target = strconv.Itoa(n)
	}
	return nil
}

// dropStatisticsOf drops the statistics objects of table q, or with
// column set those that name the column, as PostgreSQL does with them.
func (f *folder) dropStatisticsOf(q schema.QualifiedName, column string) {
	for n, s := range f.cat.Statistics {
		if s.Table == q && (column == "" || slices.Contains(s.Columns, column)) {
			delete(f.cat.Owners, s.Object())
			delete(f.cat.Statistics, n)
		}
	}
}

// renameStatisticsTable follows table old to nq, and with column set
// column old to newCol, in the statistics objects of the table: in Def and
// in the user's text (dropped, Def written instead, in the case that
// cannot happen that it does not parse back).
func (f *folder) renameStatisticsTable(old, nq schema.QualifiedName, column, newCol string) {
	for _, s := range f.cat.Statistics {
		if s.Table != old || column != "" && !slices.Contains(s.Columns, column) {
			continue
		}
		if d, ok := renameInStatistics(s.Def, nq, column, newCol); ok {
			s.Def = d
		}
		if s.Src != "" {
			if src, ok := renameInStatistics(s.Src, nq, column, newCol); ok && src != s.Def {
				s.Src = src
			} else {
				s.Src = ""
			}
		}
		for i, c := range s.Columns {
			if column != "" && c == column {
				s.Columns[i] = newCol
			}
		}
		s.Table = nq
	}
}

// renameInStatistics puts table nq, and with column set newCol for column,
// into text, a statistics object's Def or Src.
func renameInStatistics(text string, nq schema.QualifiedName, column, newCol string) (string, bool) {
	cs, err := parseStatisticsDef(text)
	if err != nil {
		return "", false // the text was deparsed by ddlmig: it parses
	}
	cs.Relations = []*pg_query.Node{{Node: &pg_query.Node_RangeVar{RangeVar: rangeVar(nq)}}}
	if column != "" {
		for _, e := range cs.Exprs {
			if se := e.GetStatsElem(); se.Name == column {
				se.Name = newCol
			}
		}
		renameColumnRefs(cs.ProtoReflect(), column, newCol)
	}
	d, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateStatsStmt{CreateStatsStmt: cs}})
	if err != nil {
		return "", false
	}
	return strings.TrimPrefix(d, statisticsPrefix), true
}

// parseStatisticsDef parses a statistics object's text (Def or Src) back
// into a node.
func parseStatisticsDef(text string) (*pg_query.CreateStatsStmt, error) {
	tree, err := pgdecode.Parse(statisticsPrefix + text)
	if err != nil {
		return nil, err
	}
	cs := tree.Stmts[0].Stmt.GetCreateStatsStmt()
	if len(tree.Stmts) != 1 || cs == nil {
		return nil, errors.New("not one CREATE STATISTICS: " + text)
	}
	return cs, nil
}

func init() {
	registerKind("statistics", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_CreateStatsStmt](): func(f *folder, st *stmt) error {
				return f.createStatistics(st, st.node.GetCreateStatsStmt())
			},
			node[*pg_query.Node_AlterStatsStmt](): func(f *folder, st *stmt) error {
				return f.alterStatistics(st, st.node.GetAlterStatsStmt())
			},
			on[*pg_query.Node_DropStmt](pg_query.ObjectType_OBJECT_STATISTIC_EXT): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(obj *pg_query.Node, missingOK, _ bool) error {
					s, err := f.statistics(st, f.statisticsName(obj.GetList().GetItems()))
					if err != nil {
						if missingOK {
							return nil
						}
						return err
					}
					delete(f.cat.Owners, s.Object())
					delete(f.cat.Statistics, s.Name)
					return nil
				})
			},
			on[*pg_query.Node_CommentStmt](pg_query.ObjectType_OBJECT_STATISTIC_EXT): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				s, err := f.statistics(st, f.statisticsName(cs.Object.GetList().GetItems()))
				if err != nil {
					return err
				}
				s.Comment = cs.Comment
				return nil
			},
			on[*pg_query.Node_AlterOwnerStmt](pg_query.ObjectType_OBJECT_STATISTIC_EXT): func(f *folder, st *stmt) error {
				return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) {
					s, err := f.statistics(st, f.statisticsName(as.Object.GetList().GetItems()))
					if err != nil {
						return schema.Object{}, err
					}
					return s.Object(), nil
				})
			},
		},
	})
}
