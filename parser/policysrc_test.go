package parser

import (
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestPolicySrc checks that a policy keeps the user's own expressions to
// write beside the compared ones (which hold the casts the server adds), and
// that ALTER POLICY and RENAME COLUMN change both.
func TestPolicySrc(t *testing.T) {
	const base = `CREATE TABLE docs (id int, owner int);
CREATE FUNCTION can_see(o bigint) RETURNS boolean LANGUAGE sql RETURN o > 0;
`
	tests := []struct {
		name, sql                 string
		using, usingSrc, checkSrc string
	}{
		{"as written", base + `CREATE POLICY p ON docs USING (can_see(owner)) WITH CHECK (owner > 0);`,
			"can_see(owner::bigint)", "can_see(owner)", "owner > 0"},
		{"altered", base + `CREATE POLICY p ON docs USING (true);
ALTER POLICY p ON docs USING (can_see(id)) WITH CHECK (can_see(id));`,
			"can_see(id::bigint)", "can_see(id)", "can_see(id)"},
		{"column renamed", base + `CREATE POLICY p ON docs USING (can_see(owner));
ALTER TABLE docs RENAME COLUMN owner TO owner_id;`,
			"can_see(owner_id::bigint)", "can_see(owner_id)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, _, err := ParseFile("schema.sql", []byte(tt.sql), Options{})
			if err != nil {
				t.Fatal(err)
			}
			p := cat.Tables[schema.QualifiedName{Schema: "public", Name: "docs"}].Policy("p")
			if p.Using != tt.using || p.UsingSrc != tt.usingSrc || p.WithCheckSrc != tt.checkSrc {
				t.Errorf("using %q, written %q, check written %q; want %q, %q, %q",
					p.Using, p.UsingSrc, p.WithCheckSrc, tt.using, tt.usingSrc, tt.checkSrc)
			}
		})
	}
}
