package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// CreateRange creates a range type (and with it its multirange type).
type CreateRange struct {
	Base
	Range *schema.RangeType
}

// DropRange drops a range type; the columns and functions that used it
// were dropped or changed by earlier steps.
type DropRange struct {
	Base
	Range *schema.RangeType
}

func (c *DropRange) dropped() schema.Object {
	return schema.Object{Kind: schema.KindType, Name: c.Range.Name}
}

// diffRanges plans range types. They are created with the domains and
// composite types (after the functions they name and the types they range
// over, before the tables and functions that use them) and dropped after
// those. PostgreSQL cannot alter a range's definition: an unused one is
// dropped early and created again; one that a column, function, domain or
// composite type uses cannot be, and the plan refuses with the way out.
func (s *planState) diffRanges() {
	for _, n := range schema.SortedNames(s.to.Ranges) {
		tr, fr := s.to.Ranges[n], s.from.Ranges[n]
		from := ""
		changed := fr != nil && (fr.Def != tr.Def || s.rangeOverRebuiltEnum(fr))
		switch {
		case fr == nil:
			s.add(phCreateTypeLate, &CreateRange{Range: tr})
		case changed && s.rangeUsed(n):
			s.irreversible("range type " + n.String() + " changes its definition (" + fr.Def + " -> " + tr.Def +
				") or ranges over an enum that is rebuilt, which PostgreSQL cannot do while something uses the type; create a new range type under another name and move its users to it")
			from = fr.Comment
		case changed:
			s.add(phDropRoutineEarly, &DropRange{Range: fr})
			s.add(phCreateTypeLate, &CreateRange{Range: tr})
		default:
			from = fr.Comment
		}
		if from != tr.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindType, Name: n, Comment: tr.Comment})
		}
	}
	for _, n := range schema.SortedNames(s.from.Ranges) {
		if s.to.Ranges[n] == nil {
			fr := s.from.Ranges[n]
			s.add(phDropType, &DropRange{Base: hazard(HazardDropType, fr.Pos, "drops range type "+n.String()), Range: fr})
		}
	}
}

// rangeOverRebuiltEnum reports whether r's subtype is an enum the plan
// rebuilds, which drops the old type.
func (s *planState) rangeOverRebuiltEnum(r *schema.RangeType) bool {
	return slices.ContainsFunc(r.Types, func(t schema.QualifiedName) bool { return slices.Contains(s.rebuiltEnums, t) })
}

// rangeUsed reports whether something of from uses range type n (or its
// multirange type): a column, an attribute of a composite type, a domain
// or a function's signature.
func (s *planState) rangeUsed(n schema.QualifiedName) bool {
	multi := s.from.Ranges[n].Multirange
	is := func(t schema.TypeName) bool {
		q := schema.QualifiedName{Schema: t.Schema, Name: t.Name}
		return q == n || q == multi
	}
	for _, tn := range s.fromTables() {
		if slices.ContainsFunc(s.from.Tables[tn].Columns, func(c *schema.Column) bool { return is(c.Type) }) {
			return true
		}
	}
	for _, c := range s.from.Composites {
		if slices.ContainsFunc(c.Attributes, func(a schema.Attribute) bool { return is(a.Type) }) {
			return true
		}
	}
	for _, d := range s.from.Domains {
		if is(d.Type) {
			return true
		}
	}
	for _, fn := range s.from.Functions {
		if slices.Contains(fn.Types, n) || slices.Contains(fn.Types, multi) {
			return true
		}
	}
	return false
}

func init() {
	registerKind("range type", kindPlanner{diff: (*planState).diffRanges, stage: stageTypes, order: 25, createdLate: true,
		changes: []Change{&CreateRange{}, &DropRange{}}})
}
