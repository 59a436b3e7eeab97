package fleet

import (
	"context"
	"io/fs"

	"github.com/ddlmig/ddlmig/runner"
)

// Apply returns a Job applying the folder's pending migrations (up to to;
// 0: all) to a target with the single-database runner, recording the
// version before and after.
func Apply(fsys fs.FS, opts runner.Options, to uint64) Job {
	return func(ctx context.Context, url string, res *Result) error {
		return withRunner(ctx, url, fsys, opts, res, func(r *runner.Runner) error {
			applied, err := r.Apply(ctx, to)
			res.Applied = len(applied)
			return err
		})
	}
}

// Status returns a Job that only reads each target's state.
func Status(fsys fs.FS, opts runner.Options) Job {
	return func(ctx context.Context, url string, res *Result) error {
		return withRunner(ctx, url, fsys, opts, res, func(*runner.Runner) error { return nil })
	}
}

// withRunner connects, notes the version, runs do, and notes the version
// and pending count after (also after a failure: what the failure left).
func withRunner(ctx context.Context, url string, fsys fs.FS, opts runner.Options, res *Result, do func(*runner.Runner) error) error {
	conn, err := runner.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
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
