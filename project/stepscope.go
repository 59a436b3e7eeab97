package project

import (
	"maps"
	"reflect"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// A lock-cut step creates or alters about a thousand relations of a
// schema that may hold many thousands. Its down is the plan from the
// schema after it back to the schema before it; copying and diffing the
// whole schema for every step made the first generate of 5,000 tables
// (some 25 steps) ten times slower than the plan itself. A stepScope is
// the part of the schema one step can change: the relations its changes
// name and what hangs on them or depends on them directly. The down is
// planned on that part alone, before and after, which costs what the
// step is worth. Every other kind of object (types, functions,
// extensions...) stays whole in the part: they are few, and the plan of
// a relation may read them (a domain's base type, a cast).

// stepScope is the set of relation names one step's changes touch.
type stepScope map[schema.QualifiedName]bool

// qualifiedNameType is what scopeOf looks for in a change.
var qualifiedNameType = reflect.TypeFor[schema.QualifiedName]()

// scopeOf returns the names p's changes hold, found by reflection so that
// a new change kind is covered without a list to keep: a name the change
// holds for another reason (a type, a function) only widens the scope,
// which is always safe.
//
// keys are the names of the changes that may change what a foreign key
// depends on (keyNeutral is false): the tables whose foreign keys
// reference one of them are part of the scope too (see widen).
func scopeOf(p *planner.Plan) (sc, keys stepScope) {
	sc, keys = stepScope{}, stepScope{}
	for _, c := range p.Changes {
		sc.collect(reflect.ValueOf(c))
		if !keyNeutral(c) {
			keys.collect(reflect.ValueOf(c))
		}
	}
	// The zero name is what an empty field holds (a sequence owned by no
	// column, a table that is no partition): it names nothing.
	delete(sc, schema.QualifiedName{})
	delete(keys, schema.QualifiedName{})
	return sc, keys
}

// keyNeutral reports whether c leaves alone every key and index a foreign
// key of another table may depend on: it creates what nothing references
// yet, or adds what no key is made of. The bulk of a large first
// migration is such changes; for any other change the tables whose
// foreign keys reference what it names are planned with it, since its
// down may drop and re-add them (a unique index a constraint took over).
func keyNeutral(c planner.Change) bool {
	switch c := c.(type) {
	case *planner.CreateTable, *planner.CreateIndex, *planner.CreateSequence, *planner.SetSequenceOwner,
		*planner.AddColumn, *planner.SetComment, *planner.GrantPrivileges, *planner.RevokePrivileges,
		*planner.SetOwner, *planner.CreateView, *planner.CreateTrigger, *planner.CreateStatistics:
		return true
	case *planner.AddConstraint:
		return c.Constraint.Kind == schema.ForeignKey || c.Constraint.Kind == schema.Check
	}
	return false
}

func (sc stepScope) collect(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			sc.collect(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == qualifiedNameType {
			sc[schema.QualifiedName{Schema: v.Field(0).String(), Name: v.Field(1).String()}] = true
			return
		}
		for i := range v.NumField() {
			sc.collect(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			sc.collect(v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			sc.collect(it.Key())
			sc.collect(it.Value())
		}
	}
}

// widen adds to sc what the planner reads when it plans a change of a
// relation of sc, from c before the step: the table of an index or
// statistics object; the parent of a partition, and then every partition
// of a parent (its default partition decides how a partition is created);
// the views that read a table; the tables whose foreign keys reference a
// table of keys. It reports false when the step needs the whole schema: a type it
// names (in c or in desired, where a type it creates is) is rebuilt with
// every column that uses it, and the parents of INHERITS are a text.
func (sc stepScope) widen(c, desired *schema.Catalog, keys stepScope) bool {
	if sc.namesType(c) || sc.namesType(desired) {
		return false
	}
	for _, t := range c.Tables {
		if t.Options.Inherits != "" {
			return false
		}
	}
	// The scope names a step's few hundred relations, the catalog holds
	// thousands: look its names up rather than walk the catalog's maps.
	var more []schema.QualifiedName
	for name := range sc {
		if ix := c.Indexes[name]; ix != nil {
			more = append(more, ix.Table)
		}
		if st := c.Statistics[name]; st != nil {
			more = append(more, st.Table)
		}
		if t := c.Tables[name]; t != nil && t.Options.IsPartition() {
			more = append(more, t.Options.PartitionOf)
		}
	}
	sc.add(more)
	more = more[:0]
	for name, t := range c.Tables {
		if (t.Options.IsPartition() && sc[t.Options.PartitionOf]) || (len(keys) > 0 && keys.referencedBy(t)) {
			more = append(more, name)
		}
	}
	for name, v := range c.Views {
		for _, r := range v.Refs {
			if sc[r] {
				more = append(more, name)
				break
			}
		}
	}
	sc.add(more)
	return true
}

func (sc stepScope) add(names []schema.QualifiedName) {
	for _, n := range names {
		sc[n] = true
	}
}

// namesType reports whether sc names a type of c that a column can have.
func (sc stepScope) namesType(c *schema.Catalog) bool {
	for n := range sc {
		if c.Enums[n] != nil || c.Domains[n] != nil || c.Composites[n] != nil || c.Ranges[n] != nil {
			return true
		}
	}
	return false
}

// referencedBy reports whether a foreign key of t references a table of
// sc.
func (sc stepScope) referencedBy(t *schema.Table) bool {
	for _, k := range t.Constraints {
		if k.Kind == schema.ForeignKey && sc[k.RefTable] {
			return true
		}
	}
	return false
}

// relationKind reports whether privileges and owners of kind k are those
// of a relation, which a scope restricts, rather than of an object that
// stays whole.
func relationKind(k schema.Kind) bool {
	switch k {
	case schema.KindTable, schema.KindSequence, schema.KindView, schema.KindMaterializedView, schema.KindIndex, schema.KindColumn:
		return true
	}
	return false
}

// part returns c cut down to the relations of sc and what hangs on them
// (indexes, triggers, rules, statistics, owned sequences, privileges and
// owners); every other map is c's own. The part shares c's objects.
func (sc stepScope) part(c *schema.Catalog) *schema.Catalog {
	p := *c
	p.Tables = named(sc, c.Tables)
	p.Indexes = pick(c.Indexes, sc.keepIndex)
	p.Sequences = pick(c.Sequences, sc.keepSequence)
	p.Views = named(sc, c.Views)
	p.Triggers = pick(c.Triggers, keepOn[*schema.Trigger](sc))
	p.Rules = pick(c.Rules, keepOn[*schema.Rule](sc))
	p.Statistics = pick(c.Statistics, sc.keepStatistics)
	p.Privileges = pick(c.Privileges, sc.keepPrivilege)
	p.Owners = pick(c.Owners, sc.keepOwner)
	return &p
}

// after is part of cur, the schema after a step, with the entries the
// step added beyond the scope (absent from pre, the schema before it: an
// index's new name after a rename, an object the parser made or dropped on
// the side); it adds to before, the part before the step, the entries the
// step removed. One walk of each map of cur does both.
func (sc stepScope) after(cur *schema.Catalog, pre relationMaps, before *schema.Catalog) *schema.Catalog {
	p := *cur
	p.Tables = since(pre.tables, cur.Tables, before.Tables, keepName[*schema.Table](sc))
	p.Indexes = since(pre.indexes, cur.Indexes, before.Indexes, sc.keepIndex)
	p.Sequences = since(pre.sequences, cur.Sequences, before.Sequences, sc.keepSequence)
	p.Views = since(pre.views, cur.Views, before.Views, keepName[*schema.View](sc))
	p.Triggers = since(pre.triggers, cur.Triggers, before.Triggers, keepOn[*schema.Trigger](sc))
	p.Rules = since(pre.rules, cur.Rules, before.Rules, keepOn[*schema.Rule](sc))
	p.Statistics = since(pre.statistics, cur.Statistics, before.Statistics, sc.keepStatistics)
	p.Privileges = since(pre.privileges, cur.Privileges, before.Privileges, sc.keepPrivilege)
	p.Owners = since(pre.owners, cur.Owners, before.Owners, sc.keepOwner)
	return &p
}

// The keep functions say which entries of a map part keeps.

func keepName[V any](sc stepScope) func(schema.QualifiedName, V) bool {
	return func(n schema.QualifiedName, _ V) bool { return sc[n] }
}

func keepOn[V any](sc stepScope) func(schema.TriggerName, V) bool {
	return func(n schema.TriggerName, _ V) bool { return sc[n.Table] }
}

func (sc stepScope) keepIndex(n schema.QualifiedName, ix *schema.Index) bool {
	return sc[n] || sc[ix.Table]
}

func (sc stepScope) keepSequence(n schema.QualifiedName, q *schema.Sequence) bool {
	return sc[n] || sc[q.OwnedBy.Table]
}

func (sc stepScope) keepStatistics(n schema.QualifiedName, st *schema.Statistics) bool {
	return sc[n] || sc[st.Table]
}

func (sc stepScope) keepPrivilege(k schema.Privilege, _ *schema.Grant) bool {
	return !relationKind(k.Object.Kind) || sc[k.Object.Name]
}

func (sc stepScope) keepOwner(o schema.PrivilegeObject, _ string) bool {
	return !relationKind(o.Kind) || sc[o.Name]
}

// named returns the entries of m that sc names, found by name.
func named[V any](sc stepScope, m map[schema.QualifiedName]V) map[schema.QualifiedName]V {
	out := make(map[schema.QualifiedName]V)
	for n := range sc {
		if v, ok := m[n]; ok {
			out[n] = v
		}
	}
	return out
}

// pick returns the entries of m that keep accepts.
func pick[K comparable, V any](m map[K]V, keep func(K, V) bool) map[K]V {
	out := make(map[K]V)
	for k, v := range m {
		if keep(k, v) {
			out[k] = v
		}
	}
	return out
}

// relationMaps are the maps of a catalog that a part cuts down, as
// shallow copies: what a step added or removed beyond its scope (an
// index's new name after a rename, an object the parser made or dropped
// on the side) is found by comparing them before and after the step.
type relationMaps struct {
	tables     map[schema.QualifiedName]*schema.Table
	indexes    map[schema.QualifiedName]*schema.Index
	sequences  map[schema.QualifiedName]*schema.Sequence
	views      map[schema.QualifiedName]*schema.View
	triggers   map[schema.TriggerName]*schema.Trigger
	rules      map[schema.TriggerName]*schema.Rule
	statistics map[schema.QualifiedName]*schema.Statistics
	privileges map[schema.Privilege]*schema.Grant
	owners     map[schema.PrivilegeObject]string
}

func snapshot(c *schema.Catalog) relationMaps {
	return relationMaps{
		tables: maps.Clone(c.Tables), indexes: maps.Clone(c.Indexes), sequences: maps.Clone(c.Sequences),
		views: maps.Clone(c.Views), triggers: maps.Clone(c.Triggers), rules: maps.Clone(c.Rules),
		statistics: maps.Clone(c.Statistics), privileges: maps.Clone(c.Privileges), owners: maps.Clone(c.Owners),
	}
}

// since returns the entries of cur that keep accepts or that pre lacks,
// and puts into before each entry of pre that cur lacks (unchanged by the
// step but for its removal, so pre's own object is the one before) and
// before has not. Since pre + added - removed = cur, pre is walked only
// when the step removed something.
func since[K comparable, V any](pre, cur, before map[K]V, keep func(K, V) bool) map[K]V {
	out := make(map[K]V)
	added := 0
	for k, v := range cur {
		if _, was := pre[k]; !was {
			added++
			out[k] = v
		} else if keep(k, v) {
			out[k] = v
		}
	}
	if len(pre)+added == len(cur) {
		return out
	}
	for k, v := range pre {
		if _, ok := cur[k]; !ok {
			if _, in := before[k]; !in {
				before[k] = v
			}
		}
	}
	return out
}
