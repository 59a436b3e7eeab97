package inspect

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestBeginReadOnly pins the transaction every query of Schema runs in:
// one REPEATABLE READ snapshot in which the server refuses any write.
func TestBeginReadOnly(t *testing.T) {
	ctx := context.Background()
	conn := testdb.Connect(t, testdb.New(t))
	tx, err := begin(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var iso, ro, path string
	if err := tx.QueryRow(ctx, `SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only'),
		current_setting('search_path')`).Scan(&iso, &ro, &path); err != nil {
		t.Fatal(err)
	}
	if iso != "repeatable read" || ro != "on" || path != "" {
		t.Errorf("isolation %q, read only %q, search_path %q; want repeatable read, on, empty", iso, ro, path)
	}
	_, err = tx.Exec(ctx, `CREATE TABLE written (id int)`)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "25006" {
		t.Errorf("CREATE TABLE in the inspect transaction: %v; want read_only_sql_transaction (25006)", err)
	}
}
