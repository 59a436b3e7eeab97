package planner

import (
	"maps"
	"slices"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestEveryKindPlanned fails naming the kind and set that the planner has
// no registerKind call for: a set added to the model without its planner
// file, whose objects Diff would silently never create or drop.
func TestEveryKindPlanned(t *testing.T) {
	has := func(noun string) bool { return kindPlanners[noun] != nil }
	for _, m := range schema.Unregistered("planner", has, slices.Collect(maps.Keys(kindPlanners))) {
		t.Error(m)
	}
}
