package writeload

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

func TestSummarize(t *testing.T) {
	ms := time.Millisecond
	var ws []Write
	for i := range 200 { // 200 quick writes, every other an insert, 1 ms apart
		ws = append(ws, Write{At: time.Duration(i) * ms, Took: ms, Insert: i%2 == 0})
	}
	ws = append(ws,
		Write{At: 50 * ms, Took: 80 * ms, Insert: true},                       // slow, overlaps [100, 150]
		Write{At: 60 * ms, Took: 10 * ms, Err: errors.New("x"), Insert: true}, // failed, before 100
		Write{At: 140 * ms, Took: 5 * ms, Err: errors.New("x")},               // failed, inside
	)
	for _, c := range []struct {
		name string
		keep func(Write) bool
		want Stats
	}{
		{"all", All, Stats{Writes: 203, Failed: 2, Max: 80 * ms, P99: ms, Inserted: 101}},
		{"overlapping", Overlapping(100*ms, 150*ms), Stats{Writes: 54, Failed: 1, Max: 80 * ms, P99: 80 * ms, Inserted: 27}},
		{"before", Before(100 * ms), Stats{Writes: 102, Failed: 1, Max: 80 * ms, P99: ms, Inserted: 51}},
		{"none", func(Write) bool { return false }, Stats{}},
	} {
		if got := Summarize(ws, c.keep); got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestLoadSeesALock runs the load against a table another session locks for
// a while: the writes queued behind the lock must show the wait, and every
// insert reported done must be in the table.
func TestLoadSeesALock(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	conns := make([]*pgx.Conn, 3)
	for i := range conns {
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		conns[i] = c
	}
	if _, err := conns[0].Exec(ctx, "CREATE TABLE t (id bigserial PRIMARY KEY, v int)"); err != nil {
		t.Fatal(err)
	}
	load := Start(ctx, conns[1:], 5*time.Millisecond, func(ctx context.Context, conn *pgx.Conn, client, i int) (bool, error) {
		_, err := conn.Exec(ctx, "INSERT INTO t (v) VALUES ($1)", i)
		return true, err
	})
	time.Sleep(100 * time.Millisecond)
	from := load.Since()
	if _, err := conns[0].Exec(ctx, "BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if _, err := conns[0].Exec(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	to := load.Since()
	time.Sleep(100 * time.Millisecond)
	ws := load.Stop()

	all := Summarize(ws, All)
	var rows int
	if err := conns[0].QueryRow(ctx, "SELECT count(*) FROM t").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if all.Failed != 0 || all.Inserted != rows || all.Writes != rows {
		t.Errorf("load: %+v, table holds %d rows", all, rows)
	}
	during := Summarize(ws, Overlapping(from, to))
	// Done before the lock: a write in flight when it was taken waits for it.
	before := Summarize(ws, func(w Write) bool { return w.At+w.Took < from })
	if during.Max < 900*time.Millisecond || before.Writes == 0 || before.Max >= during.Max {
		t.Errorf("longest wait during the 1 s lock %v, before it %v (%d writes); want >= 900ms and less", during.Max, before.Max, before.Writes)
	}
}
