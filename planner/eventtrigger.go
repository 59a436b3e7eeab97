package planner

import "github.com/ddlmig/ddlmig/schema"

// CreateEventTrigger creates an event trigger with the user's own
// statement, after the function it runs.
type CreateEventTrigger struct {
	Base
	EventTrigger *schema.EventTrigger
}

// DropEventTrigger drops an event trigger, before its function.
type DropEventTrigger struct {
	Base
	EventTrigger *schema.EventTrigger
}

func (c *DropEventTrigger) dropped() schema.Object { return c.EventTrigger.Object() }

// SetEventTriggerEnabled is ALTER EVENT TRIGGER ... ENABLE/DISABLE:
// Enabled as schema.EventTriggerDef holds it.
type SetEventTriggerEnabled struct {
	Base
	Name    string
	Enabled string
}

// diffEventTriggers plans event triggers. PostgreSQL alters only their
// state (ENABLE, DISABLE), owner and name; one whose event, tags or
// function changes, or whose function is dropped and created again, is
// dropped with the triggers and created again with them, after the
// functions.
func (s *planState) diffEventTriggers() {
	fresh := map[string]bool{}
	for _, n := range schema.SortedKeys(s.from.EventTriggers) {
		fe, te := s.from.EventTriggers[n], s.to.EventTriggers[n]
		switch {
		case te == nil:
			s.add(phDropTrigger, &DropEventTrigger{Base: hazard(HazardDropTrigger, fe.Pos, "drops event trigger "+schema.QuoteIdent(n)+"; what it did on each DDL command stops"), EventTrigger: fe})
		case fe.Def != te.Def || s.eventFuncRecreated(fe.Func):
			s.add(phDropTrigger, &DropEventTrigger{EventTrigger: fe})
			fresh[n] = true
		}
	}
	for _, n := range schema.SortedKeys(s.to.EventTriggers) {
		te, fe := s.to.EventTriggers[n], s.from.EventTriggers[n]
		from := schema.EventTriggerDef{}
		if fe == nil || fresh[n] {
			s.add(phCreateTrigger, &CreateEventTrigger{EventTrigger: te})
		} else {
			from = fe.EventTriggerDef
		}
		if from.Enabled != te.Enabled {
			s.add(phCreateTrigger, &SetEventTriggerEnabled{Name: n, Enabled: te.Enabled})
		}
		if from.Comment != te.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindEventTrigger, Name: te.Object().Name, Comment: te.Comment})
		}
	}
}

// eventFuncRecreated reports whether the plan drops the function fn (an
// event trigger's, without arguments): to create it again or not.
func (s *planState) eventFuncRecreated(fn schema.QualifiedName) bool {
	k := (&schema.Function{Name: fn}).Signature()
	ff, tf := s.from.Functions[k], s.to.Functions[k]
	return ff != nil && (tf == nil || s.recreatedFunction(ff, tf))
}

func init() {
	registerKind("event trigger", kindPlanner{diff: (*planState).diffEventTriggers, stage: stageRoutines, order: 50,
		changes: []Change{&CreateEventTrigger{}, &DropEventTrigger{}, &SetEventTriggerEnabled{}}})
}
