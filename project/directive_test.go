package project_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/schema"
)

func mustParse(t *testing.T, name, src string) *schema.Catalog {
	t.Helper()
	cat, _, err := parser.ParseFile(name, []byte(src), parser.Options{})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return cat
}

func TestRenames(t *testing.T) {
	const current = `CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text);
CREATE TABLE posts (id bigint, title text);
CREATE INDEX posts_title ON posts (title);
`
	tests := []struct {
		name    string
		desired string
		renames []string // Rename.String()
		notes   []string // Finding.String()
	}{
		{
			name: "ddlmig column comment",
			desired: `CREATE TABLE users (
    id bigint PRIMARY KEY,
    full_name text NOT NULL, -- ddlmig:renamed-from name
    email text
);
CREATE TABLE posts (id bigint, title text);
CREATE INDEX posts_title ON posts (title);
`,
			renames: []string{"users.name=full_name"},
		},
		{
			name: "sqldef table and column comments",
			desired: `CREATE TABLE people ( -- @renamed from=users
    id bigint PRIMARY KEY,
    full_name text NOT NULL /* @renamed from=name */,
    email text
);
CREATE TABLE posts (id bigint, title text);
CREATE INDEX posts_title ON posts (title);
`,
			renames: []string{"table users=people", "users.name=full_name"},
		},
		{
			name: "block comment between table name and parenthesis",
			desired: `CREATE TABLE articles /* @renamed from=posts */ (id bigint, title text);
CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text);
CREATE INDEX posts_title ON articles (title);
`,
			renames: []string{"table posts=articles"},
		},
		{
			name: "stale: the migrations hold the rename",
			desired: `CREATE TABLE users (
    id bigint PRIMARY KEY,
    name text NOT NULL, -- ddlmig:renamed-from nom
    email text
);
CREATE TABLE posts ( -- @renamed from=articles
    id bigint, title text);
CREATE INDEX posts_title ON posts (title); -- @renamed from=articles_title
`,
			notes: []string{
				`schema.sql:3: column public.users.nom is already renamed to name in the migrations: this rename comment can be removed`,
				`schema.sql:6: table public.articles is already renamed to posts in the migrations: this rename comment can be removed`,
				`schema.sql:8: index public.articles_title is already named posts_title in the migrations: this rename comment can be removed`,
			},
		},
		{
			name: "comments that match nothing",
			desired: `CREATE TABLE users (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    email text,
    phone text -- ddlmig:renamed-from telephone
);
-- ddlmig:renamed-from somewhere
CREATE TABLE posts (id bigint, title text);
CREATE TABLE tags ( -- @renamed from=labels
    id bigint, tag text -- @renamed from=label
);
CREATE INDEX posts_title ON posts (title);
`,
			notes: []string{
				`schema.sql:5: no column telephone in public.users in the migrations to rename to phone: remove this rename comment`,
				`schema.sql:7: rename comment "-- ddlmig:renamed-from somewhere" is on no table, column or index definition: move it next to the new name or remove it`,
				`schema.sql:9: no table public.labels in the migrations to rename to tags: remove this rename comment`,
				`schema.sql:10: table public.tags is new: the rename of its column tag does nothing; remove this rename comment`,
			},
		},
	}
	cur := mustParse(t, "current.sql", current)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			des := mustParse(t, "schema.sql", tt.desired)
			renames, notes, err := project.Renames([]byte(tt.desired), cur, des)
			if err != nil {
				t.Fatal(err)
			}
			var gotR, gotN []string
			for _, r := range renames {
				gotR = append(gotR, r.String())
			}
			for _, n := range notes {
				gotN = append(gotN, n.String())
			}
			if d := cmp.Diff(tt.renames, gotR); d != "" {
				t.Errorf("renames (-want +got)\n%s", d)
			}
			if d := cmp.Diff(tt.notes, gotN); d != "" {
				t.Errorf("notes (-want +got)\n%s", d)
			}
			// The renames plan: the column keeps its data.
			st := &project.State{Current: cur, Desired: des, Renames: renames}
			m, err := st.Plan("x", plannerOptions())
			if err != nil {
				t.Fatal(err)
			}
			if len(renames) > 0 && (strings.Contains(m.Up, "DROP COLUMN") || strings.Contains(m.Up, "DROP TABLE") || !strings.Contains(m.Up, "RENAME")) {
				t.Errorf("up with renames:\n%s", m.Up)
			}
		})
	}
}

func plannerOptions() planner.Options { return planner.Options{} }

// TestRenamesStillDefined: a rename comment whose old name the file still
// defines is refused, on the comment's line (sqldef's
// RenameColumnConflictingNames).
func TestRenamesStillDefined(t *testing.T) {
	cur := mustParse(t, "current.sql", `CREATE TABLE users (id bigint, username text, user_name varchar(50));
CREATE TABLE posts (id bigint);
`)
	tests := []struct {
		name, desired, want string
	}{
		{
			name: "column",
			desired: `CREATE TABLE users (
    id bigint,
    username text,
    user_name varchar(100) -- @renamed from=username
);
CREATE TABLE posts (id bigint);
`,
			want: `schema.sql:4:28: cannot rename column username to user_name in public.users: column username is still defined in this file (remove this rename comment, or the old column)`,
		},
		{
			name: "table",
			desired: `CREATE TABLE users (id bigint, username text, user_name varchar(50));
CREATE TABLE posts (id bigint);
CREATE TABLE articles ( -- @renamed from=posts
    id bigint);
`,
			want: `schema.sql:3:25: cannot rename table public.posts to articles: table public.posts is still defined in this file (remove this rename comment, or the old table)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			des := mustParse(t, "schema.sql", tt.desired)
			renames, _, err := project.Renames([]byte(tt.desired), cur, des)
			if err == nil {
				t.Fatalf("no error; renames %v", renames)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

// TestRenamesEnumValue: a rename comment after an enum value is the
// parser's (it plans RENAME VALUE): no note while the rename is pending,
// the stale-comment note once a migration holds it, never "on no table,
// column or index definition".
func TestRenamesEnumValue(t *testing.T) {
	desired := "CREATE TYPE st AS ENUM (\n  'new',\n  'finished' -- ddlmig:renamed-from done\n);\n"
	for _, c := range []struct {
		name, current string
		notes         []string
	}{
		{"pending", "CREATE TYPE st AS ENUM ('new', 'done');", nil},
		{"done", "CREATE TYPE st AS ENUM ('new', 'finished');",
			[]string{"schema.sql:3: value 'finished' of enum public.st is already renamed from 'done' in the migrations: this rename comment can be removed"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, notes, err := project.Renames([]byte(desired), mustParse(t, "current.sql", c.current), mustParse(t, "schema.sql", desired))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range notes {
				got = append(got, n.String())
			}
			if diff := cmp.Diff(c.notes, got); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}
