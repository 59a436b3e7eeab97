package inspect_test

import (
	"slices"
	"testing"

	"github.com/ddlmig/ddlmig/inspect"
	"github.com/ddlmig/ddlmig/schema"
)

// readIn says which step of inspect reads each set of ddlmig's model (kept
// in a test: inspect does not import the model). TestEveryKindInspected
// fails for a set missing here or read by no step, so that a new kind is
// not left out of what inspect prints.
var readIn = map[string]string{
	"schema":         "schemas",
	"extension":      "extensions",
	"enum":           "types",
	"composite type": "types",
	"domain":         "types",
	"collation":      "collations",
	"sequence":       "sequences",
	"table":          "relations",
	"column":         "relations",
	"constraint":     "constraints",
	"index":          "indexes",
	"policy":         "policies",
	"view":           "relations",
	"function":       "functions",
	"trigger":        "triggers",
	"aggregate":      "aggregates",
	"range type":     "ranges",
}

func TestEveryKindInspected(t *testing.T) {
	steps := inspect.Reads()
	for _, k := range schema.Kinds() {
		for _, noun := range schema.SetsOf(k) {
			step, found := readIn[noun]
			switch {
			case !found:
				t.Errorf("kind %s, set %s: no inspect step in readIn (layer inspect)", k, noun)
			case !slices.Contains(steps, step):
				t.Errorf("kind %s, set %s: inspect has no step %q (layer inspect)", k, noun, step)
			}
		}
	}
}
