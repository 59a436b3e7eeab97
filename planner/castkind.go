package planner

import (
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardDropCast: DROP CAST of a cast schema.sql no longer has.
const HazardDropCast = "drop-cast"

func init() {
	h := HazardInfo{HazardDropCast, Locks, false, "DROP CAST of a cast schema.sql no longer has: queries, defaults and views written with it fail or resolve to another conversion from then on (a view or default that calls its function keeps working).", "Drop the cast in a release after the code stops using it."}
	Codes = append(Codes, h)
	codeIndex[h.Code] = h
}

// CreateCast creates a cast with the user's own statement, after the
// types and the function it names and before the tables, views and
// routines that may use it.
type CreateCast struct {
	Base
	Cast *schema.Cast
}

// DropCast drops a cast, after the views that may use it and before its
// function and types.
type DropCast struct {
	Base
	Cast *schema.Cast
}

func (c *DropCast) dropped() schema.Object { return c.Cast.Object() }

// diffCasts plans casts. PostgreSQL alters nothing of a cast: one whose
// function or context changes, or whose function is dropped and created
// again, is dropped and created again.
func (s *planState) diffCasts() {
	fresh := map[string]bool{}
	for _, k := range schema.SortedKeys(s.from.Casts) {
		fc, tc := s.from.Casts[k], s.to.Casts[k]
		switch {
		case tc == nil:
			s.add(phDropAggregate, &DropCast{Base: hazard(HazardDropCast, fc.Pos, "drops cast "+k+"; what is written with it fails or converts otherwise"), Cast: fc})
		case fc.Stmt != tc.Stmt || s.castFuncRecreated(fc.Func) || castTakes(fc, func(q schema.QualifiedName) bool { return s.recreatedTable[q] }):
			s.add(phDropAggregate, &DropCast{Cast: fc})
			fresh[k] = true
		}
	}
	for _, k := range schema.SortedKeys(s.to.Casts) {
		tc, fc := s.to.Casts[k], s.from.Casts[k]
		from := ""
		if fc == nil || fresh[k] {
			ph := phCreateAggregate
			if castTakes(tc, func(q schema.QualifiedName) bool { return s.to.Tables[q] != nil || s.to.Views[q] != nil }) {
				ph = phCreateAggregateLate // after the relation and the functions taking its row type
			}
			s.add(ph, &CreateCast{Cast: tc})
		} else {
			from = fc.Comment
		}
		if from != tc.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindCast, Name: tc.Object().Name, Comment: tc.Comment})
		}
	}
}

// castTakes reports whether a cast converts from or to the row type (or
// its array) of a relation for which rel holds: created after the
// relation, and dropped and created again with a table re-created whole,
// whose DROP TABLE PostgreSQL refuses while the cast depends on it. The
// types are read from the cast's key, "(src AS dst)", spelled qualified.
func castTakes(c *schema.Cast, rel func(schema.QualifiedName) bool) bool {
	src, dst, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(c.Key, "("), ")"), " AS ")
	if !ok {
		return false
	}
	for _, side := range []string{src, dst} {
		side = strings.TrimSuffix(side, "[]")
		sch, name, ok := strings.Cut(side, ".")
		if ok && rel(schema.QualifiedName{Schema: unquote(sch), Name: unquote(name)}) {
			return true
		}
	}
	return false
}

// unquote undoes the quoting of an identifier as the deparser spells it.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

// castFuncRecreated reports whether the plan drops the function keyed fn
// (a cast's): to create it again or not.
func (s *planState) castFuncRecreated(fn string) bool {
	if fn == "" {
		return false
	}
	ff, tf := s.from.Functions[fn], s.to.Functions[fn]
	return ff != nil && (tf == nil || s.recreatedFunction(ff, tf))
}

func init() {
	registerKind("cast", kindPlanner{diff: (*planState).diffCasts, stage: stageRoutines, order: 45,
		changes: []Change{&CreateCast{}, &DropCast{}}})
}
