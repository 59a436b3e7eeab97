package parser

import (
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestNewTableConstraintsValidAgainstServer: NOT VALID written in CREATE
// TABLE is ignored for CHECK and FOREIGN KEY constraints (the table has no
// rows), and kept by ALTER TABLE ... ADD CONSTRAINT; ddlmig models each
// constraint valid exactly where the server marks it so.
func TestNewTableConstraintsValidAgainstServer(t *testing.T) {
	const src = `CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (
    a int,
    b int,
    CONSTRAINT b_pos CHECK (b > 0) NOT VALID,
    CONSTRAINT c_b FOREIGN KEY (b) REFERENCES p NOT VALID
);
ALTER TABLE c ADD CONSTRAINT a_small CHECK (a < 100) NOT VALID;
ALTER TABLE c ADD CONSTRAINT c_a FOREIGN KEY (a) REFERENCES p NOT VALID;
`
	cat, _, err := ParseFile("c.sql", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	server := serverDefs(t, src, `SELECT conname, convalidated::text FROM pg_constraint WHERE conrelid = 'c'::regclass`)
	for _, c := range cat.Tables[schema.QualifiedName{Schema: "public", Name: "c"}].Constraints {
		if want := server[c.Name] == "false"; c.NotValid != want {
			t.Errorf("%s: ddlmig NOT VALID %t, the server %t", c.Name, c.NotValid, want)
		}
	}
}
