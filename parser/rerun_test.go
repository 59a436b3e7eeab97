package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/schema"
)

// TestParseAgain folds migrations one call at a time into one catalog, as
// the previous state is built, and checks that it equals folding their
// concatenation: finishing after each call changes nothing it should not.
func TestParseAgain(t *testing.T) {
	migs := []string{
		"CREATE TABLE users (id int PRIMARY KEY, email text);",
		"CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users, CHECK (id > 0));",
		"ALTER TABLE users RENAME COLUMN id TO uid; CREATE INDEX ON posts (user_id);",
		"ALTER TABLE posts ADD CONSTRAINT a_first UNIQUE (user_id);",
	}
	cat := schema.New()
	all := ""
	for i, m := range migs {
		if _, err := Parse(cat, "m.sql", []byte(m), Options{Migration: true}); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
		all += m + "\n"
	}
	want, _, err := ParseFile("all.sql", []byte(all), Options{Migration: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, cat, ignorePos); diff != "" {
		t.Errorf("one call per migration differs from one call (-one +many):\n%s", diff)
	}
	fk := cat.Tables[schema.QualifiedName{Schema: "public", Name: "posts"}].Constraint("posts_user_id_fkey")
	if fk == nil || fk.Def != "FOREIGN KEY (user_id) REFERENCES public.users (uid)" {
		t.Errorf("foreign key after the rename = %+v", fk)
	}
	var names []string
	for _, c := range cat.Tables[schema.QualifiedName{Schema: "public", Name: "posts"}].Constraints {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"a_first", "posts_id_check", "posts_pkey", "posts_user_id_fkey"}, names); diff != "" {
		t.Errorf("constraint order (-want +got):\n%s", diff)
	}
}
