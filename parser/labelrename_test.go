package parser

import "testing"

// TestLabelArgsRenameAgainstServer holds ALTER TYPE ... RENAME VALUE
// against PostgreSQL for labels passed to the schema's functions, cast
// (f('fine'::mood)) and bare (f('fine'), a constant of the parameter's
// type): the server stores the label's OID, so a default written with the
// old label before the rename must be the same text as one written with
// the new label after it, in the fold exactly when on the server.
func TestLabelArgsRenameAgainstServer(t *testing.T) {
	src := `CREATE TYPE mood AS ENUM ('fine', 'sad');
CREATE FUNCTION f(m mood) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT m IS NOT NULL$$;
CREATE FUNCTION g(n integer, m mood) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT n$$;
CREATE TABLE t (
  m mood,
  a0 boolean DEFAULT f('fine'),
  b0 boolean DEFAULT f('fine'::mood),
  c0 integer DEFAULT g(1, 'fine'),
  d0 integer DEFAULT g(1, 'fine'::mood)
);
ALTER TYPE mood RENAME VALUE 'fine' TO 'good';
ALTER TABLE t ADD COLUMN a1 boolean DEFAULT f('good'), ADD COLUMN b1 boolean DEFAULT f('good'::mood),
  ADD COLUMN c1 integer DEFAULT g(1, 'good'), ADD COLUMN d1 integer DEFAULT g(1, 'good'::mood),
  ADD COLUMN a2 boolean DEFAULT f('sad'), ADD COLUMN c2 integer DEFAULT g(1, 'sad');
`
	cat, _, err := ParseFile("labels.sql", []byte(src), Options{Migration: true})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{}
	for _, c := range cat.Tables[qualify("", "t")].Columns {
		ours[c.Name] = c.Default
	}
	server := serverDefs(t, src, columnDefaultsQuery("t"))
	for _, pair := range [][2]string{{"a0", "a1"}, {"b0", "b1"}, {"c0", "c1"}, {"d0", "d1"}, {"a0", "a2"}, {"c0", "c2"}} {
		a, b := pair[0], pair[1]
		if same, want := ours[a] == ours[b], server[a] == server[b]; same != want {
			t.Errorf("%s and %s: ddlmig says same %t (%s / %s), the server %t (%s / %s)", a, b, same, ours[a], ours[b], want, server[a], server[b])
		}
	}
}
