package migfile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRules(t *testing.T) {
	const tx = `"-- ddlmig:no-transaction" on the first line`
	for _, tc := range []struct {
		name string
		text string
		want []string
	}{
		{"clean", "CREATE TABLE a (id int);\nSAVEPOINT s; ROLLBACK TO SAVEPOINT s;\nRELEASE s;\n", nil},
		{"commit and begin", "ALTER TABLE a ADD b int;\nCOMMIT;\n  begin;\n",
			[]string{"f.sql:2:1: COMMIT would end the migration's transaction early; remove it (each file already runs in one transaction), or put " + tx,
				"f.sql:3:3: BEGIN would end the migration's transaction early; remove it (each file already runs in one transaction), or put " + tx}},
		{"rollback after a comment", "SELECT 1; -- done\n/* c; */ ROLLBACK;\n",
			[]string{"f.sql:2:10: ROLLBACK would end the migration's transaction early; remove it (each file already runs in one transaction), or put " + tx}},
		{"first statement", "END;\n", []string{"f.sql:1:1: END would end the migration's transaction early; remove it (each file already runs in one transaction), or put " + tx}},
		{"words inside bodies and names", "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\nCREATE TABLE commit_log (id int);\nSELECT 'x; COMMIT';\n", nil},
		{"begin atomic", "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n", nil},
		{"no-transaction file may commit", "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (id);\nCOMMIT;\n", nil},
		{"copy from stdin", "CREATE TABLE a (id int);\ncopy a FROM STDIN;\n1\n\\.\n", []string{"f.sql:2:1: COPY ... FROM STDIN needs data sent by a client such as psql; write INSERT statements instead"}},
		{"copy to stdout", "COPY a TO STDOUT;\n", nil},
		{"no-transaction marker below line 1", "-- header\n  -- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (id);\n",
			[]string{"f.sql:2:1: -- ddlmig:no-transaction takes effect only on the file's first line; move it there (or delete it)"}},
		{"misspelled no-transaction markers", "-- DDLMIG: no-transaction (for CIC)\nCREATE INDEX CONCURRENTLY i ON a (id);\n--ddlmig:no_transaction\n",
			[]string{`f.sql:1:1: "-- DDLMIG: no-transaction (for CIC)" is not read as the no-transaction marker, and the file would run in a transaction: write exactly "-- ddlmig:no-transaction"`,
				"f.sql:3:1: -- ddlmig:no-transaction takes effect only on the file's first line; move it there (or delete it)"}},
		{"hazard text naming the marker", "-- ddlmig:reviewed create-index: use a migration whose first line is -- ddlmig:no-transaction.\nCREATE INDEX i ON a (id);\n", nil},
		{"no-transaction file that does not split", "-- ddlmig:no-transaction\nCREATE INDEX CONCURRENTLY ON;\n", []string{"f.sql: cannot split into statements: syntax error at or near \";\""}},
		{"batch marker in a no-transaction file", "-- ddlmig:no-transaction\nSELECT 1;\n-- ddlmig:batch\nSELECT 2;\n",
			[]string{"f.sql:3:1: -- ddlmig:batch in a no-transaction file, which runs statement by statement anyway; remove the marker lines"}},
		{"batch marker inside a statement", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n-- ddlmig:batch\nSELECT 1 $$;\n-- ddlmig:batch\nSELECT 2;\n",
			[]string{"f.sql:2:1: -- ddlmig:batch is inside a statement; put it on a line of its own between two statements"}},
		{"batch marker inside a BEGIN ATOMIC body", "CREATE TABLE t (id int);\n-- ddlmig:batch\ncreate function f() returns int language sql begin atomic select 1;\n-- ddlmig:batch\nselect 2; end;\n",
			[]string{"f.sql:4:1: -- ddlmig:batch is inside a statement; put it on a line of its own between two statements"}},
		{"batch marker inside a CREATE RULE", "CREATE TABLE t (id int);\nCREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1;\n-- ddlmig:batch\nSELECT 2);\n-- ddlmig:batch\nSELECT 3;\n",
			[]string{"f.sql:3:1: -- ddlmig:batch is inside a statement; put it on a line of its own between two statements"}},
		{"not UTF-8", "CREATE TABLE a (id int);\nCOMMENT ON TABLE a IS 'caf\xe9';\n", []string{`f.sql:2:27: byte \xe9 is not UTF-8: save the file as UTF-8`}},
		{"NUL", "SELECT 'é';\nSELECT '\x00';\n", []string{`f.sql:2:9: NUL byte (\x00): the file must be text`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range Rules("f.sql", []byte(tc.text)) {
				got = append(got, p.String())
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Rules (-want +got):\n%s", d)
			}
		})
	}
}

// TestMayNeedStatements: the shortcut never says no where a statement
// does begin with one of the words Rules looks for.
func TestMayNeedStatements(t *testing.T) {
	texts := []string{
		"COMMIT", "SELECT 1;COMMIT", "SELECT 1; -- c\n/* ; */ end;", "/* a */ /* b /* nested */ */ ABORT;",
		"SELECT 1;\n\n\tprepare transaction 'x';", "CREATE TABLE t (id int);\nCOPY t FROM stdin;",
		"CREATE TABLE t (id int); CREATE TABLE u (id int);", "SELECT 'begin'; SELECT $$;commit$$;", "",
	}
	for _, text := range texts {
		hit := false
		for _, s := range SplitLoose(text) {
			if w := Keywords(s.SQL, 1); len(w) == 1 && txWords[w[0]] {
				hit = true
			}
		}
		if hit && !mayNeedStatements(text) {
			t.Errorf("mayNeedStatements(%q) = false, but a statement begins with one of the words", text)
		}
	}
	if mayNeedStatements("CREATE TABLE t (id int);\nALTER TABLE t ADD x text;\n") {
		t.Error("mayNeedStatements says yes for a plain file")
	}
}

func TestTextProblem(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"SELECT 1;\n", ""},
		{"-- ☃\nSELECT '\xff';", `s.sql:2:9: byte \xff is not UTF-8: save the file as UTF-8`},
		{"SELECT 1;\n\x00\xff", `s.sql:2:1: NUL byte (\x00): the file must be text`},
		{"\xc3", `s.sql:1:1: byte \xc3 is not UTF-8: save the file as UTF-8`},
		{"\ufeff-- ddlmig:no-transaction\n", "s.sql:1:1: the file starts with a byte order mark (U+FEFF), which PostgreSQL does not skip: save it as UTF-8 without BOM"},
		{"SELECT '\ufeff';\n", ""},
	} {
		got := ""
		if p := TextProblem("s.sql", []byte(tc.text)); p != nil {
			got = p.String()
		}
		if got != tc.want {
			t.Errorf("TextProblem(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestEndsTransaction(t *testing.T) {
	cases := map[string]bool{
		"COMMIT":                             true,
		"  -- c\n commit work":               true,
		"END":                                true,
		"BEGIN ISOLATION LEVEL SERIALIZABLE": true,
		"start transaction":                  true,
		"ROLLBACK":                           true,
		"ROLLBACK TO SAVEPOINT s":            false,
		"rollback work to s":                 false,
		"ABORT":                              true,
		"PREPARE TRANSACTION 'x'":            true,
		"PREPARE q AS SELECT 1":              false,
		"SAVEPOINT s":                        false,
		"DO $$ BEGIN NULL; END $$":           false,
		"/* COMMIT */ SELECT 1":              false,
		"CREATE TABLE commit_log (id int)":   false,
	}
	for in, want := range cases {
		if got := endsTransaction(in); got != want {
			t.Errorf("endsTransaction(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestRulesLastLine: the line of a rule broken at the end of a file of
// many statements is counted right (Rules counts lines as it goes; it used
// to count from the start of the file for every statement, which on a
// generated 5,000-table migration took apply 5 s: BenchmarkRulesLarge
// measures it).
func TestRulesLastLine(t *testing.T) {
	text := strings.Repeat("SELECT 1;\n", 250000) + "-- ddlmig:batch\nCOMMIT;\n"
	ps := Rules("big.sql", []byte(text))
	if len(ps) != 1 || ps[0].Line != 250002 {
		t.Errorf("Rules = %v, want COMMIT on line 250002", ps)
	}
}

// BenchmarkRulesLarge: Rules over a 2.5 MB file of 250,000 statements;
// compare -benchtime runs at two sizes to see that it stays linear.
func BenchmarkRulesLarge(b *testing.B) {
	text := []byte(strings.Repeat("SELECT 1;\n", 250000) + "COMMIT;\n")
	for b.Loop() {
		Rules("big.sql", text)
	}
}
