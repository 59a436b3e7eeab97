package pgdecode

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	pgparser "github.com/pganalyze/pg_query_go/v5/parser"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// nestings are statements that nest n times, one per kind of nesting
// PostgreSQL's grammar has.
var nestings = map[string]func(n int) string{
	"plus":     func(n int) string { return "SELECT " + strings.Repeat("1 + ", n) + "1" },
	"concat":   func(n int) string { return "SELECT " + strings.Repeat("'x' || ", n) + "'x'" },
	"default":  func(n int) string { return "CREATE TABLE t (a int DEFAULT " + strings.Repeat("a+", n) + "1)" },
	"check":    func(n int) string { return "CREATE TABLE t (a int CHECK (" + strings.Repeat("a*-", n) + "a > 0))" },
	"right":    func(n int) string { return "SELECT " + strings.Repeat("1 + (", n) + "1" + strings.Repeat(")", n) },
	"paren":    func(n int) string { return "SELECT " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) },
	"minus":    func(n int) string { return "SELECT " + strings.Repeat("- ", n) + "a" },
	"not":      func(n int) string { return "SELECT " + strings.Repeat("NOT ", n) + "true" },
	"func":     func(n int) string { return "SELECT " + strings.Repeat("f(", n) + "1" + strings.Repeat(")", n) },
	"array":    func(n int) string { return "SELECT " + strings.Repeat("ARRAY[", n) + "1" + strings.Repeat("]", n) },
	"cast":     func(n int) string { return "SELECT 1" + strings.Repeat("::int", n) },
	"collate":  func(n int) string { return "SELECT 'a'" + strings.Repeat(` COLLATE "C"`, n) },
	"timezone": func(n int) string { return "SELECT now()" + strings.Repeat(" AT TIME ZONE 'utc'", n) },
	"subquery": func(n int) string { return strings.Repeat("SELECT (", n) + "SELECT 1" + strings.Repeat(")", n) },
	"exists": func(n int) string {
		return "SELECT " + strings.Repeat("EXISTS (SELECT ", n) + "1" + strings.Repeat(")", n)
	},
	"case": func(n int) string {
		return "SELECT " + strings.Repeat("CASE WHEN a THEN ", n) + "1" + strings.Repeat(" END", n)
	},
	"caseelse": func(n int) string {
		return "SELECT " + strings.Repeat("CASE WHEN a THEN 1 ELSE ", n) + "1" + strings.Repeat(" END", n)
	},
	"union":     func(n int) string { return strings.Repeat("SELECT 1 UNION ", n) + "SELECT 1" },
	"join":      func(n int) string { return "SELECT 1 FROM a" + strings.Repeat(" JOIN a ON true", n) },
	"crossjoin": func(n int) string { return "SELECT 1 FROM a" + strings.Repeat(" CROSS JOIN a", n) },
	"fromsub": func(n int) string {
		return "SELECT 1 FROM " + strings.Repeat("(SELECT 1 FROM ", n) + "a" + strings.Repeat(") s", n)
	},
	"operator": func(n int) string { return "SELECT 1" + strings.Repeat(" OPERATOR(pg_catalog.+) 1", n) },
	"like":     func(n int) string { return "SELECT " + strings.Repeat("(a LIKE ", n) + "'x'" + strings.Repeat(")", n) },
	"isnull":   func(n int) string { return "SELECT " + strings.Repeat("(", n) + "a" + strings.Repeat(" IS NULL)", n) },
	"anyarray": func(n int) string { return "SELECT " + strings.Repeat("a = ANY (", n) + "b" + strings.Repeat(")", n) },
	"row":      func(n int) string { return "SELECT " + strings.Repeat("ROW(1, ", n) + "1" + strings.Repeat(")", n) },
	"coalesce": func(n int) string {
		return "SELECT " + strings.Repeat("coalesce(a, ", n) + "1" + strings.Repeat(")", n)
	},
	"index": func(n int) string { return "SELECT " + strings.Repeat("(", n) + "a" + strings.Repeat(")[1]", n) },
	"field": func(n int) string { return "SELECT " + strings.Repeat("(", n) + "a" + strings.Repeat(").f", n) },
	"in":    func(n int) string { return "SELECT " + strings.Repeat("a IN (", n) + "1" + strings.Repeat(")", n) },
	"view":  func(n int) string { return "CREATE VIEW v AS SELECT " + strings.Repeat("a || ", n) + "b FROM t" },
	"andor": func(n int) string {
		return "SELECT " + strings.Repeat("(a AND (b OR ", n) + "c" + strings.Repeat("))", n)
	},
	"values": func(n int) string { return "SELECT " + strings.Repeat("(VALUES (", n) + "1" + strings.Repeat("))", n) },
	"with": func(n int) string {
		return strings.Repeat("WITH a AS (", n) + "SELECT 1" + strings.Repeat(") SELECT 1", n)
	},
	"windowfunc": func(n int) string {
		return "SELECT " + strings.Repeat("sum(", n) + "1" + strings.Repeat(") OVER ()", n)
	},
	"filter": func(n int) string {
		return "SELECT " + strings.Repeat("count(*) FILTER (WHERE ", n) + "true" + strings.Repeat(")", n)
	},
	"between": func(n int) string {
		return "SELECT " + strings.Repeat("(a BETWEEN 1 AND ", n) + "2" + strings.Repeat(")", n)
	},
	"distinct": func(n int) string {
		return "SELECT " + strings.Repeat("(a IS DISTINCT FROM ", n) + "2" + strings.Repeat(")", n)
	},
	"nullif": func(n int) string { return "SELECT " + strings.Repeat("nullif(1, ", n) + "2" + strings.Repeat(")", n) },
}

// msgDepth is the nesting of messages in m, m itself included.
func msgDepth(m protoreflect.Message) int {
	deepest := 0
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind {
			return true
		}
		switch {
		case fd.IsList():
			for i, l := 0, v.List(); i < l.Len(); i++ {
				deepest = max(deepest, msgDepth(l.Get(i).Message()))
			}
		case fd.IsMap():
		default:
			deepest = max(deepest, msgDepth(v.Message()))
		}
		return true
	})
	return deepest + 1
}

// msgsSlack is what a statement's tree holds around its nesting (ParseResult, RawStmt, the statement, a target list...).
const msgsSlack = 16

// TestDepthBound checks that Depth bounds the depth of the parse tree:
// at most msgsPerLevel messages a level, plus the statement around them.
func TestDepthBound(t *testing.T) {
	for name, gen := range nestings {
		for _, n := range []int{0, 1, 2, 3, 10, 50} {
			sql := gen(n)
			depth, _ := Depth(sql)
			tree, err := pg_query.Parse(sql)
			if err != nil {
				t.Errorf("%s %d: %v", name, n, err)
				continue
			}
			msgs := msgDepth(tree.ProtoReflect())
			if msgs > depth*msgsPerLevel+msgsSlack {
				t.Errorf("%s %d: tree %d messages deep, Depth %d (%d per level at most): %s", name, n, msgs, depth, msgsPerLevel, sql)
			}
			// Deparse sizes its stack by wireDepth: it must not be less.
			buf, err := proto.Marshal(tree)
			if err != nil {
				t.Fatal(err)
			}
			if wd := wireDepth(buf); wd < msgs {
				t.Errorf("%s %d: wireDepth %d, the tree is %d messages deep", name, n, wd, msgs)
			}
		}
	}
}

// TestDepthLimit parses and deparses every kind of nesting at MaxDepth,
// and expects a *DepthError just beyond it.
func TestDepthLimit(t *testing.T) {
	for name, gen := range nestings {
		t.Run(name, func(t *testing.T) {
			// Depth grows by the same amount with every n: find the n at the limit.
			d1, _ := Depth(gen(1))
			d2, _ := Depth(gen(2))
			if d2 <= d1 {
				t.Fatalf("Depth does not grow with the nesting: %d, %d", d1, d2)
			}
			n := 1 + (MaxDepth-d1)/(d2-d1)
			sql := gen(n)
			if d, _ := Depth(sql); d > MaxDepth || d+(d2-d1) <= MaxDepth {
				t.Fatalf("Depth of n=%d is %d, not within a step of %d", n, d, MaxDepth)
			}
			tree, err := Parse(sql)
			var pe *pgparser.Error
			switch {
			case errors.As(err, &pe) && strings.Contains(pe.Message, "memory exhausted"):
				// Bison's own stack limit (10,000 tokens waiting to be
				// reduced): PostgreSQL says the same.
			case err != nil:
				t.Fatalf("at the limit: %v", err)
			default:
				if _, err := Deparse(tree); err != nil {
					t.Fatalf("deparse at the limit: %v", err)
				}
			}
			beyond := gen(n + 1)
			_, err = Parse(beyond)
			var de *DepthError
			if !errors.As(err, &de) {
				t.Fatalf("beyond the limit: %v, want a *DepthError", err)
			}
			if de.Offset <= 0 || de.Offset >= len(beyond) {
				t.Errorf("DepthError offset %d outside the text (%d bytes)", de.Offset, len(beyond))
			}
		})
	}
}

// TestDepthLimitSmallStack runs TestDepthLimit again with a 1 MB stack
// limit (ulimit -s), the size of every thread's stack then: the limit must
// not depend on the stack the system gives.
func TestDepthLimitSmallStack(t *testing.T) {
	if os.Getenv("PGDECODE_SMALL_STACK") != "" {
		if threadStack > 1<<20 {
			t.Fatalf("threadStack = %d, want at most 1 MB under ulimit -s 1024", threadStack)
		}
		return
	}
	if testing.Short() {
		t.Skip("short")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	cmd := exec.Command("sh", "-c", `ulimit -s 1024 && exec "$0" -test.run '^TestDepthLimit(SmallStack)?$' -test.count=1`, os.Args[0])
	cmd.Env = append(os.Environ(), "PGDECODE_SMALL_STACK=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("with ulimit -s 1024: %v\n%.3000s", err, out)
	}
}

// FuzzDepth checks, for any text, that Parse and Deparse return (no
// crash), and that Depth bounds the depth of the tree Parse gives:
// msgsPerLevel messages a level at most, the statement around them aside.
// The stack sizes in stack.go rest on that bound.
func FuzzDepth(f *testing.F) {
	for _, gen := range nestings {
		f.Add(gen(3))
	}
	f.Add("CREATE TABLE t (a int DEFAULT 1 + -2 * 3::int CHECK (a BETWEEN 1 AND 2 OR a IN (1, 2)));")
	f.Add("CREATE VIEW v AS SELECT CASE WHEN a THEN b ELSE c END FROM t JOIN u USING (id) WHERE x IS NOT NULL;")
	f.Fuzz(func(t *testing.T, sql string) {
		depth, _ := Depth(sql)
		tree, err := Parse(sql)
		if err != nil {
			return
		}
		msgs := msgDepth(tree.ProtoReflect())
		if msgs > depth*msgsPerLevel+msgsSlack {
			t.Fatalf("tree %d messages deep, Depth %d (%d per level at most)", msgs, depth, msgsPerLevel)
		}
		if buf, err := proto.Marshal(tree); err == nil && wireDepth(buf) < msgs {
			t.Fatalf("wireDepth %d, the tree is %d messages deep", wireDepth(buf), msgs)
		}
		if _, err := Deparse(tree); err != nil && strings.Contains(err.Error(), "too deeply nested") {
			t.Fatalf("Deparse of a tree Parse gave: %v", err)
		}
	})
}
