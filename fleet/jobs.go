package fleet

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/runner"
)

// Apply returns a Job applying the folder's pending migrations (up to to;
// 0: all) to a target with the single-database runner, recording the
// version before and after.
func Apply(fsys fs.FS, opts runner.Options, to uint64) Job {
	return func(ctx context.Context, t Target, res *Result) error {
		return withRunner(ctx, t, fsys, opts, res, func(r *runner.Runner) error {
			applied, err := r.Apply(ctx, to)
			res.Applied = len(applied)
			return err
		})
	}
}

// Down returns a Job rolling a target back to version to (0: all the way)
// with the single-database runner. A target already at or below to is
// left alone.
func Down(fsys fs.FS, opts runner.Options, to uint64) Job {
	return func(ctx context.Context, t Target, res *Result) error {
		return withRunner(ctx, t, fsys, opts, res, func(r *runner.Runner) error {
			if res.Before <= to {
				return nil
			}
			done, err := r.DownTo(ctx, to)
			res.RolledBack = len(done)
			return err
		})
	}
}

// DryRun returns a Job that lists, in res.WouldRun, the files Apply (up
// to to; 0: all) or, when down is set, DownTo(to) would run on a target,
// after the same checks, changing nothing.
func DryRun(fsys fs.FS, opts runner.Options, to uint64, down bool) Job {
	return func(ctx context.Context, t Target, res *Result) error {
		return withRunner(ctx, t, fsys, opts, res, func(r *runner.Runner) error {
			var steps []runner.Step
			var err error
			switch {
			case !down:
				steps, err = r.Plan(ctx, to)
			case res.Before > to:
				steps, err = r.PlanDownTo(ctx, to)
			}
			for _, st := range steps {
				res.WouldRun = append(res.WouldRun, st.File)
			}
			return err
		})
	}
}

// Status returns a Job that only reads each target's state.
func Status(fsys fs.FS, opts runner.Options) Job {
	return func(ctx context.Context, t Target, res *Result) error {
		return withRunner(ctx, t, fsys, opts, res, func(*runner.Runner) error { return nil })
	}
}

// withRunner connects, notes the version, runs do, and notes the version
// and pending count after (also after a failure: what the failure left).
func withRunner(ctx context.Context, t Target, fsys fs.FS, opts runner.Options, res *Result, do func(*runner.Runner) error) error {
	conn, err := Connect(ctx, t)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if opts.Table, err = TenantTable(opts.Table, t.Schema); err != nil {
		return err
	}
	r, err := runner.New(conn, fsys, opts)
	if err != nil {
		return err
	}
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	res.Before, res.After, res.Pending = st.Version, st.Version, st.Pending()
	err = do(r)
	if st, serr := r.Status(context.Background()); serr == nil {
		res.After, res.Pending = st.Version, st.Pending()
	}
	return err
}

// Connect opens the runner's connection to t: for a tenant schema, with
// search_path set to the schema alone from the start of the session, so
// that the migrations' unqualified names are the tenant's (a RESET in a
// migration goes back to it, too).
func Connect(ctx context.Context, t Target) (*pgx.Conn, error) {
	if t.Schema == "" {
		return runner.Connect(ctx, t.URL)
	}
	cfg, err := pgx.ParseConfig(t.URL)
	if err != nil {
		return runner.Connect(ctx, t.URL) // says what is wrong, without the password
	}
	cfg.RuntimeParams["search_path"] = pgx.Identifier{t.Schema}.Sanitize()
	return runner.ConnectConfig(ctx, cfg)
}

// TenantTable is the bookkeeping table of a tenant schema: table (an
// unqualified name; the default when empty) in that schema. Without a
// schema it is table itself.
func TenantTable(table, schema string) (string, error) {
	if schema == "" {
		return table, nil
	}
	if table == "" {
		table = runner.DefaultTable
	}
	if strings.Contains(table, ".") {
		return "", fmt.Errorf("--table %s names a schema, but each tenant schema keeps its own bookkeeping table: give an unqualified name", table)
	}
	return schema + "." + table, nil
}
