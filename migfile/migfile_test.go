package migfile

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		name     string
		files    []string
		versions []uint64
		problems []string
	}{
		{"empty", nil, nil, nil},
		{"pairs", []string{"000001_a.up.sql", "000001_a.down.sql", "000002_b.up.sql", "000002_b.down.sql", "README.md"}, []uint64{1, 2}, nil},
		{"missing down", []string{"000001_a.up.sql"}, []uint64{1}, []string{"000001_a.up.sql: up migration without its down migration"}},
		{"missing up", []string{"000001_a.down.sql"}, nil, []string{"000001_a.down.sql: down migration without its up migration"}},
		{"duplicate version", []string{"000001_a.up.sql", "000001_a.down.sql", "000001_b.up.sql", "000001_b.down.sql"}, []uint64{1},
			[]string{
				"000001_b.down.sql: version 000001 is also used by 000001_a.up.sql (two branches generated the same version: on the branch that merged the other, run ddlmig renumber to move this branch's migrations after the other's)",
				"000001_b.up.sql: version 000001 is also used by 000001_a.up.sql (two branches generated the same version: on the branch that merged the other, run ddlmig renumber to move this branch's migrations after the other's)",
			}},
		{"misnamed sql", []string{"add_email.sql"}, nil, []string{"add_email.sql: not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql)"}},
		{"zero version", []string{"000000_a.up.sql"}, nil, []string{"000000_a.up.sql: version must be a positive number"}},
		// Versions compare as numbers: 1 is 000001, and one of the two
		// would have been skipped.
		{"same version, other padding", []string{"000001_init.up.sql", "000001_init.down.sql", "1_init.up.sql", "1_init.down.sql"}, []uint64{1},
			[]string{
				"1_init.down.sql: version 000001 is also used by 000001_init.up.sql (versions compare as numbers, so 000001 and 1 are the same; delete or renumber one of them)",
				"1_init.up.sql: version 000001 is also used by 000001_init.up.sql (versions compare as numbers, so 000001 and 1 are the same; delete or renumber one of them)",
			}},
		{"pair split across paddings", []string{"01_a.up.sql", "1_a.down.sql"}, []uint64{1},
			[]string{"01_a.up.sql: up migration without its down migration",
				"1_a.down.sql: version 000001 is also used by 01_a.up.sql (versions compare as numbers, so 01 and 1 are the same; delete or renumber one of them)"}},
		{"unpadded versions order as numbers", []string{"9_a.up.sql", "9_a.down.sql", "10_b.up.sql", "10_b.down.sql"}, []uint64{9, 10}, nil},
		{"largest bigint", []string{"9223372036854775807_a.up.sql", "9223372036854775807_a.down.sql"}, []uint64{9223372036854775807}, nil},
		{"beyond bigint", []string{"9223372036854775808_a.up.sql", "0099999999999999999999_b.up.sql"}, nil,
			[]string{
				"0099999999999999999999_b.up.sql: version 99999999999999999999 is too large: the bookkeeping table keeps versions as bigint, at most 9223372036854775807",
				"9223372036854775808_a.up.sql: version 9223372036854775808 is too large: the bookkeeping table keeps versions as bigint, at most 9223372036854775807",
			}},
		{"near misses", []string{"0001_x.up.SQL", "0002_y.UP.SQL", "0003_z.upsql", "0004-w.up.sql", "v.up.sql", "0005_q.down", "0006_r.up.txt", "notes.txt", "README.md", "markup.md"}, nil,
			[]string{
				"0001_x.up.SQL: not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql): rename it to 0001_x.up.sql",
				"0002_y.UP.SQL: not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql): rename it to 0002_y.up.sql",
				"0003_z.upsql: not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql)",
				"0004-w.up.sql: not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql)",
				"0005_q.down: not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql)",
				"0006_r.up.txt: not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql)",
				"v.up.sql: not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql)",
			}},
		{"hidden files and backups are ignored", []string{".gitkeep", ".000001_a.up.sql.swp", "000001_a.up.sql~", "000001_a.up.sql.bak", "000001_a.up.sql.orig", ".ddlmig-000001_a.up.sql.tmp"}, nil, nil},
		{"control characters in a name", []string{"000001_a\x1b[2J.up.sql", "000001_a\x1b[2J.down.sql", "000002_b\n.up.sql"}, nil,
			[]string{
				`000001_a\x1b[2J.down.sql: file name holds a control character or a byte that is not UTF-8; rename the file`,
				`000001_a\x1b[2J.up.sql: file name holds a control character or a byte that is not UTF-8; rename the file`,
				`000002_b\n.up.sql: file name holds a control character or a byte that is not UTF-8; rename the file`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tc.files {
				fsys[f] = &fstest.MapFile{Data: []byte("SELECT 1;\n")}
			}
			f, err := Read(fsys)
			if err != nil {
				t.Fatal(err)
			}
			var vs []uint64
			for _, m := range f.Migrations {
				vs = append(vs, m.Version)
			}
			var ps []string
			for _, p := range f.Problems {
				ps = append(ps, p.String())
			}
			if d := cmp.Diff(tc.versions, vs); d != "" {
				t.Errorf("versions (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.problems, ps); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}

func TestGaps(t *testing.T) {
	f := &Folder{Migrations: []Migration{{Version: 1, Up: "000001_a.up.sql"}, {Version: 2, Up: "000002_b.up.sql"}, {Version: 4, Up: "000004_d.up.sql"}}}
	got := f.Gaps()
	if len(got) != 1 || got[0].File != "000004_d.up.sql" {
		t.Fatalf("Gaps = %v", got)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"add email":            "add_email",
		"Add E-mail!":          "add_e_mail",
		"":                     "migration",
		"!!!":                  "migration",
		"rename users.name ok": "rename_users_name_ok",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnreviewed(t *testing.T) {
	src := "-- header\n-- ddlmig:unreviewed drop-column: drops x\nALTER TABLE t DROP COLUMN x;\n-- ddlmig:reviewed drop-table: ok\n  -- ddlmig:unreviewed: lock\n-- ddlmig:unreviewedness is not a marker\n"
	want := []Marker{{Line: 2, Text: "drop-column: drops x"}, {Line: 5, Text: "lock"}}
	if d := cmp.Diff(want, Unreviewed([]byte(src))); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got := Unreviewed([]byte("CREATE TABLE t ();\n")); got != nil {
		t.Errorf("clean file: %v", got)
	}
}

func TestNoTransaction(t *testing.T) {
	if !NoTransaction([]byte("-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n")) {
		t.Error("marker on first line not seen")
	}
	if NoTransaction([]byte("-- header\n-- ddlmig:no-transaction\n")) {
		t.Error("marker on second line must not count")
	}
}

func TestBatchMarkers(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []int
	}{
		{"none", "CREATE TABLE a ();\n", nil},
		{"two", "CREATE TABLE a ();\n-- ddlmig:batch\nCREATE TABLE b ();\n  -- ddlmig:batch 3 of 3: note\nCREATE TABLE c ();", []int{19, 54}},
		{"last line without newline", "SELECT 1;\n-- ddlmig:batch", []int{10}},
		{"longer word is not a marker", "-- ddlmig:batches\n-- ddlmig:batch:x\nSELECT 1;\n", nil},
		{"mid-line is not a marker", "SELECT 1; -- ddlmig:batch\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := BatchMarkers([]byte(tc.in))
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("BatchMarkers = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSum(t *testing.T) {
	for _, text := range []string{
		"-- Message: a\n-- Generated by ddlmig.\n--\n-- Hazards\n\nCREATE TABLE t ();\n",
		"CREATE TABLE t ();\n",
		"",
		"-- only a comment",
	} {
		s := WithSum(text)
		if !Untouched([]byte(s)) {
			t.Errorf("WithSum(%q) = %q: not Untouched", text, s)
		}
		if Untouched([]byte(s + "DROP TABLE t;\n")) {
			t.Errorf("%q with a statement added is Untouched", s)
		}
		if Untouched([]byte(text)) {
			t.Errorf("%q without a sum is Untouched", text)
		}
	}
	got := WithSum("-- Message: a\n-- Generated by ddlmig.\n--\n-- x\n\nSELECT 1;\n")
	if !strings.HasPrefix(got, "-- Message: a\n-- Generated by ddlmig.\n-- ddlmig:sum ") {
		t.Errorf("sum line not after the header's first lines:\n%s", got)
	}
}
