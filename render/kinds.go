package render

import (
	"fmt"
	"slices"

	"github.com/ddlmig/ddlmig/planner"
)

// kindRenderers are the renderers the kinds' own files register, in noun
// order; rendered names the sets that registered (nil: a shared renderer
// in renderers claims their changes). TestEveryKindRendered fails for a
// set of the model that did not register, and TestEveryChangeRenders for
// a change type no renderer claims.
var (
	kindRenderers []func(planner.Change) (string, group, bool)
	rendered      = map[string]bool{}
	renderNouns   []string
)

// registerKind records the renderer of the set named noun: the changes of
// its planner file. It is called from init functions.
func registerKind(noun string, render func(planner.Change) (string, group, bool)) {
	if rendered[noun] {
		panic(fmt.Sprintf("render: %s registered twice", noun))
	}
	rendered[noun] = true
	if render == nil {
		return
	}
	// Keep the list in noun order whatever order the files initialize in.
	i, _ := slices.BinarySearch(renderNouns, noun)
	renderNouns = slices.Insert(renderNouns, i, noun)
	kindRenderers = slices.Insert(kindRenderers, i, render)
}

// The sets whose changes the shared renderers claim.
func init() {
	for _, noun := range []string{"schema", "extension", "enum", "sequence", "collation", "table", "column",
		"constraint", "index", "policy", "view", "function", "trigger"} {
		registerKind(noun, nil)
	}
}
