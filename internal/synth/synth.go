package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Options says what to generate. The zero value of every field but Tables
// has a sensible meaning.
type Options struct {
	// Tables is the number of tables in the base schema.
	Tables int
	// Seed selects one schema among the many of the same size; the same
	// Options always give the same bytes.
	Seed uint64
	// Changed is the fraction of tables the mutated schema touches (one
	// change each), plus about a tenth of that as tables added and as tables
	// dropped. 0 means DefaultChanged.
	Changed float64
	// Views adds a view over some tables. ddlmig's parser does not read
	// CREATE VIEW yet, so benchmarks leave it off; the switch is here so the
	// same inputs can grow views when it does.
	Views bool
}

// DefaultChanged is the fraction of tables the mutated schema touches when
// Options.Changed is 0: the "5% change" of issue 7.
const DefaultChanged = 0.05

// Result is a generated base schema, its mutated copy and what differs.
type Result struct {
	Base    []byte
	Mutated []byte
	// Changes lists the differences between Base and Mutated, one per
	// touched object, in the order they were made.
	Changes []Change
}

// Change is one difference between the base and the mutated schema.
type Change struct {
	Kind   ChangeKind
	Object string // qualified table, index, type or sequence name; column as table.column
}

func (c Change) String() string { return c.Kind.String() + " " + c.Object }

// ChangeKind is the kind of a Change. The zero value is invalid.
type ChangeKind int

// Change kinds.
const (
	_ ChangeKind = iota
	AddTable
	DropTable
	AddColumn
	DropColumn
	AlterColumn
	AddIndex
	DropIndex
	AddForeignKey
	AlterComment
	AddEnumValue
	AlterSequence
)

var changeNames = [...]string{
	AddTable:      "add table",
	DropTable:     "drop table",
	AddColumn:     "add column",
	DropColumn:    "drop column",
	AlterColumn:   "alter column",
	AddIndex:      "add index",
	DropIndex:     "drop index",
	AddForeignKey: "add foreign key",
	AlterComment:  "alter comment",
	AddEnumValue:  "add enum value",
	AlterSequence: "alter sequence",
}

func (k ChangeKind) String() string {
	if k > 0 && int(k) < len(changeNames) {
		return changeNames[k]
	}
	return "invalid change kind"
}

// Generate builds the base schema and its mutated copy.
func Generate(opts Options) *Result {
	if opts.Changed == 0 {
		opts.Changed = DefaultChanged
	}
	db := build(opts)
	base := db.sql()
	changes := db.mutate(rand.New(rand.NewPCG(opts.Seed, 0x6d757461)), opts.Changed)
	return &Result{Base: base, Mutated: db.sql(), Changes: changes}
}

// database is the generator's own model of a schema: just enough structure
// to mutate it consistently and print it. It is deliberately not
// schema.Catalog (see the package comment).
type database struct {
	schemas []string
	enums   []*enum
	tables  []*table
	byName  map[string]*table // qualified name → table, for the mutator
	next    int               // number for the next new table
}

type enum struct {
	name   string // qualified
	values []string
}

type table struct {
	schema, name string
	idType       string // type foreign keys to this table use
	seq          *sequence
	cols         []*column
	cons         []string // table constraints as written after CREATE TABLE's columns
	indexes      []*index
	comment      string
	// inbound counts foreign keys and views that refer to this table: it
	// may be dropped only when nothing does.
	inbound int
	refs    []*table // tables this one's foreign keys refer to
	dropped bool
	view    bool // a view selects from it (Options.Views)
}

func (t *table) qname() string { return t.schema + "." + t.name }

func (t *table) col(name string) *column {
	for _, c := range t.cols {
		if c.name == name {
			return c
		}
	}
	return nil
}

type column struct {
	name    string
	kind    *colKind // nil for id and foreign key columns
	typ     string
	tail    string // NOT NULL, DEFAULT, CHECK, REFERENCES ... as written
	comment string
	// pinned is set when an index, table constraint, generated column or
	// foreign key mentions the column: the mutator leaves it alone so that
	// the mutated schema stays valid.
	pinned bool
	// changed is set once the mutator has altered the column, so that one
	// column is not changed twice.
	changed bool
}

type index struct {
	name   string
	unique bool
	on     string // what follows "ON ": table, method, keys, predicate
}

type sequence struct {
	name      string // qualified
	increment int
	cache     int
}

var schemaNames = []string{"public", "app", "billing", "inventory", "crm", "audit", "analytics", "ops"}

var nouns = []string{
	"accounts", "orders", "invoices", "customers", "products", "shipments", "payments",
	"subscriptions", "events", "sessions", "users", "teams", "projects", "tasks", "comments",
	"documents", "messages", "devices", "locations", "suppliers", "warehouses", "refunds",
	"coupons", "reviews", "tickets", "contracts", "budgets", "reports", "alerts", "jobs",
}

var enumValues = []string{
	"draft", "pending", "active", "suspended", "archived", "deleted", "approved", "rejected",
	"shipped", "delivered", "returned", "cancelled", "open", "closed", "on_hold",
}

func build(opts Options) *database {
	rng := rand.New(rand.NewPCG(opts.Seed, 0x62617365))
	db := &database{byName: map[string]*table{}}
	nSchemas := min(len(schemaNames), 1+opts.Tables/400)
	db.schemas = schemaNames[:nSchemas]
	for i := range 2 + opts.Tables/50 {
		sch := db.schemas[rng.IntN(nSchemas)]
		n := 3 + rng.IntN(4)
		start := rng.IntN(len(enumValues) - n + 1)
		db.enums = append(db.enums, &enum{
			name:   fmt.Sprintf("%s.status_%d", sch, i),
			values: append([]string(nil), enumValues[start:start+n]...),
		})
	}
	for range opts.Tables {
		db.addTable(rng)
	}
	if opts.Views {
		for i := 0; i < len(db.tables); i += 20 {
			db.tables[i].view = true
			db.tables[i].inbound++
		}
	}
	return db
}

// addTable appends a new table, with foreign keys to tables before it.
func (db *database) addTable(rng *rand.Rand) *table {
	i := db.next
	db.next++
	t := &table{
		schema: db.schemas[rng.IntN(len(db.schemas))],
		name:   fmt.Sprintf("%s_%05d", nouns[rng.IntN(len(nouns))], i),
	}
	db.idColumn(rng, t)
	for range rng.IntN(4) {
		if len(db.tables) == 0 {
			break
		}
		db.addForeignKey(rng, t, db.tables[rng.IntN(len(db.tables))])
	}
	// Realistic tables: 7 to 12 columns from the pool, in pool order so that
	// the file reads like hand-written DDL.
	want := 7 + rng.IntN(6)
	picked := rng.Perm(len(colKinds))[:want]
	var has [len(colKinds)]bool
	for _, k := range picked {
		has[k] = true
	}
	for k := range colKinds {
		if has[k] {
			db.addColumn(rng, t, &colKinds[k])
		}
	}
	db.decorate(rng, t)
	if rng.IntN(2) == 0 {
		t.comment = fmt.Sprintf("%s of the %s domain, kept for %d days", strings.ReplaceAll(t.name, "_", " "), t.schema, 30+rng.IntN(700))
	}
	if len(t.cols) > 2 && rng.IntN(3) == 0 {
		c := t.cols[1+rng.IntN(len(t.cols)-1)]
		c.comment = "set by the " + nouns[rng.IntN(len(nouns))] + " service; see the runbook before changing it"
	}
	db.tables = append(db.tables, t)
	db.byName[t.qname()] = t
	return t
}

// idColumn gives t its primary key, cycling through the ways PostgreSQL
// schemas spell one: identity, serial, uuid, or a sequence of its own.
func (db *database) idColumn(rng *rand.Rand, t *table) {
	id := &column{name: "id", pinned: true}
	switch r := rng.IntN(20); {
	case r < 7:
		id.typ, id.tail, t.idType = "bigint", "GENERATED ALWAYS AS IDENTITY", "bigint"
	case r < 10:
		id.typ, id.tail, t.idType = "integer", "GENERATED BY DEFAULT AS IDENTITY (START WITH 1000 INCREMENT BY 1)", "integer"
	case r < 14:
		id.typ, t.idType = "bigserial", "bigint"
	case r < 16:
		id.typ, t.idType = "serial", "integer"
	case r < 18:
		id.typ, id.tail, t.idType = "uuid", "DEFAULT gen_random_uuid()", "uuid"
	default:
		t.seq = &sequence{name: t.qname() + "_id_seq", increment: 1, cache: 1 + rng.IntN(3)*10}
		id.typ, id.tail, t.idType = "bigint", fmt.Sprintf("DEFAULT nextval('%s'::regclass)", t.seq.name), "bigint"
	}
	if rng.IntN(3) == 0 {
		t.cons = append(t.cons, fmt.Sprintf("CONSTRAINT %s_pkey PRIMARY KEY (id)", t.name))
	} else {
		id.tail = strings.TrimSpace(id.tail + " PRIMARY KEY")
	}
	t.cols = append(t.cols, id)
}

// addForeignKey adds to t a column referring to ref's key, its foreign key
// (inline or as a named table constraint) and the index that makes the key
// cheap to check on delete.
func (db *database) addForeignKey(rng *rand.Rand, t, ref *table) *column {
	name := ref.name + "_id"
	if t.col(name) != nil {
		return nil
	}
	c := &column{name: name, typ: ref.idType, pinned: true}
	action := []string{"", " ON DELETE CASCADE", " ON DELETE SET NULL", " ON DELETE RESTRICT"}[rng.IntN(4)]
	if action != " ON DELETE SET NULL" && rng.IntN(2) == 0 {
		c.tail = "NOT NULL"
	}
	if rng.IntN(2) == 0 {
		c.tail = strings.TrimSpace(fmt.Sprintf("%s REFERENCES %s (id)%s", c.tail, ref.qname(), action))
	} else {
		t.cons = append(t.cons, fmt.Sprintf("CONSTRAINT %s_%s_fk FOREIGN KEY (%s) REFERENCES %s (id)%s", t.name, ref.name, name, ref.qname(), action))
	}
	t.cols = append(t.cols, c)
	t.indexes = append(t.indexes, &index{name: fmt.Sprintf("%s_%s_idx", t.name, name), on: fmt.Sprintf("%s (%s)", t.qname(), name)})
	ref.inbound++
	t.refs = append(t.refs, ref)
	return c
}

func (db *database) addColumn(rng *rand.Rand, t *table, k *colKind) *column {
	c := &column{name: k.name, kind: k, typ: k.typ, tail: k.tail}
	if k.enum {
		e := db.enums[rng.IntN(len(db.enums))]
		c.typ = e.name
		c.tail = fmt.Sprintf("NOT NULL DEFAULT '%s'::%s", e.values[0], e.name)
	}
	c.tail = expand(c.tail, c.name)
	t.cols = append(t.cols, c)
	return c
}

// decorate adds the indexes and table constraints that the columns of t
// invite, pinning the columns they mention.
func (db *database) decorate(rng *rand.Rand, t *table) {
	has := func(names ...string) bool {
		for _, n := range names {
			if t.col(n) == nil {
				return false
			}
		}
		return true
	}
	pin := func(names ...string) {
		for _, n := range names {
			t.col(n).pinned = true
		}
	}
	idx := func(suffix string, unique bool, on string, cols ...string) {
		pin(cols...)
		t.indexes = append(t.indexes, &index{name: t.name + "_" + suffix, unique: unique, on: t.qname() + " " + on})
	}
	switch {
	case has("email", "deleted_at"):
		idx("email_key", true, "(lower(email)) WHERE deleted_at IS NULL", "email", "deleted_at")
	case has("email"):
		idx("email_key", true, "(lower(email))", "email")
	}
	if has("created_at") && rng.IntN(2) == 0 {
		idx("created_at_idx", false, "(created_at DESC)", "created_at")
	}
	switch {
	case has("status", "created_at", "deleted_at"):
		idx("status_idx", false, "(status, created_at) WHERE deleted_at IS NULL", "status", "created_at", "deleted_at")
	case has("status", "deleted_at"):
		idx("status_idx", false, "(status) WHERE deleted_at IS NULL", "status", "deleted_at")
	}
	if has("tags") && rng.IntN(2) == 0 {
		idx("tags_idx", false, "USING gin (tags)", "tags")
	}
	if has("metadata") && rng.IntN(3) == 0 {
		idx("metadata_idx", false, "USING gin (metadata jsonb_path_ops)", "metadata")
	}
	if has("code") {
		t.cons = append(t.cons, fmt.Sprintf("CONSTRAINT %s_code_key UNIQUE (code)", t.name))
		pin("code")
	}
	if has("created_at", "updated_at") {
		t.cons = append(t.cons, fmt.Sprintf("CONSTRAINT %s_updated_check CHECK (updated_at IS NULL OR updated_at >= created_at)", t.name))
		pin("created_at", "updated_at")
	}
	if has("amount", "quantity") && rng.IntN(2) == 0 {
		c := &column{name: "total", typ: "numeric", tail: "GENERATED ALWAYS AS (amount * quantity) STORED", pinned: true}
		t.cols = append(t.cols, c)
		pin("amount", "quantity")
	}
}

// sql prints the schema in dependency order: schemas, enums, then each table
// with its sequence, indexes and comments (foreign keys only point back).
func (db *database) sql() []byte {
	var b strings.Builder
	b.Grow(len(db.tables) * 1100)
	b.WriteString("-- Synthetic schema written by ddlmig/internal/synth.\n\n")
	for _, s := range db.schemas {
		if s != "public" {
			fmt.Fprintf(&b, "CREATE SCHEMA %s;\n", s)
		}
	}
	b.WriteString("\n")
	for _, e := range db.enums {
		fmt.Fprintf(&b, "CREATE TYPE %s AS ENUM (", e.name)
		for i, v := range e.values {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "'%s'", v)
		}
		b.WriteString(");\n")
	}
	for _, t := range db.tables {
		b.WriteString("\n")
		t.write(&b)
	}
	for _, t := range db.tables {
		if t.view {
			fmt.Fprintf(&b, "\nCREATE VIEW %s_recent AS\n    SELECT id FROM %s ORDER BY id DESC LIMIT 100;\n", t.qname(), t.qname())
		}
	}
	return []byte(b.String())
}

func (t *table) write(b *strings.Builder) {
	if t.seq != nil {
		fmt.Fprintf(b, "CREATE SEQUENCE %s AS bigint INCREMENT BY %d START WITH 1 CACHE %d;\n", t.seq.name, t.seq.increment, t.seq.cache)
	}
	fmt.Fprintf(b, "CREATE TABLE %s (\n", t.qname())
	for i, c := range t.cols {
		fmt.Fprintf(b, "    %s %s", c.name, c.typ)
		if c.tail != "" {
			b.WriteString(" " + c.tail)
		}
		if i < len(t.cols)-1 || len(t.cons) > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	for i, c := range t.cons {
		b.WriteString("    " + c)
		if i < len(t.cons)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(");\n")
	if t.seq != nil {
		fmt.Fprintf(b, "ALTER SEQUENCE %s OWNED BY %s.id;\n", t.seq.name, t.qname())
	}
	for _, ix := range t.indexes {
		b.WriteString("CREATE ")
		if ix.unique {
			b.WriteString("UNIQUE ")
		}
		fmt.Fprintf(b, "INDEX %s ON %s;\n", ix.name, ix.on)
	}
	if t.comment != "" {
		fmt.Fprintf(b, "COMMENT ON TABLE %s IS '%s';\n", t.qname(), t.comment)
	}
	for _, c := range t.cols {
		if c.comment != "" {
			fmt.Fprintf(b, "COMMENT ON COLUMN %s.%s IS '%s';\n", t.qname(), c.name, c.comment)
		}
	}
}

// expand puts the column's name into a tail template.
func expand(tail, name string) string { return strings.ReplaceAll(tail, "{c}", name) }
