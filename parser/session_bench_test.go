package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// BenchmarkSessionUserCalls folds, by one Session, a migration of 200
// tables whose defaults, checks and indexes call the schema's function,
// then 20 migrations of one such table each, as the steps of a first
// migration are: each later file is finished by the table it touched.
func BenchmarkSessionUserCalls(b *testing.B) {
	table := func(i int) string {
		return fmt.Sprintf("CREATE TABLE t%d (a int, s text DEFAULT g('x', 1) CHECK (s <> g('y', a)));\n"+
			"CREATE INDEX ON t%[1]d (g(s, a));\n", i)
	}
	var base strings.Builder
	base.WriteString("CREATE FUNCTION g(x text, n numeric) RETURNS text LANGUAGE sql AS 'SELECT x';\n")
	for i := range 200 {
		base.WriteString(table(i))
	}
	steps := make([][]byte, 20)
	for i := range steps {
		steps[i] = []byte(table(200 + i))
	}
	for b.Loop() {
		sess := NewSession(schema.New())
		if _, err := sess.Parse("base.sql", []byte(base.String()), Options{Migration: true}); err != nil {
			b.Fatal(err)
		}
		for i, src := range steps {
			if _, err := sess.Parse(fmt.Sprintf("step%d.sql", i), src, Options{Migration: true}); err != nil {
				b.Fatal(err)
			}
		}
		if sess.touchedFinishes != len(steps) {
			b.Fatalf("%d files finished by the tables they touched", sess.touchedFinishes)
		}
	}
}
