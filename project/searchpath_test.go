package project

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestSchemaSearchPath shows that a schema file's search path, given by the
// directive or by SET search_path, decides where its unqualified names
// land.
func TestSchemaSearchPath(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"directive", "-- ddlmig:search_path app, public\nCREATE SCHEMA app;\nCREATE TABLE items (id int);\n", "app"},
		{"SET", "CREATE SCHEMA app;\nSET search_path TO app, public;\nCREATE TABLE items (id int);\n", "app"},
		{"none", "CREATE SCHEMA app;\nCREATE TABLE items (id int);\n", "public"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "schema.sql")
			if err := os.WriteFile(file, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			cat, _, err := Project{SchemaFile: file, Dir: filepath.Join(dir, "migrations")}.LoadSchema()
			if err != nil {
				t.Fatal(err)
			}
			if cat.Tables[schema.QualifiedName{Schema: c.want, Name: "items"}] == nil {
				t.Errorf("items not in schema %s: %v", c.want, schema.SortedNames(cat.Tables))
			}
		})
	}
}
