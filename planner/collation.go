package planner

import (
	"fmt"

	"github.com/ddlmig/ddlmig/schema"
)

// CreateCollation creates a collation.
type CreateCollation struct {
	Base
	Collation *schema.Collation
}

// DropCollation drops a collation; the columns, domains and attributes
// that used it were changed or dropped by earlier steps.
type DropCollation struct {
	Base
	Name schema.QualifiedName
}

func (c *DropCollation) dropped() schema.Object {
	return schema.Object{Kind: schema.KindCollation, Name: c.Name}
}

// diffCollations creates collations before the types and tables that may
// use them and drops them after. A collation whose definition changes
// cannot be altered, and dropping it would fail while something uses it,
// so that step is irreversible.
func (s *planState) diffCollations() {
	for _, n := range schema.SortedNames(s.to.Collations) {
		tc, fc := s.to.Collations[n], s.from.Collations[n]
		switch {
		case fc == nil:
			s.add(phCreateType, &CreateCollation{Collation: tc})
		case fc.Def != tc.Def:
			s.irreversible(fmt.Sprintf("collation %s: its definition changes (%s), and PostgreSQL cannot alter it in place", n, tc.Def))
		}
		from := ""
		if fc != nil {
			from = fc.Comment
		}
		if from != tc.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindCollation, Name: n, Comment: tc.Comment})
		}
	}
	for _, n := range schema.SortedNames(s.from.Collations) {
		if s.to.Collations[n] == nil {
			s.add(phDropType, &DropCollation{
				Base: hazard(HazardDropType, s.from.Collations[n].Pos, fmt.Sprintf("drops collation %s", n)),
				Name: n,
			})
		}
	}
}

func init() {
	registerKind("collation", kindPlanner{diff: (*planState).diffCollations, stage: stageTypes, order: 40})
}
