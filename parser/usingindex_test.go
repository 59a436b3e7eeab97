package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUsingIndex folds the safer way ddlmig's add-unique-constraint and
// add-primary-key hazards advise (build the unique index first, then turn
// it into the constraint) as a migration onto a schema, and compares the
// result with the constraints declared directly.
func TestUsingIndex(t *testing.T) {
	tests := []struct {
		name, base, migration, want string
	}{
		{"unique and primary key, same names",
			`CREATE TABLE users (id bigint NOT NULL, email text NOT NULL);`,
			`CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
			 ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
			 CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON users (id);
			 ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;`,
			`CREATE TABLE users (id bigint NOT NULL PRIMARY KEY, email text NOT NULL UNIQUE);`},
		{"index renamed to the constraint, its name free again",
			`CREATE TABLE t (a int, b int);`,
			`CREATE UNIQUE INDEX CONCURRENTLY tmp ON t USING btree (a ASC NULLS LAST) INCLUDE (b) WITH (fillfactor=80);
			 ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX tmp;
			 CREATE INDEX tmp ON t (b);`,
			`CREATE TABLE t (a int, b int, CONSTRAINT t_a_key UNIQUE (a) INCLUDE (b) WITH (fillfactor=80));
			 CREATE INDEX tmp ON t (b);`},
		{"no constraint name: the index's",
			`CREATE TABLE t (a int, b text);`,
			`CREATE UNIQUE INDEX t_ab ON t (a, b COLLATE "default" text_ops);
			 ALTER TABLE t ADD PRIMARY KEY USING INDEX t_ab;`,
			`CREATE TABLE t (a int NOT NULL, b text NOT NULL, CONSTRAINT t_ab PRIMARY KEY (a, b));`},
		{"deferrable, nulls not distinct",
			`CREATE TABLE t (a int);`,
			`CREATE UNIQUE INDEX i ON t (a) NULLS NOT DISTINCT;
			 ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX i DEFERRABLE INITIALLY DEFERRED;`,
			`CREATE TABLE t (a int, CONSTRAINT c UNIQUE NULLS NOT DISTINCT (a) DEFERRABLE INITIALLY DEFERRED);`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := ParseFile("base.sql", []byte(tt.base), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Parse(got, "m.sql", []byte(tt.migration), Options{Migration: true}); err != nil {
				t.Fatalf("migration: %v", err)
			}
			want, _, err := ParseFile("want.sql", []byte(tt.want), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, ignorePos); diff != "" {
				t.Errorf("folded migration differs from the declared constraint (-want +got):\n%s", diff)
			}
			// Declaratively, in any order, the same statements give the same.
			decl, _, err := ParseFile("decl.sql", []byte(tt.migration+"\n"+tt.base), Options{})
			if err != nil {
				t.Fatalf("declarative: %v", err)
			}
			if diff := cmp.Diff(want, decl, ignorePos); diff != "" {
				t.Errorf("declarative file differs from the declared constraint (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUsingIndexErrors(t *testing.T) {
	const base = "CREATE TABLE t (a int, b int);\nCREATE TABLE u (a int);\n"
	tests := []struct{ name, src, want string }{
		{"missing index", "ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX nope;",
			`m.sql:1:19: index nope does not exist`},
		{"not unique", "CREATE INDEX i ON t (a);\nALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX i;",
			`m.sql:2:19: i is not a unique index (a primary key or unique constraint cannot use it)`},
		{"other table", "CREATE UNIQUE INDEX i ON u (a);\nALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX i;",
			`m.sql:2:19: index i does not belong to table t`},
		{"expression", "CREATE UNIQUE INDEX i ON t ((a + 1));\nALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX i;",
			`m.sql:2:19: index i contains expressions (a primary key or unique constraint cannot use it)`},
		{"partial", "CREATE UNIQUE INDEX i ON t (a) WHERE b > 0;\nALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX i;",
			`m.sql:2:19: i is a partial index (a primary key or unique constraint cannot use it)`},
		{"descending", "CREATE UNIQUE INDEX i ON t (a, b DESC);\nALTER TABLE t ADD PRIMARY KEY USING INDEX i;",
			`m.sql:2:19: index i column number 2 does not have default sorting behavior (a primary key or unique constraint cannot use it)`},
		{"already a constraint's", "ALTER TABLE t ADD CONSTRAINT k UNIQUE (a);\nALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX k;",
			`m.sql:2:19: index k is already associated with a constraint`},
		{"second primary key", "ALTER TABLE t ADD PRIMARY KEY (a);\nCREATE UNIQUE INDEX i ON t (b);\nALTER TABLE t ADD PRIMARY KEY USING INDEX i;",
			`m.sql:3:19: multiple primary keys for table t are not allowed`},
		{"constraint name taken", "CREATE SEQUENCE s;\nCREATE UNIQUE INDEX i ON t (b);\nALTER TABLE t ADD CONSTRAINT s UNIQUE USING INDEX i;",
			`m.sql:3:19: relation s already exists`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantMigrationError(t, base, tt.src, tt.want) })
	}
}

func TestUsingIndexCommentWarning(t *testing.T) {
	src := "CREATE TABLE t (a int);\nCREATE UNIQUE INDEX i ON t (a);\nCOMMENT ON INDEX i IS 'x';\nALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX i;\n"
	_, warns, err := ParseFile("w.sql", []byte(src), Options{Migration: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || warns[0].String() != `w.sql:4:1: the comment on index i stays on the index of constraint c, where ddlmig does not manage it` {
		t.Errorf("warnings: %v", warns)
	}
}

// wantMigrationError folds migration src ("m.sql") onto the schema base and
// wants the error want, position included.
func wantMigrationError(t *testing.T, base, src, want string) {
	t.Helper()
	cat, _, err := ParseFile("base.sql", []byte(base), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(cat, "m.sql", []byte(src), Options{Migration: true})
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}
