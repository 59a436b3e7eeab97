package schema

import "fmt"

// KindInfo describes one set of objects a Catalog holds (enums, range
// types, tables...): what the features that work on any object (DROP
// SCHEMA, comments, owners, privileges, type names) need to know of it.
// Each set registers itself from its own file with Register, so that
// adding a kind of object adds one file here and no case to a switch;
// TestEveryKindRegistered fails for a Kind that no set holds.
//
// Several sets may share a Kind: enums, composite and range types are all
// TYPE, as SQL names them.
type KindInfo struct {
	// Noun names the set in messages and in the other layers' registries:
	// "enum", "range type". It is unique.
	Noun string
	// Kinds are the kinds its objects have, and those that also name them
	// (GRANT and owners name a view TABLE).
	Kinds []Kind
	// Init makes the set's map in a catalog New returns; nil when the set
	// lives in another object (columns in their table).
	Init func(c *Catalog)
	// InSchema lists the set's objects in schema ns, in name order, as
	// DROP SCHEMA without CASCADE finds them; nil for a set whose objects
	// belong to a relation (indexes, constraints, triggers).
	InSchema func(c *Catalog, ns string) []Object
	// Has reports whether c holds o, whose Kind is one of Kinds.
	Has func(c *Catalog, o Object) bool
	// Comment returns where c keeps o's comment, or nil when c does not
	// hold o; nil when comments on the set are set elsewhere.
	Comment func(c *Catalog, o Object) *string
	// IsType reports whether c holds a type of the set named q: the names
	// that pg_type holds, which CREATE TYPE, DOMAIN and relations share.
	IsType func(c *Catalog, q QualifiedName) bool
	// Remove forgets the object o names and nothing else (its users are
	// the parser's business); nil when removing one takes more than
	// deleting it from its map.
	Remove func(c *Catalog, o Object)
}

// registry holds the registered sets in registration order (the order of
// the files that register them, then of the calls); byKind the same by
// kind.
var (
	registry []*KindInfo
	byKind   [numKinds][]*KindInfo
)

// Register adds a set of objects. It is called from init functions and
// panics on a Noun registered twice or an invalid kind, which no run gets
// past.
func Register(k KindInfo) {
	for _, r := range registry {
		if r.Noun == k.Noun {
			panic(fmt.Sprintf("schema: %s registered twice", k.Noun))
		}
	}
	p := &k
	registry = append(registry, p)
	for _, kind := range k.Kinds {
		if kind <= 0 || kind >= numKinds {
			panic(fmt.Sprintf("schema: %s registered with invalid kind %d", k.Noun, kind))
		}
		byKind[kind] = append(byKind[kind], p)
	}
}

// Registered returns every registered set, in registration order.
func Registered() []KindInfo {
	out := make([]KindInfo, len(registry))
	for i, r := range registry {
		out[i] = *r
	}
	return out
}

// SetsOf returns the nouns of the sets that hold or name objects of kind k.
func SetsOf(k Kind) []string {
	if k <= 0 || k >= numKinds {
		return nil
	}
	var out []string
	for _, r := range byKind[k] {
		out = append(out, r.Noun)
	}
	return out
}

// Kinds returns every valid Kind in order: what tests iterate to find a
// kind some layer forgot.
func Kinds() []Kind {
	out := make([]Kind, 0, numKinds-1)
	for k := Kind(1); k < numKinds; k++ {
		out = append(out, k)
	}
	return out
}

// namesIn returns the objects of kind k among names that live in ns.
func namesIn(kind Kind, names []QualifiedName, ns string) []Object {
	var out []Object
	for _, q := range names {
		if q.Schema == ns {
			out = append(out, Object{Kind: kind, Name: q})
		}
	}
	return out
}

// qualifiedSet is the KindInfo of a set kept in a map by qualified name
// whose objects have a Comment field: the common case.
func qualifiedSet[V any](noun string, kind Kind, m func(c *Catalog) map[QualifiedName]V, comment func(V) *string, isType bool) KindInfo {
	k := KindInfo{
		Noun:  noun,
		Kinds: []Kind{kind},
		InSchema: func(c *Catalog, ns string) []Object {
			return namesIn(kind, SortedNames(m(c)), ns)
		},
		Has: func(c *Catalog, o Object) bool {
			_, ok := m(c)[o.Name]
			return ok
		},
		Comment: func(c *Catalog, o Object) *string {
			if v, ok := m(c)[o.Name]; ok {
				return comment(v)
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(m(c), o.Name) },
	}
	if isType {
		k.IsType = func(c *Catalog, q QualifiedName) bool {
			_, ok := m(c)[q]
			return ok
		}
	}
	return k
}

// sortedObjects is the InSchema of a set keyed by signature.
func sortedObjects[V any](m map[string]V, object func(V) (QualifiedName, Object), ns string) []Object {
	var out []Object
	for _, key := range SortedKeys(m) {
		if q, o := object(m[key]); q.Schema == ns {
			out = append(out, o)
		}
	}
	return out
}

// SetOf returns the registered set that holds o in c; ok is false when
// none does.
func (c *Catalog) SetOf(o Object) (k KindInfo, ok bool) {
	if o.Kind <= 0 || o.Kind >= numKinds {
		return KindInfo{}, false
	}
	for _, r := range byKind[o.Kind] {
		if r.Has != nil && r.Has(c, o) {
			return *r, true
		}
	}
	return KindInfo{}, false
}

// Unregistered is what a layer's test reports about its registry: for each
// registered set that has does not hold, "kind K, set S: no registration
// (layer L)", and for each of the layer's nouns that no set has, a message
// naming it. Every layer's registry is checked against this one.
func Unregistered(layer string, has func(noun string) bool, nouns []string) []string {
	var out []string
	for _, k := range Kinds() {
		for _, noun := range SetsOf(k) {
			if !has(noun) {
				out = append(out, fmt.Sprintf("kind %s, set %s: no registration (layer %s)", k, noun, layer))
			}
		}
	}
	known := map[string]bool{}
	for _, r := range registry {
		known[r.Noun] = true
	}
	for _, noun := range nouns {
		if !known[noun] {
			out = append(out, fmt.Sprintf("layer %s registers %q, which package schema does not", layer, noun))
		}
	}
	return out
}
