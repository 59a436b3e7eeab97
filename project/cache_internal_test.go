package project

import "testing"

// TestCatalogGobs fails when the model gains a part that gob cannot carry
// (an unexported field, an interface): the fold cache would then turn
// itself off, silently making every generate fold the whole folder again.
func TestCatalogGobs(t *testing.T) {
	if !catalogGobs() {
		t.Error("schema.Catalog has a part gob cannot encode; the fold cache is disabled (see cache.go)")
	}
}
