package schema

import "testing"

// TestEveryKindRegistered fails naming a Kind that no registered set holds:
// a kind added to the enum without its file's Register call, which every
// feature reading the registry would silently skip.
func TestEveryKindRegistered(t *testing.T) {
	for _, k := range Kinds() {
		if len(SetsOf(k)) == 0 {
			t.Errorf("kind %s: no schema.Register call lists it (layer schema)", k)
		}
	}
}

// TestRegisteredSetsWork checks what every registered set promises on an
// empty catalog: New makes its map, and looking up an absent object finds
// nothing instead of failing.
func TestRegisteredSetsWork(t *testing.T) {
	c := New()
	for _, k := range Registered() {
		for _, kind := range k.Kinds {
			o := Object{Kind: kind, Name: QualifiedName{Schema: "s", Name: "missing"}}
			if k.Has != nil && k.Has(c, o) {
				t.Errorf("%s: Has finds %v in an empty catalog", k.Noun, o)
			}
			if k.Comment != nil && k.Comment(c, o) != nil {
				t.Errorf("%s: Comment finds %v in an empty catalog", k.Noun, o)
			}
			if k.Remove != nil {
				k.Remove(c, o) // must not fail on a nil map
			}
		}
		if k.InSchema != nil && len(k.InSchema(c, DefaultSchema)) != 0 {
			t.Errorf("%s: InSchema lists objects of an empty catalog", k.Noun)
		}
	}
}

// TestSchemaObjectsByRegistry puts one object of every set that lives in a
// schema into schema s and expects SchemaObjects to list each of them.
func TestSchemaObjectsByRegistry(t *testing.T) {
	c := New()
	q := QualifiedName{Schema: "s", Name: "x"}
	c.Schemas["s"] = &Namespace{Name: "s"}
	c.Extensions["e"] = &Extension{Name: "e", Schema: "s"}
	c.Enums[q] = &Enum{Name: q}
	c.Sequences[QualifiedName{Schema: "s", Name: "seq"}] = &Sequence{}
	c.Tables[QualifiedName{Schema: "s", Name: "t"}] = &Table{}
	c.Views[QualifiedName{Schema: "s", Name: "v"}] = &View{}
	c.Domains[QualifiedName{Schema: "s", Name: "d"}] = &Domain{}
	c.Composites[QualifiedName{Schema: "s", Name: "c"}] = &CompositeType{}
	c.Collations[q] = &Collation{Name: q}
	fn := &Function{Name: QualifiedName{Schema: "s", Name: "f"}, FunctionDef: FunctionDef{Kind: KindFunction}}
	c.Functions[fn.Signature()] = fn
	ag := &Aggregate{Name: QualifiedName{Schema: "s", Name: "a"}, Args: "text"}
	c.Aggregates[ag.Signature()] = ag
	c.Ranges[QualifiedName{Schema: "s", Name: "r"}] = &RangeType{}
	got := map[Kind]int{}
	for _, o := range c.SchemaObjects("s") {
		got[o.Kind]++
		if !c.HasObject(o) {
			t.Errorf("HasObject(%v) = false for an object SchemaObjects lists", o)
		}
	}
	want := map[Kind]int{KindExtension: 1, KindType: 3, KindSequence: 1, KindTable: 1, KindView: 1,
		KindDomain: 1, KindCollation: 1, KindFunction: 1, KindAggregate: 1}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("SchemaObjects(s): %d of kind %s, want %d", got[k], k, n)
		}
	}
}

// TestEveryKindSpelled fails for a Kind without its line in kinds.
func TestEveryKindSpelled(t *testing.T) {
	for _, k := range Kinds() {
		if kinds[k].sql == "" {
			t.Errorf("kind %d: no SQL spelling in kinds (layer schema)", int(k))
		}
	}
}
