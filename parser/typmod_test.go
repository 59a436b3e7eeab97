package parser

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/schema"
)

// TestTypeModifiersAgainstServer writes a column of every built-in type
// ddlmig knows, of serial and of a user enum and domain, with a type
// modifier (text(1)), and holds ddlmig against PostgreSQL: a type the
// server refuses a modifier for is refused with the server's message at
// the server's line and column, and one it takes (varchar(1),
// timestamp(1)) is taken.
func TestTypeModifiersAgainstServer(t *testing.T) {
	const prelude = "CREATE TYPE e AS ENUM ('a'); CREATE DOMAIN d AS integer;\nCREATE TABLE t (\n  a "
	names := []string{"e", "d", "pg_catalog.text", "text(1)[]"}
	for n := range builtinTypes {
		if !strings.Contains(n, " ") {
			names = append(names, n)
		}
	}
	for n := range serialTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	ctx := context.Background()
	conn := testdb.Connect(t, testdb.New(t))
	refused := 0
	for _, n := range names {
		typ := n
		if !strings.Contains(typ, "(") {
			typ += "(1)"
		}
		src := prelude + typ + "\n);\n"
		server, msg := serverRefusal(ctx, t, conn, src)
		_, _, err := ParseFile("t.sql", []byte(src), Options{})
		ours := ""
		if err != nil {
			ours = err.Error()
		}
		switch {
		case strings.HasPrefix(msg, "type modifier is not allowed"):
			refused++
			if ours != "t.sql:"+server {
				t.Errorf("%s: ddlmig says %q, PostgreSQL t.sql:%s", typ, ours, server)
			}
		case server == "":
			if ours != "" {
				t.Errorf("%s: PostgreSQL takes it, ddlmig says %s", typ, ours)
			}
		default: // refused for another reason (a pseudo-type column)
			if strings.Contains(ours, "type modifier") {
				t.Errorf("%s: PostgreSQL says %s, ddlmig %s", typ, server, ours)
			}
		}
	}
	if refused < 40 {
		t.Errorf("PostgreSQL refused a modifier for %d types only: the test no longer covers the list", refused)
	}
}

// serverRefusal runs src in a transaction it rolls back and returns
// PostgreSQL's error as line:col: message, and its message alone; "" when
// it ran.
func serverRefusal(ctx context.Context, t *testing.T, conn *pgx.Conn, src string) (string, string) {
	t.Helper()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, src)
	var pe *pgconn.PgError
	if err == nil {
		return "", ""
	}
	if !errors.As(err, &pe) {
		t.Fatal(err)
	}
	before := src[:pe.Position-1]
	line := strings.Count(before, "\n") + 1
	col := len(before) - strings.LastIndex(before, "\n")
	return fmt.Sprintf("%d:%d: %s", line, col, pe.Message), pe.Message
}

// TestNullDefaultsAgainstServer: DEFAULT NULL is no default where
// PostgreSQL stores none (the NULL constant coerced to the column's type is
// a constant) and a default where it stores one (a length coercion of a
// type modifier, interval's excepted; a domain's check).
func TestNullDefaultsAgainstServer(t *testing.T) {
	cols := []string{"int", "text", "varchar", "varchar(16)", "varchar(16)[]", "int[]", "numeric", "numeric(5,2)",
		"char(3)", "bpchar", "bit(3)", "varbit(4)", "timestamp", "timestamp(3)", "timestamptz(0)", "time(2)",
		"interval", "interval(3)", "interval day", "interval hour to second(2)", "d", "d[]", "jsonb",
		"timetz(1)", "decimal(4)", "char", "uuid", "date"}
	var b strings.Builder
	b.WriteString("CREATE DOMAIN d AS integer DEFAULT 5;\nCREATE TABLE t (")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "c%d %s DEFAULT NULL", i, c)
	}
	b.WriteString(");\n")
	cat, _, err := ParseFile("t.sql", []byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	server := serverDefs(t, b.String(), columnDefaultsQuery("t"))
	for i, c := range cols {
		name := fmt.Sprintf("c%d", i)
		ours := cat.Tables[schema.QualifiedName{Schema: "public", Name: "t"}].Column(name).Default
		if _, kept := server[name]; kept != (ours != "") {
			t.Errorf("%s DEFAULT NULL: PostgreSQL stores %q, ddlmig %q", c, server[name], ours)
		}
	}
}
