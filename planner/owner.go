package planner

import (
	"maps"

	"github.com/ddlmig/ddlmig/schema"
)

// SetOwner gives an object a new owner: ALTER <Object.Kind> ... OWNER TO.
// Object.Kind is the keyword ALTER takes (TABLE, VIEW, MATERIALIZED VIEW,
// SEQUENCE, SCHEMA, FUNCTION, PROCEDURE, TYPE, DOMAIN or COLLATION). Owner
// "" stands for CURRENT_USER: the owner of an object that schema.sql gives
// none, as whoever applies the migrations creates it.
type SetOwner struct {
	Base
	Object schema.PrivilegeObject
	Owner  string
}

// diffOwners sets the owners that to names and from does not, and hands
// back to the applying user the objects whose OWNER TO schema.sql no longer
// says. An object the plan creates, or drops and creates again, belongs
// to the applying user and only needs the owner to names. Owners of
// relations, sequences, schemas and types are set before sequences are
// linked to their columns (PostgreSQL wants a sequence and its table to
// have one owner); those of views and functions, some of which are
// created later, after everything else, before the privileges.
func (s *planState) diffOwners() {
	if len(s.from.Owners) == 0 && len(s.to.Owners) == 0 {
		return // the usual case: nothing scanned
	}
	fresh := s.recreatedObjects()
	isFresh := func(o schema.PrivilegeObject) bool { return fresh[o] || !s.from.HasObject(o) }
	union := maps.Clone(s.to.Owners)
	for o, r := range s.from.Owners {
		if _, ok := union[o]; !ok {
			union[o] = r
		}
	}
	for _, o := range schema.SortedObjects(union) {
		fo, to := s.from.Owners[o], s.to.Owners[o]
		if !s.to.HasObject(o) || to == fo && !isFresh(o) || to == "" && isFresh(o) {
			continue
		}
		obj, ph := o, phOwner
		if o.Kind == schema.KindTable {
			if v := s.to.Views[o.Name]; v != nil {
				obj.Kind, ph = v.Kind(), phOwnerLate
			}
		}
		if o.Kind == schema.KindFunction || o.Kind == schema.KindProcedure || o.Kind == schema.KindEventTrigger || o.Kind == schema.KindPublication {
			ph = phOwnerLate
		}
		if to == "" && o.Kind == schema.KindSchema && o.Name.Name == schema.DefaultSchema {
			to = schema.DefaultSchemaOwner // the public schema was never the applying role's
		}
		s.add(ph, &SetOwner{Object: obj, Owner: to})
	}
	// A sequence created to be linked to a column of a table that has an
	// owner must have that owner before OWNED BY.
	for _, n := range schema.SortedNames(s.to.Sequences) {
		seq := s.to.Sequences[n]
		o := schema.PrivilegeObject{Kind: schema.KindSequence, Name: n}
		if seq.OwnedBy.IsZero() || !isFresh(o) {
			continue
		}
		if owner := s.to.Owners[schema.PrivilegeObject{Kind: schema.KindTable, Name: seq.OwnedBy.Table}]; owner != "" {
			s.add(phOwner, &SetOwner{Object: o, Owner: owner})
		}
	}
}

// dropper is a change that drops an object (to create it again, when the
// new schema has it); dropped names the object as owners are recorded
// under it (a view as KindTable).
type dropper interface {
	Change
	dropped() schema.Object
}

// recreatedObjects returns the objects the plan drops (to create them
// again, when to has them), by the name owners are recorded under.
func (s *planState) recreatedObjects() map[schema.PrivilegeObject]bool {
	out := map[schema.PrivilegeObject]bool{}
	for _, ph := range s.phases {
		for _, c := range ph {
			if d, ok := c.(dropper); ok {
				out[d.dropped()] = true
			}
		}
	}
	return out
}
