package planner

import (
	"github.com/ddlmig/ddlmig/schema"
)

// orderTypes puts each type created in phCreateTypeLate after the types it
// is built on, and each type dropped in phDropType before them, across
// kinds. Each kind's pass orders its own types (a domain over a domain, a
// composite with a composite attribute), and the passes run one kind after
// the other, but a domain may be over a composite type while a composite
// has a domain attribute: no order of the passes fits both.
func (s *planState) orderTypes() {
	s.phases[phCreateTypeLate] = typeOrder(s.phases[phCreateTypeLate], s.to, createdType, false)
	s.phases[phDropType] = typeOrder(s.phases[phDropType], s.from, droppedType, true)
}

// typeOrder reorders changes, stably, so that the change making a type
// (named by made; other changes stay where they are relative to each
// other) comes after the ones making the types it is built on in c, or,
// for drops, after the ones dropping the types built on it.
func typeOrder(changes []Change, c *schema.Catalog, made func(Change) (schema.QualifiedName, bool), drops bool) []Change {
	at := map[schema.QualifiedName]int{}
	for i, ch := range changes {
		if n, ok := made(ch); ok {
			at[n] = i
		}
	}
	if len(at) < 2 {
		return changes
	}
	// first[i] are the changes that must come before change i.
	first := make([][]int, len(changes))
	for i, ch := range changes {
		n, ok := made(ch)
		if !ok {
			continue
		}
		for _, need := range typeNeeds(c, n) {
			j, ok := at[need]
			switch {
			case !ok || j == i:
			case drops:
				first[j] = append(first[j], i)
			default:
				first[i] = append(first[i], j)
			}
		}
	}
	out := make([]Change, 0, len(changes))
	done := make([]bool, len(changes))
	var visit func(i int)
	visit = func(i int) {
		if done[i] {
			return
		}
		done[i] = true
		for _, j := range first[i] {
			visit(j)
		}
		out = append(out, changes[i])
	}
	for i := range changes {
		visit(i)
	}
	return out
}

// typeNeeds returns the user types type n of c is built on: a domain's
// base type, a composite's attribute types, a range's subtype.
func typeNeeds(c *schema.Catalog, n schema.QualifiedName) []schema.QualifiedName {
	name := func(t schema.TypeName) schema.QualifiedName {
		return schema.QualifiedName{Schema: t.Schema, Name: t.Name}
	}
	if d := c.Domains[n]; d != nil {
		return []schema.QualifiedName{name(d.Type)}
	}
	if ct := c.Composites[n]; ct != nil {
		var out []schema.QualifiedName
		for _, a := range ct.Attributes {
			out = append(out, name(a.Type))
		}
		return out
	}
	if r := c.Ranges[n]; r != nil {
		return r.Types
	}
	return nil
}

func createdType(ch Change) (schema.QualifiedName, bool) {
	switch c := ch.(type) {
	case *CreateDomain:
		return c.Domain.Name, true
	case *CreateComposite:
		return c.Type.Name, true
	case *CreateRange:
		return c.Range.Name, true
	}
	return schema.QualifiedName{}, false
}

func droppedType(ch Change) (schema.QualifiedName, bool) {
	switch c := ch.(type) {
	case *DropDomain:
		return c.Name, true
	case *DropComposite:
		return c.Name, true
	case *DropRange:
		return c.Range.Name, true
	}
	return schema.QualifiedName{}, false
}
