package parser

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ddlmig/ddlmig/schema"
)

// TestUnmanagedMarker: a statement marked -- ddlmig:unmanaged is carried
// as written, by the identity of what it creates (or its text), and not
// folded: the rule on a table is no error, and the table it names is not
// changed.
func TestUnmanagedMarker(t *testing.T) {
	src := "CREATE TABLE t (id int);\n" +
		"-- ddlmig:unmanaged\n" +
		"CREATE PUBLICATION pub FOR TABLE t;\n" +
		"-- the rule keeps t read-only\n" +
		"-- ddlmig:unmanaged  (a note after the marker)\n" +
		"create  rule r as on insert to t\n    do instead nothing;\n" +
		"CREATE TABLE u (id int); -- ddlmig:unmanaged\n" + // on the line of the statement before: no marker
		"CREATE TABLE v (id int);\n" +
		"  -- ddlmig:unmanaged\n" +
		"ALTER TABLE t ALTER COLUMN id SET STATISTICS 100\n"
	for _, mode := range []Options{{}, {Migration: true}} {
		cat, warns, err := ParseFile("f.sql", []byte(src), mode)
		if err != nil {
			t.Fatalf("%+v: %v", mode, err)
		}
		if len(warns) != 0 {
			t.Errorf("%+v: warnings %v", mode, warns)
		}
		want := map[string]*schema.Unmanaged{
			"PUBLICATION pub": {Key: "PUBLICATION pub", Kind: "CREATE PUBLICATION", Text: "CREATE PUBLICATION pub FOR TABLE t",
				Norm: "CREATE PUBLICATION pub FOR TABLE t", Pos: schema.Pos{File: "f.sql", Line: 3, Col: 1}},
			"RULE r ON t": {Key: "RULE r ON t", Kind: "CREATE RULE", Text: "create  rule r as on insert to t\n    do instead nothing",
				Norm: "CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING", Pos: schema.Pos{File: "f.sql", Line: 6, Col: 1}},
			"statement ALTER TABLE t ALTER COLUMN id SET STATISTICS 100": {Key: "statement ALTER TABLE t ALTER COLUMN id SET STATISTICS 100",
				Kind: "ALTER TABLE", Text: "ALTER TABLE t ALTER COLUMN id SET STATISTICS 100",
				Norm: "ALTER TABLE t ALTER COLUMN id SET STATISTICS 100", Pos: schema.Pos{File: "f.sql", Line: 11, Col: 1}},
		}
		if diff := cmp.Diff(want, cat.Unmanaged, cmpopts.IgnoreFields(schema.Unmanaged{}, "Seq")); diff != "" {
			t.Errorf("%+v: (-want +got):\n%s", mode, diff)
		}
		if len(cat.Tables) != 3 {
			t.Errorf("%+v: tables %v", mode, schema.SortedNames(cat.Tables))
		}
	}
}

// TestUnmanagedInMigrations: across migrations, a statement written again
// (it changed) replaces the one before, and a marked DROP of its object
// removes it; in one schema file, two statements for one object are an
// error at the second.
func TestUnmanagedInMigrations(t *testing.T) {
	cat := schema.New()
	files := []string{
		"-- ddlmig:unmanaged\nCREATE PUBLICATION pub FOR ALL TABLES;\n-- ddlmig:unmanaged\nCREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f();\n",
		"-- ddlmig:unmanaged\nCREATE PUBLICATION pub WITH (publish = 'insert');\n",
		"-- ddlmig:unmanaged\nDROP EVENT TRIGGER e;\n",
	}
	for i, f := range files {
		if _, err := Parse(cat, "m"+string(rune('1'+i))+".sql", []byte(f), Options{Migration: true}); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	for k, u := range cat.Unmanaged {
		keys = append(keys, k+" = "+u.Norm)
	}
	want := []string{
		"PUBLICATION pub = CREATE PUBLICATION pub WITH (publish = 'insert')",
		"statement DROP EVENT TRIGGER e = DROP EVENT TRIGGER e",
	}
	if diff := cmp.Diff(want, keys, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	_, _, err := ParseFile("s.sql", []byte("-- ddlmig:unmanaged\nCREATE PUBLICATION pub FOR ALL TABLES;\n\n-- ddlmig:unmanaged\nCREATE PUBLICATION pub;\n"), Options{})
	if want := "s.sql:5:1: PUBLICATION pub is marked unmanaged twice (also at s.sql:2:1): ddlmig carries one statement per object"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestUnsupportedSaysTheWayOut: the error for a statement ddlmig cannot
// fold names the marker, in a schema file and in a migration.
func TestUnsupportedSaysTheWayOut(t *testing.T) {
	for _, mode := range []Options{{}, {Migration: true}} {
		_, _, err := ParseFile("m.sql", []byte("CREATE TABLE t (id int);\nCREATE TYPE base (INPUT = base_in, OUTPUT = base_out);\n"), mode)
		if err == nil || !strings.HasPrefix(err.Error(), "m.sql:2:1: unsupported statement CREATE TYPE") || !strings.Contains(err.Error(), "-- ddlmig:unmanaged") {
			t.Errorf("%+v: %v", mode, err)
		}
	}
}
