package parser

import (
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestDropSchemaCascade checks that DROP SCHEMA ... CASCADE takes every
// kind of object in the schema along, so that no object is left in a
// schema that no longer exists.
func TestDropSchemaCascade(t *testing.T) {
	src := `CREATE SCHEMA s;
CREATE TABLE s.t (id int PRIMARY KEY);
CREATE SEQUENCE s.q;
CREATE TYPE s.mood AS ENUM ('a');
CREATE TYPE s.pair AS (a int, b int);
CREATE DOMAIN s.pos AS int CHECK (VALUE > 0);
CREATE COLLATION s.c (provider = libc, locale = 'C');
CREATE VIEW s.v AS SELECT id FROM s.t;
CREATE MATERIALIZED VIEW s.m AS SELECT 1 AS one;
CREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE PROCEDURE s.p() LANGUAGE sql AS 'SELECT 1';
CREATE EXTENSION citext WITH SCHEMA s;
DROP SCHEMA s CASCADE;
`
	cat, _, err := ParseFile("f.sql", []byte(src), Options{Migration: true})
	if err != nil {
		t.Fatal(err)
	}
	if cat.Schemas["s"] != nil {
		t.Errorf("schema s still exists")
	}
	if objs := cat.SchemaObjects("s"); len(objs) > 0 {
		t.Errorf("objects left in dropped schema s: %v", objs)
	}
	if len(cat.Triggers) > 0 || len(cat.Indexes) > 0 {
		t.Errorf("triggers or indexes left: %v %v", cat.Triggers, cat.Indexes)
	}
	if got := cat.SchemaObjects(schema.DefaultSchema); len(got) > 0 {
		t.Errorf("public holds %v, want nothing", got)
	}
}
