package oracle

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/scratch"
)

// Case is one migration to check: the schema before and after, as SQL, and
// the scripts that should turn one into the other.
type Case struct {
	Old, New string // schemas, loaded directly into fresh databases
	Up, Down string // the migration under test
	// Renames maps old names to new ones, so that data checks follow renamed
	// tables ("public.users": "public.people") and columns
	// ("public.users.email": "public.people.mail", always with full names on
	// both sides). A column of a renamed table keeps its name unless listed.
	Renames map[string]string
	// SkipDown checks only the up direction, for irreversible migrations.
	SkipDown bool
	// Rows is how many rows to try to insert per table; 0 means 3 and a
	// negative number none, for migrations that by nature fail on some rows.
	Rows int
	// Options are used for every catalog read and table listing.
	Options ReadOptions
}

// Report is what a round trip found. In the catalog differences, A is the
// migrated database and B the reference: New loaded directly after up, Old
// loaded directly after down (the catalog A had when Old was loaded into it,
// before any row went in: the same as Old loaded into a fresh database).
type Report struct {
	// Failed is set when a script did not run; the checks after it did not
	// happen.
	Failed *ScriptError
	// Filled says how many rows each table got before up, so a test can see
	// that the data checks had something to check.
	Filled    map[string]int
	UpDiffs   []string // catalog after up vs New
	UpData    []string // values lost or changed by up
	DownDiffs []string // catalog after down vs Old
	DownData  []string // values lost or changed by up and down together
}

// OK reports whether every script ran and every check passed.
func (r *Report) OK() bool {
	return r.Failed == nil && len(r.UpDiffs)+len(r.UpData)+len(r.DownDiffs)+len(r.DownData) == 0
}

// String is the report for a test failure message: one finding per line,
// under the step that found it.
func (r *Report) String() string {
	var b strings.Builder
	if r.Failed != nil {
		fmt.Fprintf(&b, "script failed: %v\n", r.Failed)
	}
	for _, sec := range []struct {
		title string
		lines []string
	}{
		{"after up, schema differs from new (A = migrated, B = new)", r.UpDiffs},
		{"after up, data lost or changed", r.UpData},
		{"after down, schema differs from old (A = migrated, B = old)", r.DownDiffs},
		{"after down, data lost or changed", r.DownData},
	} {
		if len(sec.lines) > 0 {
			fmt.Fprintf(&b, "%s:\n", sec.title)
			for _, l := range sec.lines {
				fmt.Fprintf(&b, "\t%s\n", l)
			}
		}
	}
	if b.Len() == 0 {
		return "ok\n"
	}
	return b.String()
}

// RoundTrip checks a migration on the server at serverURL (whose user may
// create databases): database A gets Old and a few rows in every table, then
// Up; it must then match B, where New is loaded directly, and keep every
// value of the tables and columns that exist before and after. Then Down runs
// on A, which must match C, where Old is loaded directly, and still hold the
// values of every column that survived up. The two databases are dropped
// when RoundTrip returns, also on failure; they are created by package
// scratch, so no statement runs anywhere else, whatever serverURL names.
//
// The catalog down is compared with is A's own, read after Old ran and
// before the rows went in, rather than a third database loaded with Old: the
// same catalog, without the CREATE and DROP DATABASE that cost most of a
// round trip's time.
//
// The error is for trouble with the server itself; a script PostgreSQL
// rejects is reported in Report.Failed.
func RoundTrip(ctx context.Context, serverURL string, c Case) (*Report, error) {
	admin, err := pgx.ParseConfig(serverURL)
	if err != nil {
		return nil, fmt.Errorf("server URL: %w", err)
	}
	conn, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	dbs, err := scratch.Create(ctx, conn, "ddlmig_oracle", "a", "b")
	if err != nil {
		return nil, err
	}
	defer dbs.Drop(ctx)
	return roundTrip(ctx, dbs.Config("a"), dbs.Config("b"), c)
}

// Databases provides the two empty databases of RoundTripIn.
type Databases interface {
	// Database returns the config of an empty database and a function that
	// releases the database once the round trip is done with it.
	Database(ctx context.Context) (*pgx.ConnConfig, func(), error)
}

// RoundTripIn is RoundTrip on two databases from dbs, released when it
// returns: tests hand out databases they reuse, which costs less than
// CREATE and DROP DATABASE.
func RoundTripIn(ctx context.Context, dbs Databases, c Case) (*Report, error) {
	var cfgs [2]*pgx.ConnConfig
	for i := range cfgs {
		cfg, release, err := dbs.Database(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		cfgs[i] = cfg
	}
	return roundTrip(ctx, cfgs[0], cfgs[1], c)
}

func roundTrip(ctx context.Context, a, b *pgx.ConnConfig, c Case) (*Report, error) {
	cfgs := map[string]*pgx.ConnConfig{"a": a, "b": b}
	rows := c.Rows
	if rows == 0 {
		rows = 3
	}

	rep := &Report{}
	for _, s := range []struct{ db, name, sql string }{{"a", "old", c.Old}, {"b", "new", c.New}} {
		if err := RunScript(ctx, cfgs[s.db], s.name, s.sql); err != nil {
			return failed(rep, err)
		}
	}

	var before snapshot
	var oldCat *Catalog
	err := withConn(ctx, cfgs["a"], func(conn *pgx.Conn) error {
		var err error
		if oldCat, err = ReadCatalog(ctx, conn, c.Options); err != nil {
			return err
		}
		if rep.Filled, err = fill(ctx, conn, c.Options, rows); err != nil {
			return fmt.Errorf("fill: %w", err)
		}
		before, err = takeSnapshot(ctx, conn, c.Options)
		return err
	})
	if err != nil {
		return nil, err
	}

	if err := RunScript(ctx, cfgs["a"], "up", c.Up); err != nil {
		return failed(rep, err)
	}
	var afterUp snapshot
	newCat, err := readCatalog(ctx, cfgs["b"], c.Options)
	if err != nil {
		return nil, err
	}
	if rep.UpDiffs, afterUp, err = check(ctx, cfgs["a"], newCat, c.Options); err != nil {
		return nil, err
	}
	rename := renamer(c.Renames)
	rep.UpData = compareData(before, afterUp,
		func(t string) string { nt, _ := rename(t, ""); return nt },
		func(t, col string) (string, bool) { _, nc := rename(t, col); return nc, true })
	if c.SkipDown {
		return rep, nil
	}

	if err := RunScript(ctx, cfgs["a"], "down", c.Down); err != nil {
		return failed(rep, err)
	}
	var afterDown snapshot
	if rep.DownDiffs, afterDown, err = check(ctx, cfgs["a"], oldCat, c.Options); err != nil {
		return nil, err
	}
	// Down is held to the values that survived up: what up dropped on
	// purpose cannot come back.
	rep.DownData = compareData(before, afterDown,
		func(t string) string {
			if nt, _ := rename(t, ""); afterUp[nt] == nil {
				return ""
			}
			return t
		},
		func(t, col string) (string, bool) {
			nt, nc := rename(t, col)
			return col, slices.Contains(afterUp[nt].cols, nc)
		})
	return rep, nil
}

// failed records a script error in the report; other errors are the server's.
func failed(rep *Report, err error) (*Report, error) {
	if se, ok := err.(*ScriptError); ok {
		rep.Failed = se
		return rep, nil
	}
	return nil, err
}

// check compares the catalog of a with ref and snapshots a's rows.
func check(ctx context.Context, a *pgx.ConnConfig, ref *Catalog, o ReadOptions) ([]string, snapshot, error) {
	var ca *Catalog
	var snap snapshot
	err := withConn(ctx, a, func(conn *pgx.Conn) error {
		var err error
		if ca, err = ReadCatalog(ctx, conn, o); err != nil {
			return err
		}
		snap, err = takeSnapshot(ctx, conn, o)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return Compare(ca, ref), snap, nil
}

func readCatalog(ctx context.Context, cfg *pgx.ConnConfig, o ReadOptions) (*Catalog, error) {
	var cat *Catalog
	err := withConn(ctx, cfg, func(conn *pgx.Conn) error {
		var err error
		cat, err = ReadCatalog(ctx, conn, o)
		return err
	})
	return cat, err
}

// renamer maps an old table and column name to the new ones.
func renamer(renames map[string]string) func(table, col string) (string, string) {
	return func(table, col string) (string, string) {
		if to, ok := renames[table+"."+col]; ok {
			if i := strings.LastIndexByte(to, '.'); i >= 0 {
				return to[:i], to[i+1:]
			}
			return table, to
		}
		if to, ok := renames[table]; ok {
			return to, col
		}
		return table, col
	}
}

// compareData reports the values of before that after does not hold.
// mapTable names each table of before in after ("" to leave the table out);
// mapCol names each column and says whether it takes part at all. Columns
// missing from after are not compared.
func compareData(before, after snapshot, mapTable func(table string) string, mapCol func(table, col string) (string, bool)) []string {
	var out []string
	for _, t := range sortedKeys(before) {
		tb, ta := before[t], after[mapTable(t)]
		if ta == nil {
			continue
		}
		if len(tb.rows) != len(ta.rows) {
			out = append(out, fmt.Sprintf("data %s: %d rows vs %d rows", t, len(tb.rows), len(ta.rows)))
			continue
		}
		var colsB, colsA []string
		for _, c := range tb.cols {
			if nc, ok := mapCol(t, c); ok && slices.Contains(ta.cols, nc) {
				colsB = append(colsB, c)
				colsA = append(colsA, nc)
			}
		}
		rowsB, byColB := tb.project(colsB)
		rowsA, byColA := ta.project(colsA)
		if slices.Equal(rowsB, rowsA) {
			continue
		}
		n := len(out)
		for i, c := range colsB {
			if !slices.Equal(byColB[i], byColA[i]) {
				out = append(out, fmt.Sprintf("data %s.%s: values %s vs %s", t, c, showValues(byColB[i]), showValues(byColA[i])))
			}
		}
		if len(out) == n {
			out = append(out, fmt.Sprintf("data %s: rows differ although each column keeps its values", t))
		}
	}
	return out
}

func showValues(vs []string) string {
	const max = 5
	var parts []string
	for i, v := range vs {
		if i == max {
			parts = append(parts, fmt.Sprintf("... (%d in all)", len(vs)))
			break
		}
		if v == nullText {
			parts = append(parts, "NULL")
		} else {
			parts = append(parts, fmt.Sprintf("%q", v))
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func sortedKeys(s snapshot) []string {
	var keys []string
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func withConn(ctx context.Context, cfg *pgx.ConnConfig, fn func(*pgx.Conn) error) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return fn(conn)
}
