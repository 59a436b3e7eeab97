package parser

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/schema"
)

// ignorePos makes positions irrelevant to comparisons, as they are to the
// planner.
var ignorePos = cmpopts.IgnoreTypes(schema.Pos{})

// ignoreStmts leaves out the user's own statements of the kinds whose
// Stmt or Src is not compared and that pg_dump spells otherwise (operators
// and classes, views, routines, policies, column defaults, indexes,
// statistics and triggers: their definitions are compared).
var ignoreStmts = cmp.Options{cmpopts.IgnoreFields(schema.Operator{}, "Stmt"), cmpopts.IgnoreFields(schema.OpClass{}, "Stmt"),
	cmpopts.IgnoreFields(schema.Column{}, "DefaultSrc"),
	cmpopts.IgnoreFields(schema.View{}, "Src"), cmpopts.IgnoreFields(schema.Function{}, "Src"),
	cmpopts.IgnoreFields(schema.Policy{}, "UsingSrc", "WithCheckSrc"),
	cmpopts.IgnoreFields(schema.Index{}, "Src"), cmpopts.IgnoreFields(schema.Statistics{}, "Src"),
	cmpopts.IgnoreFields(schema.Trigger{}, "Src"),
	cmpopts.IgnoreFields(schema.Column{}, "DefaultSrc", "GeneratedSrc"), cmpopts.IgnoreFields(schema.Constraint{}, "Src"),
	cmpopts.IgnoreFields(schema.Domain{}, "DefaultSrc"), cmpopts.IgnoreFields(schema.DomainConstraint{}, "Src")}

// TestPgDump shows that a hand-written schema and pg_dump's spelling of the
// same database parse to the same catalog: PostgreSQL itself is the judge
// of implicit names, serial expansion, sequence defaults and canonical
// expression text.
func TestPgDump(t *testing.T) {
	files, err := filepath.Glob("testdata/pgdump/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test schemas: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			testPgDump(t, src)
		})
	}
}

func testPgDump(t *testing.T, src []byte) {
	want, _, err := ParseFile("schema.sql", src, Options{})
	if err != nil {
		t.Fatalf("parse hand-written schema:\n%v", err)
	}

	url := testdb.New(t)
	if err := testdb.Exec(context.Background(), url, string(src)); err != nil {
		t.Fatalf("apply schema: %v", err)
	}
	out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "-d", url).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	for _, mode := range []Options{{}, {Migration: true}} {
		got, _, err := ParseFile("dump.sql", out, mode)
		if err != nil {
			t.Fatalf("parse pg_dump output (%+v):\n%v\n%s", mode, err, out)
		}
		if diff := cmp.Diff(want, got, ignorePos, ignoreStmts); diff != "" {
			t.Errorf("pg_dump spelling differs (%+v) (-hand-written +pg_dump):\n%s", mode, diff)
		}
	}
}
