package planner

import (
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestEveryKindPlanned fails naming the kind and set that the planner has
// no registration for: a set added to the model without its planner file,
// whose objects Diff would silently never create or drop.
func TestEveryKindPlanned(t *testing.T) {
	for _, k := range schema.Kinds() {
		for _, noun := range schema.SetsOf(k) {
			if kindPlanners[noun] == nil {
				t.Errorf("kind %s, set %s: no registerKind call (layer planner)", k, noun)
			}
		}
	}
	for noun := range kindPlanners {
		found := false
		for _, k := range schema.Registered() {
			found = found || k.Noun == noun
		}
		if !found {
			t.Errorf("planner registers %q, which package schema does not", noun)
		}
	}
}
