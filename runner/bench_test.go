package runner

import (
	"context"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/internal/writeload"
)

// BenchmarkApply1000 applies 1,000 tiny migrations to a fresh database per
// iteration and reports the time per migration (ns/migration), the figure
// issue 7 bounds at 1 ms. Creating the database and connecting are outside
// the timed part; reading and checking the folder, locking, creating the
// table and the 1,000 commits are inside.
func BenchmarkApply1000(b *testing.B) {
	const n = 1000
	fsys := fstest.MapFS{}
	for v := 1; v <= n; v++ {
		fsys[fmt.Sprintf("%06d_t%d.up.sql", v, v)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("CREATE TABLE t_%d (id int);\n", v))}
		fsys[fmt.Sprintf("%06d_t%d.down.sql", v, v)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("DROP TABLE t_%d;\n", v))}
	}
	ctx := context.Background()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		url := testdb.New(b)
		conn, err := Connect(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		r, err := New(conn, fsys, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := r.Apply(ctx, 0)
		total += time.Since(start)
		b.StopTimer()
		if err != nil || len(res) != n {
			b.Fatalf("apply: %v, %d applied", err, len(res))
		}
		conn.Close(ctx)
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*n), "ns/migration")
}

// BenchmarkLockQueue measures the lock-queue problem the statement lock
// timeout solves. Four writers insert into t in a loop; a long transaction
// reads t (ACCESS SHARE) for hold; meanwhile a migration adds a column
// (ACCESS EXCLUSIVE). Without a lock timeout the ALTER waits for the whole
// transaction and every writer queues behind it; with one, the ALTER gives
// up after the timeout, the writers go on, and the migration is retried
// until the transaction has ended. Reported per iteration: the writers'
// longest and p99 wait during the migration and without one
// (base-max-ms), failed and lost writes, and the migration's time.
func BenchmarkLockQueue(b *testing.B) {
	for _, c := range []struct {
		name    string
		timeout time.Duration
	}{{"lock_timeout=off", -1}, {"lock_timeout=200ms", 200 * time.Millisecond}} {
		b.Run(c.name, func(b *testing.B) {
			var q queueRun
			for range b.N {
				q.add(lockQueueOnce(b, c.timeout, 2*time.Second))
			}
			q.report(b)
		})
	}
}

// queueRun is one iteration's figures, or their sum.
type queueRun struct {
	n                                int
	max, p99, baseMax, migration     time.Duration
	failed, lost, writes, baseWrites int
}

func (q *queueRun) add(o queueRun) {
	q.n++
	q.max, q.p99, q.baseMax, q.migration = q.max+o.max, q.p99+o.p99, q.baseMax+o.baseMax, q.migration+o.migration
	q.failed, q.lost, q.writes = q.failed+o.failed, q.lost+o.lost, q.writes+o.writes
}

func (q *queueRun) report(b *testing.B) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(q.n) }
	b.ReportMetric(ms(q.max), "max-ms")
	b.ReportMetric(ms(q.p99), "p99-ms")
	b.ReportMetric(ms(q.baseMax), "base-max-ms")
	b.ReportMetric(ms(q.migration), "migration-ms")
	b.ReportMetric(float64(q.failed)/float64(q.n), "failed")
	b.ReportMetric(float64(q.lost)/float64(q.n), "lost")
	b.ReportMetric(float64(q.writes)/float64(q.n), "writes")
}

func lockQueueOnce(b *testing.B, timeout, hold time.Duration) queueRun {
	b.StopTimer()
	defer b.StartTimer()
	ctx := context.Background()
	url := testdb.New(b)
	execSQL(b, url, "CREATE TABLE t (id bigserial PRIMARY KEY, v int); INSERT INTO t (v) SELECT g FROM generate_series(1, 10000) g")
	fsys := files(map[string]string{"000001_c": "ALTER TABLE t ADD COLUMN c int;\n"}, nil)

	conns := make([]*pgx.Conn, 4)
	for i := range conns {
		conns[i] = connect(b, url)
	}
	load := writeload.Start(ctx, conns, 0, func(ctx context.Context, conn *pgx.Conn, _, _ int) (bool, error) {
		_, err := conn.Exec(ctx, "INSERT INTO t (v) VALUES (1)")
		return true, err
	})
	time.Sleep(500 * time.Millisecond) // the load alone
	baseEnd := load.Since()

	reader := connect(b, url)
	if _, err := reader.Exec(ctx, "BEGIN; SELECT count(*) FROM t"); err != nil {
		b.Fatal(err)
	}
	go func() {
		time.Sleep(hold)
		reader.Exec(ctx, "COMMIT")
	}()
	time.Sleep(100 * time.Millisecond)
	r := newRunner(b, url, fsys, Options{StatementLockTimeout: timeout, LockRetries: 100, LockRetryDelay: 100 * time.Millisecond})
	migStart := load.Since()
	b.StartTimer()
	if _, err := r.Apply(ctx, 0); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	migEnd := load.Since()
	time.Sleep(200 * time.Millisecond)
	ws := load.Stop()

	var q queueRun
	q.migration = migEnd - migStart
	all := writeload.Summarize(ws, writeload.All)
	during := writeload.Summarize(ws, writeload.Overlapping(migStart, migEnd))
	q.failed = all.Failed
	q.baseMax = writeload.Summarize(ws, writeload.Before(baseEnd)).Max
	q.max, q.p99, q.writes = during.Max, during.P99, during.Writes
	var rows int
	if err := reader.QueryRow(ctx, "SELECT count(*) - 10000 FROM t").Scan(&rows); err != nil {
		b.Fatal(err)
	}
	q.lost = all.Inserted - rows
	return q
}
