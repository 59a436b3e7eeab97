package planner

import "github.com/ddlmig/ddlmig/schema"

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
		case fc.Stmt != tc.Stmt || s.castFuncRecreated(fc.Func):
			s.add(phDropAggregate, &DropCast{Cast: fc})
			fresh[k] = true
		}
	}
	for _, k := range schema.SortedKeys(s.to.Casts) {
		tc, fc := s.to.Casts[k], s.from.Casts[k]
		from := ""
		if fc == nil || fresh[k] {
			s.add(phCreateAggregate, &CreateCast{Cast: tc})
		} else {
			from = fc.Comment
		}
		if from != tc.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindCast, Name: tc.Object().Name, Comment: tc.Comment})
		}
	}
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
