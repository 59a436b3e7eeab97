package parser

import "testing"

// TestForeignKeysAccepted holds foreign keys PostgreSQL accepts, which the
// checks of validate.go must not refuse.
func TestForeignKeysAccepted(t *testing.T) {
	tests := []struct{ name, src string }{
		{"unique constraint in another column order",
			"CREATE TABLE t (a int, b int, FOREIGN KEY (a, b) REFERENCES u (y, x));\nCREATE TABLE u (x int, y int, UNIQUE (x, y));"},
		{"plain unique index",
			"CREATE TABLE u (x int, e text);\nCREATE UNIQUE INDEX u_e ON u (e);\nCREATE TABLE t (e text REFERENCES u (e));"},
		{"unique constraint added later by ALTER TABLE",
			"CREATE TABLE t (e text REFERENCES u (e));\nCREATE TABLE u (x int);\nALTER TABLE u ADD COLUMN e text;\nALTER TABLE u ADD CONSTRAINT u_e UNIQUE (e);"},
		{"primary key of the referenced table",
			"CREATE TABLE t (a int REFERENCES u);\nCREATE TABLE u (x int PRIMARY KEY);"},
		{"partitioned referenced table",
			"CREATE TABLE u (x int, d date, PRIMARY KEY (x, d)) PARTITION BY RANGE (d);\nCREATE TABLE u1 PARTITION OF u FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');\nCREATE TABLE t (a int, d date, FOREIGN KEY (a, d) REFERENCES u (x, d));"},
		{"self-reference",
			"CREATE TABLE n (id int PRIMARY KEY, parent int REFERENCES n (id), up int REFERENCES n);"},
		{"unique constraint using an index",
			"CREATE TABLE u (x int);\nCREATE UNIQUE INDEX u_x ON u (x);\nALTER TABLE u ADD CONSTRAINT u_x UNIQUE USING INDEX u_x;\nCREATE TABLE t (a int REFERENCES u (x));"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := ParseFile("f.sql", []byte(tt.src), Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
