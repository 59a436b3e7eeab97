package parser

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// inListItem is one IN list the server rewrites: kind says where it stands
// (a table's CHECK, a domain's CHECK, a trigger's WHEN, a policy's USING)
// and def is its SQL as that kind's statement holds it (the CHECK clause,
// the whole CREATE TRIGGER, the USING expression).
type inListItem struct {
	name, kind, typ, def string
}

// TestInListsAgainstServer holds the rule that an IN list is the
// = ANY (ARRAY[...]) the server stores for it, wherever it stands: on a
// varchar column or domain the server prints v IN ('a', 'b') as
// ((v)::text = ANY ((ARRAY['a'::character varying, ...])::text[])), which
// loads again as ARRAY[('a'::character varying)::text, ...]; on text, char,
// enum and number columns as col = ANY (ARRAY['a'::text, ...]) and the
// like. Each item as written, the server's print of it (what pg_dump
// writes) and the print of that print loaded again (a schema bootstrapped
// from pg_dump, dumped again) must fold to the same compared text.
func TestInListsAgainstServer(t *testing.T) {
	lists := []struct{ col, typ, values string }{
		{"v", "varchar(10)", "'a', 'b'"}, {"w", "varchar", "'a', 'b'"}, {"c", "char(3)", "'a', 'b'"},
		{"t", "text", "'a', 'b'"}, {"m", "mood", "'fine', 'sad'"}, {"i", "integer", "1, 2"},
		{"b", "bigint", "1, 2"}, {"s", "smallint", "1, 2"}, {"n", "numeric", "1, 2.5"}, {"r", "real", "1, 2.5"},
		{"d", "double precision", "1, -2"},
	}
	var items []inListItem
	for _, l := range lists {
		for j, form := range []string{"%s IN (%s)", "%s NOT IN (%s)", "%s IN (%s, NULL)"} {
			in := func(x string) string { return fmt.Sprintf(form, x, l.values) }
			items = append(items,
				inListItem{fmt.Sprintf("k_%s%d", l.col, j), "check", l.typ, "CHECK (" + in(l.col) + ")"},
				inListItem{fmt.Sprintf("d_%s%d", l.col, j), "domain", l.typ, "CHECK (" + in("VALUE") + ")"},
				inListItem{fmt.Sprintf("tr_%s%d", l.col, j), "trigger", l.typ, fmt.Sprintf(
					"CREATE TRIGGER tr_%s%d BEFORE UPDATE ON c FOR EACH ROW WHEN (%s IS NOT TRUE) EXECUTE FUNCTION touch()", l.col, j, in("new."+l.col))},
				inListItem{fmt.Sprintf("p_%s%d", l.col, j), "policy", l.typ, in(l.col)})
		}
	}
	want := foldInLists(t, items)
	printed := items
	for round := 1; round <= 2; round++ {
		printed = serverInLists(t, printed)
		got := foldInLists(t, printed)
		for _, it := range printed {
			if got[it.name] != want[it.name] {
				t.Errorf("%s, print %d: %s folds to\n\t%s\nwritten, to\n\t%s", it.name, round, it.def, got[it.name], want[it.name])
			}
		}
	}
}

// inListSchema is the schema that holds items: table c with one column of
// each type, a domain per domain item, a trigger and a policy per item.
func inListSchema(items []inListItem) string {
	var b strings.Builder
	b.WriteString("CREATE TYPE mood AS ENUM ('fine', 'unhappy', 'sad');\n")
	b.WriteString("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN new; END$$;\n")
	cols := map[string]string{}
	var checks []string
	for _, it := range items {
		switch it.kind {
		case "check":
			col := strings.TrimPrefix(it.name, "k_")
			cols[col[:len(col)-1]] = it.typ
			checks = append(checks, "CONSTRAINT "+it.name+" "+it.def)
		case "domain":
			fmt.Fprintf(&b, "CREATE DOMAIN %s_dom AS %s CONSTRAINT %s %s;\n", it.name, it.typ, it.name, it.def)
		}
	}
	var names []string
	for name := range cols {
		names = append(names, name)
	}
	sort.Strings(names)
	var defs []string
	for _, name := range names {
		defs = append(defs, name+" "+cols[name])
	}
	fmt.Fprintf(&b, "CREATE TABLE c (%s);\n", strings.Join(append(defs, checks...), ", "))
	for _, it := range items {
		switch it.kind {
		case "trigger":
			b.WriteString(it.def + ";\n")
		case "policy":
			fmt.Fprintf(&b, "CREATE POLICY %s ON c USING (%s);\n", it.name, it.def)
		}
	}
	return b.String()
}

// foldInLists folds the schema of items and returns each item's compared
// text by name.
func foldInLists(t *testing.T, items []inListItem) map[string]string {
	t.Helper()
	src := inListSchema(items)
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	out := map[string]string{}
	tbl := cat.Tables[schema.QualifiedName{Schema: "public", Name: "c"}]
	for _, c := range tbl.Constraints {
		out[c.Name] = c.Def
	}
	for _, p := range tbl.Policies {
		out[p.Name] = p.Using
	}
	for tn, tr := range cat.Triggers {
		out[tn.Name] = tr.Def
	}
	for _, d := range cat.Domains {
		for _, c := range d.Constraints {
			out[c.Name] = c.Def
		}
	}
	return out
}

// serverInLists loads the schema of items and returns them as the server
// prints them back.
func serverInLists(t *testing.T, items []inListItem) []inListItem {
	t.Helper()
	server := serverDefs(t, inListSchema(items), `
		SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		 WHERE conrelid = 'c'::regclass OR contypid IN (SELECT oid FROM pg_type WHERE typnamespace = 'public'::regnamespace)
		UNION ALL SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'c'::regclass
		UNION ALL SELECT polname, pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polrelid = 'c'::regclass`)
	out := make([]inListItem, len(items))
	for i, it := range items {
		def, ok := server[it.name]
		if !ok {
			t.Fatalf("the server has no %s", it.name)
		}
		it.def = def
		out[i] = it
	}
	return out
}
