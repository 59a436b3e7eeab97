package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/jackc/pgx/v5"
)

// files builds a migrations folder from "version_name" → up SQL; each gets a
// down file that is the matching entry of downs, or a harmless comment.
func files(ups map[string]string, downs map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for k, up := range ups {
		fsys[k+".up.sql"] = &fstest.MapFile{Data: []byte(up)}
		d, ok := downs[k]
		if !ok {
			d = "-- nothing to undo\n"
		}
		fsys[k+".down.sql"] = &fstest.MapFile{Data: []byte(d)}
	}
	return fsys
}

// fiveMigrations is a small realistic history with down files.
func fiveMigrations() fstest.MapFS {
	return files(map[string]string{
		"000001_users":      "-- Message: Create users\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n",
		"000002_posts":      "CREATE TABLE posts (\n\tid bigint PRIMARY KEY,\n\tuser_id bigint NOT NULL REFERENCES users\n);\n",
		"000003_post_title": "ALTER TABLE posts ADD COLUMN title text NOT NULL DEFAULT '';\nCREATE INDEX posts_user_idx ON posts (user_id);\n",
		"000004_user_name":  "ALTER TABLE users ADD COLUMN name text;\n",
		"000005_tags":       "CREATE TABLE tags (post_id bigint REFERENCES posts, tag text);\n",
	}, map[string]string{
		"000001_users":      "DROP TABLE users;\n",
		"000002_posts":      "DROP TABLE posts;\n",
		"000003_post_title": "DROP INDEX posts_user_idx;\nALTER TABLE posts DROP COLUMN title;\n",
		"000004_user_name":  "ALTER TABLE users DROP COLUMN name;\n",
		"000005_tags":       "DROP TABLE tags;\n",
	})
}

func connect(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func newRunner(t testing.TB, url string, fsys fstest.MapFS, opts Options) *Runner {
	t.Helper()
	r, err := New(connect(t, url), fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// states returns "000001 applied, 000002 pending, ..." for compact checks.
func states(t *testing.T, r *Runner) string {
	t.Helper()
	st, err := r.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, m := range st.Migrations {
		parts = append(parts, fmt.Sprintf("%06d %s", m.Version, m.State))
	}
	return fmt.Sprintf("version %06d: %s", st.Version, strings.Join(parts, ", "))
}

// query returns the first column of the first row of sql as text.
func query(t testing.TB, url, sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var s *string
	if err := conn.QueryRow(ctx, "SELECT ("+sql+")::text").Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	if s == nil {
		return "NULL"
	}
	return *s
}

func execSQL(t testing.TB, url, sql string) {
	t.Helper()
	if err := testdb.Exec(context.Background(), url, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// tables lists the user tables in public, sorted, comma-separated.
func tables(t testing.TB, url string) string {
	return query(t, url, `SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class
		WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`)
}

// writeDir writes a MapFS to a real folder, for subprocess tests.
func writeDir(t testing.TB, fsys fstest.MapFS) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range fsys {
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func ctxTimeout(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
