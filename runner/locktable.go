package runner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultLockTTL is how long a table lock lasts unless renewed
// (Options.LockTTL when zero).
const DefaultLockTTL = 30 * time.Second

// minLockTTL is the shortest TTL a table lock is given.
const minLockTTL = 100 * time.Millisecond

// tableLock is LockTable: a row in <bookkeeping table>_lock saying who
// holds the lock and until when. A second connection renews the expiry
// every third of the TTL while the run lasts; a row past its expiry
// (its run was killed, or lost its server) is taken over. All times are
// the server's, so clocks of the clients never matter. It uses only SQL
// that CockroachDB also has (INSERT ... ON CONFLICT DO UPDATE ... WHERE).
type tableLock struct {
	conn  *pgx.Conn
	t     table // the lock table itself
	name  string
	ttl   time.Duration
	owner string
	// taken is told the previous owner when an expired row is taken over.
	taken func(prev string)
	made  bool
}

func newTableLock(conn *pgx.Conn, book table, ttl time.Duration, taken func(string)) *tableLock {
	if ttl <= 0 {
		ttl = DefaultLockTTL
	}
	// The row's expiry is kept in milliseconds and renewed every third
	// of the TTL: shorter than this, it would expire before a renewal.
	ttl = max(ttl, minLockTTL)
	return &tableLock{conn: conn, t: book.lockTable(), name: book.display(), ttl: ttl, owner: lockOwner(), taken: taken}
}

// lockTable is the table holding the rows of LockTable: next to the
// bookkeeping table, named after it (inspect and drift leave it out).
func (t table) lockTable() table { return table{t.schema, t.name + "_lock"} }

// lockOwner names this run: host, process and a random part, so that two
// runs in one process (a fleet) are told apart.
func lockOwner() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s pid %d run %s", host, os.Getpid(), hex.EncodeToString(b))
}

func (l *tableLock) ensure(ctx context.Context) error {
	if l.made {
		return nil
	}
	var hasSchema bool
	if err := l.conn.QueryRow(ctx, `SELECT to_regnamespace($1) IS NOT NULL`, pgx.Identifier{l.t.schema}.Sanitize()).Scan(&hasSchema); err != nil {
		return err
	}
	if !hasSchema {
		if _, err := l.conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{l.t.schema}.Sanitize()); err != nil {
			return fmt.Errorf("creating schema %s for the lock table: %w", l.t.schema, err)
		}
	}
	_, err := l.conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+l.t.String()+` (
	name       text PRIMARY KEY,
	owner      text NOT NULL,
	pid        integer,
	taken_at   timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
)`)
	if err != nil {
		return fmt.Errorf("creating the lock table %s: %w", l.t.display(), err)
	}
	l.made = true
	return nil
}

// try inserts the row, or takes over an expired one, in one statement.
func (l *tableLock) try(ctx context.Context, lost func(error)) (bool, string, func(), error) {
	if err := l.ensure(ctx); err != nil {
		return false, "", nil, err
	}
	prev, expired, err := l.holder(ctx, l.conn)
	if err != nil {
		return false, "", nil, err
	}
	rows, err := l.conn.Query(ctx, `INSERT INTO `+l.t.String()+` AS l (name, owner, pid, taken_at, expires_at)
	VALUES ($1, $2, pg_backend_pid(), now(), now() + $3 * interval '1 millisecond')
	ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, taken_at = excluded.taken_at, expires_at = excluded.expires_at
	WHERE l.expires_at <= now()
	RETURNING 1`, l.name, l.owner, l.ttl.Milliseconds())
	if err != nil {
		return false, "", nil, err
	}
	ok := rows.Next()
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, "", nil, err
	}
	if !ok {
		if prev == "" { // inserted by another run since it was read
			prev, _, _ = l.holder(ctx, l.conn)
		}
		return false, prev, nil, nil
	}
	if expired && l.taken != nil {
		l.taken(prev)
	}
	stop, err := l.renew(ctx, lost)
	if err != nil {
		l.release(ctx)
		return false, "", nil, err
	}
	return true, "", func() { stop(); l.release(ctx) }, nil
}

// holder describes the row in the way ("" when there is none) and says
// whether it has expired.
func (l *tableLock) holder(ctx context.Context, conn *pgx.Conn) (string, bool, error) {
	var owner string
	var pid *int32
	var taken, expires time.Time
	var expired bool
	err := conn.QueryRow(ctx, `SELECT owner, pid, taken_at, expires_at, expires_at <= now() FROM `+l.t.String()+` WHERE name = $1`, l.name).
		Scan(&owner, &pid, &taken, &expires, &expired)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	s := fmt.Sprintf("lock table row of %s", owner)
	if pid != nil {
		s += fmt.Sprintf(", server pid %d", *pid)
	}
	s += fmt.Sprintf(", taken %s, expires %s", taken.Format(time.RFC3339), expires.Format(time.RFC3339))
	if expired {
		s += " (expired)"
	}
	return s, expired, nil
}

// release deletes the row if it is still this run's, even when ctx was
// cancelled (Ctrl-C).
func (l *tableLock) release(ctx context.Context) {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if !l.conn.IsClosed() {
		l.conn.Exec(c, `DELETE FROM `+l.t.String()+` WHERE name = $1 AND owner = $2`, l.name, l.owner)
	}
}

// renew opens a second connection (the run's own is busy with the
// migrations) and pushes the expiry forward every third of the TTL. If
// the row is gone or another run's, or no renewal succeeded for a whole
// TTL, the lock is lost: lost is called and renewing stops.
func (l *tableLock) renew(ctx context.Context, lost func(error)) (stop func(), err error) {
	cfg := l.conn.Config().Copy()
	app := cfg.RuntimeParams["application_name"]
	if app == "" {
		app = "ddlmig"
	}
	cfg.RuntimeParams["application_name"] = app + " (lock)"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening the connection that renews the table lock: %w", err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer conn.Close(context.Background())
		l.renewLoop(conn, done, lost)
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done); wg.Wait() }) }, nil
}

func (l *tableLock) renewLoop(conn *pgx.Conn, done <-chan struct{}, lost func(error)) {
	tick := time.NewTicker(l.ttl / 3)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		c, cancel := context.WithTimeout(context.Background(), l.ttl/3)
		tag, err := conn.Exec(c, `UPDATE `+l.t.String()+` SET expires_at = now() + $3 * interval '1 millisecond' WHERE name = $1 AND owner = $2`,
			l.name, l.owner, l.ttl.Milliseconds())
		cancel()
		switch {
		case err == nil && tag.RowsAffected() == 1:
			last = time.Now()
			continue
		case err == nil:
			err = errors.New("its row was deleted or taken over by another run")
		case time.Since(last) < l.ttl:
			continue // try again at the next tick
		}
		if lost != nil {
			lost(fmt.Errorf("%w: %s (owner %s): %v", ErrLockLost, l.t.display(), l.owner, err))
		}
		return
	}
}

// running returns the server pid recorded by another run whose row has
// not expired; 0 when there is none or no lock table yet.
func (l *tableLock) running(ctx context.Context) (int32, error) {
	var pid int32
	err := l.conn.QueryRow(ctx, `SELECT CASE WHEN to_regclass($1) IS NULL THEN 0 ELSE -1 END`, l.t.String()).Scan(&pid)
	if err != nil || pid == 0 {
		return 0, err
	}
	err = l.conn.QueryRow(ctx, `SELECT coalesce((SELECT pid FROM `+l.t.String()+` WHERE name = $1 AND expires_at > now() AND owner <> $2), 0)`,
		l.name, l.owner).Scan(&pid)
	if err != nil {
		return 0, fmt.Errorf("looking for a run holding the table lock: %w", err)
	}
	return pid, nil
}
