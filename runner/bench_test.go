package runner

import (
	"context"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
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
