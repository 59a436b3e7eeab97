package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestSchemaBookkeepingTable loads a pg_dump of a database ddlmig
// migrates: its bookkeeping table is left out, with a warning, and a user
// table that only shares the name is kept.
func TestSchemaBookkeepingTable(t *testing.T) {
	dump := `CREATE TABLE public.items (id integer);
CREATE TABLE public.ddlmig_migrations (
    version bigint NOT NULL, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    duration interval, dirty boolean DEFAULT false NOT NULL, failure text,
    batch integer, batch_file text
);
ALTER TABLE public.ddlmig_migrations OWNER TO postgres;
ALTER TABLE ONLY public.ddlmig_migrations ADD CONSTRAINT ddlmig_migrations_pkey PRIMARY KEY (version);
GRANT SELECT ON TABLE public.ddlmig_migrations TO PUBLIC;
`
	for _, c := range []struct {
		name, src string
		kept      bool
	}{
		{"pg_dump", dump, false},
		{"user table of that name", "CREATE TABLE ddlmig_migrations (id int);\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "schema.sql")
			if err := os.WriteFile(file, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			cat, warns, err := Project{SchemaFile: file, Dir: filepath.Join(dir, "migrations")}.LoadSchema()
			if err != nil {
				t.Fatal(err)
			}
			if kept := cat.Tables[bookkeepingTable] != nil; kept != c.kept {
				t.Fatalf("table kept: %v, want %v", kept, c.kept)
			}
			if c.kept {
				return
			}
			if len(warns) != 1 || !strings.Contains(warns[0].String(), "schema.sql:2:14: skipped table public.ddlmig_migrations") {
				t.Errorf("warnings %v", warns)
			}
			for k := range cat.Privileges {
				if k.Object.Name == bookkeepingTable {
					t.Errorf("privilege left: %+v", k)
				}
			}
			if _, ok := cat.Owners[schema.PrivilegeObject{Kind: schema.KindTable, Name: bookkeepingTable}]; ok {
				t.Errorf("owner left")
			}
		})
	}
}
