package scratch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrWrongDatabase is returned (wrapped, test it with errors.Is) when a
// connection made from a Set's config lands in a database other than the one
// the Set created; nothing has run on it.
var ErrWrongDatabase = errors.New("connected to the wrong database")

// Set is the scratch databases of one Create, by role.
type Set struct {
	admin *pgx.Conn // the creating session, open until Drop
	base  *pgx.ConnConfig
	names map[string]string // role -> database
	order []string          // databases in creation order
	// Stale lists the databases of a session that is gone which Create
	// dropped, for the caller to mention.
	Stale []string
}

// roleRE is what a role may be: it ends a database name.
var roleRE = regexp.MustCompile(`^[a-z0-9]+$`)

// Create creates one empty database per role (lower-case letters and
// digits) on admin's server and returns their configs, built from admin's
// own. admin is the creating session: it must stay open until Drop, which
// uses it; the caller closes it afterwards. Databases of prefix left behind
// by sessions that are gone are dropped first. On error, what was created is
// dropped already.
func Create(ctx context.Context, admin *pgx.Conn, prefix string, roles ...string) (*Set, error) {
	s := &Set{admin: admin, base: admin.Config(), names: map[string]string{}}
	var pid int32
	var start int64
	err := admin.QueryRow(ctx, `SELECT pid, (extract(epoch FROM backend_start) * 1000000)::bigint
FROM pg_stat_activity WHERE pid = pg_backend_pid()`).Scan(&pid, &start)
	if err != nil {
		return nil, fmt.Errorf("reading the session's pid and start time: %w", err)
	}
	// A server that closes idle sessions would make this one look gone to
	// the next Create while its databases are in use (PostgreSQL 14+; older
	// servers lack the setting and refuse the SET, which is fine).
	admin.Exec(ctx, "SET idle_session_timeout = 0")
	if s.Stale, err = dropStale(ctx, admin, prefix); err != nil {
		return nil, err
	}
	var r [4]byte
	rand.Read(r[:])
	base := fmt.Sprintf("%s_%d_%d_%s", prefix, pid, start, hex.EncodeToString(r[:]))
	for _, role := range roles {
		name := base + "_" + role
		if !roleRE.MatchString(role) || len(name) > 63 {
			s.Drop(ctx)
			return nil, fmt.Errorf("scratch database name %q: the role must be lower-case letters and digits, the name at most 63 bytes", name)
		}
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			s.Drop(ctx)
			return nil, fmt.Errorf("creating scratch database %s (the user needs CREATEDB): %w", name, err)
		}
		s.names[role] = name
		s.order = append(s.order, name)
	}
	return s, nil
}

// Name returns the database created for role.
func (s *Set) Name(role string) string { return s.names[role] }

// Config returns a config for role's database: the server's, with Database
// set and a check, run on every connection before anything else, that the
// server put the session in that database (see ErrWrongDatabase). Each call
// returns a new copy. It panics on a role Create was not given.
func (s *Set) Config(role string) *pgx.ConnConfig {
	name, ok := s.names[role]
	if !ok {
		panic("scratch: no database for role " + role)
	}
	cfg := s.base.Copy()
	cfg.Database = name
	Guard(cfg, name)
	return cfg
}

// Guard makes every connection made from cfg check, before anything else
// runs on it, that it is in database want, and fail with ErrWrongDatabase
// otherwise. The function is called by its full name: a search_path set in
// the connection string could otherwise put an impostor first.
func Guard(cfg *pgx.ConnConfig, want string) {
	next := cfg.AfterConnect
	cfg.AfterConnect = func(ctx context.Context, pc *pgconn.PgConn) error {
		res := pc.ExecParams(ctx, "SELECT pg_catalog.current_database()", nil, nil, nil, nil).Read()
		if res.Err != nil {
			return res.Err
		}
		if len(res.Rows) != 1 || len(res.Rows[0]) != 1 || string(res.Rows[0][0]) != want {
			got := "?"
			if len(res.Rows) == 1 && len(res.Rows[0]) == 1 {
				got = string(res.Rows[0][0])
			}
			return fmt.Errorf("%w: the server put the session in database %q, not the scratch database %q; refusing to run anything there", ErrWrongDatabase, got, want)
		}
		if next != nil {
			return next(ctx, pc)
		}
		return nil
	}
}

// Drop drops the Set's databases (WITH (FORCE)), at once: DROP DATABASE
// waits for a checkpoint, and concurrent drops share it. It ignores ctx's
// cancellation, so that an interrupted run still cleans up, and is safe to
// call more than once.
func (s *Set) Drop(ctx context.Context) error {
	ctx = context.WithoutCancel(ctx)
	names := s.order
	s.order = nil
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		if i == 0 {
			continue // on the admin connection, below, while the others run
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.dropOne(ctx, nil, name)
		}()
	}
	if len(names) > 0 {
		errs[0] = s.dropOne(ctx, s.admin, names[0])
	}
	wg.Wait()
	return errors.Join(errs...)
}

// dropOne drops a database on conn, or on a new connection when conn is nil
// or broken (an interrupted query can close it).
func (s *Set) dropOne(ctx context.Context, conn *pgx.Conn, name string) error {
	sql := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
	if conn != nil {
		if _, err := conn.Exec(ctx, sql); err == nil || !conn.IsClosed() {
			return err
		}
	}
	conn, err := pgx.ConnectConfig(ctx, s.base)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// dropStale drops the databases Stale lists. Drops are WITH (FORCE): a
// killed verify's statements may still run on the server for a while. One
// that belongs to another user stays.
func dropStale(ctx context.Context, admin *pgx.Conn, prefix string) ([]string, error) {
	names, err := Stale(ctx, admin, prefix)
	if err != nil {
		return nil, err
	}
	var dropped []string
	for _, name := range names {
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err == nil {
			dropped = append(dropped, name)
		} else if ctx.Err() != nil {
			return dropped, ctx.Err()
		}
	}
	return dropped, nil
}

// Stale lists the databases named by Create with prefix whose creating
// session is gone: left behind by a killed process. A session counts as
// alive while a backend with its pid runs and either started at the
// recorded time or belongs to another user (whose start time
// pg_stat_activity hides): a database in doubt is not listed.
func Stale(ctx context.Context, admin *pgx.Conn, prefix string) ([]string, error) {
	rows, err := admin.Query(ctx, `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1`, prefix+"_")
	if err != nil {
		return nil, fmt.Errorf("listing scratch databases: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("listing scratch databases: %w", err)
	}
	if len(names) == 0 {
		return nil, nil
	}
	rows, err = admin.Query(ctx, `SELECT pid, (extract(epoch FROM backend_start) * 1000000)::bigint FROM pg_stat_activity`)
	if err != nil {
		return nil, fmt.Errorf("listing sessions: %w", err)
	}
	alive := map[string]bool{} // "pid_start", or "pid_" when the start is hidden
	var pid int64
	var start *int64
	_, err = pgx.ForEachRow(rows, []any{&pid, &start}, func() error {
		if start == nil {
			alive[fmt.Sprintf("%d_", pid)] = true
		} else {
			alive[fmt.Sprintf("%d_%d", pid, *start)] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing sessions: %w", err)
	}
	var stale []string
	for _, name := range names {
		m := staleRE.FindStringSubmatch(strings.TrimPrefix(name, prefix+"_"))
		if m != nil && !alive[m[1]+"_"] && !alive[m[1]+"_"+m[2]] {
			stale = append(stale, name)
		}
	}
	return stale, nil
}

// staleRE takes a name Create gave apart after its prefix: the creating
// backend's pid and start time (microseconds since 1970).
var staleRE = regexp.MustCompile(`^([0-9]+)_([0-9]+)_[0-9a-f]+_[a-z0-9]+$`)

// ConnString returns connString naming database db instead, for the few
// places that need a string rather than a config (a test passing
// --database-url to the CLI). Every parameter that names a database is
// replaced or removed, and the result is parsed back to make sure it names
// db; connections made in code should use a config instead (pgx.ParseConfig,
// then set Database).
func ConnString(connString, db string) (string, error) {
	var out string
	if strings.HasPrefix(connString, "postgres://") || strings.HasPrefix(connString, "postgresql://") {
		u, err := url.Parse(connString)
		if err != nil {
			return "", errors.New("malformed database URL")
		}
		u.Path, u.RawPath = "/"+db, ""
		q := u.Query()
		q.Del("dbname")
		q.Del("database")
		u.RawQuery = q.Encode()
		out = u.String()
	} else {
		// In a key=value string a later key wins, whichever of its two
		// spellings it uses.
		out = connString + " dbname='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(db) + "'"
	}
	cfg, err := pgx.ParseConfig(out)
	if err != nil {
		return "", fmt.Errorf("database URL naming %s does not parse", db)
	}
	if cfg.Database != db {
		return "", fmt.Errorf("database URL still names database %q, not %q", cfg.Database, db)
	}
	return out, nil
}
