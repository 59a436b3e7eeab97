package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// mutate changes about frac of the tables in place, one change each, and
// returns what it changed. A tenth of the budget goes to dropping tables
// that nothing refers to and as much to adding new ones; one enum gains a
// value and one sequence changes its options.
func (db *database) mutate(rng *rand.Rand, frac float64) []Change {
	budget := max(1, int(frac*float64(len(db.tables))+0.5))
	var out []Change
	// Drops first, so that no later change makes a dropped table a target.
	nDrop := max(1, budget/10)
	for _, i := range rng.Perm(len(db.tables)) {
		if nDrop == 0 || len(db.tables) < 2 {
			break
		}
		t := db.tables[i]
		if t.inbound > 0 {
			continue
		}
		t.dropped = true
		for _, r := range t.refs {
			r.inbound--
		}
		out = append(out, Change{DropTable, t.qname()})
		nDrop--
		budget--
	}
	db.tables = slices.DeleteFunc(db.tables, func(t *table) bool {
		if t.dropped {
			delete(db.byName, t.qname())
		}
		return t.dropped
	})
	nAdd := max(1, budget/10)
	budget -= nAdd

	if len(db.enums) > 0 && budget > 0 {
		e := db.enums[rng.IntN(len(db.enums))]
		for _, v := range enumValues {
			if !slices.Contains(e.values, v) {
				e.values = append(e.values, v)
				out = append(out, Change{AddEnumValue, e.name + " " + v})
				budget--
				break
			}
		}
	}
	for _, i := range rng.Perm(len(db.tables)) {
		if budget <= 0 {
			break
		}
		if t := db.tables[i]; t.seq != nil {
			t.seq.increment, t.seq.cache = 2, t.seq.cache+10
			out = append(out, Change{AlterSequence, t.seq.name})
			budget--
			break
		}
	}

	for _, i := range rng.Perm(len(db.tables)) {
		if budget <= 0 {
			break
		}
		if c, ok := db.mutateTable(rng, i); ok {
			out = append(out, c)
			budget--
		}
	}
	for range nAdd {
		t := db.addTable(rng)
		out = append(out, Change{AddTable, t.qname()})
	}
	return out
}

// tableChanges are the changes mutateTable picks from, with their weights
// (altering a column is the most common change in real migrations).
var tableChanges = []ChangeKind{
	AddColumn, AddColumn, DropColumn, AlterColumn, AlterColumn, AlterColumn,
	AddIndex, DropIndex, AddForeignKey, AlterComment,
}

// mutateTable makes one change to db.tables[i], trying the kinds in a random
// order until one applies.
func (db *database) mutateTable(rng *rand.Rand, i int) (Change, bool) {
	t := db.tables[i]
	for _, k := range rng.Perm(len(tableChanges)) {
		switch kind := tableChanges[k]; kind {
		case AddColumn:
			for _, j := range rng.Perm(len(colKinds)) {
				if t.col(colKinds[j].name) == nil {
					c := db.addColumn(rng, t, &colKinds[j])
					c.changed = true
					return Change{kind, t.qname() + "." + c.name}, true
				}
			}
		case DropColumn:
			if c := pick(rng, t.cols, func(c *column) bool { return !c.pinned && !c.changed && c.kind != nil }); c != nil {
				t.cols = slices.DeleteFunc(t.cols, func(x *column) bool { return x == c })
				return Change{kind, t.qname() + "." + c.name}, true
			}
		case AlterColumn:
			if c := pick(rng, t.cols, func(c *column) bool { return !c.pinned && !c.changed && c.kind != nil }); c != nil {
				c.changed = true
				if c.kind.enum {
					e := db.enumNamed(c.typ)
					c.tail = fmt.Sprintf("NOT NULL DEFAULT '%s'::%s", e.values[1], e.name)
				} else {
					if c.kind.altTyp != "" {
						c.typ = c.kind.altTyp
					}
					c.tail = expand(c.kind.altTail, c.name)
				}
				return Change{kind, t.qname() + "." + c.name}, true
			}
		case AddIndex:
			if c := pick(rng, t.cols, func(c *column) bool { return !c.pinned && !c.changed && c.kind != nil && !c.kind.enum }); c != nil {
				name := t.name + "_" + c.name + "_idx"
				if slices.ContainsFunc(t.indexes, func(ix *index) bool { return ix.name == name }) {
					break
				}
				c.pinned = true
				t.indexes = append(t.indexes, &index{name: name, on: fmt.Sprintf("%s (%s)", t.qname(), c.name)})
				return Change{kind, t.schema + "." + name}, true
			}
		case DropIndex:
			if len(t.indexes) > 0 {
				j := rng.IntN(len(t.indexes))
				ix := t.indexes[j]
				t.indexes = slices.Delete(t.indexes, j, j+1)
				return Change{kind, t.schema + "." + ix.name}, true
			}
		case AddForeignKey:
			if i > 0 {
				ref := db.tables[rng.IntN(i)]
				if c := db.addForeignKey(rng, t, ref); c != nil {
					c.changed = true
					return Change{kind, t.qname() + "." + c.name}, true
				}
			}
		case AlterComment:
			t.comment = fmt.Sprintf("%s, revised in change %d", t.name, rng.IntN(1000))
			return Change{kind, t.qname()}, true
		}
	}
	return Change{}, false
}

func (db *database) enumNamed(name string) *enum {
	for _, e := range db.enums {
		if e.name == name {
			return e
		}
	}
	panic("synth: no enum " + name)
}

// pick returns a random element of s for which ok holds, or nil.
func pick[T any](rng *rand.Rand, s []*T, ok func(*T) bool) *T {
	var cand []*T
	for _, x := range s {
		if ok(x) {
			cand = append(cand, x)
		}
	}
	if len(cand) == 0 {
		return nil
	}
	return cand[rng.IntN(len(cand))]
}
