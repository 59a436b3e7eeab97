package parser

import (
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

const partBase = "CREATE TABLE m (id int, a int, b int) PARTITION BY RANGE (id);\n" +
	"CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);\n" +
	"CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (10) TO (20);\n"

// TestPartitionIndexes checks the indexes of partitions the parser keeps:
// which partitioned index each is attached to, after the statements that
// attach, detach, rename and drop them.
func TestPartitionIndexes(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // index -> parent, one per line, in name order
	}{
		{"recursive index copied under PostgreSQL's names",
			"CREATE INDEX m_a ON m (a);",
			"m1_a_idx -> m_a\nm2_a_idx -> m_a\nm_a"},
		{"ON ONLY leaves the partitions without one",
			"CREATE INDEX m_a ON ONLY m (a);\nCREATE INDEX m1_x ON m1 (a);\nALTER INDEX m_a ATTACH PARTITION m1_x;",
			"m1_x -> m_a\nm_a"},
		{"a matching index of a partition is taken over",
			"CREATE INDEX m2_own ON m2 (a);\nCREATE INDEX m2_other ON m2 (b);\nCREATE INDEX m_a ON m (a);",
			"m1_a_idx -> m_a\nm2_other\nm2_own -> m_a\nm_a"},
		{"a new partition gets a copy",
			"CREATE INDEX m_a ON m (a);\nCREATE TABLE m3 PARTITION OF m FOR VALUES FROM (20) TO (30);",
			"m1_a_idx -> m_a\nm2_a_idx -> m_a\nm3_a_idx -> m_a\nm_a"},
		{"attaching a table attaches its matching index",
			"CREATE INDEX m_a ON m (a);\nCREATE TABLE m3 (id int, a int, b int);\nCREATE INDEX m3_own ON m3 (a);\nALTER TABLE m ATTACH PARTITION m3 FOR VALUES FROM (20) TO (30);",
			"m1_a_idx -> m_a\nm2_a_idx -> m_a\nm3_own -> m_a\nm_a"},
		{"detach leaves the index on its own",
			"CREATE INDEX m_a ON m (a);\nALTER TABLE m DETACH PARTITION m2;",
			"m1_a_idx -> m_a\nm2_a_idx\nm_a"},
		{"renaming the parent index",
			"CREATE INDEX m_a ON m (a);\nALTER INDEX m_a RENAME TO m_z;",
			"m1_a_idx -> m_z\nm2_a_idx -> m_z\nm_z"},
		{"dropping the parent index drops the attached ones",
			"CREATE INDEX m_a ON m (a);\nCREATE INDEX m1_b ON m1 (b);\nDROP INDEX m_a;",
			"m1_b"},
		{"renaming a column of the parent reaches the partitions' indexes",
			"CREATE INDEX m_a ON m (a);\nALTER TABLE m RENAME COLUMN a TO z;\nCREATE TABLE m3 PARTITION OF m FOR VALUES FROM (20) TO (30);",
			"m1_a_idx -> m_a\nm2_a_idx -> m_a\nm3_z_idx -> m_a\nm_a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, _, err := ParseFile("f.sql", []byte(partBase+tt.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range schema.SortedNames(cat.Indexes) {
				ix := cat.Indexes[n]
				line := n.Name
				if ix.Parent != (schema.QualifiedName{}) {
					line += " -> " + ix.Parent.Name
					if def, _, _ := indexClone(cat.Indexes[ix.Parent].Def, ix.Table); def != ix.Def {
						t.Errorf("%s: definition %q is not its parent's on its table (%q)", n, ix.Def, def)
					}
				}
				got = append(got, line)
			}
			if g := strings.Join(got, "\n"); g != tt.want {
				t.Errorf("got\n%s\nwant\n%s", g, tt.want)
			}
		})
	}
}

// TestPartitionErrors checks that what PostgreSQL refuses about partition
// indexes and NOT NULL is refused at its line.
func TestPartitionErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"dropping an attached index",
			"CREATE INDEX m_a ON m (a);\nDROP INDEX m1_a_idx;",
			"f.sql:5:1: cannot drop index public.m1_a_idx because index public.m_a requires it"},
		{"attaching an index of another definition",
			"CREATE INDEX m_a ON ONLY m (a);\nCREATE INDEX m1_b ON m1 (b);\nALTER INDEX m_a ATTACH PARTITION m1_b;",
			"f.sql:6:1: cannot attach index public.m1_b as a partition of index public.m_a: the index definitions do not match"},
		{"attaching a second index for a partition",
			"CREATE INDEX m_a ON m (a);\nCREATE INDEX m1_x ON m1 (a);\nALTER INDEX m_a ATTACH PARTITION m1_x;",
			"f.sql:6:1: cannot attach index public.m1_x as a partition of index public.m_a: another index (public.m1_a_idx) is already attached for partition public.m1"},
		{"dropping a NOT NULL the parent holds",
			"ALTER TABLE m ALTER COLUMN b SET NOT NULL;\nALTER TABLE m1 ALTER COLUMN b DROP NOT NULL;",
			"f.sql:5:1: column b is marked NOT NULL in parent table"},
		{"a column option PARTITION OF does not model",
			"CREATE TABLE m3 PARTITION OF m (b DEFAULT 1) FOR VALUES FROM (20) TO (30);",
			"f.sql:4:33: unsupported column option DEFAULT in CREATE TABLE ... PARTITION OF (NOT NULL and constraints are supported)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseFile("f.sql", []byte(partBase+tt.src), Options{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("got error %v, want %s", err, tt.want)
			}
		})
	}
}
