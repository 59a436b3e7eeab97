package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/schema"
)

// renameTypeInDefs names type old anew (ALTER TYPE ... RENAME, SET SCHEMA)
// in the texts of indexes, EXCLUDE constraints, statistics and triggers,
// compared and written alike: a cast 'a'::mood in an index predicate or a
// trigger's WHEN must name the type by the name it has when the migration
// runs (PostgreSQL stores the type's OID and prints the new name). The
// rewrites drop a user's text that does not parse back, so that the
// compared one is written.
func (f *folder) renameTypeInDefs(old, nq schema.QualifiedName) {
	rename := func(m protoreflect.Message) { renameTypeRefs(m, old, nq) }
	names := func(texts ...string) bool {
		for _, s := range texts {
			if strings.Contains(s, old.Name) {
				return true
			}
		}
		return false
	}
	for _, ix := range f.allIndexes() {
		if names(ix.Def, ix.Src) {
			rewriteIndex(ix, func(n *pg_query.IndexStmt) { rename(n.ProtoReflect()) })
		}
	}
	for _, t := range f.cat.Tables {
		for _, c := range t.Constraints {
			if c.Kind == schema.Exclude && names(c.Def, c.Src) {
				rewriteConstraint(c, func(n *pg_query.Constraint) { rename(n.ProtoReflect()) })
			}
		}
	}
	for _, s := range f.cat.Statistics {
		if names(s.Def, s.Src) {
			rewriteStatistics(s, rename)
		}
	}
	for _, tr := range f.cat.Triggers {
		if names(tr.Def, tr.Src) {
			rewriteTrigger(tr, func(n *pg_query.CreateTrigStmt) { rename(n.WhenClause.ProtoReflect()) })
		}
	}
}

// allIndexes lists the indexes of tables and of materialized views.
func (f *folder) allIndexes() []*schema.Index {
	var out []*schema.Index
	for _, ix := range f.cat.Indexes {
		out = append(out, ix)
	}
	for _, v := range f.cat.Views {
		for _, ix := range v.Indexes {
			out = append(out, ix)
		}
	}
	return out
}

// rewriteStatistics applies fn to a statistics object's parsed text,
// compared and the user's, and stores the rendered results; a user's text
// that does not parse or render back is dropped, so that Def is written.
func rewriteStatistics(s *schema.Statistics, fn func(protoreflect.Message)) {
	if d, ok := rewriteStatisticsText(s.Def, fn); ok {
		s.Def = d
	}
	if s.Src == "" {
		return
	}
	src, ok := rewriteStatisticsText(s.Src, fn)
	if !ok || src == s.Def {
		src = ""
	}
	s.Src = src
}

// rewriteStatisticsText applies fn to a statistics object's text (Def or
// Src), parsed, and renders it again.
func rewriteStatisticsText(text string, fn func(protoreflect.Message)) (string, bool) {
	tree, err := pg_query.Parse(statisticsPrefix + text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	fn(tree.ProtoReflect())
	d, err := deparse(tree.Stmts[0].Stmt)
	if err != nil {
		return "", false
	}
	return strings.TrimPrefix(d, statisticsPrefix), true
}

// renameTypeRefs renames the type names that name old in the tree under m;
// an unqualified name is public's, where the file's search path (if it
// sets one) has qualified the others. The new name is written qualified
// unless it is public's, as normalizeExpr leaves it.
func renameTypeRefs(m protoreflect.Message, old, nq schema.QualifiedName) {
	walk(m, func(m protoreflect.Message) {
		tn, ok := m.Interface().(*pg_query.TypeName)
		if !ok {
			return
		}
		names := strs(tn.Names)
		switch {
		case len(names) == 1 && old.Schema == schema.DefaultSchema && names[0] == old.Name,
			len(names) == 2 && names[0] == old.Schema && names[1] == old.Name:
		default:
			return
		}
		tn.Names = []*pg_query.Node{pg_query.MakeStrNode(nq.Schema), pg_query.MakeStrNode(nq.Name)}
		if nq.Schema == schema.DefaultSchema && len(names) == 1 {
			tn.Names = tn.Names[1:]
		}
	})
}
