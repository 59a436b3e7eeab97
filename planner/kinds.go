package planner

import (
	"fmt"
	"maps"
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// kindPlanner is what the planner knows of one set of objects of the model
// (schema.KindInfo, by its Noun): its diff pass and where Diff runs it,
// and the hooks the passes that work on any object (privileges, views
// that call things) ask of it. Each set registers one from its own file
// with registerKind, so that a new kind of object is a new file here;
// TestEveryKindPlanned fails for a set without one.
type kindPlanner struct {
	// diff plans the set's creates, changes, drops and comments; stage
	// and order place it among Diff's passes. nil when Diff's own passes
	// (tables, views, routines) plan the set.
	diff  func(s *planState)
	stage stage
	order int
	// createdLate says the set's types are created in phCreateTypeLate,
	// so that a function whose signature takes one is created after them.
	createdLate bool
	// kept reports whether object o of from still stands after the plan
	// (dropped objects take their privileges along); nil: it does.
	kept func(s *planState, o schema.Object) bool
	// callDropped reports whether the plan drops something of the set
	// named fn that a view calls, so that the view is re-created.
	callDropped func(s *planState, fn schema.QualifiedName) bool
	// baseline adjusts the privileges of from to what they are after the
	// set's drops and creates (a new routine grants EXECUTE to PUBLIC).
	baseline func(s *planState, out map[schema.Privilege]*schema.Grant)
	// opaqueUses returns the keys (schema.Opaque.Key) of the opaque
	// objects that the set's objects of c name: a function's language, an
	// index's or operator class's access method, a dictionary's template.
	// Those are created before them and dropped after them (see
	// placeUsedOpaque); nil when the set names none.
	opaqueUses func(c *schema.Catalog) []string
	// changes holds a zero value of each change type the set's file
	// declares, for KindChanges.
	changes []Change
}

// stage is when Diff runs a set's pass.
type stage int

const (
	// stageTypes: objects outside tables that tables may use, before
	// the table passes.
	stageTypes stage = iota + 1
	// stageRoutines: after the table passes and comments, whose
	// recreated and renamed marks it reads, before views and functions.
	stageRoutines
	// stageViews: after views, functions and triggers, whose re-created
	// views (recreatedView) it reads.
	stageViews
)

var kindPlanners = map[string]*kindPlanner{}

// registerKind adds the planner of the set named noun; it is called from
// init functions.
func registerKind(noun string, kp kindPlanner) {
	if kindPlanners[noun] != nil {
		panic(fmt.Sprintf("planner: %s registered twice", noun))
	}
	if kp.diff != nil && kp.stage == 0 {
		panic(fmt.Sprintf("planner: %s has a diff pass without a stage", noun))
	}
	kindPlanners[noun] = &kp
}

// KindChanges returns a zero value of every change type that the kinds'
// own files declare, in kind order: what a renderer's test renders so
// that a kind's new change type needs no line in another package.
func KindChanges() []Change {
	var out []Change
	for _, noun := range slices.Sorted(maps.Keys(kindPlanners)) {
		out = append(out, kindPlanners[noun].changes...)
	}
	return out
}

// diffStage runs the registered passes of stage st in order.
func (s *planState) diffStage(st stage) {
	var passes []*kindPlanner
	for _, kp := range kindPlanners {
		if kp.diff != nil && kp.stage == st {
			passes = append(passes, kp)
		}
	}
	slices.SortFunc(passes, func(a, b *kindPlanner) int { return a.order - b.order })
	for _, kp := range passes {
		kp.diff(s)
	}
}

// plannersOf returns the planners of the sets of kind k.
func plannersOf(k schema.Kind) []*kindPlanner {
	var out []*kindPlanner
	for _, noun := range schema.SetsOf(k) {
		if kp := kindPlanners[noun]; kp != nil {
			out = append(out, kp)
		}
	}
	return out
}

// privilegeObjectKept reports whether an object of from still exists in
// to, so that revoking its privileges is needed (a dropped object takes
// them along, and REVOKE on it would fail): what the sets of its kind say,
// and true for kinds whose objects are never dropped from under a grant.
func (s *planState) privilegeObjectKept(o schema.Object) bool {
	asked := false
	for _, kp := range plannersOf(o.Kind) {
		if kp.kept != nil {
			asked = true
			if kp.kept(s, o) {
				return true
			}
		}
	}
	return !asked
}

// callDropped reports whether a function-like object named fn that a view
// calls is dropped by the plan (an aggregate re-created).
func (s *planState) callDropped(fn schema.QualifiedName) bool {
	for _, kp := range kindPlanners {
		if kp.callDropped != nil && kp.callDropped(s, fn) {
			return true
		}
	}
	return false
}

// createdLate reports whether c has a type named q that is created in
// phCreateTypeLate.
func createdLate(c *schema.Catalog, q schema.QualifiedName) bool {
	for _, kind := range []schema.Kind{schema.KindType, schema.KindDomain} {
		if set, ok := c.SetOf(schema.Object{Kind: kind, Name: q}); ok {
			if kp := kindPlanners[set.Noun]; kp != nil && kp.createdLate {
				return true
			}
		}
	}
	return false
}
