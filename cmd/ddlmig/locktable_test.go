package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestLockModeTable: apply --lock-mode table keeps its lock in a row of
// ddlmig_migrations_lock; drift afterwards sees no drift (the lock table is
// ddlmig's, not the schema's); a row left by a killed run is taken over
// once expired, saying so; lock_mode in ddlmig.json chooses it too.
func TestLockModeTable(t *testing.T) {
	url := testdb.New(t)
	t.Setenv("DATABASE_URL", url)
	root := repo(t)
	dir := filepath.Join(root, "migrations")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, map[string]string{
		"000001_t.up.sql": "CREATE TABLE t (id int);\n", "000001_t.down.sql": "DROP TABLE t;\n",
		"000002_u.up.sql": "CREATE TABLE u (id int);\n", "000002_u.down.sql": "DROP TABLE u;\n",
	})
	expect(t, root, exitOK, []string{"apply", "--to", "1", "--lock-mode", "table"}, "applied 1 migration")
	expect(t, root, exitOK, []string{"drift"}, "no drift")
	if err := testdb.Exec(context.Background(), url, `INSERT INTO ddlmig_migrations_lock
		VALUES ('public.ddlmig_migrations', 'killed host pid 1', NULL, now() - interval '1 hour', now() - interval '1 minute')`); err != nil {
		t.Fatal(err)
	}
	write(t, root, map[string]string{"ddlmig.json": `{"lock_mode": "table", "lock_ttl": "5s"}`})
	expect(t, root, exitOK, []string{"apply"}, "took over the migration lock: its row had expired (lock table row of killed host pid 1", "applied 1 migration")
	expect(t, root, exitError, []string{"apply", "--lock-mode", "tables"}, "--lock-mode")
}
