package parser

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// Helpers of the tests that hold ddlmig's expression handling against
// PostgreSQL's own (constcast, widening, castoperand, attimezone).

// deparsesBack checks that deparseExpr's text of each expression parses
// back to the same tree (locations aside).
func deparsesBack(t *testing.T, exprs []string) {
	t.Helper()
	for _, e := range exprs {
		want, err := parseExpr(e)
		if err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		got, err := deparseExpr(proto.Clone(want).(*pg_query.Node))
		if err != nil {
			t.Errorf("%s: %v", e, err)
			continue
		}
		back, err := parseExpr(got)
		if err != nil {
			t.Errorf("%s: printed %s, which does not parse: %v", e, got, err)
			continue
		}
		clearLocations(want)
		clearLocations(back)
		if !proto.Equal(want, back) {
			t.Errorf("%s: printed %s, which parses to another tree", e, got)
		}
	}
}

// serverDefs loads src into a new database and returns what query, which
// selects a name and a definition, gives: the server's text of each.
func serverDefs(t *testing.T, src, query string) map[string]string {
	t.Helper()
	url := testdb.New(t)
	ctx := context.Background()
	if err := testdb.Exec(ctx, url, src); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	server := map[string]string{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		server[name] = def
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return server
}

// columnDefaultsQuery reads the stored default (or generation expression)
// of each column of table rel, by column name, for serverDefs.
func columnDefaultsQuery(rel string) string {
	return "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d " +
		"JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = '" + rel + "'::regclass"
}

// sameAsServer checks that ddlmig's texts of two written items are the
// same exactly when the server's are: item i of written has the key
// prefix+i in ours and server.
func sameAsServer(t *testing.T, written []string, prefix string, ours, server map[string]string) {
	t.Helper()
	for i := range written {
		for j := i + 1; j < len(written); j++ {
			ki, kj := fmt.Sprintf("%s%d", prefix, i), fmt.Sprintf("%s%d", prefix, j)
			if same, want := ours[ki] == ours[kj], server[ki] == server[kj]; same != want {
				t.Errorf("%q and %q: ddlmig says same %t (%s / %s), the server %t (%s / %s)",
					written[i], written[j], same, ours[ki], ours[kj], want, server[ki], server[kj])
			}
		}
	}
}

// viewsAgainstServer creates the table of tableSQL and a view over it for
// each expression, in ddlmig's model and on the server: two views must
// have the same definition in the model exactly when pg_get_viewdef
// prints them the same.
func viewsAgainstServer(t *testing.T, tableSQL string, exprs []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(tableSQL + "\n")
	for i, e := range exprs {
		fmt.Fprintf(&b, "CREATE VIEW v%d AS SELECT %s AS x FROM c;\n", i, e)
	}
	src := b.String()
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{}
	for q, v := range cat.Views {
		ours[q.Name] = v.Def
	}
	server := serverDefs(t, src, "SELECT relname, pg_get_viewdef(oid) FROM pg_class WHERE relkind = 'v' AND relnamespace = 'public'::regnamespace")
	if len(server) != len(exprs) || len(ours) != len(exprs) {
		t.Fatalf("%d views, the server has %d, ddlmig %d", len(exprs), len(server), len(ours))
	}
	sameAsServer(t, exprs, "v", ours, server)
}
