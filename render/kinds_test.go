package render

import (
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestEveryKindRendered fails naming the kind and set that render has no
// registration for: a set added to the model without its render file.
func TestEveryKindRendered(t *testing.T) {
	for _, k := range schema.Kinds() {
		for _, noun := range schema.SetsOf(k) {
			if !rendered[noun] {
				t.Errorf("kind %s, set %s: no registerKind call (layer render)", k, noun)
			}
		}
	}
	for noun := range rendered {
		found := false
		for _, k := range schema.Registered() {
			found = found || k.Noun == noun
		}
		if !found {
			t.Errorf("render registers %q, which package schema does not", noun)
		}
	}
}
