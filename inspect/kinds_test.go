package inspect_test

import (
	"maps"
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
	"schema":                    "schemas",
	"extension":                 "extensions",
	"enum":                      "types",
	"composite type":            "types",
	"domain":                    "types",
	"collation":                 "collations",
	"sequence":                  "sequences",
	"table":                     "relations",
	"column":                    "relations",
	"constraint":                "constraints",
	"index":                     "indexes",
	"policy":                    "policies",
	"view":                      "relations",
	"function":                  "functions",
	"trigger":                   "triggers",
	"aggregate":                 "aggregates",
	"range type":                "ranges",
	"text search dictionary":    "text search",
	"text search configuration": "text search",
	"event trigger":             "event triggers",
	"publication":               "publications",
	"operator":                  "operators",
	"operator class":            "operators",
	"operator family":           "operators",
	"opaque object":             "opaque objects",
	"cast":                      "casts",
	"default privileges":        "default privileges",
	"rule":                      "rules",
	"statistics":                "statistics",
	"foreign data wrapper":      "foreign data",
	"foreign server":            "foreign data",
	"foreign table":             "relations",
}

func TestEveryKindInspected(t *testing.T) {
	read := inspect.Reads()
	has := func(noun string) bool {
		r, ok := readIn[noun]
		return ok && slices.Contains(read, r)
	}
	for _, m := range schema.Unregistered("inspect", has, slices.Collect(maps.Keys(readIn))) {
		t.Error(m)
	}
}
