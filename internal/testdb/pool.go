package testdb

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/scratch"
)

// Main runs a package's tests with database reuse, from its TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
//
// New and Databases then hand out databases from a pool: when a test is done
// with one it is emptied (its schemas, extensions, event triggers,
// publications and what roles own in it dropped) and checked against a new
// database's catalog before the next test gets it; one that does not match is
// dropped instead. Emptying takes a few milliseconds where CREATE DATABASE
// takes a quarter of a second and DROP DATABASE a checkpoint. Main drops the
// pool's databases when the tests are done, and a later run drops those of a
// test process that died (each process holds an advisory lock while it
// lives). DDLMIG_TESTDB_REUSE=off turns reuse off; DDLMIG_TESTDB_DEBUG=1
// prints why a database was not reused.
func Main(m *testing.M) int {
	thePool.mu.Lock()
	thePool.on = os.Getenv("DDLMIG_TESTDB_REUSE") != "off"
	thePool.mu.Unlock()
	code := m.Run()
	thePool.close()
	return code
}

// Databases returns a source of empty databases for oracle.RoundTripIn:
// from the pool under Main, else created on the server and dropped after.
func Databases() Source { return Source{} }

// Source hands out empty databases; see Databases.
type Source struct{}

// Database returns the connection settings of an empty database and the
// function that gives it back.
func (Source) Database(ctx context.Context) (*pgx.ConnConfig, func(), error) {
	var name string
	var release func()
	if thePool.enabled() {
		n, err := thePool.get(ctx)
		if err != nil {
			return nil, nil, err
		}
		name, release = n, func() { thePool.put(context.WithoutCancel(ctx), n) }
	} else {
		name = "ddlmig_t_" + randomHex(6)
		if err := Exec(ctx, ServerURL(), "CREATE DATABASE "+name); err != nil {
			return nil, nil, fmt.Errorf("create database: %w", err)
		}
		release = func() {
			Exec(context.WithoutCancel(ctx), ServerURL(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		}
	}
	cfg, err := pgx.ParseConfig(WithDatabase(ServerURL(), name))
	if err != nil {
		release()
		return nil, nil, err
	}
	scratch.Guard(cfg, name)
	return cfg, release, nil
}

const (
	poolPrefix = "ddlmig_pool_"
	// lockClass is the first key of the advisory lock a pool's process
	// holds on its id while it lives ('ddlm').
	lockClass = 0x64646c6d
	maxIdle   = 16
)

type pool struct {
	mu       sync.Mutex
	on       bool
	started  bool
	startErr error
	id       uint32
	seq      int
	idle     []string
	owned    map[string]bool
	lock     *pgx.Conn    // holds the advisory lock (lockClass, id)
	pristine *fingerprint // a new database's
	fpQuery  string

	// for DDLMIG_TESTDB_DEBUG
	created, reused, dropped int
	resetTime                time.Duration
}

var thePool pool

func (p *pool) enabled() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.on
}

// start takes the pool's lock and drops the databases of pools whose
// process is gone. Called with p.mu held.
func (p *pool) start(ctx context.Context) error {
	if p.started {
		return p.startErr
	}
	p.started = true
	p.owned = map[string]bool{}
	var b [4]byte
	rand.Read(b[:])
	p.id = binary.BigEndian.Uint32(b[:])
	p.startErr = func() error {
		conn, err := pgx.Connect(ctx, ServerURL())
		if err != nil {
			return err
		}
		p.lock = conn
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1, $2)", int32(lockClass), int32(p.id)); err != nil {
			return err
		}
		return p.dropStale(ctx)
	}()
	return p.startErr
}

// dropStale drops the pool databases whose owner no longer holds its lock.
func (p *pool) dropStale(ctx context.Context) error {
	rows, err := p.lock.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'ddlmig\_pool\_%'`)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	byOwner := map[uint32][]string{}
	for _, n := range names {
		id, _, ok := strings.Cut(strings.TrimPrefix(n, poolPrefix), "_")
		v, err := strconv.ParseUint(id, 16, 32)
		if ok && err == nil && uint32(v) != p.id {
			byOwner[uint32(v)] = append(byOwner[uint32(v)], n)
		}
	}
	for id, names := range byOwner {
		var free bool
		if err := p.lock.QueryRow(ctx, "SELECT pg_try_advisory_lock($1, $2)", int32(lockClass), int32(id)).Scan(&free); err != nil {
			return err
		}
		if !free {
			continue // its process is running
		}
		dropAll(ctx, names)
		if _, err := p.lock.Exec(ctx, "SELECT pg_advisory_unlock($1, $2)", int32(lockClass), int32(id)); err != nil {
			return err
		}
	}
	return nil
}

// get returns the name of an empty database.
func (p *pool) get(ctx context.Context) (string, error) {
	p.mu.Lock()
	if err := p.start(ctx); err != nil {
		p.mu.Unlock()
		return "", fmt.Errorf("test database pool: %w", err)
	}
	if n := len(p.idle); n > 0 {
		name := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.reused++
		p.mu.Unlock()
		return name, nil
	}
	p.seq++
	p.created++
	name := fmt.Sprintf("%s%08x_%d", poolPrefix, p.id, p.seq)
	p.owned[name] = true
	needPristine := p.pristine == nil
	p.mu.Unlock()

	if err := Exec(ctx, ServerURL(), "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create test database: %w", err)
	}
	if needPristine {
		fp, err := p.fingerprint(ctx, name)
		if err != nil {
			return "", err
		}
		p.mu.Lock()
		if p.pristine == nil {
			p.pristine = fp
		}
		p.mu.Unlock()
	}
	return name, nil
}

// put empties a database and keeps it for the next test, or drops it when
// it cannot be made as new.
func (p *pool) put(ctx context.Context, name string) error {
	start := time.Now()
	err := p.reset(ctx, name)
	p.mu.Lock()
	p.resetTime += time.Since(start)
	if err == nil && len(p.idle) < maxIdle {
		p.idle = append(p.idle, name)
		p.mu.Unlock()
		return nil
	}
	delete(p.owned, name)
	p.dropped++
	p.mu.Unlock()
	if err != nil && os.Getenv("DDLMIG_TESTDB_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "testdb: not reusing %s: %v\n", name, err)
	}
	return Exec(ctx, ServerURL(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
}

// close drops the pool's databases and releases its lock.
func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	var names []string
	for n := range p.owned {
		names = append(names, n)
	}
	ctx := context.Background()
	if os.Getenv("DDLMIG_TESTDB_DEBUG") != "" && p.created > 0 {
		fmt.Fprintf(os.Stderr, "testdb: %d databases created, %d reuses, %d dropped as not empty, %v emptying\n",
			p.created, p.reused, p.dropped, p.resetTime.Round(time.Millisecond))
	}
	dropAll(ctx, names)
	p.owned, p.idle = map[string]bool{}, nil
	if p.lock != nil {
		p.lock.Close(ctx)
		p.lock = nil
	}
	p.started, p.startErr = false, nil
}

func dropAll(ctx context.Context, names []string) {
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			Exec(ctx, ServerURL(), "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)")
		}()
	}
	wg.Wait()
}

// resetSQL drops what a test may have left in a database, in an order that
// keeps the drops from firing or blocking each other: event triggers,
// publications, extensions, schemas but public, the objects in public, and
// what other roles own in the database (default privileges among them).
// What it misses, the fingerprint check catches.
const resetSQL = `DO $reset$
DECLARE
	stmts text[];
	s text;
BEGIN
	SELECT array_agg(format('DROP EVENT TRIGGER %I', evtname)) INTO stmts FROM pg_event_trigger;
	stmts := stmts || (SELECT array_agg(format('DROP PUBLICATION %I', pubname)) FROM pg_publication);
	stmts := stmts || (SELECT array_agg(format('DROP EXTENSION IF EXISTS %I CASCADE', extname)) FROM pg_extension WHERE oid >= 16384);
	stmts := stmts || (SELECT array_agg(format('DROP SCHEMA IF EXISTS %I CASCADE', nspname)) FROM pg_namespace
		WHERE nspname NOT IN ('public', 'pg_catalog', 'information_schema', 'pg_toast') AND nspname !~ '^pg_(toast_)?temp_');
	FOREACH s IN ARRAY coalesce(stmts, '{}') LOOP
		EXECUTE s;
	END LOOP;
	SELECT array_agg(format('DROP %s IF EXISTS %s CASCADE',
			CASE o.type WHEN 'statistics object' THEN 'statistics' ELSE o.type END, o.identity))
		INTO stmts
		FROM pg_depend d, pg_identify_object(d.classid, d.objid, 0) o
		WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = 'public'::regnamespace AND d.deptype = 'n';
	stmts := stmts || (SELECT array_agg(DISTINCT format('DROP OWNED BY %I CASCADE', a.rolname))
		FROM pg_shdepend d JOIN pg_authid a ON a.oid = d.refobjid
		WHERE d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND d.refclassid = 'pg_authid'::regclass);
	FOREACH s IN ARRAY coalesce(stmts, '{}') LOOP
		BEGIN
			EXECUTE s;
		EXCEPTION WHEN others THEN
			-- gone with an earlier object, or not droppable this way:
			-- the fingerprint decides
		END;
	END LOOP;
END
$reset$`

// reset empties the database and checks that its catalog is as a new
// database's.
func (p *pool) reset(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, WithDatabase(ServerURL(), name))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	// Other sessions go, as DROP DATABASE ... WITH (FORCE) would make them:
	// their locks, temporary objects and settings with them; autovacuum
	// too, which would hold up the drops.
	for i := 0; ; i++ {
		var left int
		err := conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()
			AND backend_type IN ('client backend', 'autovacuum worker')`).Scan(&left)
		if err != nil {
			return err
		}
		if left == 0 {
			break
		}
		if i == 100 {
			return fmt.Errorf("%d sessions stay connected", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := conn.Exec(ctx, resetSQL); err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	fp, err := p.fingerprintOn(ctx, conn)
	if err != nil {
		return err
	}
	p.mu.Lock()
	want := p.pristine
	p.mu.Unlock()
	if want == nil {
		return errors.New("no fingerprint of a new database to compare with")
	}
	if d := want.differences(fp); len(d) > 0 {
		return fmt.Errorf("catalog differs from a new database's:\n\t%s", strings.Join(d, "\n\t"))
	}
	return nil
}

func (p *pool) fingerprint(ctx context.Context, name string) (*fingerprint, error) {
	conn, err := pgx.Connect(ctx, WithDatabase(ServerURL(), name))
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	return p.fingerprintOn(ctx, conn)
}

// query builds, once, the fingerprint query. For every catalog of the
// database (pg_statistic aside, which ANALYZE writes) it counts the rows and
// finds the newest row's xmin: a test that changed a built-in object (a
// GRANT on a function, a comment, an owner) wrote a row version newer than
// every row of a new database, which CREATE DATABASE copied from its
// template; one that created something and dropped it again left no row
// behind. Temporary schemas, which outlive their sessions, do not count.
// For the database itself, kept in the cluster's shared catalogs: its row,
// settings, comment, labels, subscriptions and what roles own or may do in
// it.
func (p *pool) query(ctx context.Context, conn *pgx.Conn) (string, error) {
	p.mu.Lock()
	q := p.fpQuery
	p.mu.Unlock()
	if q != "" {
		return q, nil
	}
	rows, err := conn.Query(ctx, `SELECT c.relname FROM pg_class c
		WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r' AND NOT c.relisshared
		AND c.relname NOT IN ('pg_statistic', 'pg_statistic_ext_data') ORDER BY 1`)
	if err != nil {
		return "", fmt.Errorf("catalog list: %w", err)
	}
	cats, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(cats) < 30 {
		return "", fmt.Errorf("catalog list: %d catalogs (%v)", len(cats), err)
	}
	var parts []string
	for _, c := range cats {
		where := ""
		if c == "pg_namespace" {
			where = " WHERE nspname !~ '^pg_(toast_)?temp_'"
		}
		parts = append(parts, fmt.Sprintf("SELECT '%[1]s rows', count(*)::text, coalesce(max(xmin::text::bigint), 0) FROM pg_catalog.%[1]s%[2]s", c, where))
	}
	db := "(SELECT oid FROM pg_database WHERE datname = current_database())"
	for _, shared := range [][2]string{
		{"database", "SELECT concat_ws(',', datdba::regrole, encoding, datcollate, datctype, datistemplate, datallowconn, datconnlimit, dattablespace, datacl) FROM pg_database WHERE oid = " + db},
		{"database settings", "SELECT count(*)::text FROM pg_db_role_setting WHERE setdatabase = " + db},
		{"role dependencies", "SELECT count(*)::text FROM pg_shdepend WHERE dbid = " + db},
		{"database comment", "SELECT count(*)::text FROM pg_shdescription WHERE objoid = " + db + " AND classoid = 'pg_database'::regclass"},
		{"database labels", "SELECT count(*)::text FROM pg_shseclabel WHERE objoid = " + db + " AND classoid = 'pg_database'::regclass"},
		{"subscriptions", "SELECT count(*)::text FROM pg_subscription WHERE subdbid = " + db},
	} {
		parts = append(parts, fmt.Sprintf("SELECT '%s', (%s), 0::bigint", shared[0], shared[1]))
	}
	q = strings.Join(parts, "\nUNION ALL\n")
	p.mu.Lock()
	p.fpQuery = q
	p.mu.Unlock()
	return q, nil
}

// fingerprint is what query finds in a database.
type fingerprint struct {
	lines  []string // "pg_class rows 412", "database settings 0", ...
	newest int64    // the newest xmin of a catalog row
	by     map[string]int64
}

func (p *pool) fingerprintOn(ctx context.Context, conn *pgx.Conn) (*fingerprint, error) {
	query, err := p.query(ctx, conn)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	rows, err := conn.Query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	fp := &fingerprint{by: map[string]int64{}}
	var key string
	var val *string
	var xmin int64
	_, err = pgx.ForEachRow(rows, []any{&key, &val, &xmin}, func() error {
		v := "(null)"
		if val != nil {
			v = *val
		}
		fp.lines = append(fp.lines, key+" "+v)
		fp.by[key] = xmin
		fp.newest = max(fp.newest, xmin)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	return fp, nil
}

// differences says how got differs from want, a new database's
// fingerprint; nothing when they agree.
func (want *fingerprint) differences(got *fingerprint) []string {
	var out []string
	for i, l := range got.lines {
		if i >= len(want.lines) || l != want.lines[i] {
			w := "(none)"
			if i < len(want.lines) {
				w = want.lines[i]
			}
			out = append(out, fmt.Sprintf("%s (new: %s)", l, w))
		}
	}
	for _, l := range got.lines {
		key := l[:strings.LastIndexByte(l, ' ')]
		if got.by[key] > want.newest {
			out = append(out, key+": a row written since the database was new (a changed built-in object)")
		}
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return fmt.Sprintf("%x", b)
}
