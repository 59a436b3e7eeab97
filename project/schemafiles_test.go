package project

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// update is the package's one -update flag (project_test's tests read it
// as Update): it rewrites the expected sections of the txtar cases under
// testdata (schemafiles: want; online: run).
var update = flag.Bool("update", false, "rewrite the expected sections of testdata/schemafiles/*.txtar and testdata/online/*.txtar")

// Update is update for the external tests (package project_test).
var Update = update

// TestSchemaFiles reads the schema of each testdata/schemafiles/*.txtar
// case as every command does (ReadSchema, then the parse): the archive's
// files are written to a temporary directory, which is the current one,
// the "args" section lists the --schema paths, one a line, and "want" is
// where each relation was found (file:line:col) and the warnings, or the
// error. -update rewrites "want"; inputs are never touched.
func TestSchemaFiles(t *testing.T) {
	cases, err := filepath.Glob("testdata/schemafiles/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, c := range cases {
		abs, err := filepath.Abs(c)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(c), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(abs)
			if err != nil {
				t.Fatal(err)
			}
			got, want := readArchive(t, ar)
			if *update {
				setSection(ar, "want", got)
				if err := os.WriteFile(abs, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// readArchive writes the archive's files into a new current directory and
// reads the schema its args name; it returns what was read and the want
// section.
func readArchive(t *testing.T, ar *txtar.Archive) (got, want string) {
	dir := t.TempDir()
	t.Chdir(dir)
	var args []string
	for _, f := range ar.Files {
		switch f.Name {
		case "want":
			want = string(f.Data)
		case "args":
			args = strings.Fields(string(f.Data))
		default:
			if err := os.MkdirAll(filepath.Dir(f.Name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f.Name, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(args) == 0 {
		t.Fatal("no -- args -- section")
	}
	cat, warns, err := Project{SchemaFile: args[0], MoreSchema: args[1:], Dir: "migrations"}.LoadSchema()
	if err != nil {
		return "error:\n" + err.Error() + "\n", want
	}
	var lines []string
	for n, tb := range cat.Tables {
		lines = append(lines, fmt.Sprintf("%s table %s", tb.Pos, n))
	}
	for n, v := range cat.Views {
		lines = append(lines, fmt.Sprintf("%s view %s", v.Pos, n))
	}
	for n, ix := range cat.Indexes {
		lines = append(lines, fmt.Sprintf("%s index %s", ix.Pos, n))
	}
	sort.Strings(lines)
	for _, w := range warns {
		lines = append(lines, "warning: "+w.String())
	}
	return strings.Join(lines, "\n") + "\n", want
}

func setSection(ar *txtar.Archive, name, data string) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = []byte(data)
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(data)})
}

// TestSchemaFilesRename: a rename comment in the second file of a folder
// schema is found at its own file and line (comments were once read from
// the first file only, and matched by line alone).
func TestSchemaFilesRename(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"db/a.sql":                        "CREATE TABLE a (id int);\n\n\nCREATE TABLE c (id int);\n",
		"db/b.sql":                        "CREATE TABLE b (\n    id int,\n    full_name text -- ddlmig:renamed-from name\n);\n",
		"migrations/000001_init.up.sql":   "CREATE TABLE a (id int);\nCREATE TABLE b (id int, name text);\nCREATE TABLE c (id int);\n",
		"migrations/000001_init.down.sql": "DROP TABLE a, b, c;\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := Project{SchemaFile: filepath.Join(dir, "db"), Dir: filepath.Join(dir, "migrations")}.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Renames) != 1 || st.Renames[0].From != "name" || st.Renames[0].To != "full_name" || len(st.RenameNotes) != 0 {
		t.Errorf("renames %+v, notes %+v", st.Renames, st.RenameNotes)
	}
}
