package peers

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/runner"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for goose
	"github.com/pressly/goose/v3"
)

// n is issue 7's count: apply of 1,000 tiny migrations.
const n = 1000

// ddlmigFolder is runner/bench_test.go's folder: NNNNNN_slug.up.sql and
// .down.sql, one CREATE TABLE each.
func ddlmigFolder() fstest.MapFS {
	fsys := fstest.MapFS{}
	for v := 1; v <= n; v++ {
		fsys[fmt.Sprintf("%06d_t%d.up.sql", v, v)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("CREATE TABLE t_%d (id int);\n", v))}
		fsys[fmt.Sprintf("%06d_t%d.down.sql", v, v)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("DROP TABLE t_%d;\n", v))}
	}
	return fsys
}

// gooseFolder holds the same migrations in goose's format: one file per
// version with its up and down sections, no annotation other than those,
// so goose runs each in its own transaction (its default).
func gooseFolder() fstest.MapFS {
	fsys := fstest.MapFS{}
	for v := 1; v <= n; v++ {
		fsys[fmt.Sprintf("%06d_t%d.sql", v, v)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"-- +goose Up\nCREATE TABLE t_%d (id int);\n\n-- +goose Down\nDROP TABLE t_%d;\n", v, v))}
	}
	return fsys
}

// BenchmarkApply1000 applies 1,000 tiny migrations to a fresh database per
// iteration with each tool and reports the time per migration
// (ns/migration). The sub-benchmarks run one after the other within each
// process, and scripts/bench-peers runs the process once per round, so a
// burst of load hits both; compare medians over rounds. (go test's -count
// would repeat each sub-benchmark back to back, all of ddlmig's rounds
// before goose's.) BENCH_PEERS_FIRST=goose runs goose first, which the
// script does every other round so that neither tool always follows the
// other's DROP DATABASE.
//
// What is timed is the same for both: building the tool's migrator on an
// open connection (ddlmig's runner.New, goose.NewProvider, which reads the
// folder), then applying everything (reading and checking the folder,
// creating the bookkeeping table, 1,000 commits, and for ddlmig its
// advisory lock, which goose's default provider does not take). Creating
// the database, connecting and dropping the database are not timed.
func BenchmarkApply1000(b *testing.B) {
	testdb.Require(b)
	ddlmigFS, gooseFS := ddlmigFolder(), gooseFolder()
	ddlmig := func(b *testing.B) {
		benchApply(b, func(ctx context.Context, url string) (func() (time.Duration, error), func(), error) {
			conn, err := runner.Connect(ctx, url)
			if err != nil {
				return nil, nil, err
			}
			apply := func() (time.Duration, error) {
				start := time.Now()
				r, err := runner.New(conn, ddlmigFS, runner.Options{})
				if err != nil {
					return 0, err
				}
				res, err := r.Apply(ctx, 0)
				took := time.Since(start)
				if err == nil && len(res) != n {
					err = fmt.Errorf("%d of %d migrations applied", len(res), n)
				}
				return took, err
			}
			return apply, func() { conn.Close(ctx) }, nil
		})
	}
	gooseBench := func(b *testing.B) {
		benchApply(b, func(ctx context.Context, url string) (func() (time.Duration, error), func(), error) {
			db, err := sql.Open("pgx", url)
			if err != nil {
				return nil, nil, err
			}
			// One connection, opened now: goose then works on it as
			// ddlmig works on its own, and connecting is not timed.
			db.SetMaxOpenConns(1)
			if err := db.PingContext(ctx); err != nil {
				db.Close()
				return nil, nil, err
			}
			apply := func() (time.Duration, error) {
				start := time.Now()
				p, err := goose.NewProvider(goose.DialectPostgres, db, fs.FS(gooseFS))
				if err != nil {
					return 0, err
				}
				res, err := p.Up(ctx)
				took := time.Since(start)
				if err == nil && len(res) != n {
					err = fmt.Errorf("%d of %d migrations applied", len(res), n)
				}
				return took, err
			}
			return apply, func() { db.Close() }, nil
		})
	}
	if os.Getenv("BENCH_PEERS_FIRST") == "goose" {
		b.Run("tool=goose", gooseBench)
		b.Run("tool=ddlmig", ddlmig)
	} else {
		b.Run("tool=ddlmig", ddlmig)
		b.Run("tool=goose", gooseBench)
	}
}

// benchApply runs b.N iterations, each on a database of its own that is
// dropped before the next begins (1,000 tables each would otherwise pile
// up). open connects to the database and returns the timed apply and a
// close.
func benchApply(b *testing.B, open func(ctx context.Context, url string) (apply func() (time.Duration, error), close func(), err error)) {
	ctx := context.Background()
	server := testdb.ServerURL()
	var total time.Duration
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		name := dbName()
		if err := testdb.Exec(ctx, server, "CREATE DATABASE "+name); err != nil {
			b.Fatalf("create database: %v", err)
		}
		dropped := false
		drop := func() {
			if dropped {
				return
			}
			dropped = true
			if err := testdb.Exec(context.Background(), server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
				b.Errorf("drop database %s: %v", name, err)
			}
		}
		b.Cleanup(drop) // after a Fatal below
		apply, closeConn, err := open(ctx, testdb.WithDatabase(server, name))
		if err != nil {
			b.Fatalf("connect: %v", err)
		}
		b.StartTimer()
		took, err := apply()
		b.StopTimer()
		closeConn()
		if err != nil {
			b.Fatalf("apply: %v", err)
		}
		total += took
		drop()
	}
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*n), "ns/migration")
}

// dbName returns a fresh database name in testdb's prefix, so a run killed
// halfway leaves databases that the test cleanup scripts recognize.
func dbName() string {
	var r [4]byte
	rand.Read(r[:])
	return "ddlmig_t_benchpeers_" + hex.EncodeToString(r[:])
}
