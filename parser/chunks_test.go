package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"golang.org/x/tools/txtar"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/internal/synth"
)

// Every test of this package parses files in pieces of one statement each,
// so that the pieces path (chunks.go) is the one all of them go through;
// TestPiecesFoldAsWhole compares it with the whole-file path.
func init() { chunkSize = 1 }

// foldSQLFiles returns the SQL files of the fold test cases, keyed
// "case.txtar/file.sql".
func foldSQLFiles(t testing.TB) map[string]string {
	t.Helper()
	in := map[string]string{}
	files, _ := filepath.Glob("testdata/fold/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, af := range ar.Files {
			if filepath.Ext(af.Name) == ".sql" {
				in[filepath.Base(file)+"/"+af.Name] = string(af.Data)
			}
		}
	}
	return in
}

// chunkInputs gathers SQL files to cut: the fold and pg_dump test files,
// the realworld schemas and the sqldef corpus when the shared folder is
// there.
func chunkInputs(t *testing.T) map[string]string {
	t.Helper()
	in := foldSQLFiles(t)
	more, _ := filepath.Glob("testdata/pgdump/*.sql")
	if dir, ok := corpus.Optional(t, realworldDir); ok {
		real, _ := filepath.Glob(filepath.Join(dir, "*", "*.sql"))
		more = append(more, real...)
	}
	for _, file := range more {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		in[file] = string(src)
	}
	if dir, ok := corpus.Optional(t, sqldefDir); ok {
		for _, c := range readSqldef(t, dir) {
			in["sqldef/"+c.Name+"/current"] = c.Current
			in["sqldef/"+c.Name+"/desired"] = c.Desired
		}
	}
	for name, src := range cutCases {
		in["case/"+name] = src
	}
	return in
}

// cutCases hold semicolons that are not statement ends.
var cutCases = map[string]string{
	"string":         "SELECT 'a;b'; SELECT 'it''s; here'; SELECT 1;",
	"escape string":  `SELECT E'a\';b'; SELECT e'\\'; SELECT 2;`,
	"not an escape":  `CREATE TABLE type (x text DEFAULT 'a\'); SELECT 3;`,
	"quoted name":    `CREATE TABLE "a;b" (";" int); CREATE TABLE "x""; y" (z int);`,
	"dollar quote":   "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; SELECT 2 $body$; CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;",
	"dollar in name": "CREATE TABLE a$b (c$ int); SELECT $1; CREATE TABLE c (d int);",
	"line comment":   "CREATE TABLE a (b int); -- c; d\nCREATE TABLE e (f int);",
	"block comment":  "CREATE TABLE a (b int); /* c; /* nested; */ d; */ CREATE TABLE e (f int);",
	"rule":           "CREATE TABLE t (a int); CREATE TABLE u (a int); CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO u VALUES (2)); SELECT 1;",
	"begin atomic":   "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; CREATE TABLE t (a int);",
}

// TestCutPoints checks that the pieces of every input the whole parser
// accepts hold the same statements as the whole file.
func TestCutPoints(t *testing.T) {
	for name, src := range chunkInputs(t) {
		if err := checkCuts(src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Cut where it can be, and not where it cannot.
	for name, want := range map[string]int{
		"string": 2, "escape string": 2, "not an escape": 1, "quoted name": 1, "dollar quote": 1,
		"dollar in name": 2, "line comment": 1, "block comment": 1, "rule": 3, "begin atomic": -2, // nil: not cut at all
	} {
		cuts := cutPoints(cutCases[name], 1)
		if got := len(cuts) - 2; got != want {
			t.Errorf("%s: %d cuts (%v), want %d", name, got, cuts, want)
		}
	}
}

// TestPiecesFoldAsWhole folds every input in pieces of one statement and in
// one piece, and wants the same catalog, warnings and errors.
func TestPiecesFoldAsWhole(t *testing.T) {
	defer func(n int) { chunkSize = n }(chunkSize)
	for name, src := range chunkInputs(t) {
		for _, migration := range []bool{false, true} {
			chunkSize = 1
			a, wa, ea := ParseFile("f.sql", []byte(src), Options{Migration: migration})
			chunkSize = len(src) + 1
			b, wb, eb := ParseFile("f.sql", []byte(src), Options{Migration: migration})
			if d := cmp.Diff(errString(eb), errString(ea)); d != "" {
				t.Errorf("%s (migration %v): errors differ, pieces (+) vs whole (-):\n%s", name, migration, d)
				continue
			}
			if d := cmp.Diff(wb, wa); d != "" {
				t.Errorf("%s (migration %v): warnings differ (+ pieces):\n%s", name, migration, d)
			}
			if ea == nil && dump(a) != dump(b) {
				t.Errorf("%s (migration %v): catalogs differ:\n%s", name, migration, cmp.Diff(dump(b), dump(a)))
			}
		}
	}
}

// checkCuts parses src whole and in the pieces cutPoints(src, 1) gives,
// and wants the same statements: each piece parses, and the statements of
// the pieces start where those of the whole file do.
func checkCuts(src string) error {
	tree, err := pgdecode.Parse(src)
	if err != nil {
		return nil
	}
	s := newSource("f.sql", src)
	var want, got []int
	for _, st := range tree.Stmts {
		want = append(want, s.stmtStart(int(st.StmtLocation)))
	}
	cuts := cutPoints(src, 1)
	for i := 0; i+1 < len(cuts); i++ {
		piece, err := pgdecode.Parse(src[cuts[i]:cuts[i+1]])
		if err != nil {
			return fmt.Errorf("piece %q|%q|%q does not parse: %v", src[:cuts[i]], src[cuts[i]:cuts[i+1]], src[cuts[i+1]:], err)
		}
		for _, st := range piece.Stmts {
			got = append(got, s.stmtStart(cuts[i]+int(st.StmtLocation)))
		}
	}
	if cuts != nil && !slices.Equal(got, want) {
		return fmt.Errorf("cuts %v: statements start at %v, want %v", cuts, got, want)
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzCutPoints checks the cuts of any text the whole parser accepts.
func FuzzCutPoints(f *testing.F) {
	for _, src := range cutCases {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if err := checkCuts(src); err != nil {
			t.Fatal(err)
		}
	})
}

// TestEachChildInFieldOrder visits every node of every test input and of
// a synthetic schema, and wants eachChild's fast path to give the children
// the descriptor walk gives, in the same order, and both to give the
// children Range gives, in any order (Range's order changes between builds;
// see eachChild).
func TestEachChildInFieldOrder(t *testing.T) {
	in := chunkInputs(t)
	r := synth.Generate(synth.Options{Tables: 200, Seed: 3, Views: true})
	in["synth"] = string(r.Mutated)
	fast := 0
	for name, src := range in {
		tree, err := pg_query.Parse(src)
		if err != nil {
			continue
		}
		var visit func(m protoreflect.Message)
		visit = func(m protoreflect.Message) {
			if !m.IsValid() {
				return
			}
			var want, got, ranged []any
			fieldChildren(m, func(c protoreflect.Message) { want = append(want, c.Interface()) })
			m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
				switch {
				case fd.IsList() && fd.Message() != nil:
					for i := 0; i < v.List().Len(); i++ {
						ranged = append(ranged, v.List().Get(i).Message().Interface())
					}
				case fd.Message() != nil && !fd.IsMap():
					ranged = append(ranged, v.Message().Interface())
				}
				return true
			})
			if !sameElements(want, ranged) {
				t.Errorf("%s: %T: descriptor walk %v, Range %v", name, m.Interface(), want, ranged)
			}
			if fastChildren(m.Interface(), func(c protoreflect.Message) { got = append(got, c.Interface()) }) {
				fast++
				if !slices.Equal(got, want) {
					t.Errorf("%s: %T: fast children %v, descriptor walk %v", name, m.Interface(), got, want)
				}
			} else if len(got) > 0 {
				t.Errorf("%s: %T: declined after visiting %d children", name, m.Interface(), len(got))
			}
			fieldChildren(m, visit)
		}
		visit(tree.ProtoReflect())
	}
	if fast == 0 {
		t.Fatal("the fast path was never taken")
	}
}

// sameElements reports whether a and b hold the same pointers, each as
// often, in any order.
func sameElements(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	n := map[any]int{}
	for _, x := range a {
		n[x]++
	}
	for _, x := range b {
		if n[x]--; n[x] < 0 {
			return false
		}
	}
	return true
}
