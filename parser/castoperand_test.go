package parser

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// castOperands are expressions whose :: operand binds looser than ::, so
// the printed text needs the parentheses (the deparser wrote
// (z IS NULL)::text as z IS NULL::text), and near misses that need none.
var castOperands = []string{
	`(z IS NULL)::text`, `(z IS NOT NULL)::text`, `(z ISNULL)::text`, `(b IS TRUE)::text`,
	`(b IS NOT UNKNOWN)::integer`, `(b AND c)::text`, `(b OR c)::integer`, `(NOT b)::text`,
	`((z IS NULL)::text)::integer`, `(z IS NULL)::text || 'x'`, `lower((z IS NULL)::text)`,
	`'true' = (z IS NULL)::text`, `t || (z IS NULL)::text`, `t || (b IS FALSE)::text`,
	`(ROW(z, 2) IS NULL)::text`, `(t COLLATE "C")::text`, `(x IS DOCUMENT)::text`,
	`(z = 1)::text`, `(z IS DISTINCT FROM 1)::text`, `z::text`, `(z + 1)::text`, `(z IS NULL) = b`,
}

// TestDeparseCastOperands checks that each expression's text parses back
// to the same tree.
func TestDeparseCastOperands(t *testing.T) {
	deparsesBack(t, castOperands)
}

// TestDeparseCastOperandsAgainstServer has PostgreSQL read each expression
// and its printed text over the same rows: both must give the same type
// and values.
func TestDeparseCastOperandsAgainstServer(t *testing.T) {
	testdb.Require(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testdb.New(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	const rows = `(VALUES (NULL::integer, true, false, 'a'::text, '<a/>'::xml), (1, NULL, true, 'b', NULL), (2, false, NULL, NULL, '<b/>')) AS r(z, b, c, t, x)`
	for _, e := range castOperands {
		n, err := parseExpr(e)
		if err != nil {
			t.Fatal(err)
		}
		printed, err := deparseExpr(n)
		if err != nil {
			t.Fatal(err)
		}
		result := func(expr string) string {
			var out string
			q := `SELECT string_agg(pg_typeof(v)::text || ':' || coalesce(v::text, 'NULL'), ',' ORDER BY ord) FROM (SELECT row_number() OVER () AS ord, ` + expr + ` AS v FROM ` + rows + `) s`
			if err := conn.QueryRow(ctx, q).Scan(&out); err != nil {
				return "error: " + err.Error()
			}
			return out
		}
		if want, got := result(e), result(printed); got != want {
			t.Errorf("%s gives %s, its printed text %s gives %s", e, want, printed, got)
		}
	}
}
