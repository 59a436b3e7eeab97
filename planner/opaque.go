package planner

import (
	"slices"
	"sort"

	"github.com/ddlmig/ddlmig/schema"
)

// Hazard codes of opaque objects (schema.Opaque): ddlmig knows neither
// what they do nor what depends on them, so every drop is for review.
const (
	// HazardDropOpaque: DROP of an opaque object schema.sql no longer has.
	HazardDropOpaque = "drop-opaque"
	// HazardRecreateOpaque: an opaque object whose statement changed is
	// dropped and created again.
	HazardRecreateOpaque = "recreate-opaque"
)

func init() {
	for _, h := range []HazardInfo{
		{HazardDropOpaque, Locks, false, "DROP of an object ddlmig carries as its statement (a conversion, access method, language, transform, text search parser or template) that schema.sql no longer has: ddlmig does not know what uses it, and the DROP fails if something depends on it (CASCADE is not used).", "Drop what uses it first, or keep the object in schema.sql."},
		{HazardRecreateOpaque, Locks, false, "An object ddlmig carries as its statement whose statement changed: it is dropped and created again from the new statement, and the DROP fails if something depends on it (CASCADE is not used).", "Write the ALTER that changes it in a migration of your own (generate --empty), then change schema.sql to match."},
	} {
		Codes = append(Codes, h)
		codeIndex[h.Code] = h
	}
}

// CreateOpaque runs an opaque object's CREATE statement, after every
// object it may name, then sets its comment and owner.
type CreateOpaque struct {
	Base
	Opaque *schema.Opaque
}

// DropOpaque drops an opaque object by its identity, before anything it
// may name is dropped.
type DropOpaque struct {
	Base
	Opaque *schema.Opaque
}

func (c *DropOpaque) dropped() schema.Object { return c.Opaque.Object() }

// SetOpaqueComment is COMMENT ON of a kept opaque object.
type SetOpaqueComment struct {
	Base
	Key     string
	Comment string
}

// SetOpaqueOwner is ALTER ... OWNER TO of a kept opaque object; Owner ""
// gives it back to the user that applies the migration.
type SetOpaqueOwner struct {
	Base
	Key   string
	Owner string
}

// diffOpaque plans opaque objects: one that only from has is dropped, one
// whose statement changed is dropped and created again, both flagged;
// drops come first, in reverse file order, and creates last, in file
// order, since an opaque object may name any other object.
func (s *planState) diffOpaque() {
	gone := opaqueBySeq(s.from.Opaque)
	sort.SliceStable(gone, func(i, j int) bool { return gone[i].Seq > gone[j].Seq })
	fresh := map[string]bool{}
	for _, fo := range gone {
		to := s.to.Opaque[fo.Key]
		switch {
		case to == nil:
			s.add(phDropOpaque, &DropOpaque{Base: hazard(HazardDropOpaque, fo.Pos, "drops "+fo.Key+", which ddlmig carries as its statement: check that nothing uses it"), Opaque: fo})
		case to.Norm != fo.Norm:
			s.add(phDropOpaque, &DropOpaque{Base: hazard(HazardRecreateOpaque, to.Pos, "drops "+fo.Key+" and creates it again from its changed statement: check that nothing uses it, or write the ALTER by hand"), Opaque: fo})
			fresh[fo.Key] = true
		}
	}
	for _, to := range opaqueBySeq(s.to.Opaque) {
		fo := s.from.Opaque[to.Key]
		if fo == nil || fresh[to.Key] {
			s.add(phCreateOpaque, &CreateOpaque{Opaque: to})
			continue
		}
		if fo.Comment != to.Comment {
			s.add(phCreateOpaque, &SetOpaqueComment{Key: to.Key, Comment: to.Comment})
		}
		if fo.Owner != to.Owner {
			s.add(phCreateOpaque, &SetOpaqueOwner{Key: to.Key, Owner: to.Owner})
		}
	}
}

// placeUsedOpaque moves the opaque objects that other objects name (see
// kindPlanner.opaqueUses) out of the last phase, which suits an opaque
// object that names anything, into the first: a new one is created before
// anything is created, after the functions its statement names (moved
// with it); one schema.sql no longer has is dropped after everything
// else, before those functions. A function that cannot move that early
// (it takes a type or reads a relation of the user's) leaves the object
// where it was; an object re-created (its statement changed) stays too,
// its DROP first and CREATE last.
func (s *planState) placeUsedOpaque() {
	created, dropped := usedOpaque(s.to), usedOpaque(s.from)
	var keep []Change
	for _, c := range s.phases[phCreateOpaque] {
		co, ok := c.(*CreateOpaque)
		if !ok || !created[co.Opaque.Key] || s.from.Opaque[co.Opaque.Key] != nil || !s.moveFuncs(co.Opaque, true) {
			keep = append(keep, c)
			continue
		}
		s.add(phCreateOpaqueEarly, c)
	}
	s.phases[phCreateOpaque] = keep
	keep = nil
	for _, c := range s.phases[phDropOpaque] {
		do, ok := c.(*DropOpaque)
		if !ok || !dropped[do.Opaque.Key] || s.to.Opaque[do.Opaque.Key] != nil {
			keep = append(keep, c)
			continue
		}
		s.add(phDropOpaqueLate, c)
		s.moveFuncs(do.Opaque, false)
	}
	s.phases[phDropOpaque] = keep
}

// moveFuncs moves the creates (or drops) of the functions o's statement
// names to the end of phCreateOpaqueEarly (phDropOpaqueLate), in plan
// order, and reports whether it could: a create only moves when the
// function needs no type or relation of the user's, and then nothing moves.
func (s *planState) moveFuncs(o *schema.Opaque, create bool) bool {
	type at struct{ ph, i int }
	var found []at
	for ph := range s.phases {
		for i, c := range s.phases[ph] {
			fn := changedFunction(c, create)
			if fn == nil || !namesFunction(o, fn.Name) {
				continue
			}
			if create && (len(fn.Types) > 0 || len(fn.Refs) > 0) {
				return false
			}
			found = append(found, at{ph, i})
		}
	}
	dst := phCreateOpaqueEarly
	if !create {
		dst = phDropOpaqueLate
	}
	moved := make([]Change, len(found))
	for k, f := range slices.Backward(found) {
		moved[k] = s.phases[f.ph][f.i]
		s.phases[f.ph] = slices.Delete(s.phases[f.ph], f.i, f.i+1)
	}
	s.phases[dst] = append(s.phases[dst], moved...)
	return true
}

// changedFunction is the function c creates (create) or drops, or nil.
func changedFunction(c Change, create bool) *schema.Function {
	switch x := c.(type) {
	case *CreateFunction:
		if create {
			return x.Function
		}
	case *DropFunction:
		if !create {
			return x.Function
		}
	}
	return nil
}

// namesFunction reports whether o's statement names function q: as
// written, or without a schema (any schema's function of that name).
func namesFunction(o *schema.Opaque, q schema.QualifiedName) bool {
	return slices.ContainsFunc(o.Funcs, func(n schema.QualifiedName) bool {
		return n == q || n.Schema == "" && n.Name == q.Name
	})
}

// usedOpaque is the set of opaque objects' keys that the objects of c
// name (kindPlanner.opaqueUses).
func usedOpaque(c *schema.Catalog) map[string]bool {
	used := map[string]bool{}
	for _, kp := range kindPlanners {
		if kp.opaqueUses != nil {
			for _, k := range kp.opaqueUses(c) {
				used[k] = true
			}
		}
	}
	return used
}

// opaqueBySeq lists m's objects in file order.
func opaqueBySeq(m map[string]*schema.Opaque) []*schema.Opaque {
	out := make([]*schema.Opaque, 0, len(m))
	for _, k := range schema.SortedKeys(m) {
		out = append(out, m[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

func init() {
	registerKind("opaque object", kindPlanner{diff: (*planState).diffOpaque, stage: stageRoutines, order: 90,
		changes: []Change{&CreateOpaque{}, &DropOpaque{}, &SetOpaqueComment{}, &SetOpaqueOwner{}}})
}
