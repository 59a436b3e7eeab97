package render

import (
	"maps"
	"slices"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestEveryKindRendered fails naming the kind and set that render has no
// registerKind call for: a set added to the model without its render file.
func TestEveryKindRendered(t *testing.T) {
	has := func(noun string) bool { return rendered[noun] }
	for _, m := range schema.Unregistered("render", has, slices.Collect(maps.Keys(rendered))) {
		t.Error(m)
	}
}
