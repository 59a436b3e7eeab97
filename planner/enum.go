package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func (s *planState) diffEnums() {
	for _, n := range schema.SortedNames(s.to.Enums) {
		te, fe := s.to.Enums[n], s.from.Enums[n]
		if fe == nil {
			s.add(phCreateType, &CreateEnum{Name: n, Values: slices.Clone(te.Values)})
			continue
		}
		s.diffEnumValues(n, s.renameEnumValues(n, fe, te), te.Values)
	}
	for _, n := range schema.SortedNames(s.from.Enums) {
		if s.to.Enums[n] == nil {
			s.add(phDropTypeLate, &DropEnum{
				Base: hazard(HazardDropType, s.from.Enums[n].Pos, fmt.Sprintf("drops enum type %s", n)),
				Name: n,
			})
		}
	}
}

// diffEnumValues adds the values of to that from lacks, each at its place.
// PostgreSQL cannot remove or reorder enum values, so when from is not a
// subsequence of to the type is rebuilt (see rebuildEnum).
func (s *planState) diffEnumValues(n schema.QualifiedName, from, to []string) {
	toIdx := make(map[string]int, len(to))
	for i, v := range to {
		toIdx[v] = i
	}
	old := make(map[string]bool, len(from))
	last := -1
	var removed []string
	moved := ""
	for _, v := range from {
		old[v] = true
		i, ok := toIdx[v]
		switch {
		case !ok:
			removed = append(removed, schema.QuoteLiteral(v))
		case i < last:
			if moved == "" {
				moved = schema.QuoteLiteral(v)
			}
		default:
			last = i
		}
	}
	switch {
	case len(removed) == 1:
		s.rebuildEnum(n, to, fmt.Sprintf("value %s is removed, and PostgreSQL cannot drop enum values", removed[0]))
		return
	case len(removed) > 1:
		s.rebuildEnum(n, to, fmt.Sprintf("values %s are removed, and PostgreSQL cannot drop enum values", strings.Join(removed, ", ")))
		return
	case moved != "":
		s.rebuildEnum(n, to, fmt.Sprintf("value %s moves, and PostgreSQL cannot reorder enum values", moved))
		return
	}
	// lastOld is the index in to of the last value that already exists:
	// values after it are appended.
	lastOld := last
	for i, v := range to {
		if old[v] {
			continue
		}
		c := &AddEnumValue{Enum: n, Value: v}
		switch {
		case i > lastOld:
			// Appended in order.
		case i == 0:
			c.Before = from[0]
		default:
			c.After = to[i-1]
		}
		s.add(phEnumValue, c)
	}
}

func init() {
	registerKind("enum", kindPlanner{diff: (*planState).diffEnums, stage: stageTypes, order: 10})
}
