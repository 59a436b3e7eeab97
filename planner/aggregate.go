package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardDropAggregate: DROP AGGREGATE of an aggregate schema.sql no longer
// has; queries that call it fail from then on.
const HazardDropAggregate = "drop-aggregate"

func init() {
	Codes = append(Codes, HazardInfo{HazardDropAggregate, Locks, false, "DROP AGGREGATE of an aggregate schema.sql no longer has: queries that call it fail from then on.", "Drop the aggregate in a release after the code stops calling it."})
	codeIndex[HazardDropAggregate] = Codes[len(Codes)-1]
}

// CreateAggregate creates an aggregate with the user's own statement.
type CreateAggregate struct {
	Base
	Aggregate *schema.Aggregate
}

// DropAggregate drops an aggregate, before the functions it names and
// after the views that call it.
type DropAggregate struct {
	Base
	Aggregate *schema.Aggregate
}

func (c *DropAggregate) dropped() schema.Object { return c.Aggregate.Object() }

// diffAggregates plans aggregates. PostgreSQL cannot alter an aggregate's
// definition, so one that changes is dropped and created again; so is one
// whose state or final function is dropped and created again, or whose
// enum type is rebuilt. Aggregates
// are created after the functions they name and before the views that
// call them, and dropped after those views and before those functions;
// markRecreatedViews re-creates the views of an aggregate that goes or is
// re-created (see aggregateRebuilt).
func (s *planState) diffAggregates() {
	s.rebuiltAggregate = map[schema.QualifiedName]bool{}
	dropped := map[string]bool{}
	for _, k := range schema.SortedKeys(s.from.Aggregates) {
		fa, ta := s.from.Aggregates[k], s.to.Aggregates[k]
		switch {
		case ta == nil:
			s.add(phDropAggregate, &DropAggregate{Base: hazard(HazardDropAggregate, fa.Pos, "drops aggregate "+fa.Signature()+"; queries that call it fail from then on"), Aggregate: fa})
		case fa.Def != ta.Def || s.aggregateFuncRecreated(fa) || s.aggregateTakesRebuiltEnum(fa) || s.aggregateTakesRecreatedTable(fa):
			s.add(phDropAggregate, &DropAggregate{Aggregate: fa})
		default:
			continue
		}
		s.rebuiltAggregate[fa.Name] = true
		dropped[k] = true
	}
	for _, k := range schema.SortedKeys(s.to.Aggregates) {
		ta, fa := s.to.Aggregates[k], s.from.Aggregates[k]
		from := ""
		if fa == nil || dropped[k] {
			ph := phCreateAggregate
			if s.aggregateTakesTable(ta) {
				ph = phCreateAggregateLate
			}
			s.add(ph, &CreateAggregate{Aggregate: ta})
		} else {
			from = fa.Comment
		}
		if from != ta.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindAggregate, Name: ta.Object().Name, Comment: ta.Comment})
		}
	}
}

// aggregateFuncRecreated reports whether a function an aggregate of from
// names is dropped and created again: the aggregate must go first.
func (s *planState) aggregateFuncRecreated(a *schema.Aggregate) bool {
	for k, ff := range s.from.Functions {
		if slices.Contains(a.Funcs, ff.Name) && s.recreatedFunction(ff, s.to.Functions[k]) {
			return true
		}
	}
	return false
}

// aggregateTakesRebuiltEnum reports whether an aggregate's arguments or
// state are of an enum being rebuilt, which drops the old type.
func (s *planState) aggregateTakesRebuiltEnum(a *schema.Aggregate) bool {
	for _, t := range a.Types {
		if slices.Contains(s.rebuiltEnums, t) {
			return true
		}
	}
	return false
}

// aggregateTakesTable reports whether an aggregate of to takes the row
// type of one of its tables (as an argument or its state): it is created
// after the tables and the functions that take that row type
// (phCreateAggregateLate).
func (s *planState) aggregateTakesTable(a *schema.Aggregate) bool {
	return slices.ContainsFunc(a.Types, func(t schema.QualifiedName) bool { return s.to.Tables[t] != nil })
}

// aggregateTakesRecreatedTable reports whether an aggregate of from takes
// the row type of a table dropped and created again whole, whose DROP
// TABLE PostgreSQL refuses while the aggregate depends on it.
func (s *planState) aggregateTakesRecreatedTable(a *schema.Aggregate) bool {
	return slices.ContainsFunc(a.Types, func(t schema.QualifiedName) bool { return s.recreatedTable[t] })
}

// aggregateRebuilt reports whether an aggregate named q is dropped (to be
// created again or not): the views that call it go first.
func (s *planState) aggregateRebuilt(q schema.QualifiedName) bool { return s.rebuiltAggregate[q] }

// aggregateDropped reports whether the plan drops the aggregate of
// signature sig (to create it again or not).
func (s *planState) aggregateDropped(sig string) bool {
	for _, c := range s.phases[phDropAggregate] {
		if c.(*DropAggregate).Aggregate.Signature() == sig {
			return true
		}
	}
	return false
}

// aggregateBaseline is routineBaseline for aggregates: one the plan drops
// loses its privileges, one it creates starts with EXECUTE to PUBLIC.
func (s *planState) aggregateBaseline(out map[schema.Privilege]*schema.Grant) {
	for k := range out {
		if k.Object.Kind == schema.KindAggregate && (s.from.Aggregates[k.Object.Name.Name] == nil || s.aggregateDropped(k.Object.Name.Name)) {
			delete(out, k)
		}
	}
	for sig, a := range s.to.Aggregates {
		if s.from.Aggregates[sig] != nil && !s.aggregateDropped(sig) {
			continue
		}
		out[schema.Privilege{Object: a.Object(), Grantee: schema.PublicGrantee, Privilege: "EXECUTE"}] = &schema.Grant{}
	}
}

func init() {
	registerKind("aggregate", kindPlanner{
		diff: (*planState).diffAggregates, stage: stageRoutines,
		kept: func(s *planState, o schema.Object) bool {
			return s.to.Aggregates[o.Name.Name] != nil && !s.aggregateDropped(o.Name.Name)
		},
		callDropped: (*planState).aggregateRebuilt,
		baseline:    (*planState).aggregateBaseline,
		changes:     []Change{&CreateAggregate{}, &DropAggregate{}},
	})
}
