package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOnlineDirectives: each "-- ddlmig:online off" belongs to the
// statement it sits in or precedes, or to the one that ends on its line.
func TestOnlineDirectives(t *testing.T) {
	src := strings.Join([]string{
		"-- ddlmig:online off", // 1: the table below
		"CREATE TABLE users (id bigint, email text);",
		"CREATE TABLE app.posts ( -- ddlmig:online off", // 3: this table
		"    id bigint",
		");",
		"CREATE INDEX users_email ON users (email); -- ddlmig:online off", // 6: this index
		"/* ddlmig:online off */", // 7: the ALTER below
		"ALTER TABLE app.posts ADD CONSTRAINT p CHECK (id > 0);",
		"COMMENT ON TABLE users IS '-- ddlmig:online off';", // 9: in a string
		"-- ddlmig:online off",                              // 10: the index below
		"CREATE INDEX posts_id ON app.posts (id);",
	}, "\n")
	got, err := OnlineDirectives("schema.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, d := range got {
		lines = append(lines, fmt.Sprintf("%d:%d table %s index %s", d.Pos.Line, d.Pos.Col, d.Table, d.Index))
	}
	want := []string{
		`1:1 table public.users index ""`,
		`3:26 table app.posts index ""`,
		`6:44 table "" index public.users_email`,
		`7:1 table app.posts index ""`,
		`10:1 table "" index app.posts_id`,
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("directives (-want +got):\n%s", diff)
	}
}

// TestOnlineDirectiveErrors: a directive that would change nothing is an
// error at its position, never ignored.
func TestOnlineDirectiveErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"-- ddlmig:online on\nCREATE TABLE t (id int);\n", "schema.sql:1:1: online comment: want -- ddlmig:online off"},
		{"-- ddlmig:online off\nCREATE VIEW v AS SELECT 1;\n", "schema.sql:1:1: -- ddlmig:online off belongs to the statement it precedes"},
		{"CREATE TABLE t (id int);\n-- ddlmig:online off\n", "schema.sql:2:1: -- ddlmig:online off belongs to the statement it precedes"},
	} {
		_, err := OnlineDirectives("schema.sql", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.src, err, c.want)
		}
	}
	// Not a directive: another word that starts the same.
	if ds, err := OnlineDirectives("schema.sql", []byte("-- ddlmig:onlineness\nCREATE TABLE t (id int);\n")); err != nil || len(ds) != 0 {
		t.Errorf("ddlmig:onlineness: %v %v", ds, err)
	}
}
