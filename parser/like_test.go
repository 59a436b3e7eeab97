package parser

import (
	"context"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/schema"
)

// TestLikeErrorsAgainstServer folds CREATE TABLE ... (LIKE ...) that
// PostgreSQL refuses, and holds the fold's message, at the statement's
// line, to the server's. What the fold copies when PostgreSQL accepts is
// held to the server by the render golden like_table (the table loaded
// directly against the plain CREATE TABLE ddlmig writes) and by
// TestNamesAsServer (the names of the copies).
func TestLikeErrorsAgainstServer(t *testing.T) {
	testdb.Require(t)
	cases := []struct {
		name, sql, fold, server string
	}{
		{"a column of the source written again",
			"CREATE TABLE s (a int);\nCREATE TABLE t (LIKE s, a int);",
			"x.sql:2:25: column a specified more than once", `column "a" specified more than once`},
		{"two LIKEs with a column in common",
			"CREATE TABLE s (a int);\nCREATE TABLE u (a int);\nCREATE TABLE t (LIKE s, LIKE u);",
			"x.sql:3:30: column a specified more than once", `column "a" specified more than once`},
		{"a primary key of its own and the source's",
			"CREATE TABLE s (a int PRIMARY KEY);\nCREATE TABLE t (b int PRIMARY KEY, LIKE s INCLUDING INDEXES);",
			"x.sql:2:41: multiple primary keys for table t are not allowed", `multiple primary keys for table "t" are not allowed`},
		{"a check of its own named as the source's",
			"CREATE TABLE s (a int CONSTRAINT c CHECK (a > 0));\nCREATE TABLE t (LIKE s INCLUDING CONSTRAINTS, b int CONSTRAINT c CHECK (b > 0));",
			"x.sql:2:22: constraint c for relation t already exists", `constraint "c" for relation "t" already exists`},
		{"a foreign table",
			"CREATE FOREIGN DATA WRAPPER w;\nCREATE SERVER sv FOREIGN DATA WRAPPER w;\nCREATE TABLE s (a int);\nCREATE FOREIGN TABLE f (LIKE s) SERVER sv;",
			"x.sql:4:30: LIKE is not supported for creating foreign tables", "LIKE is not supported for creating foreign tables"},
		{"a missing source",
			"CREATE TABLE t (LIKE nope);",
			"x.sql:1:22: relation public.nope does not exist", `relation "nope" does not exist`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, foldErr := Parse(schema.New(), "x.sql", []byte(tc.sql), Options{Migration: true})
			if foldErr == nil || !strings.Contains(foldErr.Error(), tc.fold) {
				t.Errorf("fold: got %v, want %s", foldErr, tc.fold)
			}
			url := testdb.New(t)
			if err := testdb.Exec(context.Background(), url, tc.sql); err == nil || !strings.Contains(err.Error(), tc.server) {
				t.Errorf("server: got %v, want %s", err, tc.server)
			}
		})
	}
}
