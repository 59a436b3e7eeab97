package render_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// TestCastsAgainstServer checks planner.Castable on PostgreSQL: for every
// pair of the built-in types it knows, and arrays of a few, value::to
// must parse on the server exactly when Castable says so (a USING clause
// ddlmig writes for a type change is such a cast).
func TestCastsAgainstServer(t *testing.T) {
	testdb.Require(t)
	types := append(planner.CastTypeNames(), "integer[]", "text[]", "bigint[]", "timestamp without time zone[]", "uuid[]")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testdb.New(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	col := func(typ string) schema.TypeName {
		t.Helper()
		return parse(t, "schema.sql", "CREATE TABLE t (c "+typ+");").Tables[schema.QualifiedName{Schema: "public", Name: "t"}].Columns[0].Type
	}
	parsed := map[string]schema.TypeName{}
	for _, typ := range types {
		parsed[typ] = col(typ)
	}
	castable, refused := 0, 0
	for _, from := range types {
		for _, to := range types {
			_, err := conn.Exec(ctx, "SELECT NULL::"+from+"::"+to)
			server := err == nil
			if got := planner.Castable(parsed[from], parsed[to]); got != server {
				t.Errorf("Castable(%s, %s) = %t, but the server: %v", from, to, got, err)
			}
			if server {
				castable++
			} else {
				refused++
			}
		}
	}
	t.Logf("%d pairs castable, %d refused", castable, refused)
}
