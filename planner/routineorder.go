package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// Functions and views are ordered by what they need: PostgreSQL checks,
// when it creates a LANGUAGE sql function, that the functions its body
// calls exist, and keeps a SQL-standard body (RETURN, BEGIN ATOMIC), a
// view or a signature that takes a row type from being outlived by what
// it uses. The helpers here give the orders; diffFunctions and diffViews
// place the changes in them.

// funcsByName indexes the functions of c by name (every overload): calls
// name a function, not a signature.
func funcsByName(c *schema.Catalog) map[schema.QualifiedName][]string {
	m := map[schema.QualifiedName][]string{}
	for _, k := range schema.SortedKeys(c.Functions) {
		n := c.Functions[k].Name
		m[n] = append(m[n], k)
	}
	return m
}

// funcOrder returns the keys of c.Functions so that each comes after the
// functions it calls (a call cycle is cut where it is found); ties in key
// order.
func funcOrder(c *schema.Catalog, byName map[schema.QualifiedName][]string) []string {
	out := make([]string, 0, len(c.Functions))
	seen := map[string]bool{}
	var visit func(k string)
	visit = func(k string) {
		if seen[k] {
			return
		}
		seen[k] = true
		for _, callee := range c.Functions[k].Calls {
			for _, ck := range byName[callee] {
				visit(ck)
			}
		}
		out = append(out, k)
	}
	for _, k := range schema.SortedKeys(c.Functions) {
		visit(k)
	}
	return out
}

// callersFirst returns the keys of c.Functions so that each comes after
// the functions that call it, the order to drop them in; ties in key
// order.
func callersFirst(c *schema.Catalog, byName map[schema.QualifiedName][]string) []string {
	callers := map[string][]string{}
	for _, k := range schema.SortedKeys(c.Functions) {
		for _, callee := range c.Functions[k].Calls {
			for _, ck := range byName[callee] {
				callers[ck] = append(callers[ck], k)
			}
		}
	}
	out := make([]string, 0, len(c.Functions))
	seen := map[string]bool{}
	var visit func(k string)
	visit = func(k string) {
		if seen[k] {
			return
		}
		seen[k] = true
		for _, ck := range callers[k] {
			visit(ck)
		}
		out = append(out, k)
	}
	for _, k := range schema.SortedKeys(c.Functions) {
		visit(k)
	}
	return out
}

// createPhases returns the phase each function of to is created in: its
// own (with the views when it names a relation, after the domains when it
// takes one, early otherwise), or the latest of the functions it calls,
// which must exist first. order is funcOrder(to).
func (s *planState) createPhases(order []string, byName map[schema.QualifiedName][]string) map[string]phase {
	ph := make(map[string]phase, len(order))
	for _, k := range order {
		f := s.to.Functions[k]
		p := phCreateFunctionEarly
		switch {
		case s.lateFunction(f):
			p = phCreateView
		case s.takesDomain(f) || s.namesSequence(f):
			p = phCreateFunction
		}
		for _, callee := range f.Calls {
			for _, ck := range byName[callee] {
				p = max(p, ph[ck]) // callees come first in order
			}
		}
		ph[k] = p
	}
	return ph
}

// dropPhases returns the phase each function of from that to lacks is
// dropped in: its own, or the earliest of the dropped functions it calls,
// which it must not outlive. A function that takes the row type of a view
// or reads one is dropped among the views (phDropView). order is
// funcOrder(from). Functions dropped to be created again (recreated) are
// dropped in phDropFunctionReplaced, and their callers no later.
func (s *planState) dropPhases(order []string, byName map[schema.QualifiedName][]string, recreated map[string]bool) map[string]phase {
	ph := map[string]phase{}
	for _, k := range order {
		if s.to.Functions[k] != nil && !recreated[k] {
			continue
		}
		f := s.from.Functions[k]
		var p phase
		switch {
		case recreated[k] && s.needsRecreatedTable(f):
			p = phDropRoutineEarly // before the table (phDropPolicy)
		case recreated[k]:
			p = phDropFunctionReplaced
		case s.takesRebuiltEnum(f) || s.replacedOverload[k]:
			// Before the rebuild, which drops the old type; before its
			// callers are created again, which would call it again.
			p = phDropFunctionReplaced
		case s.readsView(f):
			p = phDropView
		case slices.ContainsFunc(f.Refs, func(r schema.QualifiedName) bool { return s.from.Tables[r] != nil }):
			// Before the tables it names (not the sequences only named:
			// they are dropped after the functions anyway).
			p = phDropRoutineEarly
		case s.usesDomain(f):
			p = phDropFunction
		default:
			// After the domains, whose checks may call it.
			p = phDropFunctionLate
		}
		for _, callee := range f.Calls {
			for _, ck := range byName[callee] {
				if cp, ok := ph[ck]; ok {
					p = min(p, cp)
				}
			}
		}
		ph[k] = p
	}
	return ph
}

// namesSequence reports whether a LANGUAGE sql body names a sequence
// (nextval('s')): PostgreSQL resolves it when it checks the body, so the
// function is created after the sequences (and still before the tables,
// whose defaults may call it).
func (s *planState) namesSequence(fn *schema.Function) bool {
	return slices.ContainsFunc(fn.Refs, func(r schema.QualifiedName) bool { return s.to.Sequences[r] != nil })
}

// readsView reports whether a function of from names a view of from.
func (s *planState) readsView(f *schema.Function) bool {
	return slices.ContainsFunc(f.Refs, func(r schema.QualifiedName) bool { return s.from.Views[r] != nil })
}

// routineItem is a view or a function (by key) in a routineOrder.
type routineItem struct {
	View schema.QualifiedName
	Func string
}

// routineOrder returns every view of c, and the functions of c keyed in
// funcs, each after the views it reads (or whose row type it takes) and
// the functions of funcs and views it calls; ties in name order, views
// first. Created in this order, each finds what it needs; dropped in
// reverse, none outlives what it needs.
func routineOrder(c *schema.Catalog, funcs []string) []routineItem {
	inSet := map[schema.QualifiedName][]string{}
	for _, k := range funcs {
		n := c.Functions[k].Name
		inSet[n] = append(inSet[n], k)
	}
	out := make([]routineItem, 0, len(c.Views)+len(funcs))
	seenView := map[schema.QualifiedName]bool{}
	seenFunc := map[string]bool{}
	var visitView func(n schema.QualifiedName)
	var visitFunc func(k string)
	needs := func(refs, calls []schema.QualifiedName) {
		for _, r := range refs {
			if c.Views[r] != nil {
				visitView(r)
			}
		}
		for _, fn := range calls {
			for _, k := range inSet[fn] {
				visitFunc(k)
			}
		}
	}
	visitView = func(n schema.QualifiedName) {
		if seenView[n] {
			return
		}
		seenView[n] = true
		v := c.Views[n]
		needs(v.Refs, v.Funcs)
		out = append(out, routineItem{View: n})
	}
	visitFunc = func(k string) {
		if seenFunc[k] {
			return
		}
		seenFunc[k] = true
		f := c.Functions[k]
		needs(f.Refs, f.Calls)
		out = append(out, routineItem{Func: k})
	}
	for _, n := range schema.SortedNames(c.Views) {
		visitView(n)
	}
	for _, k := range funcs {
		visitFunc(k)
	}
	return out
}
