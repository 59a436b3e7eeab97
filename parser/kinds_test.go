package parser

import (
	"maps"
	"slices"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestEveryKindParsed fails naming the kind and set that the parser has
// no registerKind call for: a set added to the model without its parser
// file.
func TestEveryKindParsed(t *testing.T) {
	has := func(noun string) bool { return kindParsers[noun] != nil }
	for _, m := range schema.Unregistered("parser", has, slices.Collect(maps.Keys(kindParsers))) {
		t.Error(m)
	}
}
