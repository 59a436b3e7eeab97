package parser

import (
	"context"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestDropGeneratedSourceAgainstServer holds the fold's DROP COLUMN of a
// column that a stored generated column reads against PostgreSQL: each
// statement is refused by the fold exactly when the server refuses it,
// with the server's message.
func TestDropGeneratedSourceAgainstServer(t *testing.T) {
	const table = "CREATE TABLE t (id integer, a integer, g integer GENERATED ALWAYS AS (a * 2) STORED);\n"
	for _, alter := range []string{
		"ALTER TABLE t DROP COLUMN a;",
		"ALTER TABLE t DROP COLUMN a RESTRICT;",
		"ALTER TABLE t DROP COLUMN a, DROP COLUMN g;",
		"ALTER TABLE t DROP COLUMN g, DROP COLUMN a;",
		"ALTER TABLE t DROP COLUMN a CASCADE;",
		"ALTER TABLE t DROP COLUMN id;",
	} {
		t.Run(alter, func(t *testing.T) {
			_, _, foldErr := ParseFile("m.sql", []byte(table+alter), Options{Migration: true})
			url := testdb.New(t)
			serverErr := testdb.Exec(context.Background(), url, table+alter)
			if (foldErr != nil) != (serverErr != nil) {
				t.Fatalf("fold error %v, server error %v", foldErr, serverErr)
			}
			if serverErr == nil {
				return
			}
			msg, _, _ := strings.Cut(strings.TrimPrefix(serverErr.Error(), "ERROR: "), " (SQLSTATE")
			if !strings.Contains(foldErr.Error(), msg) {
				t.Errorf("fold error %q does not say the server's %q", foldErr, msg)
			}
		})
	}
}
