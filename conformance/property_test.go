package conformance

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/schema"
)

var (
	propN     = flag.Int("property.n", 8, "seeds the data-safety property test runs (seeds property.first .. first+n-1)")
	propFirst = flag.Uint64("property.first", 1, "first seed of the data-safety property test")
	propSeed  = flag.Int64("property.seed", -1, "run the data-safety property test for this one seed only")
)

// propParallel bounds the seeds checked at once: each holds two databases
// on a server that the other conformance tests share, on two cores.
const propParallel = 3

// TestPropertyDataSafety is the data-safety property: for a random schema
// and random edits that lose no data (a column added, a type widened, an
// index, a nullable foreign key, an enum value, a comment, a rename named
// as --rename names it), the generated migration keeps every row. The
// oracle fills the old database, runs up, compares the catalog with the new
// schema loaded directly and every surviving value with what was inserted,
// runs down and does the same against the old schema. The generated up
// must also carry no data-loss hazard, and folding it back (as the next
// generate does) must leave nothing to plan.
//
// A failure prints the seed; -property.seed N runs that seed alone.
func TestPropertyDataSafety(t *testing.T) {
	testdb.Require(t)
	var seeds []uint64
	if *propSeed >= 0 {
		seeds = []uint64{uint64(*propSeed)}
	} else {
		for i := range *propN {
			seeds = append(seeds, *propFirst+uint64(i))
		}
	}
	sem := make(chan struct{}, propParallel)
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			sem <- struct{}{}
			defer func() { <-sem }()
			checkProperty(t, seed)
		})
	}
}

func checkProperty(t *testing.T, seed uint64) {
	pc := genPropertyCase(seed)
	oldSQL, newSQL := pc.old.sql(), pc.new.sql()
	renames, oracleRenames := pc.renames()
	var mig *project.Migration
	fail := func(format string, args ...any) {
		t.Helper()
		var b strings.Builder
		fmt.Fprintf(&b, "seed %d: %s\n", seed, fmt.Sprintf(format, args...))
		fmt.Fprintf(&b, "reproduce: go test ./conformance -run 'TestPropertyDataSafety' -property.seed %d -v\n", seed)
		fmt.Fprintf(&b, "edits: %s\n", strings.Join(pc.edits, "; "))
		var rs []string
		for _, r := range renames {
			rs = append(rs, r.String())
		}
		fmt.Fprintf(&b, "renames: %s\n", strings.Join(rs, ", "))
		fmt.Fprintf(&b, "-- old.sql:\n%s\n-- new.sql:\n%s\n", oldSQL, newSQL)
		if mig != nil {
			fmt.Fprintf(&b, "-- up.sql:\n%s\n-- down.sql:\n%s\n", mig.Up, mig.Down)
		}
		t.Fatal(b.String())
	}

	current, _, err := parser.ParseFile("old.sql", []byte(oldSQL), parser.Options{})
	if err != nil {
		fail("parse old: %v", err)
	}
	desired, _, err := parser.ParseFile("new.sql", []byte(newSQL), parser.Options{})
	if err != nil {
		fail("parse new: %v", err)
	}
	st := &project.State{Current: current, Desired: desired}
	mig, err = st.Plan("property", planner.Options{Renames: renames})
	if err != nil {
		fail("plan: %v", err)
	}
	if mig.Empty() {
		fail("every edit changes the schema, yet the plan is empty")
	}
	for _, h := range mig.UpPlan.Hazards() {
		if h.LosesData() {
			fail("the up plan of edits that keep all data has a data-loss hazard: %s: %s", h.Code, h.Message)
		}
	}
	if mig.UpPlan.Irreversible() || mig.DownPlan.Irreversible() {
		fail("irreversible plan for edits that can all be undone")
	}
	rep, err := oracle.RoundTripIn(context.Background(), testdb.Databases(), oracle.Case{
		Old: oldSQL, New: newSQL, Up: mig.Up, Down: mig.Down, Renames: oracleRenames,
	})
	if err != nil {
		t.Fatalf("seed %d: server: %v", seed, err)
	}
	if !rep.OK() {
		fail("oracle:\n%s", rep.String())
	}
	filled := 0
	for _, n := range rep.Filled {
		filled += n
	}
	if filled == 0 {
		fail("the oracle inserted no row in any table (Filled %v): nothing was checked", rep.Filled)
	}
	if msg := refold(oldSQL, current, desired, mig, false, nil); msg != "" {
		fail("refold: %s", msg)
	}
	t.Logf("seed %d: %d change(s) up, rows %v, edits: %s", seed, len(mig.UpPlan.Changes), rep.Filled, strings.Join(pc.edits, "; "))
}

// The generator: a small schema model of its own, so that edits are simple
// operations on plain values and the SQL of both sides is printed from it.
// Columns, constraints and indexes refer to columns and tables by id, so a
// rename changes one name and every reference follows.

// pType is a column type; widen returns a type that holds every value of
// the receiver, or false.
type pType struct {
	kind string // "int2", "int4", "int8", "numeric", "text", "varchar", "char", "bool", "date", "timestamp", "timestamptz", "uuid", "jsonb", "bytea", "enum"
	a, b int    // numeric precision and scale, varchar/char length, timestamp precision (-1: none)
	dims int    // array dimensions (0 or 1)
}

func (ty pType) String() string {
	var s string
	switch ty.kind {
	case "int2":
		s = "smallint"
	case "int4":
		s = "integer"
	case "int8":
		s = "bigint"
	case "numeric":
		s = fmt.Sprintf("numeric(%d,%d)", ty.a, ty.b)
	case "varchar":
		s = fmt.Sprintf("varchar(%d)", ty.a)
	case "char":
		s = fmt.Sprintf("char(%d)", ty.a)
	case "bool":
		s = "boolean"
	case "timestamp", "timestamptz":
		s = "timestamp"
		if ty.a >= 0 {
			s += fmt.Sprintf("(%d)", ty.a)
		}
		if ty.kind == "timestamptz" {
			s += " with time zone"
		}
	case "enum":
		s = "mood"
	default:
		s = ty.kind
	}
	return s + strings.Repeat("[]", ty.dims)
}

// keyable reports whether the filler's values are distinct per row, so a
// PRIMARY KEY or UNIQUE on the column accepts them.
func (ty pType) keyable() bool {
	if ty.dims > 0 {
		return false
	}
	switch ty.kind {
	case "int2", "int4", "int8", "numeric", "text", "varchar", "uuid", "date", "timestamp", "timestamptz":
		return true
	}
	return false
}

func (ty pType) widen(r *rand.Rand) (pType, bool) {
	w := ty
	switch ty.kind {
	case "int2":
		w.kind = []string{"int4", "int8"}[r.IntN(2)]
	case "int4":
		w.kind = "int8"
	case "numeric":
		w.a += 1 + r.IntN(5)
	case "varchar":
		if r.IntN(3) == 0 {
			w.kind, w.a = "text", 0
		} else {
			w.a += 1 + r.IntN(50)
		}
	case "timestamp", "timestamptz":
		if ty.a < 0 || ty.a == 6 {
			return ty, false
		}
		w.a += 1 + r.IntN(6-ty.a)
	default:
		return ty, false
	}
	return w, true
}

func randType(r *rand.Rand) pType {
	ty := pType{a: -1}
	kinds := []string{"int2", "int4", "int8", "numeric", "text", "varchar", "char", "bool", "date",
		"timestamp", "timestamptz", "uuid", "jsonb", "bytea", "enum"}
	ty.kind = kinds[r.IntN(len(kinds))]
	switch ty.kind {
	case "numeric":
		ty.b = r.IntN(4)
		ty.a = ty.b + 3 + r.IntN(8)
	case "varchar", "char":
		ty.a = 1 + r.IntN(40)
	case "timestamp", "timestamptz":
		if r.IntN(2) == 0 {
			ty.a = r.IntN(7)
		}
	}
	if r.IntN(8) == 0 && ty.kind != "jsonb" {
		ty.dims = 1
	}
	return ty
}

// defaultFor is a default expression of the type that the column accepts.
func defaultFor(ty pType, r *rand.Rand) string {
	if ty.dims > 0 {
		return "'{}'"
	}
	switch ty.kind {
	case "int2", "int4", "int8":
		return fmt.Sprint(r.IntN(100))
	case "numeric":
		return "0"
	case "text", "varchar", "char":
		return "'x'"
	case "bool":
		return []string{"false", "true"}[r.IntN(2)]
	case "date":
		return []string{"CURRENT_DATE", "'2020-01-01'"}[r.IntN(2)]
	case "timestamp":
		return "'2020-01-01 00:00:00'"
	case "timestamptz":
		return "now()"
	case "uuid":
		return "gen_random_uuid()"
	case "jsonb":
		return "'{}'"
	case "bytea":
		return `'\x00'`
	case "enum":
		return "'happy'"
	}
	panic("no default for " + ty.kind)
}

// checkFor is a CHECK template (%s is the quoted column) that the filler's
// values satisfy, or "".
func checkFor(ty pType) string {
	if ty.dims > 0 {
		return "cardinality(%s) < 10"
	}
	switch ty.kind {
	case "int2", "int4", "int8", "numeric":
		return "%s > 0"
	case "text", "varchar":
		return "length(%s) < 100"
	case "date":
		return "%s >= '2000-01-01'"
	case "timestamp":
		return "%s > '2000-01-01 00:00:00'"
	case "enum":
		return "%s <> 'sad'"
	}
	return ""
}

type pColumn struct {
	id, origID int // origID: the column's id in the old schema, 0 when added
	name       string
	typ        pType
	notNull    bool
	def        string
	comment    string
}

type pCheck struct {
	col  int
	tmpl string
}

type pFK struct {
	col, refTable, refCol int
}

type pIndex struct {
	name   string
	col    int
	expr   string // template with %s, or "" for the plain column
	where  string // template with %s, or ""
	unique bool
}

type pTable struct {
	id      int
	orig    string // name in the old schema, "" when the table is new
	name    string
	cols    []*pColumn
	pk      int // column id, 0 for none
	pkName  string
	uniques []int
	checks  []pCheck
	fks     []pFK
	indexes []pIndex
	comment string
}

func (t *pTable) col(id int) *pColumn {
	for _, c := range t.cols {
		if c.id == id {
			return c
		}
	}
	panic(fmt.Sprintf("table %s has no column %d", t.name, id))
}

type pSchema struct {
	enum   []string
	tables []*pTable
	nextID int
}

func (s *pSchema) id() int { s.nextID++; return s.nextID }

func (s *pSchema) table(id int) *pTable {
	for _, t := range s.tables {
		if t.id == id {
			return t
		}
	}
	panic(fmt.Sprintf("no table %d", id))
}

func (s *pSchema) clone() *pSchema {
	c := &pSchema{enum: slices.Clone(s.enum), nextID: s.nextID}
	for _, t := range s.tables {
		nt := *t
		nt.cols = nil
		for _, col := range t.cols {
			nc := *col
			nt.cols = append(nt.cols, &nc)
		}
		nt.uniques = slices.Clone(t.uniques)
		nt.checks = slices.Clone(t.checks)
		nt.fks = slices.Clone(t.fks)
		nt.indexes = slices.Clone(t.indexes)
		c.tables = append(c.tables, &nt)
	}
	return c
}

// sql prints the schema as a user would write it: the enum, the tables in
// creation order (a foreign key only references an earlier table or its
// own), then indexes and comments.
func (s *pSchema) sql() string {
	q := schema.QuoteIdent
	var b strings.Builder
	vals := make([]string, len(s.enum))
	for i, v := range s.enum {
		vals[i] = schema.QuoteLiteral(v)
	}
	fmt.Fprintf(&b, "CREATE TYPE mood AS ENUM (%s);\n", strings.Join(vals, ", "))
	for _, t := range s.tables {
		var lines []string
		for _, c := range t.cols {
			l := "    " + q(c.name) + " " + c.typ.String()
			if c.notNull {
				l += " NOT NULL"
			}
			if c.def != "" {
				l += " DEFAULT " + c.def
			}
			lines = append(lines, l)
		}
		if t.pk != 0 {
			l := "    "
			if t.pkName != "" {
				l += "CONSTRAINT " + q(t.pkName) + " "
			}
			lines = append(lines, l+"PRIMARY KEY ("+q(t.col(t.pk).name)+")")
		}
		for _, u := range t.uniques {
			lines = append(lines, "    UNIQUE ("+q(t.col(u).name)+")")
		}
		for _, ch := range t.checks {
			lines = append(lines, "    CHECK ("+fmt.Sprintf(ch.tmpl, q(t.col(ch.col).name))+")")
		}
		for _, fk := range t.fks {
			rt := s.table(fk.refTable)
			lines = append(lines, fmt.Sprintf("    FOREIGN KEY (%s) REFERENCES %s (%s)",
				q(t.col(fk.col).name), q(rt.name), q(rt.col(fk.refCol).name)))
		}
		fmt.Fprintf(&b, "\nCREATE TABLE %s (\n%s\n);\n", q(t.name), strings.Join(lines, ",\n"))
		for _, ix := range t.indexes {
			col := q(t.col(ix.col).name)
			key := col
			if ix.expr != "" {
				key = "(" + fmt.Sprintf(ix.expr, col) + ")"
			}
			u := ""
			if ix.unique {
				u = "UNIQUE "
			}
			fmt.Fprintf(&b, "CREATE %sINDEX %s ON %s (%s)", u, q(ix.name), q(t.name), key)
			if ix.where != "" {
				fmt.Fprintf(&b, " WHERE %s", fmt.Sprintf(ix.where, col))
			}
			b.WriteString(";\n")
		}
		if t.comment != "" {
			fmt.Fprintf(&b, "COMMENT ON TABLE %s IS %s;\n", q(t.name), schema.QuoteLiteral(t.comment))
		}
		for _, c := range t.cols {
			if c.comment != "" {
				fmt.Fprintf(&b, "COMMENT ON COLUMN %s.%s IS %s;\n", q(t.name), q(c.name), schema.QuoteLiteral(c.comment))
			}
		}
	}
	return b.String()
}

// propertyCase is an old schema, the new one made from it by edits that
// lose no data, and the edits in words.
type propertyCase struct {
	old, new *pSchema
	edits    []string
}

// renames are the renames of the case: for the planner, and for the oracle
// in its naming ("public.t" for a table, "public.t.c" for a column).
func (pc *propertyCase) renames() ([]planner.Rename, map[string]string) {
	var rs []planner.Rename
	m := map[string]string{}
	for _, nt := range pc.new.tables {
		if nt.orig == "" {
			continue
		}
		oldName := schema.QualifiedName{Schema: schema.DefaultSchema, Name: nt.orig}
		if nt.orig != nt.name {
			rs = append(rs, planner.Rename{Kind: planner.TableRename, Table: oldName, From: nt.orig, To: nt.name})
			m["public."+nt.orig] = "public." + nt.name
		}
		ot := pc.old.table(nt.id)
		for _, c := range nt.cols {
			if c.origID == 0 {
				continue
			}
			oc := ot.col(c.origID)
			if oc.name != c.name {
				rs = append(rs, planner.Rename{Kind: planner.ColumnRename, Table: oldName, From: oc.name, To: c.name})
				m["public."+nt.orig+"."+oc.name] = "public." + nt.name + "." + c.name
			}
		}
	}
	return rs, m
}

// genPropertyCase makes the case of a seed; the same seed always gives the
// same case.
func genPropertyCase(seed uint64) *propertyCase {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	old := genSchema(r)
	pc := &propertyCase{old: old, new: old.clone()}
	for range 1 + r.IntN(4) {
		if e := applyEdit(pc.new, r); e != "" {
			pc.edits = append(pc.edits, e)
		}
	}
	if len(pc.edits) == 0 { // every table was a dead end: a comment always works
		t := pc.new.tables[0]
		t.comment += " edited"
		pc.edits = append(pc.edits, "comment on table "+t.name)
	}
	return pc
}

func genSchema(r *rand.Rand) *pSchema {
	s := &pSchema{enum: []string{"sad", "ok", "happy"}}
	for ti := range 1 + r.IntN(5) {
		t := &pTable{id: s.id()}
		t.name = fmt.Sprintf("t%d", ti)
		t.orig = t.name
		for ci := range 1 + r.IntN(6) {
			c := &pColumn{id: s.id(), name: fmt.Sprintf("c%d", ci), typ: randType(r)}
			c.origID = c.id
			c.notNull = r.IntN(3) == 0
			if r.IntN(4) == 0 {
				c.def = defaultFor(c.typ, r)
			}
			t.cols = append(t.cols, c)
		}
		var keys []*pColumn
		for _, c := range t.cols {
			if c.typ.keyable() {
				keys = append(keys, c)
			}
		}
		if len(keys) > 0 && r.IntN(4) != 0 {
			k := keys[r.IntN(len(keys))]
			k.notNull = true
			t.pk = k.id
			if r.IntN(2) == 0 {
				t.pkName = t.name + "_key_" + fmt.Sprint(k.id)
			}
		}
		for _, k := range keys {
			if k.id != t.pk && r.IntN(4) == 0 {
				t.uniques = append(t.uniques, k.id)
			}
		}
		for _, c := range t.cols {
			if tmpl := checkFor(c.typ); tmpl != "" && r.IntN(4) == 0 {
				t.checks = append(t.checks, pCheck{col: c.id, tmpl: tmpl})
			}
		}
		// A foreign key from a nullable column to an earlier table's primary
		// key of the same type: the filler picks referenced rows or NULL.
		for _, c := range t.cols {
			if c.notNull || r.IntN(3) != 0 {
				continue
			}
			for _, rt := range s.tables {
				if rt.pk != 0 && rt.col(rt.pk).typ == c.typ {
					t.fks = append(t.fks, pFK{col: c.id, refTable: rt.id, refCol: rt.pk})
					break
				}
			}
		}
		for range r.IntN(3) {
			addIndex(s, t, r)
		}
		if r.IntN(4) == 0 {
			t.comment = "table " + t.name
		}
		s.tables = append(s.tables, t)
	}
	return s
}

// addIndex adds an index on a column of t: at times a partial, an
// expression or (on the primary key, which any rows satisfy) a unique one.
func addIndex(s *pSchema, t *pTable, r *rand.Rand) {
	c := t.cols[r.IntN(len(t.cols))]
	if c.typ.kind == "jsonb" && c.typ.dims == 0 && r.IntN(2) == 0 {
		// jsonb has btree ordering, but an expression is more typical.
		t.indexes = append(t.indexes, pIndex{name: fmt.Sprintf("ix%d", s.id()), col: c.id, expr: "%s ->> 'n'"})
		return
	}
	ix := pIndex{name: fmt.Sprintf("ix%d", s.id()), col: c.id}
	switch r.IntN(4) {
	case 0:
		ix.where = "%s IS NOT NULL"
	case 1:
		if c.typ.dims == 0 {
			switch c.typ.kind {
			case "text", "varchar":
				ix.expr = "lower(%s)"
			case "int2", "int4", "int8", "numeric":
				ix.expr = "%s + 1"
			}
		}
	case 2:
		// A unique index on the primary key column holds on any rows.
		if c.id == t.pk {
			ix.unique = true
		}
	}
	t.indexes = append(t.indexes, ix)
}

// applyEdit makes one change that loses no data and returns it in words,
// or "" when the chosen edit does not apply to the chosen table.
func applyEdit(s *pSchema, r *rand.Rand) string {
	t := s.tables[r.IntN(len(s.tables))]
	switch r.IntN(8) {
	case 0: // add a column, nullable or with a default
		c := &pColumn{id: s.id(), typ: randType(r)}
		c.name = fmt.Sprintf("n%d", c.id)
		if r.IntN(2) == 0 {
			c.def = defaultFor(c.typ, r)
			c.notNull = r.IntN(2) == 0
		}
		t.cols = append(t.cols, c)
		return fmt.Sprintf("add column %s.%s %s", t.name, c.name, c.typ)
	case 1: // widen a type, in any table that has a column to widen
		for _, ti := range r.Perm(len(s.tables)) {
			if e := widenColumn(s, s.tables[ti], r); e != "" {
				return e
			}
		}
		return ""
	case 2: // add an index
		addIndex(s, t, r)
		ix := t.indexes[len(t.indexes)-1]
		return fmt.Sprintf("add index %s on %s", ix.name, t.name)
	case 3: // add a nullable column with a foreign key: its rows are NULL
		// Only the table itself or an earlier one, so that the file runs in
		// order.
		var targets []*pTable
		for _, rt := range s.tables[:slices.Index(s.tables, t)+1] {
			if rt.pk != 0 {
				targets = append(targets, rt)
			}
		}
		if len(targets) == 0 {
			return ""
		}
		rt := targets[r.IntN(len(targets))]
		c := &pColumn{id: s.id(), typ: rt.col(rt.pk).typ}
		c.name = fmt.Sprintf("ref%d", c.id)
		t.cols = append(t.cols, c)
		t.fks = append(t.fks, pFK{col: c.id, refTable: rt.id, refCol: rt.pk})
		return fmt.Sprintf("add column %s.%s referencing %s", t.name, c.name, rt.name)
	case 4: // add an enum value, at the end or before another
		v := fmt.Sprintf("v%d", s.id())
		at := len(s.enum)
		if r.IntN(2) == 0 {
			at = r.IntN(len(s.enum))
		}
		s.enum = slices.Insert(s.enum, at, v)
		return "add enum value " + v
	case 5: // comment
		if r.IntN(2) == 0 {
			t.comment = strings.TrimSpace(t.comment + " edited")
			return "comment on table " + t.name
		}
		c := t.cols[r.IntN(len(t.cols))]
		c.comment = strings.TrimSpace(c.comment + " edited")
		return "comment on column " + t.name + "." + c.name
	case 6: // rename a column of the old schema
		var cands []*pColumn
		for _, c := range t.cols {
			if c.origID != 0 {
				cands = append(cands, c)
			}
		}
		if len(cands) == 0 {
			return ""
		}
		c := cands[r.IntN(len(cands))]
		from := c.name
		c.name = fmt.Sprintf("r%d", s.id())
		return fmt.Sprintf("rename column %s.%s to %s", t.name, from, c.name)
	default: // rename a table of the old schema
		if t.orig == "" {
			return ""
		}
		from := t.name
		t.name = fmt.Sprintf("u%d", s.id())
		return fmt.Sprintf("rename table %s to %s", from, t.name)
	}
}

// isReferenced reports whether a foreign key references column c of t.
func isReferenced(s *pSchema, t *pTable, c *pColumn) bool {
	for _, ot := range s.tables {
		for _, fk := range ot.fks {
			if fk.refTable == t.id && fk.refCol == c.id {
				return true
			}
		}
	}
	return false
}

// references reports whether c is a foreign key column of t.
func references(t *pTable, c *pColumn) bool {
	return slices.ContainsFunc(t.fks, func(fk pFK) bool { return fk.col == c.id })
}

// widenColumn widens the type of a column of t that is no foreign key on
// either side (the two sides would have to be widened together) and
// returns the edit in words, or "" when t has no such column.
func widenColumn(s *pSchema, t *pTable, r *rand.Rand) string {
	for _, i := range r.Perm(len(t.cols)) {
		c := t.cols[i]
		if c.typ.dims > 0 || isReferenced(s, t, c) || references(t, c) {
			// Foreign key columns stay: the two sides would have to be
			// widened together.
			continue
		}
		if w, ok := c.typ.widen(r); ok {
			from := c.typ
			c.typ = w
			return fmt.Sprintf("widen %s.%s %s -> %s", t.name, c.name, from, w)
		}
	}
	return ""
}
