package parser

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkPartitionIndexes folds a partitioned table with three indexes
// and 1,000 partitions created after them, each getting its copies.
func BenchmarkPartitionIndexes(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("CREATE TABLE m (id int, a int, b text) PARTITION BY RANGE (id);\n")
	sb.WriteString("CREATE INDEX m_a ON m (a);\nCREATE INDEX m_b ON m (lower(b));\nCREATE INDEX m_ab ON m (a, b);\n")
	for i := range 1000 {
		fmt.Fprintf(&sb, "CREATE TABLE m%d PARTITION OF m FOR VALUES FROM (%d) TO (%d);\n", i, i*10, i*10+10)
	}
	src := []byte(sb.String())
	b.ResetTimer()
	for range b.N {
		cat, _, err := ParseFile("m.sql", src, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(cat.Indexes) != 3003 {
			b.Fatalf("%d indexes", len(cat.Indexes))
		}
	}
}
