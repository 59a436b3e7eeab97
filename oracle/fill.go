package oracle

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// relation is a table as the filler and the data snapshot see it.
type relation struct {
	oid     uint32
	name    string // schema.table, unquoted, as in reports
	sql     string // quoted, for statements
	relkind string
	deps    []uint32 // tables its foreign keys reference
}

// tableList lists the user tables in an order where referenced tables come
// before the tables that reference them (cycles are broken by name order).
// Foreign tables hold no rows here, and a partitioned table with a foreign
// partition anywhere below it is left out too: a row routed to, or a scan
// of, the partition reaches the remote side, which a test has not.
func tableList(ctx context.Context, conn *pgx.Conn, o ReadOptions) ([]*relation, error) {
	rows, err := conn.Query(ctx, `SELECT r.oid, n.nspname, r.relname, r.relkind,
			ARRAY(SELECT DISTINCT co.confrelid FROM pg_constraint co
				WHERE co.conrelid = r.oid AND co.contype = 'f' AND co.confrelid <> r.oid)
		FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
		WHERE r.relkind IN ('r', 'p') AND `+relFilter("r", "n")+`
			AND NOT EXISTS (WITH RECURSIVE below(oid) AS (
					SELECT h.inhrelid FROM pg_inherits h WHERE h.inhparent = r.oid
					UNION SELECT h.inhrelid FROM pg_inherits h JOIN below b ON h.inhparent = b.oid)
				SELECT 1 FROM below b JOIN pg_class c ON c.oid = b.oid WHERE c.relkind = 'f')
		ORDER BY n.nspname, r.relname`, o.exclude())
	if err != nil {
		return nil, err
	}
	var all []*relation
	for rows.Next() {
		var r relation
		var ns, name string
		if err := rows.Scan(&r.oid, &ns, &name, &r.relkind, &r.deps); err != nil {
			return nil, err
		}
		r.name = ns + "." + name
		r.sql = quoteIdent(ns) + "." + quoteIdent(name)
		all = append(all, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	done := map[uint32]bool{}
	var order []*relation
	for len(order) < len(all) {
		progress := false
		for _, r := range all {
			if done[r.oid] {
				continue
			}
			ready := true
			for _, d := range r.deps {
				if !done[d] {
					ready = false
				}
			}
			if ready {
				done[r.oid] = true
				order = append(order, r)
				progress = true
			}
		}
		if !progress { // a cycle: take the first remaining table
			for _, r := range all {
				if !done[r.oid] {
					done[r.oid] = true
					order = append(order, r)
					break
				}
			}
		}
	}
	return order, nil
}

// column is what the filler needs to know of a column.
type column struct {
	name, typ string // typ: format_type, usable as a cast
	notNull   bool
	skip      bool // identity, serial or generated: let PostgreSQL fill it
	gen       func(n int) (string, bool)
}

type foreignKey struct {
	cols    []string
	refSQL  string
	refCols []string
}

// filler inserts rows using only what the catalog says about each column.
type filler struct {
	conn  *pgx.Conn
	types map[uint32]func(n, typmod int) (string, bool)
}

// fill inserts up to perTable rows in every table, referenced tables first,
// and returns how many rows each table got. Each row is its own statement, so
// a row that a constraint rejects is simply skipped.
func fill(ctx context.Context, conn *pgx.Conn, o ReadOptions, perTable int) (map[string]int, error) {
	f := &filler{conn: conn, types: map[uint32]func(int, int) (string, bool){}}
	tables, err := tableList(ctx, conn, o)
	if err != nil {
		return nil, err
	}
	got := map[string]int{}
	for _, t := range tables {
		got[t.name] = 0
		cols, err := f.columns(ctx, t.oid)
		if err != nil {
			return nil, err
		}
		fks, err := f.foreignKeys(ctx, t.oid)
		if err != nil {
			return nil, err
		}
		// Later attempts vary the values and, in the second half, leave
		// nullable columns NULL, which satisfies CHECKs like "a IS NULL OR b
		// IS NULL" and foreign keys to empty tables.
		for seed := 0; got[t.name] < perTable && seed < perTable*4; seed++ {
			nulls := seed >= perTable*2
			stmt, err := f.insert(ctx, t, cols, fks, seed, nulls)
			if err != nil {
				return nil, err
			}
			if _, err := conn.Exec(ctx, stmt); err == nil {
				got[t.name]++
			}
		}
	}
	return got, nil
}

func (f *filler) insert(ctx context.Context, t *relation, cols []column, fks []foreignKey, seed int, nulls bool) (string, error) {
	vals := map[string]string{}
	for _, c := range cols {
		if c.skip {
			continue
		}
		if nulls && !c.notNull {
			vals[c.name] = "NULL"
			continue
		}
		if v, ok := c.gen(seed); ok {
			vals[c.name] = quoteLiteral(v) + "::" + c.typ
		} else if !c.notNull {
			vals[c.name] = "NULL"
		}
	}
	for _, fk := range fks {
		ref, err := f.reference(ctx, fk, seed)
		if err != nil {
			return "", err
		}
		for i, c := range fk.cols {
			if ref == nil {
				vals[c] = "NULL"
			} else {
				vals[c] = quoteLiteral(ref[i]) + "::" + typeOf(cols, c)
			}
		}
	}
	if len(vals) == 0 {
		return "INSERT INTO " + t.sql + " DEFAULT VALUES", nil
	}
	var names, exprs []string
	for _, c := range cols {
		if v, ok := vals[c.name]; ok {
			names = append(names, quoteIdent(c.name))
			exprs = append(exprs, v)
		}
	}
	return "INSERT INTO " + t.sql + " (" + strings.Join(names, ", ") + ") VALUES (" + strings.Join(exprs, ", ") + ")", nil
}

func typeOf(cols []column, name string) string {
	for _, c := range cols {
		if c.name == name {
			return c.typ
		}
	}
	return "text"
}

// reference picks an existing referenced row, different rows for different
// seeds; nil when the referenced table has no row with all keys set.
func (f *filler) reference(ctx context.Context, fk foreignKey, seed int) ([]string, error) {
	var sel, where []string
	for _, c := range fk.refCols {
		sel = append(sel, quoteIdent(c)+"::text")
		where = append(where, quoteIdent(c)+" IS NOT NULL")
	}
	rows, err := f.conn.Query(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+fk.refSQL+
		" WHERE "+strings.Join(where, " AND ")+" ORDER BY 1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var refs [][]string
	for rows.Next() {
		ref := make([]string, len(fk.refCols))
		ptrs := make([]any, len(ref))
		for i := range ref {
			ptrs[i] = &ref[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		refs = append(refs, ref)
	}
	if err := rows.Err(); err != nil || len(refs) == 0 {
		return nil, err
	}
	return refs[seed%len(refs)], nil
}

func (f *filler) columns(ctx context.Context, oid uint32) ([]column, error) {
	rows, err := f.conn.Query(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod),
			a.atttypid, a.atttypmod, a.attnotnull,
			a.attidentity <> '' OR a.attgenerated <> ''
				OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%'
		FROM pg_attribute a
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, oid)
	if err != nil {
		return nil, err
	}
	type raw struct {
		c      column
		typoid uint32
		typmod int32
	}
	var raws []raw
	for rows.Next() {
		var r raw
		if err := rows.Scan(&r.c.name, &r.c.typ, &r.typoid, &r.typmod, &r.c.notNull, &r.c.skip); err != nil {
			return nil, err
		}
		raws = append(raws, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var cols []column
	for _, r := range raws {
		gen, err := f.generator(ctx, r.typoid)
		if err != nil {
			return nil, err
		}
		typmod := int(r.typmod)
		r.c.gen = func(n int) (string, bool) { return gen(n, typmod) }
		cols = append(cols, r.c)
	}
	return cols, nil
}

func (f *filler) foreignKeys(ctx context.Context, oid uint32) ([]foreignKey, error) {
	rows, err := f.conn.Query(ctx, `SELECT
			ARRAY(SELECT a.attname FROM unnest(co.conkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.n ORDER BY k.i),
			format('%I.%I', rn.nspname, r.relname),
			ARRAY(SELECT a.attname FROM unnest(co.confkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.n ORDER BY k.i)
		FROM pg_constraint co
		JOIN pg_class r ON r.oid = co.confrelid
		JOIN pg_namespace rn ON rn.oid = r.relnamespace
		WHERE co.conrelid = $1 AND co.contype = 'f'
		ORDER BY co.conname`, oid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var fks []foreignKey
	for rows.Next() {
		var fk foreignKey
		if err := rows.Scan(&fk.cols, &fk.refSQL, &fk.refCols); err != nil {
			return nil, err
		}
		fks = append(fks, fk)
	}
	return fks, rows.Err()
}

// generator returns a value maker for a type: distinct text values for
// distinct n (where the type allows), or false when the filler does not know
// the type and leaves the column NULL. Domains use their base type; the cast
// to the domain applies its checks.
func (f *filler) generator(ctx context.Context, oid uint32) (func(n, typmod int) (string, bool), error) {
	if g, ok := f.types[oid]; ok {
		return g, nil
	}
	var name, typtype, category string
	var base uint32
	var baseTypmod int32
	err := f.conn.QueryRow(ctx, `SELECT typname, typtype::text, typcategory::text, typbasetype, typtypmod
		FROM pg_type WHERE oid = $1`, oid).Scan(&name, &typtype, &category, &base, &baseTypmod)
	if err != nil {
		return nil, err
	}
	var g func(n, typmod int) (string, bool)
	switch {
	case typtype == "d":
		bg, err := f.generator(ctx, base)
		if err != nil {
			return nil, err
		}
		g = func(n, _ int) (string, bool) { return bg(n, int(baseTypmod)) }
	case typtype == "e":
		var labels []string
		err := f.conn.QueryRow(ctx, `SELECT ARRAY(SELECT enumlabel::text FROM pg_enum
			WHERE enumtypid = $1 ORDER BY enumsortorder)`, oid).Scan(&labels)
		if err != nil {
			return nil, err
		}
		g = func(n, _ int) (string, bool) {
			if len(labels) == 0 {
				return "", false
			}
			return labels[n%len(labels)], true
		}
	case typtype == "r":
		g = func(int, int) (string, bool) { return "empty", true }
	case category == "A":
		g = func(int, int) (string, bool) { return "{}", true }
	case category == "S":
		// Digits, so that a migration casting the column to a number or
		// boolean-free type (text to integer) runs on the filled rows.
		g = func(n, typmod int) (string, bool) {
			s := strconv.Itoa(n + 1)
			if (name == "varchar" || name == "bpchar") && typmod > 4 && len(s) > typmod-4 {
				s = s[len(s)-(typmod-4):]
			}
			return s, true
		}
	default:
		g = scalar(name)
	}
	f.types[oid] = g
	return g, nil
}

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// scalar makes values for the built-in base types by name.
func scalar(name string) func(n, typmod int) (string, bool) {
	switch name {
	case "int2", "int4", "int8", "numeric", "oid", "money":
		return func(n, _ int) (string, bool) { return strconv.Itoa(n + 1), true }
	case "float4", "float8":
		return func(n, _ int) (string, bool) { return strconv.Itoa(n+1) + ".5", true }
	case "bool":
		return func(n, _ int) (string, bool) { return strconv.FormatBool(n%2 == 0), true }
	case "date":
		return func(n, _ int) (string, bool) { return epoch.AddDate(0, 0, n).Format("2006-01-02"), true }
	case "timestamp":
		return func(n, _ int) (string, bool) {
			return epoch.Add(time.Duration(n) * time.Hour).Format("2006-01-02 15:04:05"), true
		}
	case "timestamptz":
		return func(n, _ int) (string, bool) {
			return epoch.Add(time.Duration(n) * time.Hour).Format("2006-01-02 15:04:05Z07:00"), true
		}
	case "time":
		return func(n, _ int) (string, bool) { return fmt.Sprintf("%02d:%02d:00", n/60%24, n%60), true }
	case "timetz":
		return func(n, _ int) (string, bool) { return fmt.Sprintf("%02d:%02d:00+00", n/60%24, n%60), true }
	case "interval":
		return func(n, _ int) (string, bool) { return fmt.Sprintf("%d minutes", n+1), true }
	case "uuid":
		return func(n, _ int) (string, bool) { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n+1), true }
	case "json", "jsonb":
		return func(n, _ int) (string, bool) { return fmt.Sprintf(`{"n": %d}`, n+1), true }
	case "bytea":
		return func(n, _ int) (string, bool) { return fmt.Sprintf(`\x%02x`, (n+1)%256), true }
	case "inet", "cidr":
		return func(n, _ int) (string, bool) { return fmt.Sprintf("10.%d.%d.0/24", n/256%256, n%256), true }
	case "macaddr":
		return func(n, _ int) (string, bool) { return fmt.Sprintf("08:00:2b:00:%02x:%02x", n/256%256, n%256), true }
	}
	return func(int, int) (string, bool) { return "", false }
}

// snapshot is every table's rows as text, keyed by table then column.
type snapshot map[string]*tableRows

type tableRows struct {
	cols []string
	rows [][]string // NULL is nullText
}

const nullText = "\x00NULL"

// takeSnapshot reads every row of every user table as text. Generated
// columns are left out: they are derived, not data.
func takeSnapshot(ctx context.Context, conn *pgx.Conn, o ReadOptions) (snapshot, error) {
	tables, err := tableList(ctx, conn, o)
	if err != nil {
		return nil, err
	}
	s := snapshot{}
	for _, t := range tables {
		var cols []string
		err := conn.QueryRow(ctx, `SELECT ARRAY(SELECT attname::text FROM pg_attribute
			WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
			ORDER BY attname)`, t.oid).Scan(&cols)
		if err != nil {
			return nil, err
		}
		tr := &tableRows{cols: cols}
		s[t.name] = tr
		only := "ONLY "
		if t.relkind == "p" {
			only = ""
		}
		if len(cols) == 0 {
			// A table without columns still holds rows; count them so
			// that a column added by up is compared on as many rows.
			var n int
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+only+t.sql).Scan(&n); err != nil {
				return nil, err
			}
			tr.rows = make([][]string, n)
			continue
		}
		var sel []string
		for _, c := range cols {
			sel = append(sel, quoteIdent(c)+"::text")
		}
		rows, err := conn.Query(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+only+t.sql)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			vals := make([]*string, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				row[i] = nullText
				if v != nil {
					row[i] = *v
				}
			}
			tr.rows = append(tr.rows, row)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// project returns the multiset of rows over the given columns, sorted, each
// row encoded as one string; and per column, the sorted values.
func (t *tableRows) project(cols []string) (rows []string, byCol [][]string) {
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, tc := range t.cols {
			if tc == c {
				idx[i] = j
			}
		}
	}
	byCol = make([][]string, len(cols))
	for _, r := range t.rows {
		var b strings.Builder
		for i, j := range idx {
			b.WriteString(r[j])
			b.WriteByte(0)
			byCol[i] = append(byCol[i], r[j])
		}
		rows = append(rows, b.String())
	}
	sort.Strings(rows)
	for _, v := range byCol {
		sort.Strings(v)
	}
	return rows, byCol
}
