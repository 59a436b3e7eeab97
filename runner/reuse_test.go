package runner

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// Another branch reused an applied version number: the database ran
// 000003_b, the folder now has 000003_a and 000004_b. That is not an
// edited file, stamp is not the way out, and nothing may run.
func TestVersionReused(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	before := files(map[string]string{
		"000001_users": "CREATE TABLE users (id int);\n",
		"000002_posts": "CREATE TABLE posts (id int);\n",
		"000003_b":     "CREATE TABLE b (id int);\n",
	}, nil)
	if _, err := newRunner(t, url, before, Options{}).Apply(ctx, 0); err != nil {
		t.Fatal(err)
	}
	after := files(map[string]string{
		"000001_users": "CREATE TABLE users (id int);\n",
		"000002_posts": "CREATE TABLE posts (id int);\n",
		"000003_a":     "CREATE TABLE a (id int);\n",
		"000004_b":     "CREATE TABLE b (id int);\n",
	}, nil)
	r := newRunner(t, url, after, Options{})
	want := "version 000003 was applied as 000003_b; the folder now has 000003_a: another branch reused the version number — renumber one of them"

	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ErrVersionReused) {
			t.Fatalf("%s: %v, want ErrVersionReused", what, err)
		}
		if msg := err.Error(); !strings.Contains(msg, want) || !strings.Contains(msg, "000004_b") || strings.Contains(msg, "stamp") || strings.Contains(msg, "changed") {
			t.Errorf("%s says:\n%s", what, msg)
		}
	}
	_, err := r.Apply(ctx, 0)
	check("Apply", err)
	_, err = r.Plan(ctx, 0)
	check("Plan", err)
	_, err = r.Down(ctx, 1)
	check("Down", err)
	if got := tables(t, url); got != "b,ddlmig_migrations,posts,users" {
		t.Errorf("tables after the refusals: %s", got)
	}

	if got, want := states(t, r), "version 000003: 000001 applied, 000002 applied, 000003 VERSION REUSED, 000004 pending"; got != want {
		t.Errorf("states:\n got %s\nwant %s", got, want)
	}
	st, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Migrations[2]; m.Name != "a" || m.AppliedName != "b" || !strings.Contains(m.Message, want) {
		t.Errorf("status of 000003: %+v", m)
	}

	// A file renamed with its text unchanged is the migration that ran.
	renamed := files(map[string]string{
		"000001_users":       "CREATE TABLE users (id int);\n",
		"000002_posts":       "CREATE TABLE posts (id int);\n",
		"000003_create_b":    "CREATE TABLE b (id int);\n",
		"000004_more_tables": "CREATE TABLE c (id int);\n",
	}, nil)
	r = newRunner(t, url, renamed, Options{})
	if _, err := r.Apply(ctx, 0); err != nil {
		t.Fatalf("apply after a rename: %v", err)
	}
	// An edited file with the same name is still a changed file.
	renamed["000002_posts.up.sql"].Data = []byte("CREATE TABLE posts (id bigint);\n")
	if _, err := r.Apply(ctx, 0); !errors.Is(err, ErrChecksum) {
		t.Errorf("edited file: %v, want ErrChecksum", err)
	}
}
