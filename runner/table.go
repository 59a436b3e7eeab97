package runner

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultTable is the bookkeeping table's name when Options.Table is empty.
const DefaultTable = "ddlmig_migrations"

// Record is one row of the bookkeeping table: a migration the database has
// applied (or, when Dirty, started to apply outside a transaction).
type Record struct {
	Version  uint64
	Name     string
	Checksum string // hex sha256 of the up file as it was applied
	// AppliedAt is when the migration committed (or was stamped).
	AppliedAt time.Time
	// Duration is the server-side execution time; Stamped rows have none.
	Duration time.Duration
	Stamped  bool
	// Dirty marks a no-transaction migration that has not finished; Failure
	// then says which statement failed and why ("" if the run was killed).
	Dirty   bool
	Failure string
	// Batch is set while a file cut by batch markers is partway: the
	// number of its batches committed, in BatchFile (the up or the down
	// file, saying which way it was going). Checksum is then that of the
	// up file's text up to the end of those batches.
	Batch     int
	BatchFile string
}

// table is the bookkeeping table's qualified name.
type table struct {
	schema, name string
}

func parseTable(s string) (table, error) {
	if s == "" {
		s = DefaultTable
	}
	sch, name, ok := strings.Cut(s, ".")
	if !ok {
		sch, name = "public", s
	}
	if sch == "" || name == "" || strings.Contains(name, ".") {
		return table{}, fmt.Errorf("bad table name %q: want NAME or SCHEMA.NAME", s)
	}
	return table{sch, name}, nil
}

// String returns the table's name quoted for SQL.
func (t table) String() string { return pgx.Identifier{t.schema, t.name}.Sanitize() }

// display returns the table's name for messages.
func (t table) display() string { return t.schema + "." + t.name }

// lockKey derives the advisory lock key from the table name, so that two
// projects keeping separate tables in one database do not block each other.
func (t table) lockKey() int64 {
	h := fnv.New64a()
	h.Write([]byte("ddlmig\x00" + t.schema + "\x00" + t.name))
	return int64(h.Sum64())
}

func (t table) createSQL() string {
	return `CREATE TABLE IF NOT EXISTS ` + t.String() + ` (
	version    bigint PRIMARY KEY,
	name       text NOT NULL,
	checksum   text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	duration   interval,
	dirty      boolean NOT NULL DEFAULT false,
	failure    text,
	batch      integer,
	batch_file text
)`
}

// layout is the shape of the table found under the bookkeeping table's
// name: missing, or one ddlmig made (now or in an older version). Anything
// else is refused untouched by inspect.
type layout int

const (
	layoutMissing layout = iota + 1
	// layoutV1: made before batches existed, without batch and batch_file;
	// ensure adds them.
	layoutV1
	layoutCurrent
)

func (l layout) String() string {
	switch l {
	case layoutMissing:
		return "missing"
	case layoutV1:
		return "v1"
	case layoutCurrent:
		return "current"
	}
	return fmt.Sprintf("layout(%d)", int(l))
}

// v1Columns and batchColumns are the bookkeeping table's columns as
// pg_attribute and format_type describe them: name, type and NOT NULL.
// A table ddlmig made has exactly v1Columns, or those and batchColumns.
var (
	v1Columns = []string{
		"version bigint NOT NULL",
		"name text NOT NULL",
		"checksum text NOT NULL",
		"applied_at timestamp with time zone NOT NULL",
		"duration interval",
		"dirty boolean NOT NULL",
		"failure text",
	}
	batchColumns = []string{
		"batch integer",
		"batch_file text",
	}
)

// relkinds names pg_class.relkind values for messages.
var relkinds = map[string]string{
	"p": "a partitioned table", "v": "a view", "m": "a materialized view", "f": "a foreign table",
	"S": "a sequence", "i": "an index", "I": "a partitioned index", "c": "a composite type", "t": "a TOAST table",
}

// inspect says what is under the table's name, reading only the catalogs
// (no privilege on the table is needed). A relation that is not a table
// ddlmig made is an error wrapping ErrNotBookkeeping, which says what it is
// and how it differs; nothing may write to it.
func (t table) inspect(ctx context.Context, conn *pgx.Conn) (layout, error) {
	var kind string
	var cols []string
	var pk bool
	err := conn.QueryRow(ctx, `SELECT c.relkind::text,
	coalesce((SELECT array_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END ORDER BY a.attnum)
		FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '{}'),
	EXISTS (SELECT FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
		WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1 AND a.attname = 'version')
FROM pg_class c WHERE c.oid = to_regclass($1)`, t.String()).Scan(&kind, &cols, &pk)
	if errors.Is(err, pgx.ErrNoRows) {
		return layoutMissing, nil
	}
	if isPermissionDenied(err) {
		user := currentUser(ctx, conn)
		return 0, &TableError{Table: t.display(), User: user, Action: "looking it up", Err: err,
			Missing: []string{"USAGE on schema " + t.schema},
			Grant:   fmt.Sprintf("GRANT USAGE ON SCHEMA %s TO %s;", pgx.Identifier{t.schema}.Sanitize(), pgx.Identifier{user}.Sanitize())}
	}
	if err != nil {
		return 0, fmt.Errorf("looking for table %s: %w", t.display(), err)
	}
	if kind != "r" {
		what := relkinds[kind]
		if what == "" {
			what = fmt.Sprintf("a relation of kind %q", kind)
		}
		return 0, &notOursError{fmt.Sprintf("bookkeeping table %s: it is %s, not a table ddlmig made; ddlmig changed nothing. Name another table (--table)",
			t.display(), what)}
	}
	current := append(append([]string{}, v1Columns...), batchColumns...)
	switch {
	case pk && sameColumns(cols, v1Columns):
		return layoutV1, nil
	case pk && sameColumns(cols, current):
		return layoutCurrent, nil
	}
	// Say how it differs from the nearer of the two layouts.
	diff := columnDiff(cols, current)
	if d := columnDiff(cols, v1Columns); len(d) < len(diff) {
		diff = d
	}
	if missing := countPrefix(diff, "no column "); missing > len(v1Columns)/2 {
		// Not a ddlmig table at all: a list of differences would be
		// noise.
		diff = []string{"its columns are " + columnNames(cols) + "; a ddlmig table's are " + columnNames(current)}
	} else if !pk {
		diff = append(diff, "no primary key on version")
	}
	return 0, &notOursError{fmt.Sprintf("bookkeeping table %s: the table exists but is not one ddlmig made (%s); ddlmig changed nothing. "+
		"Name another table (--table), or, if it is a ddlmig table someone altered, restore its columns",
		t.display(), strings.Join(diff, "; "))}
}

// notOursError refuses a relation ddlmig did not make; it wraps
// ErrNotBookkeeping.
type notOursError struct{ msg string }

func (e *notOursError) Error() string { return e.msg }
func (e *notOursError) Unwrap() error { return ErrNotBookkeeping }

// sameColumns reports whether got and want hold the same columns, in any
// order.
func sameColumns(got, want []string) bool {
	return len(got) == len(want) && len(columnDiff(got, want)) == 0
}

func countPrefix(list []string, prefix string) int {
	n := 0
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}

// columnNames lists the names of columns described as in v1Columns.
func columnNames(cols []string) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i], _, _ = strings.Cut(c, " ")
	}
	return strings.Join(names, ", ")
}

// columnDiff says how the columns got differ from want, for messages:
// "no column checksum", "column version is integer, not bigint NOT NULL",
// "unexpected column email text".
func columnDiff(got, want []string) []string {
	name := func(c string) string { n, _, _ := strings.Cut(c, " "); return n }
	have := map[string]string{}
	for _, c := range got {
		have[name(c)] = c
	}
	var out []string
	wanted := map[string]bool{}
	for _, w := range want {
		n := name(w)
		wanted[n] = true
		g, ok := have[n]
		switch {
		case !ok:
			out = append(out, "no column "+n)
		case g != w:
			_, gt, _ := strings.Cut(g, " ")
			_, wt, _ := strings.Cut(w, " ")
			out = append(out, fmt.Sprintf("column %s is %s, not %s", n, gt, wt))
		}
	}
	for _, c := range got {
		if !wanted[name(c)] {
			out = append(out, "unexpected column "+c)
		}
	}
	return out
}

// ensure creates the table (and its schema) when missing, and brings a
// table an older ddlmig made up to date. It runs under the advisory lock,
// so two runs never race on it. A relation that is not ddlmig's is refused
// before anything is written.
func (t table) ensure(ctx context.Context, conn *pgx.Conn) (layout, error) {
	l, err := t.inspect(ctx, conn)
	if err != nil {
		return 0, err
	}
	switch l {
	case layoutCurrent:
		return l, nil
	case layoutV1:
		// Tables made before batches existed lack their columns.
		_, err = conn.Exec(ctx, `ALTER TABLE `+t.String()+` ADD COLUMN IF NOT EXISTS batch integer, ADD COLUMN IF NOT EXISTS batch_file text`)
		if err != nil {
			return 0, t.privilegeError(ctx, conn, err, "adding the batch columns to it", "")
		}
		return layoutCurrent, nil
	}
	var hasSchema bool
	if err := conn.QueryRow(ctx, `SELECT to_regnamespace($1) IS NOT NULL`, pgx.Identifier{t.schema}.Sanitize()).Scan(&hasSchema); err != nil {
		return 0, err
	}
	if !hasSchema {
		if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{t.schema}.Sanitize()); err != nil {
			return 0, t.privilegeError(ctx, conn, err, "creating schema "+t.schema+" for it", "")
		}
	}
	if _, err = conn.Exec(ctx, t.createSQL()); err != nil {
		return 0, t.privilegeError(ctx, conn, err, "creating it", "")
	}
	return layoutCurrent, nil
}

// load reads all rows, in version order.
func (t table) load(ctx context.Context, conn *pgx.Conn, l layout) ([]Record, error) {
	if l == layoutMissing {
		return nil, nil
	}
	// Read-only commands must work on a table an older ddlmig made.
	batchCols := `0, ''`
	if l == layoutCurrent {
		batchCols = `coalesce(batch, 0), coalesce(batch_file, '')`
	}
	rows, err := conn.Query(ctx, `SELECT version, name, checksum, applied_at,
	coalesce((extract(epoch FROM duration) * 1000000)::bigint, -1), dirty, coalesce(failure, ''), `+batchCols+`
FROM `+t.String()+` ORDER BY version`)
	if err != nil {
		return nil, t.privilegeError(ctx, conn, err, "reading it", "SELECT")
	}
	var recs []Record
	for rows.Next() {
		var r Record
		var v, us int64
		if err := rows.Scan(&v, &r.Name, &r.Checksum, &r.AppliedAt, &us, &r.Dirty, &r.Failure, &r.Batch, &r.BatchFile); err != nil {
			rows.Close()
			return nil, err
		}
		r.Version = uint64(v)
		if us < 0 {
			r.Stamped = !r.Dirty
		} else {
			r.Duration = time.Duration(us) * time.Microsecond
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, t.privilegeError(ctx, conn, err, "reading it", "SELECT")
	}
	return recs, nil
}

// insertSQL is the bookkeeping row of a transactional migration, sent in the
// same batch as the file: clock_timestamp() - now() is the time the file took
// since BEGIN, measured by the server.
func (t table) insertSQL(version uint64, name, checksum string) string {
	return fmt.Sprintf(`INSERT INTO %s (version, name, checksum, applied_at, duration) VALUES (%d, %s, %s, clock_timestamp(), clock_timestamp() - now())`,
		t, version, quoteLiteral(name), quoteLiteral(checksum))
}

func (t table) deleteSQL(version uint64) string {
	return fmt.Sprintf(`DELETE FROM %s WHERE version = %d`, t, version)
}

// quoteLiteral quotes a string for SQL text. Names and checksums come from
// file names and hex digests, but quoting keeps any file name harmless.
func quoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		return "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}
