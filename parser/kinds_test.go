package parser

import (
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestEveryKindParsed fails naming the kind and set that the parser has
// no registration for: a set added to the model without its parser file.
func TestEveryKindParsed(t *testing.T) {
	for _, k := range schema.Kinds() {
		for _, noun := range schema.SetsOf(k) {
			if kindParsers[noun] == nil {
				t.Errorf("kind %s, set %s: no registerKind call (layer parser)", k, noun)
			}
		}
	}
	for noun := range kindParsers {
		found := false
		for _, k := range schema.Registered() {
			found = found || k.Noun == noun
		}
		if !found {
			t.Errorf("parser registers %q, which package schema does not", noun)
		}
	}
}
