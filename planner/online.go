package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// Step is one migration of a plan that Online split: generate writes each
// as a numbered migration of its own, so that any runner (psql -1 -f,
// golang-migrate) applies the steps in order, one transaction each, or
// statement by statement for a NoTransaction step.
type Step struct {
	Plan *Plan
	// NoTransaction steps hold CREATE or DROP INDEX CONCURRENTLY, which
	// PostgreSQL refuses inside a transaction block; their files start
	// with the no-transaction marker and are safe to run again.
	NoTransaction bool
	// Inverse is the down plan of a NoTransaction step (it drops
	// concurrently what the step built, or builds again what it dropped);
	// nil for a transactional step, whose down is planned from the schema
	// before and after it.
	Inverse *Plan
	// Notes say which online rewrite the step takes part in and why, for
	// the file's header.
	Notes []string
}

// OnlineOptions turn the online forms off for some objects (the schema
// file's "-- ddlmig:online off" comments), which then keep the blocking
// forms and their hazards.
type OnlineOptions struct {
	OffTables  map[schema.QualifiedName]bool
	OffIndexes map[schema.QualifiedName]bool
}

// Online rewrites the lock-heavy changes of p, the plan from from to to,
// into forms that do not block the application, and splits the result
// into the steps those forms need:
//
//  1. every change that stays as planned (one transaction);
//  2. each index of an existing table built with CREATE INDEX
//     CONCURRENTLY, or dropped with DROP INDEX CONCURRENTLY, in a
//     no-transaction step of its own; a new UNIQUE or PRIMARY KEY
//     constraint's index is built the same way, and an index whose
//     definition changes is built under a temporary name;
//  3. the constraints attached: UNIQUE and PRIMARY KEY USING INDEX, the
//     changed indexes swapped in (DROP, then RENAME), foreign keys and
//     checks added NOT VALID, and a NOT VALID CHECK (col IS NOT NULL) for
//     each SET NOT NULL;
//  4. VALIDATE CONSTRAINT of each, in a transaction of its own, so that
//     the scan runs under a lock that lets writes through;
//  5. SET NOT NULL (PostgreSQL 12 and later skip the scan, which the
//     validated check proves) and the temporary checks dropped.
//
// Only existing tables are rewritten (a table the plan creates is empty),
// and only plain ones: PostgreSQL refuses CONCURRENTLY and USING INDEX on
// partitioned tables. The rewritten statements that can still fail on
// the rows keep their hazard code, with a message that says so. A plan
// with nothing to rewrite is one step holding p itself.
func Online(p *Plan, from, to *schema.Catalog, o OnlineOptions) []Step {
	sp := newSplitter(p, from, to, o)
	kept := sp.keptBlocking()
	if !sp.any {
		return []Step{{Plan: p, Notes: kept}}
	}
	for _, c := range p.Changes {
		sp.place(c)
	}
	sp.notes[stMain] = append(kept, sp.notes[stMain]...)
	return sp.steps()
}

// keptBlocking are the notes that say which lock hazards of p keep their
// blocking form because a "-- ddlmig:online off" comment asks for it.
func (sp *splitter) keptBlocking() []string {
	var notes []string
	for _, c := range sp.p.Changes {
		t, name, what := schema.QualifiedName{}, schema.QualifiedName{}, ""
		switch c := c.(type) {
		case *CreateIndex:
			t, name, what = c.Index.Table, c.Index.Name, "Index "+schema.QuoteIdent(c.Index.Name.Name)
		case *AddConstraint:
			t, what = c.Table, "Constraint "+schema.QuoteIdent(c.Constraint.Name)
		case *SetNotNull:
			t, what = c.Table, "NOT NULL of column "+schema.QuoteIdent(c.Column)
		default:
			continue
		}
		if len(HazardsOf(c)) == 0 || !(sp.o.OffTables[t] || sp.o.OffIndexes[name]) {
			continue
		}
		notes = append(notes, fmt.Sprintf("%s on %s keeps its blocking form, as a ddlmig:online off comment in the schema file asks.", what, t))
	}
	return notes
}

// Stages of Online, in the order they run.
const (
	stMain = iota
	stAttach
	stValidate
	stFinish
)

type splitter struct {
	p        *Plan
	from, to *schema.Catalog
	o        OnlineOptions
	// any is set when something is rewritten; conc when an index is
	// built or dropped concurrently (so foreign keys wait for stage 3).
	any, conc bool

	main, attach, validate []Change
	// finish is SET NOT NULL, then keys USING INDEX, then the temporary
	// checks dropped, then comments.
	finishNN, finishKey, finishDrop, finishLate []Change
	concSteps                                   []Step
	notes                                       [stFinish + 1][]string

	notNull  map[conKey]bool // columns whose SET NOT NULL is rewritten
	swapped  map[schema.QualifiedName]bool
	dropCols map[conKey]bool
	// rebuilds is set when the plan rebuilds an enum or drops a function,
	// type, collation or extension, which an index may use: an index the
	// first step must drop then stays dropped there (see columnsKept).
	rebuilds  bool
	movedIdx  map[schema.QualifiedName]int
	movedCon  map[conKey]int
	idxTables map[schema.QualifiedName]bool
	taken     map[string]bool // names given to temporary objects
}

func newSplitter(p *Plan, from, to *schema.Catalog, o OnlineOptions) *splitter {
	sp := &splitter{p: p, from: from, to: to, o: o,
		notNull: map[conKey]bool{}, swapped: map[schema.QualifiedName]bool{},
		dropCols: map[conKey]bool{}, movedIdx: map[schema.QualifiedName]int{}, movedCon: map[conKey]int{},
		idxTables: map[schema.QualifiedName]bool{}, taken: map[string]bool{}}
	drops := map[schema.QualifiedName]bool{}
	for _, c := range p.Changes {
		switch c := c.(type) {
		case *DropColumn:
			sp.dropCols[conKey{c.Table, c.Column}] = true
		case *SetGenerated:
			sp.dropCols[conKey{c.Table, c.Column.Name}] = true
		case *RebuildEnum, *DropFunction, *DropEnum, *DropDomain, *DropComposite, *DropCollation, *DropExtension, *DropAggregate:
			sp.rebuilds = true
		case *DropIndex:
			drops[c.Name] = true
		}
	}
	identity := map[conKey]bool{}
	for _, c := range p.Changes {
		if c, ok := c.(*AddIdentity); ok {
			identity[conKey{c.Table, c.Column}] = true
		}
	}
	for _, c := range p.Changes {
		switch c := c.(type) {
		case *SetNotNull:
			if hasHazard(c, HazardSetNotNull) && sp.tableOK(c.Table) && !identity[conKey{c.Table, c.Column}] &&
				sp.from.Tables[c.Table].Column(c.Column) != nil {
				sp.notNull[conKey{c.Table, c.Column}] = true
				sp.any = true
			}
		case *CreateIndex:
			if sp.indexOK(c) {
				sp.any, sp.conc = true, true
				if drops[c.Index.Name] && sp.swappable(c.Index) {
					sp.swapped[c.Index.Name] = true
				}
			}
		case *DropIndex:
			if sp.dropOK(c) {
				sp.any, sp.conc = true, true
			}
		case *AddConstraint:
			if sp.keyOK(c) {
				sp.any, sp.conc = true, true
			} else if sp.notValidOK(c) {
				sp.any = true
			}
		}
	}
	return sp
}

func hasHazard(c Change, code string) bool {
	for _, h := range HazardsOf(c) {
		if h.Code == code {
			return true
		}
	}
	return false
}

// hazardAs is c's hazard code with a new message: the online form keeps
// the failure hazard of the blocking one.
func hazardAs(c Change, code, msg string) Base {
	for _, h := range HazardsOf(c) {
		if h.Code == code {
			return Base{Hazards: []Hazard{{Code: code, Message: msg, Pos: h.Pos}}}
		}
	}
	return Base{Hazards: []Hazard{{Code: code, Message: msg}}}
}

// tableOK reports whether table n may be changed online: it exists on both
// sides under the same name, is neither partitioned nor a partition, and
// no "-- ddlmig:online off" comment keeps it blocking.
//
// A table whose parents change is not: ALTER TABLE ... INHERIT needs the
// new parent's CHECKs and NOT NULLs valid on it already, which their
// online forms (NOT VALID, then VALIDATE) would make only after it.
func (sp *splitter) tableOK(n schema.QualifiedName) bool {
	from, to := sp.from.Tables[n], sp.to.Tables[n]
	return from != nil && to != nil && !sp.o.OffTables[n] && sp.plain(n) && from.Options.Inherits == to.Options.Inherits
}

// plain reports whether table n, where it exists, is neither partitioned
// nor a partition.
func (sp *splitter) plain(n schema.QualifiedName) bool {
	for _, t := range []*schema.Table{sp.from.Tables[n], sp.to.Tables[n]} {
		if t != nil && (t.Options.PartitionBy != "" || t.Options.IsPartition()) {
			return false
		}
	}
	return true
}

func (sp *splitter) indexOK(c *CreateIndex) bool {
	return !c.Concurrently && hasHazard(c, HazardCreateIndex) && sp.tableOK(c.Index.Table) && !sp.o.OffIndexes[c.Index.Name]
}

// columnsKept reports whether every column of table t in cols is the same
// before and after the plan, so that an index on them can stand while the
// first step runs (and be built again by a down after it).
func (sp *splitter) columnsKept(t schema.QualifiedName, cols []string) bool {
	ft, tt := sp.from.Tables[t], sp.to.Tables[t]
	if ft == nil || tt == nil || sp.rebuilds {
		return false
	}
	for _, col := range cols {
		fc, tc := ft.Column(col), tt.Column(col)
		if fc == nil || tc == nil || fc.Type != tc.Type || fc.Collation != tc.Collation || sp.dropCols[conKey{t, col}] {
			return false
		}
	}
	return true
}

// swappable reports whether the new definition of index ix can be built
// beside the old one and swapped in: only its definition changes (the
// planner also drops and creates an index again for what it depends on).
func (sp *splitter) swappable(ix *schema.Index) bool {
	fi := sp.from.Indexes[ix.Name]
	return fi != nil && fi.Table == ix.Table && !sameIndex(fi, ix) && sp.columnsKept(fi.Table, fi.Columns)
}

func (sp *splitter) dropOK(c *DropIndex) bool {
	fi := sp.from.Indexes[c.Name]
	if c.Concurrently || fi == nil || sp.to.Indexes[c.Name] != nil || sp.o.OffIndexes[c.Name] || !sp.tableOK(fi.Table) {
		return false
	}
	return sp.columnsKept(fi.Table, fi.Columns) && !sp.keyNamed(c.Name)
}

// keyNamed reports whether a constraint of the new schema owns an index
// named n (which must then be free before the first step ends).
func (sp *splitter) keyNamed(n schema.QualifiedName) bool {
	for tn, t := range sp.to.Tables {
		if tn.Schema != n.Schema {
			continue
		}
		for _, c := range t.Constraints {
			if c.Name == n.Name {
				return true
			}
		}
	}
	return false
}

// keyOK reports whether a new UNIQUE or PRIMARY KEY constraint is built as
// a unique index concurrently and attached: a plain one on an existing
// table. A foreign key added meanwhile needs only the index: the parser
// spells out the referenced columns (REFERENCES t becomes REFERENCES
// t (id)), and PostgreSQL accepts a unique index over them.
func (sp *splitter) keyOK(c *AddConstraint) bool {
	k := c.Constraint
	var kw, code string
	switch k.Kind {
	case schema.Unique:
		kw, code = "UNIQUE", HazardAddUniqueConstraint
	case schema.PrimaryKey:
		kw, code = "PRIMARY KEY", HazardAddPrimaryKey
	default:
		return false
	}
	return c.UsingIndex == "" && hasHazard(c, code) && sp.tableOK(c.Table) && k.Def == kw+" "+columnList(k.Columns)
}

// keyLate reports whether primary key c must wait for the last step: one of
// its columns gets NOT NULL there.
func (sp *splitter) keyLate(c *AddConstraint) bool {
	for _, col := range c.Constraint.Columns {
		if sp.notNull[conKey{c.Table, col}] {
			return true
		}
	}
	return false
}

func (sp *splitter) notValidOK(c *AddConstraint) bool {
	k := c.Constraint
	switch {
	case k.Kind == schema.ForeignKey:
		// VALIDATE of a key into a partitioned table leaves the
		// constraints PostgreSQL clones for its partitions NOT VALID.
		return hasHazard(c, HazardAddForeignKey) && sp.tableOK(c.Table) && sp.plain(k.RefTable)
	case k.Kind == schema.Check:
		return hasHazard(c, HazardAddCheckConstraint) && sp.tableOK(c.Table)
	}
	return false
}

func columnList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = schema.QuoteIdent(c)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// place puts change c, or its online form, into its stages.
func (sp *splitter) place(c Change) {
	switch c := c.(type) {
	case *CreateIndex:
		if sp.indexOK(c) {
			sp.buildIndex(c)
			return
		}
	case *DropIndex:
		if sp.swapped[c.Name] {
			return // swapBuild drops it once the new one is built
		}
		if sp.dropOK(c) {
			sp.dropIndex(c)
			return
		}
	case *AddConstraint:
		switch {
		case sp.keyOK(c):
			sp.buildKey(c)
			return
		case sp.notValidOK(c):
			sp.notValid(c)
			return
		case c.Constraint.Kind == schema.ForeignKey && sp.conc:
			// It may reference a key built concurrently: attach it
			// after the builds.
			sp.attach = append(sp.attach, c)
			sp.movedCon[conKey{c.Table, c.Constraint.Name}] = stAttach
			return
		}
	case *SetNotNull:
		if sp.notNull[conKey{c.Table, c.Column}] {
			sp.setNotNull(c)
			return
		}
	case *SetComment:
		if sp.moveComment(c) {
			return
		}
	case *SetReplicaIdentity:
		if sp.idxTables[c.Table] {
			sp.attach = append(sp.attach, c) // it may name a new index
			return
		}
	}
	sp.main = append(sp.main, c)
}

// moveComment puts a comment on an index or constraint that a later stage
// creates into that stage.
func (sp *splitter) moveComment(c *SetComment) bool {
	st, ok := 0, false
	switch c.Kind {
	case schema.KindIndex:
		st, ok = sp.movedIdx[c.Name]
	case schema.KindConstraint:
		st, ok = sp.movedCon[conKey{c.Name, c.Sub}]
	}
	if !ok {
		return false
	}
	if st == stFinish {
		sp.finishLate = append(sp.finishLate, c)
	} else {
		sp.attach = append(sp.attach, c)
	}
	return true
}

func (sp *splitter) note(st int, format string, args ...any) {
	sp.notes[st] = append(sp.notes[st], fmt.Sprintf(format, args...))
}

// concurrent adds a no-transaction step that builds ix concurrently (after
// dropping what a failed build of it left), with its inverse.
func (sp *splitter) concurrent(ix *schema.Index, b Base, note string) {
	drop := &DropIndex{Name: ix.Name, Concurrently: true, IfExists: true}
	sp.concSteps = append(sp.concSteps, Step{
		Plan:          &Plan{Changes: []Change{drop, &CreateIndex{Base: b, Index: ix, Concurrently: true}}},
		NoTransaction: true,
		Inverse:       &Plan{Changes: []Change{&DropIndex{Name: ix.Name, Concurrently: true, IfExists: true}}},
		Notes: []string{note, "CONCURRENTLY cannot run in a transaction, so this migration runs statement by " +
			"statement (no-transaction) and holds one index alone. A build that fails leaves an INVALID index " +
			"behind; the DROP INDEX CONCURRENTLY IF EXISTS before it removes that leftover, so the file can " +
			"simply be run again."},
	})
	sp.idxTables[ix.Table] = true
}

func (sp *splitter) buildIndex(c *CreateIndex) {
	ix := c.Index
	kind := "index"
	if ix.Unique {
		kind = "unique index"
	}
	fails := "the build can still fail"
	if ix.Unique {
		fails = "it still fails on duplicates"
	}
	if !sp.swapped[ix.Name] {
		msg := fmt.Sprintf("builds %s %s on %s CONCURRENTLY, which does not block writes; %s, leaving an INVALID index that running the file again drops first", kind, schema.QuoteIdent(ix.Name.Name), ix.Table, fails)
		sp.concurrent(ix, hazardAs(c, HazardCreateIndex, msg),
			fmt.Sprintf("Online form of CREATE INDEX %s on %s: a plain CREATE INDEX blocks writes to the table while it builds.", schema.QuoteIdent(ix.Name.Name), ix.Table))
		sp.movedIdx[ix.Name] = stAttach
		return
	}
	tmp := schema.QualifiedName{Schema: ix.Name.Schema, Name: sp.tempName(ix.Name.Name, "_ddlmig_new", ix.Name.Schema)}
	nix := *ix
	nix.Name = tmp
	msg := fmt.Sprintf("builds the new definition of %s %s on %s CONCURRENTLY as %s, which does not block writes; %s, leaving an INVALID index that running the file again drops first", kind, schema.QuoteIdent(ix.Name.Name), ix.Table, schema.QuoteIdent(tmp.Name), fails)
	sp.concurrent(&nix, hazardAs(c, HazardCreateIndex, msg),
		fmt.Sprintf("Online form of a changed index %s on %s: the new definition is built beside the old one under a temporary name, and a later migration swaps it in.", schema.QuoteIdent(ix.Name.Name), ix.Table))
	sp.attach = append(sp.attach, &DropIndex{Name: ix.Name}, &RenameIndex{Name: tmp, To: ix.Name.Name})
	sp.note(stAttach, "Index %s on %s: the old definition is dropped and the new one, built concurrently as %s, takes its name (DROP INDEX and RENAME lock the table only for a moment).",
		schema.QuoteIdent(ix.Name.Name), ix.Table, schema.QuoteIdent(tmp.Name))
	sp.movedIdx[ix.Name] = stAttach
}

func (sp *splitter) dropIndex(c *DropIndex) {
	fi := sp.from.Indexes[c.Name]
	sp.concSteps = append(sp.concSteps, Step{
		Plan:          &Plan{Changes: []Change{&DropIndex{Base: c.Base, Name: c.Name, Concurrently: true, IfExists: true}}},
		NoTransaction: true,
		Inverse: &Plan{Changes: []Change{&DropIndex{Name: c.Name, Concurrently: true, IfExists: true},
			&CreateIndex{Index: fi, Concurrently: true}}},
		Notes: []string{fmt.Sprintf("Online form of DROP INDEX %s: a plain DROP INDEX locks %s against reads and writes until the queries using the index end; DROP INDEX CONCURRENTLY waits for them instead, and cannot run in a transaction (no-transaction).", c.Name, fi.Table)},
	})
	sp.idxTables[fi.Table] = true
}

// buildKey builds the unique index of a new UNIQUE or PRIMARY KEY
// constraint concurrently; a later step attaches it.
func (sp *splitter) buildKey(c *AddConstraint) {
	k := c.Constraint
	name := schema.QualifiedName{Schema: c.Table.Schema, Name: k.Name}
	ix := &schema.Index{Name: name, Table: c.Table, Columns: k.Columns, Pos: k.Pos,
		IndexDef: schema.IndexDef{Unique: true, Def: c.Table.String() + " USING btree " + columnList(k.Columns)}}
	code, what, fails := HazardAddUniqueConstraint, "unique constraint", "duplicates"
	if k.Kind == schema.PrimaryKey {
		code, what, fails = HazardAddPrimaryKey, "primary key", "duplicates (and the key on NULLs, when it is attached)"
	}
	q := schema.QuoteIdent(k.Name)
	msg := fmt.Sprintf("builds the index of %s %s on %s CONCURRENTLY, which does not block writes; it still fails on %s, leaving an INVALID index that running the file again drops first", what, q, c.Table, fails)
	sp.concurrent(ix, hazardAs(c, code, msg), fmt.Sprintf("Online form of ADD %s %s on %s: its unique index is built concurrently here, and a later migration makes it the constraint's with ADD CONSTRAINT ... USING INDEX, which builds nothing (a plain ADD CONSTRAINT builds it under an ACCESS EXCLUSIVE lock).", what, q, c.Table))
	using := &AddConstraint{Table: c.Table, Constraint: k, UsingIndex: k.Name}
	st := stAttach
	if k.Kind == schema.PrimaryKey && sp.keyLate(c) {
		st = stFinish
		sp.finishKey = append(sp.finishKey, using)
	} else {
		sp.attach = append(sp.attach, using)
	}
	sp.note(st, "%s %s on %s takes over the unique index built concurrently (USING INDEX: nothing is built).", upperFirst(what), q, c.Table)
	sp.movedCon[conKey{c.Table, k.Name}] = st
}

// notValid adds a foreign key or check NOT VALID, and validates it in the
// next step.
func (sp *splitter) notValid(c *AddConstraint) {
	k := *c.Constraint
	k.NotValid = true
	sp.attach = append(sp.attach, &AddConstraint{Table: c.Table, Constraint: &k})
	q := schema.QuoteIdent(k.Name)
	code, what, fails := HazardAddCheckConstraint, "check constraint", "rows that violate it"
	if k.Kind == schema.ForeignKey {
		code, what, fails = HazardAddForeignKey, "foreign key", "rows without a match"
	}
	msg := fmt.Sprintf("validates %s %s on %s, added NOT VALID by the previous migration: the scan does not block writes, but it still fails on %s", what, q, c.Table, fails)
	sp.validate = append(sp.validate, &ValidateConstraint{Base: hazardAs(c, code, msg), Table: c.Table, Name: k.Name})
	sp.note(stAttach, "%s %s on %s is added NOT VALID: quick, it checks only new rows (a plain ADD scans every row under a lock that blocks writes).", upperFirst(what), q, c.Table)
	sp.note(stValidate, "VALIDATE CONSTRAINT %s on %s scans the rows under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes through; it runs in its own migration so that the stronger lock of the ADD is not held meanwhile.", q, c.Table)
	sp.movedCon[conKey{c.Table, k.Name}] = stAttach
}

// setNotNull is SET NOT NULL in four steps: a NOT VALID check, its
// validation, SET NOT NULL (which the validated check spares its scan),
// and the check dropped.
func (sp *splitter) setNotNull(c *SetNotNull) {
	tmp := sp.tempCheck(c.Table, c.Column)
	col := schema.QuoteIdent(c.Column)
	con := &schema.Constraint{Name: tmp, Columns: []string{c.Column},
		ConstraintDef: schema.ConstraintDef{Kind: schema.Check, Def: "CHECK (" + col + " IS NOT NULL)", NotValid: true}}
	sp.attach = append(sp.attach, &AddConstraint{Table: c.Table, Constraint: con})
	msg := fmt.Sprintf("validates %s IS NOT NULL on %s (check %s, added NOT VALID by the previous migration, on the way to SET NOT NULL): the scan does not block writes, but it still fails if a row holds NULL", col, c.Table, schema.QuoteIdent(tmp))
	sp.validate = append(sp.validate, &ValidateConstraint{Base: hazardAs(c, HazardSetNotNull, msg), Table: c.Table, Name: tmp})
	sp.finishNN = append(sp.finishNN, &SetNotNull{Table: c.Table, Column: c.Column})
	sp.finishDrop = append(sp.finishDrop, &DropConstraint{Table: c.Table, Name: tmp})
	sp.note(stAttach, "Column %s.%s becomes NOT NULL online: first a temporary CHECK (%s IS NOT NULL) NOT VALID, %s.", c.Table, col, col, schema.QuoteIdent(tmp))
	sp.note(stValidate, "VALIDATE CONSTRAINT %s on %s proves that %s holds no NULL under a lock that lets reads and writes through.", schema.QuoteIdent(tmp), c.Table, col)
	sp.note(stFinish, "SET NOT NULL on %s.%s skips its scan because the validated check %s proves it (PostgreSQL 12 and later); the check is then dropped.", c.Table, col, schema.QuoteIdent(tmp))
}

// tempCheck names the temporary check of column col of table t: no
// constraint of t has the name on either side.
func (sp *splitter) tempCheck(t schema.QualifiedName, col string) string {
	used := map[string]bool{}
	for _, tab := range []*schema.Table{sp.from.Tables[t], sp.to.Tables[t]} {
		for _, c := range tab.Constraints {
			used[c.Name] = true
		}
	}
	return sp.freeName(col, "_not_null_ddlmig", func(n string) bool { return used[n] || sp.taken[t.String()+"."+n] }, t.String()+".")
}

// tempName names an index beside base in schema sch that no relation of
// either side uses.
func (sp *splitter) tempName(base, suffix, sch string) string {
	used := func(n string) bool {
		q := schema.QualifiedName{Schema: sch, Name: n}
		return sp.from.Indexes[q] != nil || sp.to.Indexes[q] != nil || sp.from.Tables[q] != nil || sp.to.Tables[q] != nil ||
			sp.keyNamed(q) || sp.taken[sch+"."+n]
	}
	return sp.freeName(base, suffix, used, sch+".")
}

// freeName is base with suffix, shortened to PostgreSQL's 63 bytes (with a
// hash of base when it must be cut), and numbered until used says no.
func (sp *splitter) freeName(base, suffix string, used func(string) bool, scope string) string {
	for i := 0; ; i++ {
		sfx := suffix
		if i > 0 {
			sfx = fmt.Sprintf("%s%d", suffix, i)
		}
		n := base + sfx
		if len(n) > 63 {
			h := sha256.Sum256([]byte(base))
			keep := 63 - len(sfx) - 9
			cut := base[:keep]
			for len(cut) > 0 && cut[len(cut)-1]&0xC0 == 0x80 { // no half a UTF-8 character
				cut = cut[:len(cut)-1]
			}
			n = cut + "_" + hex.EncodeToString(h[:4]) + sfx
		}
		if !used(n) {
			sp.taken[scope+n] = true
			return n
		}
	}
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// steps assembles the stages into steps: a transactional stage joins the
// one before it unless a no-transaction step or a validation lies between.
func (sp *splitter) steps() []Step {
	var out []Step
	add := func(cs []Change, notes []string, join bool) {
		if len(cs) == 0 {
			return
		}
		if n := len(out); join && n > 0 && !out[n-1].NoTransaction {
			out[n-1].Plan.Changes = append(out[n-1].Plan.Changes, cs...)
			out[n-1].Notes = append(out[n-1].Notes, notes...)
			return
		}
		out = append(out, Step{Plan: &Plan{Changes: cs}, Notes: notes})
	}
	add(sp.main, sp.notes[stMain], false)
	out = append(out, sp.concSteps...)
	add(sp.attach, sp.notes[stAttach], true)
	add(sp.validate, sp.notes[stValidate], false)
	finish := append(append(append(sp.finishNN, sp.finishKey...), sp.finishDrop...), sp.finishLate...)
	add(finish, sp.notes[stFinish], false)
	if len(out) > 0 {
		out[0].Plan.PossibleRenames = sp.p.PossibleRenames
	}
	return out
}
