package runner

import (
	"context"
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

// exists reports whether the bookkeeping table exists. Read-only commands
// use it so that they never create the table.
func (t table) exists(ctx context.Context, conn *pgx.Conn) (bool, error) {
	var ok bool
	err := conn.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, t.String()).Scan(&ok)
	return ok, err
}

// ensure creates the table (and its schema) when missing. It runs under the
// advisory lock, so two runs never race on it.
func (t table) ensure(ctx context.Context, conn *pgx.Conn) error {
	ok, err := t.exists(ctx, conn)
	if err != nil {
		return err
	}
	if ok {
		// Tables made before batches existed lack their columns.
		has, err := t.hasBatchColumns(ctx, conn)
		if err != nil || has {
			return err
		}
		_, err = conn.Exec(ctx, `ALTER TABLE `+t.String()+` ADD COLUMN IF NOT EXISTS batch integer, ADD COLUMN IF NOT EXISTS batch_file text`)
		return err
	}
	var hasSchema bool
	if err := conn.QueryRow(ctx, `SELECT to_regnamespace($1) IS NOT NULL`, pgx.Identifier{t.schema}.Sanitize()).Scan(&hasSchema); err != nil {
		return err
	}
	if !hasSchema {
		if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{t.schema}.Sanitize()); err != nil {
			return err
		}
	}
	_, err = conn.Exec(ctx, t.createSQL())
	return err
}

// load reads all rows, in version order.
func (t table) load(ctx context.Context, conn *pgx.Conn) ([]Record, error) {
	batchCols := `0, ''`
	if has, err := t.hasBatchColumns(ctx, conn); err != nil {
		return nil, err
	} else if has {
		batchCols = `coalesce(batch, 0), coalesce(batch_file, '')`
	}
	rows, err := conn.Query(ctx, `SELECT version, name, checksum, applied_at,
	coalesce((extract(epoch FROM duration) * 1000000)::bigint, -1), dirty, coalesce(failure, ''), `+batchCols+`
FROM `+t.String()+` ORDER BY version`)
	if err != nil {
		return nil, err
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
	return recs, rows.Err()
}

// hasBatchColumns reports whether the table has the batch columns; read-only
// commands must work on a table an older ddlmig made.
func (t table) hasBatchColumns(ctx context.Context, conn *pgx.Conn) (bool, error) {
	var n int
	err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_attribute WHERE attrelid = $1::regclass AND attname IN ('batch', 'batch_file') AND NOT attisdropped`,
		t.String()).Scan(&n)
	return n == 2, err
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
