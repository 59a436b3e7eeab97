package project_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/project"
)

// TestCheck drives every problem `ddlmig check` must report, each in a
// project of its own, and the quiet case.
func TestCheck(t *testing.T) {
	const users = "CREATE TABLE users (id bigint PRIMARY KEY, name text);\n"
	const up1 = "CREATE TABLE public.users (\n    id bigint NOT NULL,\n    name text,\n    CONSTRAINT users_pkey PRIMARY KEY (id)\n);\n"
	const down1 = "-- ddlmig:reviewed drop-table: drops table public.users and all its data\nDROP TABLE public.users;\n"
	tests := []struct {
		name   string
		schema string
		files  map[string]string
		want   []string // substrings, one finding each, in order
	}{
		{
			name:   "clean",
			schema: users,
			files:  map[string]string{"000001_init.up.sql": up1, "000001_init.down.sql": down1},
		},
		{
			name:   "unreviewed marker",
			schema: "CREATE TABLE users (id bigint PRIMARY KEY);\n",
			files: map[string]string{
				"000001_init.up.sql": up1, "000001_init.down.sql": down1,
				"000002_x.up.sql":   "-- header\n\n-- ddlmig:unreviewed drop-column: drops column public.users.name and all its data\nALTER TABLE public.users DROP COLUMN name;\n",
				"000002_x.down.sql": "ALTER TABLE public.users ADD COLUMN name text;\n",
			},
			want: []string{"migrations/000002_x.up.sql:3: unreviewed drop-column: drops column public.users.name and all its data"},
		},
		{
			name:   "schema ahead of the migrations",
			schema: users + "CREATE TABLE tags (id int);\n",
			files:  map[string]string{"000001_init.up.sql": up1, "000001_init.down.sql": down1},
			want:   []string{"schema.sql: 1 change that no migration holds yet: run ddlmig generate"},
		},
		{
			name:   "up without down",
			schema: users,
			files:  map[string]string{"000001_init.up.sql": up1},
			want:   []string{"migrations/000001_init.up.sql: up migration without its down migration"},
		},
		{
			name:   "same version twice",
			schema: users,
			files: map[string]string{
				"000001_init.up.sql": up1, "000001_init.down.sql": down1,
				"000001_other.up.sql": "CREATE TABLE x (id int);\n", "000001_other.down.sql": "DROP TABLE x;\n",
			},
			want: []string{
				"migrations/000001_other.down.sql: version 000001 is also used by 000001_init",
				"migrations/000001_other.up.sql: version 000001 is also used by 000001_init",
			},
		},
		{
			name:   "gap",
			schema: users + "CREATE TABLE tags (id int);\n",
			files: map[string]string{
				"000001_init.up.sql": up1, "000001_init.down.sql": down1,
				"000003_tags.up.sql": "CREATE TABLE public.tags (id integer);\n", "000003_tags.down.sql": "DROP TABLE public.tags;\n",
			},
			want: []string{"migrations/000003_tags.up.sql: gap in versions: 000003 follows 000001"},
		},
		{
			name:   "migration does not parse",
			schema: users,
			files:  map[string]string{"000001_init.up.sql": "\n" + up1 + "CREATE TABLE oops (;\n", "000001_init.down.sql": down1},
			want:   []string{"migrations/000001_init.up.sql:7:20: syntax error"},
		},
		{
			name:   "schema does not parse",
			schema: users + "\nCREATE TABLE oops (;\n",
			files:  map[string]string{"000001_init.up.sql": up1, "000001_init.down.sql": down1},
			want:   []string{"schema.sql:3:20: syntax error"},
		},
		{
			name:   "down file does not parse",
			schema: users,
			files:  map[string]string{"000001_init.up.sql": up1, "000001_init.down.sql": "DROP TABLE users,;\n"},
			want:   []string{"migrations/000001_init.down.sql:1:18: syntax error"},
		},
		{
			name:   "stale rename comment",
			schema: "CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    name text -- ddlmig:renamed-from full_name\n);\n",
			files:  map[string]string{"000001_init.up.sql": up1, "000001_init.down.sql": down1},
			want:   []string{"schema.sql:3: column public.users.full_name is already renamed to name in the migrations: this rename comment can be removed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			mig := filepath.Join(dir, "migrations")
			if err := os.Mkdir(mig, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, text := range tt.files {
				if err := os.WriteFile(filepath.Join(mig, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(tt.schema), 0o644); err != nil {
				t.Fatal(err)
			}
			// Relative paths, as a user runs check from the project root.
			t.Chdir(dir)
			findings, err := project.Project{SchemaFile: "schema.sql", Dir: "migrations"}.Check()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range findings {
				got = append(got, f.String())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("findings:\n%s\nwant %d", strings.Join(got, "\n"), len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) && !strings.Contains(got[i], w) {
					t.Errorf("finding %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}
