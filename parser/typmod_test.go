package parser

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
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
// a constant: the same type, or one it relabels, NULL::text on a varchar
// column) and a default where it stores one (a length coercion of a type
// modifier, interval's excepted; a domain's check; a cast function,
// NULL::integer on a bigint column). Where the server keeps one, its print
// (what pg_dump writes) must fold to the same default.
func TestNullDefaultsAgainstServer(t *testing.T) {
	cols := []string{"int", "text", "varchar", "varchar(16)", "varchar(16)[]", "int[]", "numeric", "numeric(5,2)",
		"char(3)", "bpchar", "bit(3)", "varbit(4)", "timestamp", "timestamp(3)", "timestamptz(0)", "time(2)",
		"interval", "interval(3)", "interval day", "interval hour to second(2)", "d", "d[]", "jsonb",
		"timetz(1)", "decimal(4)", "char", "uuid", "date"}
	var defs [][2]string
	for _, c := range cols {
		defs = append(defs, [2]string{c, "NULL"})
	}
	defs = append(defs, [][2]string{
		{"bigint", "NULL::integer"}, {"bigint", "NULL::bigint"}, {"integer", "NULL::bigint"}, {"integer", "NULL::smallint"},
		{"numeric", "NULL::integer"}, {"double precision", "NULL::real"}, {"integer", "NULL::int4"},
		{"varchar", "NULL::text"}, {"text", "NULL::varchar"}, {"text", "NULL::varchar(3)"}, {"bpchar", "NULL::text"},
		{"text", "NULL::bpchar"}, {"varchar(16)", "NULL::text"}, {"inet", "NULL::cidr"}, {"d", "NULL::integer"},
		{"d", "NULL::d"}, {"timestamptz", "NULL::timestamp"}, {"jsonb", "NULL::json"}, {"text", "NULL::text"},
	}...)
	schemaOf := func(defs [][2]string) string {
		var b strings.Builder
		b.WriteString("CREATE DOMAIN d AS integer DEFAULT 5;\nCREATE TABLE t (")
		for i, d := range defs {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "c%d %s DEFAULT %s", i, d[0], d[1])
		}
		b.WriteString(");\n")
		return b.String()
	}
	fold := func(src string) *schema.Table {
		cat, _, err := ParseFile("t.sql", []byte(src), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return cat.Tables[schema.QualifiedName{Schema: "public", Name: "t"}]
	}
	ours := fold(schemaOf(defs))
	server := serverDefs(t, schemaOf(defs), columnDefaultsQuery("t"))
	printed := slices.Clone(defs)
	for i, d := range defs {
		name := fmt.Sprintf("c%d", i)
		def := ours.Column(name).Default
		if _, kept := server[name]; kept != (def != "") {
			t.Errorf("%s DEFAULT %s: PostgreSQL stores %q, ddlmig %q", d[0], d[1], server[name], def)
		}
		if s, kept := server[name]; kept {
			printed[i][1] = s
		}
	}
	again := fold(schemaOf(printed))
	for i, d := range defs {
		name := fmt.Sprintf("c%d", i)
		if got, want := again.Column(name).Default, ours.Column(name).Default; got != want {
			t.Errorf("%s DEFAULT %s: the server's %s folds to %q, the default as written to %q", d[0], d[1], printed[i][1], got, want)
		}
	}
}

// TestNullDefaultDomainDeclaredLater: a column of a domain keeps DEFAULT
// NULL (the server stores NULL::integer, which overrides the domain's
// default) when the domain is declared after the statement that sets it in
// a declarative file: ALTER TABLE ... SET DEFAULT NULL, and a child of
// INHERITS that takes its parent's default away. Folded out of order, the
// file must give what it gives in order, which the server judges.
func TestNullDefaultDomainDeclaredLater(t *testing.T) {
	const domain = "CREATE DOMAIN d AS integer DEFAULT 5;\n"
	const tables = `CREATE TABLE p (c d DEFAULT 7, e d DEFAULT NULL);
CREATE TABLE t (a d, b d, n integer);
ALTER TABLE t ALTER COLUMN a SET DEFAULT NULL;
ALTER TABLE t ALTER COLUMN n SET DEFAULT NULL;
CREATE TABLE k (c d DEFAULT NULL) INHERITS (p);
`
	ordered, later := domain+tables, tables+domain
	cat := func(src string) *schema.Catalog {
		cat, _, err := ParseFile("t.sql", []byte(src), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return cat
	}
	defaults := func(src string) map[string]string {
		out := map[string]string{}
		for _, tn := range []string{"p", "t", "k"} {
			for _, c := range cat(src).Tables[schema.QualifiedName{Schema: "public", Name: tn}].Columns {
				if c.Default != "" {
					out[tn+"."+c.Name] = c.Default
				}
			}
		}
		return out
	}
	want, got := defaults(ordered), defaults(later)
	if !maps.Equal(got, want) {
		t.Errorf("domain declared later: defaults %v, in order %v", got, want)
	}
	server := map[string]string{}
	for _, tn := range []string{"p", "t", "k"} {
		for c, def := range serverDefs(t, ordered, columnDefaultsQuery(tn)) {
			server[tn+"."+c] = def
		}
	}
	for col, def := range server {
		tn, c, _ := strings.Cut(col, ".")
		if own := cat(ordered).Tables[schema.QualifiedName{Schema: "public", Name: tn}].Column(c); own == nil {
			continue // inherited, as its parent's column (k.e)
		}
		if _, ok := want[col]; !ok {
			t.Errorf("%s: PostgreSQL stores %s, ddlmig none", col, def)
		}
	}
	for col, def := range want {
		if _, ok := server[col]; !ok {
			t.Errorf("%s: ddlmig has %s, PostgreSQL stores none", col, def)
		}
	}
}
