package parser

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRenameDirectives(t *testing.T) {
	src := strings.Join([]string{
		"CREATE TABLE people ( -- @renamed from=users", // 1
		"    id bigint,", // 2
		"    full_name text, -- ddlmig:renamed-from name",     // 3
		"    \"E-mail\" text /* @renamed from=\"e mail\" */,", // 4
		"    note text DEFAULT '-- @renamed from=literal',",   // 5: in a string
		"    \"x -- @renamed from=quoted\" int,",              // 6: in an identifier
		"    Zip text -- ddlmig:renamed-from PostCode",        // 7: folded
		");", // 8
		"-- an ordinary comment about @renamedness",               // 9
		"CREATE INDEX i2 ON people (id); -- @renamed from=app.i1", // 10
		"CREATE TABLE \"é\" ( -- ddlmig:renamed-from X",           // 11: columns count runes
	}, "\n")
	got, err := RenameDirectives("schema.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	type d struct {
		Line, Col int
		Sch, Name string
	}
	var gotD []d
	for _, x := range got {
		if x.Pos.File != "schema.sql" {
			t.Errorf("file %q", x.Pos.File)
		}
		gotD = append(gotD, d{x.Pos.Line, x.Pos.Col, x.FromSchema, x.From})
	}
	want := []d{
		{1, 23, "", "users"},
		{3, 21, "", "name"},
		{4, 19, "", "e mail"},
		{7, 14, "", "postcode"},
		{10, 33, "app", "i1"},
		{11, 20, "", "x"},
	}
	if diff := cmp.Diff(want, gotD); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestRenameDirectiveErrors(t *testing.T) {
	for _, src := range []string{
		"CREATE TABLE t (\n  a int -- @renamed\n);",
		"CREATE TABLE t (\n  a int -- ddlmig:renamed-from\n);",
		"CREATE TABLE t (\n  a int -- @renamed from=\"open\n);",
	} {
		_, err := RenameDirectives("s.sql", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "s.sql:2:") {
			t.Errorf("%q: error %v, want one at s.sql:2", src, err)
		}
	}
	// Nothing to find: no scan, no error even for text the scanner rejects.
	if ds, err := RenameDirectives("s.sql", []byte("CREATE TABLE 'oops")); err != nil || ds != nil {
		t.Errorf("no directive: %v, %v", ds, err)
	}
}
