package project

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/schema"
)

// TestCatalogGobs fails when the model gains a part that gob cannot carry
// (an unexported field, an interface): the fold cache would then turn
// itself off, silently making every generate fold the whole folder again.
func TestCatalogGobs(t *testing.T) {
	if !catalogGobs() {
		t.Error("schema.Catalog has a part gob cannot encode; the fold cache is disabled (see cache.go)")
	}
}

// TestCacheEntryShards round-trips a fold through the cache's encoding with
// shards small enough that every kind of object is spread over several
// gob messages, which decodeEntry must merge back into one catalog.
func TestCacheEntryShards(t *testing.T) {
	res := synth.Generate(synth.Options{Tables: 40, Seed: 2})
	cat, warns, err := parser.ParseFile("schema.sql", res.Base, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	warns = append(warns, parser.Warning{Pos: schema.Pos{File: "schema.sql", Line: 3, Col: 1}, Msg: "kept"})
	want := &cacheEntry{Catalog: cat, Warnings: warns}
	const shard = 7
	if n := len(splitCatalog(cat, shard)); n < 3 {
		t.Fatalf("%d shards, want several: the test would not merge anything", n)
	}
	var buf bytes.Buffer
	if err := encodeEntry(&buf, want, shard); err != nil {
		t.Fatal(err)
	}
	got := decodeEntry(&buf)
	if got == nil {
		t.Fatal("decodeEntry failed")
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("entry after the round trip (-want +got):\n%s", d)
	}
	// A truncated entry is no entry, not a partial catalog.
	buf.Reset()
	if err := encodeEntry(&buf, want, shard); err != nil {
		t.Fatal(err)
	}
	if e := decodeEntry(bytes.NewReader(buf.Bytes()[:buf.Len()*2/3])); e != nil {
		t.Errorf("a truncated entry decoded to a catalog of %d tables", len(e.Catalog.Tables))
	}
}
