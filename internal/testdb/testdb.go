// Package testdb gives tests their own PostgreSQL databases.
//
// Tests take the server from DDLMIG_TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres), create uniquely named
// databases on it and drop them when the test ends, or, in packages whose
// TestMain calls Main, reuse them (see Main). A server that cannot be
// reached fails the test with instructions: it is never a silent skip.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddlmig/ddlmig/internal/scratch"
)

// DefaultURL is the server used when DDLMIG_TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ServerURL returns the URL of the test server's maintenance database.
func ServerURL() string {
	if u := os.Getenv("DDLMIG_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

var (
	checkOnce sync.Once
	checkErr  error
)

// Require fails the test at once, with instructions, if the server cannot be
// reached.
func Require(t testing.TB) {
	t.Helper()
	checkOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, ServerURL())
		if err != nil {
			checkErr = err
			return
		}
		conn.Close(ctx)
	})
	if checkErr != nil {
		t.Fatalf("cannot reach the test PostgreSQL server: %v\n"+
			"The tests need PostgreSQL 15 or later. Start one on 127.0.0.1:5432 (user postgres, trust auth),\n"+
			"or set DDLMIG_TEST_DATABASE_URL to a server where the user may CREATE DATABASE,\n"+
			"or run ./scripts/test, which starts a throwaway cluster from local PostgreSQL binaries.",
			checkErr)
	}
}

// New creates an empty database with a unique name, drops it (with FORCE)
// when the test ends, and returns its URL. Under Main the database comes
// from the package's pool instead and goes back to it, emptied.
func New(t testing.TB) string {
	t.Helper()
	Require(t)
	ctx := context.Background()
	if thePool.enabled() {
		name, err := thePool.get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := thePool.put(ctx, name); err != nil {
				t.Errorf("drop test database %s: %v", name, err)
			}
		})
		return WithDatabase(ServerURL(), name)
	}
	name := uniqueName(t)
	if err := Exec(ctx, ServerURL(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if err := Exec(context.Background(), ServerURL(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return WithDatabase(ServerURL(), name)
}

// Connect opens a connection to url for the rest of the test. It is closed
// when the test ends, before the database New made is dropped (cleanups
// run last-registered first).
func Connect(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// CreateRoles creates roles on the server, which are cluster-wide,
// tolerating roles that exist already (other tests and earlier runs share
// the cluster). They are never dropped: a concurrent test may be using them.
func CreateRoles(t testing.TB, names ...string) {
	t.Helper()
	Require(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, n := range names {
		_, err := conn.Exec(ctx, "CREATE ROLE "+pgx.Identifier{n}.Sanitize())
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && (pgErr.Code == "42710" || pgErr.Code == "23505") {
			continue // exists, or another session created it just now
		}
		if err != nil {
			t.Fatalf("create role %s: %v", n, err)
		}
	}
}

// Exec runs SQL (possibly several statements) on a fresh connection to url.
func Exec(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// WithDatabase returns connString naming database db instead, for URL and
// key=value strings alike: every parameter that names a database (the URL's
// path, dbname=, database=) is replaced, and the result is parsed back to
// check (scratch.ConnString). It panics when that fails: a test must not
// connect to a database it did not mean to.
func WithDatabase(connString, db string) string {
	s, err := scratch.ConnString(connString, db)
	if err != nil {
		panic("testdb.WithDatabase: " + err.Error())
	}
	return s
}

func uniqueName(t testing.TB) string {
	var b [4]byte
	rand.Read(b[:])
	n := strings.ToLower(t.Name())
	var s strings.Builder
	for _, r := range n {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			s.WriteRune(r)
		} else {
			s.WriteByte('_')
		}
	}
	base := s.String()
	if len(base) > 40 {
		base = base[:40]
	}
	return fmt.Sprintf("ddlmig_t_%s_%s", base, hex.EncodeToString(b[:]))
}
