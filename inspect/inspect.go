package inspect

import (
	"container/heap"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
)

// DefaultTable is the bookkeeping table ddlmig apply keeps (runner's
// default), left out of what Schema prints.
const DefaultTable = "ddlmig_migrations"

// Options say what to read.
type Options struct {
	// Table is ddlmig's bookkeeping table, NAME (in public) or SCHEMA.NAME;
	// "" is DefaultTable. It is not part of the schema and is left out.
	Table string
	// Owners adds ALTER ... OWNER TO for each object whose owner is not the
	// connected role (the role that would create it when the text is
	// applied).
	Owners bool
}

// Schema reads the database conn is connected to and returns its schema as
// SQL statements that recreate it in an empty database. It reads in one
// REPEATABLE READ READ ONLY transaction, so what it prints is one snapshot
// and nothing is ever written.
func Schema(ctx context.Context, conn *pgx.Conn, opts Options) (string, error) {
	var b strings.Builder
	if err := Write(ctx, conn, &b, opts); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Write is Schema writing to w.
func Write(ctx context.Context, conn *pgx.Conn, w io.Writer, opts Options) error {
	r, err := load(ctx, conn, opts, nil)
	if err != nil {
		return err
	}
	return r.print(w)
}

// load reads the database in one snapshot; then, still in it, runs more
// (when not nil), for what needs the catalogs after the items are known.
func load(ctx context.Context, conn *pgx.Conn, opts Options, more func(*reader, context.Context) error) (*reader, error) {
	bookSchema, bookName, err := splitTable(opts.Table)
	if err != nil {
		return nil, err
	}
	tx, err := begin(ctx, conn)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	r := &reader{tx: tx, opts: opts, book: [2]string{bookSchema, bookName},
		items: map[key]*item{}, alias: map[key]key{}}
	if err := tx.QueryRow(ctx, "SELECT pg_catalog.quote_ident(current_user)").Scan(&r.role); err != nil {
		return nil, fmt.Errorf("inspect: reading the connected role: %w", err)
	}
	if err := r.read(ctx); err != nil {
		return nil, err
	}
	if more != nil {
		if err := more(r, ctx); err != nil {
			return nil, err
		}
	}
	return r, tx.Commit(ctx)
}

// begin opens the read-only snapshot every query runs in.
func begin(ctx context.Context, conn *pgx.Conn) (pgx.Tx, error) {
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	// With an empty search_path the server qualifies every name it prints
	// (pg_catalog's excepted), as pg_dump has it print them. The settings
	// that decide how constants print are pinned too, as pg_dump pins
	// them, so the text does not depend on the role's defaults.
	if _, err := tx.Exec(ctx, `SELECT pg_catalog.set_config('search_path', '', true),
		pg_catalog.set_config('TimeZone', 'UTC', true), pg_catalog.set_config('DateStyle', 'ISO', true),
		pg_catalog.set_config('IntervalStyle', 'postgres', true), pg_catalog.set_config('extra_float_digits', '3', true)`); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return nil, err
	}
	return tx, nil
}

// splitTable reads the bookkeeping table's name as runner does.
func splitTable(s string) (string, string, error) {
	if s == "" {
		s = DefaultTable
	}
	sch, name, ok := strings.Cut(s, ".")
	if !ok {
		sch, name = "public", s
	}
	if sch == "" || name == "" || strings.Contains(name, ".") {
		return "", "", fmt.Errorf("bad table name %q: want NAME or SCHEMA.NAME", s)
	}
	return sch, name, nil
}

// key identifies a catalog row: the catalog's name and the row's oid.
type key struct {
	class string
	oid   string
}

// Kinds in the order statements of no mutual dependency are printed
// (pg_dump's order: types and functions, then tables, then what hangs off
// them, foreign keys last).
const (
	rankSchema = iota
	rankExtension
	rankCollation
	rankTSDict
	rankTSConfig
	rankType
	rankFunction
	rankAggregate
	rankOperator
	rankOpFamily
	rankOpClass
	rankSequence
	rankTable
	rankSequenceOwner
	rankView
	rankMatview
	rankConstraint
	rankIndex
	rankForeignKey
	rankTrigger
	rankPolicy
	rankOpaque
	rankDefaultPrivileges
)

// item is one or more statements printed together: an object's creation,
// its comments, its owner.
type item struct {
	key  key
	rank int
	name string
	sql  []string
	deps []key // besides pg_depend's

	index   int // in the heap
	waiting int // dependencies not printed yet
	users   []*item
	printed bool
}

type reader struct {
	tx    pgx.Tx
	opts  Options
	book  [2]string
	items map[key]*item
	// alias maps a catalog row that is not printed on its own (a column
	// default, a view's rule, a table's row type, an array type, the index
	// of a constraint) to the item it belongs to.
	alias map[key]key
	order []*item // in the order read, for a stable print
	role  string  // the connected role, quoted as an identifier
}

func (r *reader) add(it *item) {
	if _, dup := r.items[it.key]; dup {
		return
	}
	r.items[it.key] = it
	r.order = append(r.order, it)
}

// rows runs sql and calls fn with each row's columns as text (NULL is "").
func (r *reader) rows(ctx context.Context, sql string, fn func(col []string), args ...any) error {
	rows, err := r.tx.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		n := len(rows.FieldDescriptions())
		vals := make([]*string, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		col := make([]string, n)
		for i, v := range vals {
			if v != nil {
				col[i] = *v
			}
		}
		fn(col)
	}
	return rows.Err()
}

// steps are the readers of read, one per kind of object, in order: the
// extension point for a new kind.
var steps = []struct {
	what string
	fn   func(*reader, context.Context) error
}{
	{"schemas", (*reader).readSchemas},
	{"extensions", (*reader).readExtensions},
	{"collations", (*reader).readCollations},
	{"types", (*reader).readTypes},
	{"ranges", (*reader).readRanges},
	{"text search", (*reader).readTextSearch},
	{"functions", (*reader).readFunctions},
	{"aggregates", (*reader).readAggregates},
	{"operators", (*reader).readOperators},
	{"sequences", (*reader).readSequences},
	{"relations", (*reader).readRelations},
	{"constraints", (*reader).readConstraints},
	{"indexes", (*reader).readIndexes},
	{"triggers", (*reader).readTriggers},
	{"policies", (*reader).readPolicies},
	{"event triggers", (*reader).readEventTriggers},
	{"publications", (*reader).readPublications},
	{"opaque objects", (*reader).readOpaque},
	{"casts", (*reader).readCasts},
	{"rules", (*reader).readRules},
	{"statistics", (*reader).readStatistics},
	{"foreign data", (*reader).readForeign},
	{"privileges", (*reader).readPrivileges},
	{"default privileges", (*reader).readDefaultPrivileges},
	{"dependencies", (*reader).readDepends},
}

// Reads names what inspect reads, step by step ("types", "aggregates"):
// what a test holds against the kinds of ddlmig's model, which inspect
// does not import.
func Reads() []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.what
	}
	return out
}

func (r *reader) read(ctx context.Context) error {
	for _, step := range steps {
		if err := step.fn(r, ctx); err != nil {
			return fmt.Errorf("inspect: reading %s: %w", step.what, err)
		}
	}
	return nil
}

// print writes the items, each after what it depends on; among those ready
// at once, by rank and name. A dependency cycle (which PostgreSQL can only
// hold through objects created in another order and altered since) is
// broken by printing the lowest-ranked item of the cycle.
func (r *reader) print(w io.Writer) error {
	bw := &errWriter{w: w}
	bw.printf("%s", r.header())
	for _, it := range r.sorted() {
		bw.printf("\n")
		for _, s := range it.sql {
			bw.printf("%s\n", s)
		}
	}
	return bw.err
}

// header begins every file inspect writes; Split's files too, which is how
// a later inspect --split knows the files it may replace. Its
// -- ddlmig:role line names the connected role, which owns what inspect
// prints no OWNER TO for: the text then folds to no owner for those
// objects, as a schema.sql whose OWNER TO names that role does.
func (r *reader) header() string {
	return Header + "\n-- ddlmig:role " + r.role + "\nSET check_function_bodies = false;\n"
}

// Header is the first line of what inspect writes.
const Header = "-- Schema read from a live database by ddlmig inspect."

// sorted returns the items in the order print writes them.
func (r *reader) sorted() []*item {
	var h itemHeap
	for _, it := range r.order {
		if it.waiting == 0 {
			heap.Push(&h, it)
		}
	}
	var out []*item
	for len(out) < len(r.order) {
		if h.Len() == 0 {
			var min *item
			for _, it := range r.order {
				if !it.printed && (min == nil || less(it, min)) {
					min = it
				}
			}
			min.waiting = 0
			heap.Push(&h, min)
		}
		it := heap.Pop(&h).(*item)
		if it.printed {
			continue
		}
		it.printed = true
		out = append(out, it)
		for _, u := range it.users {
			u.waiting--
			if u.waiting == 0 && !u.printed {
				heap.Push(&h, u)
			}
		}
	}
	return out
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func less(a, b *item) bool {
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	return a.name < b.name
}

type itemHeap []*item

func (h itemHeap) Len() int           { return len(h) }
func (h itemHeap) Less(i, j int) bool { return less(h[i], h[j]) }
func (h itemHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *itemHeap) Push(x any) {
	it := x.(*item)
	it.index = len(*h)
	*h = append(*h, it)
}
func (h *itemHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// resolve follows aliases to the item a catalog row belongs to.
func (r *reader) resolve(k key) *item {
	for range 8 {
		if it, ok := r.items[k]; ok {
			return it
		}
		a, ok := r.alias[k]
		if !ok {
			return nil
		}
		k = a
	}
	return nil
}

// depend records that item a must be printed after b.
func depend(a, b *item) {
	if a == nil || b == nil || a == b {
		return
	}
	for _, u := range b.users {
		if u == a {
			return
		}
	}
	b.users = append(b.users, a)
	a.waiting++
}

// literal quotes s as an SQL string constant.
func literal(s string) string {
	if strings.Contains(s, `\`) {
		return "E'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// comment returns COMMENT ON what IS 'text'; "" when text is empty.
func comment(what, text string) []string {
	if text == "" {
		return nil
	}
	return []string{"COMMENT ON " + what + " IS " + literal(text) + ";"}
}
