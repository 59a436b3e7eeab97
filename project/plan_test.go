package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// TestPlanDownFails: a rename onto a name the new schema gives another
// table can be planned forward but not back. Plan still writes the
// migration, with a down file that stops at a flagged, irreversible step
// saying why, instead of refusing both files.
func TestPlanDownFails(t *testing.T) {
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	if err := os.Mkdir(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"migrations/000001_base.up.sql":   "CREATE TABLE users (id integer PRIMARY KEY, name text);\n",
		"migrations/000001_base.down.sql": "DROP TABLE users;\n",
		"schema.sql":                      "CREATE TABLE users_old (id integer CONSTRAINT users_pkey PRIMARY KEY, name text);\nCREATE TABLE users (id integer CONSTRAINT users_pkey2 PRIMARY KEY, email text);\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := Project{SchemaFile: filepath.Join(dir, "schema.sql"), Dir: mig}.Load()
	if err != nil {
		t.Fatal(err)
	}
	users := schema.QualifiedName{Schema: "public", Name: "users"}
	m, err := st.Plan("archive", planner.Options{Renames: []planner.Rename{{Kind: planner.TableRename, Table: users, From: "users", To: "users_old"}}})
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if !strings.Contains(m.Up, "ALTER TABLE public.users RENAME TO users_old;") {
		t.Errorf("up:\n%s", m.Up)
	}
	if !strings.Contains(m.Down, "-- ddlmig:down-hazard irreversible: ddlmig could not plan this down migration") ||
		!strings.Contains(m.Down, "RAISE EXCEPTION") {
		t.Errorf("down:\n%s", m.Down)
	}
}
