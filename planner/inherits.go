package planner

import (
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// createChildren creates the new tables that inherit from others
// (CREATE TABLE ... INHERITS), after the plain tables and each after its
// parents: a table inheriting from one that itself inherits comes later.
func (s *planState) createChildren(children []*schema.Table) {
	depth := map[schema.QualifiedName]int{}
	var depthOf func(t *schema.Table) int
	depthOf = func(t *schema.Table) int {
		if d, ok := depth[t.Name]; ok {
			return d
		}
		depth[t.Name] = 0 // a cycle, which PostgreSQL refuses, stops here
		d := 0
		for _, p := range inheritsNames(t.Options.Inherits) {
			if pt := s.to.Tables[p]; pt != nil {
				d = max(d, depthOf(pt)+1)
			}
		}
		depth[t.Name] = d
		return d
	}
	slices.SortStableFunc(children, func(a, b *schema.Table) int { return depthOf(a) - depthOf(b) })
	for _, t := range children {
		s.createTable(t)
	}
}

// droppedChildren are the tables of from that inherit from n and that the
// plan drops (to has them not): dropped before n.
func (s *planState) droppedChildren(n schema.QualifiedName) []schema.QualifiedName {
	var out []schema.QualifiedName
	for _, c := range s.fromTables() {
		ft := s.from.Tables[c]
		if ft == nil || ft.Options.Inherits == "" || s.to.Tables[c] != nil {
			continue
		}
		if slices.Contains(inheritsNames(ft.Options.Inherits), n) {
			out = append(out, c)
		}
	}
	return out
}

// inheritsNames splits schema.TableOptions.Inherits into names.
func inheritsNames(s string) []schema.QualifiedName {
	if s == "" {
		return nil
	}
	var out []schema.QualifiedName
	for _, p := range strings.Split(s, ", ") {
		out = append(out, splitQualified(p))
	}
	return out
}

// splitQualified reads back a QualifiedName.String().
func splitQualified(s string) schema.QualifiedName {
	sch, name := cutQuoted(s)
	return schema.QualifiedName{Schema: unquoteIdent(sch), Name: unquoteIdent(name)}
}

// cutQuoted cuts s at its first dot outside double quotes.
func cutQuoted(s string) (string, string) {
	quoted := false
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '.' && !quoted:
			return s[:i], s[i+1:]
		}
	}
	return "", s
}

func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}
