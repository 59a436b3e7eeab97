package runner

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/jackc/pgx/v5"
)

// StampResult says what Stamp changed in the table.
type StampResult struct {
	Added   []uint64 // recorded as applied without running
	Removed []uint64 // rows deleted (force only)
	Cleared []uint64 // dirty marks cleared (force only)
	Updated []uint64 // checksums re-recorded from the current files (force only)
}

// Stamp records the folder's migrations up to version as applied without
// running them, to adopt a database whose schema already matches (as flask
// db stamp does). Without force it only adds rows, and refuses a dirty
// database or one with versions above version applied.
//
// With force it is the way out of a dirty state and of changed or missing
// applied files: afterwards the table says exactly "the folder's migrations
// up to version are applied, as the files are now". Use it after resolving a
// failed no-transaction migration by hand: stamp --force N if you finished
// it, stamp --force N-1 if you undid it.
func (r *Runner) Stamp(ctx context.Context, version uint64, force bool) (*StampResult, error) {
	f, err := r.folder()
	if err != nil {
		return nil, err
	}
	if version != 0 {
		if _, ok := f.Find(version); !ok {
			return nil, fmt.Errorf("%w: no migration %06d in the folder (latest is %06d)", ErrBadTarget, version, f.Latest())
		}
	}
	ctx, unlock, err := r.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	recs, err := r.ensureRecords(ctx)
	if err != nil {
		return nil, err
	}
	res := &StampResult{}
	var b strings.Builder
	byV := recordsByVersion(recs)
	var above []string
	for _, rec := range recs {
		m, inFolder := f.Find(rec.Version)
		switch {
		case rec.Version > version || !inFolder && force:
			above = append(above, fmt.Sprintf("%06d_%s", rec.Version, rec.Name))
			res.Removed = append(res.Removed, rec.Version)
			fmt.Fprintf(&b, "%s;\n", r.table.deleteSQL(rec.Version))
		case rec.Dirty:
			if !force {
				return nil, dirtyError(recs)
			}
			res.Cleared = append(res.Cleared, rec.Version)
			sum, err := r.checksum(m)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&b, "UPDATE %s SET dirty = false, failure = NULL, batch = NULL, batch_file = NULL, checksum = %s, applied_at = clock_timestamp(), duration = NULL WHERE version = %d;\n",
				r.table, quoteLiteral(sum), rec.Version)
		case force && inFolder:
			sum, err := r.checksum(m)
			if err != nil {
				return nil, err
			}
			if sum != rec.Checksum {
				res.Updated = append(res.Updated, rec.Version)
				fmt.Fprintf(&b, "UPDATE %s SET checksum = %s WHERE version = %d;\n", r.table, quoteLiteral(sum), rec.Version)
			}
		}
	}
	if len(above) > 0 && !force {
		return nil, fmt.Errorf("stamp %06d would mark %s as not applied without running down files; roll back with ddlmig down, or use stamp --force if the database really is at %06d",
			version, strings.Join(above, ", "), version)
	}
	if !force {
		if err := dirtyError(recs); err != nil {
			return nil, err
		}
	}
	for _, m := range f.Migrations {
		if m.Version > version {
			break
		}
		if _, ok := byV[m.Version]; ok {
			continue
		}
		sum, err := r.checksum(m)
		if err != nil {
			return nil, err
		}
		res.Added = append(res.Added, m.Version)
		fmt.Fprintf(&b, "INSERT INTO %s (version, name, checksum, duration) VALUES (%d, %s, %s, NULL);\n",
			r.table, m.Version, quoteLiteral(m.Name), quoteLiteral(sum))
	}
	if b.Len() == 0 {
		return res, nil
	}
	need := privs(len(res.Added) > 0, len(res.Cleared)+len(res.Updated) > 0, len(res.Removed) > 0)
	if err := r.table.checkPrivileges(ctx, r.conn, "stamp", need...); err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, r.conn, func(tx pgx.Tx) error {
		return tx.Conn().PgConn().Exec(ctx, durableSQL+";\n"+b.String()).Close()
	})
	if err != nil {
		return nil, r.table.privilegeError(ctx, r.conn, err, "writing the stamped rows into it", strings.Join(need, ", "))
	}
	return res, nil
}

func (r *Runner) checksum(m migfile.Migration) (string, error) {
	text, err := fs.ReadFile(r.fsys, m.Up)
	if err != nil {
		return "", err
	}
	return migfile.Checksum(text), nil
}
