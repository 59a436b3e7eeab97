package parser

import (
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// TestDeparseAtTimeZone checks that deparseExpr's text of each expression
// parses back to the same tree: the operands of AT TIME ZONE keep the
// parentheses their precedence needs (the deparser wrote
// created AT TIME ZONE ('UT' || 'C') without them, a text concatenation).
func TestDeparseAtTimeZone(t *testing.T) {
	exprs := []string{
		`created AT TIME ZONE ('UT' || 'C')`,
		`created AT TIME ZONE 'UTC'`,
		`created AT TIME ZONE z`,
		`created AT TIME ZONE t.z`,
		`created AT TIME ZONE $1`,
		`created AT TIME ZONE current_setting('timezone')`,
		`created AT TIME ZONE z::text`,
		`created AT TIME ZONE (z || 'x')::text`,
		`created AT TIME ZONE zones[1]`,
		`created AT TIME ZONE -1`,
		`created AT TIME ZONE (a + b)`,
		`created AT TIME ZONE (a AT TIME ZONE 'x')`,
		`(created AT TIME ZONE 'x') AT TIME ZONE 'y'`,
		`created AT TIME ZONE (z COLLATE "C")`,
		`created AT TIME ZONE (CASE WHEN a THEN 'UTC' ELSE 'CET' END)`,
		`created AT TIME ZONE COALESCE(z, 'UTC')`,
		`created AT TIME ZONE (SELECT z FROM tz LIMIT 1)`,
		`(a || b) AT TIME ZONE 'x'`,
		`lower((created AT TIME ZONE ('UT' || 'C'))::text)`,
		`(now() AT TIME ZONE ('UT' || 'C'))::text`,
		`f(created AT TIME ZONE (a || b), created AT TIME ZONE 'x')`,
		`ARRAY[created AT TIME ZONE ('U' || 'TC')]`,
		`created AT TIME ZONE ('UT' || 'C') = now()`,
	}
	deparsesBack(t, exprs)
}

// clearLocations zeroes every location field under n.
func clearLocations(n *pg_query.Node) {
	walk(n.ProtoReflect(), func(m protoreflect.Message) {
		if fd := m.Descriptor().Fields().ByName("location"); fd != nil {
			m.Clear(fd)
		}
	})
}

// TestDeparseIndirection checks that the operand of a subscript or a field
// selection keeps its parentheses where the deparser dropped them:
// (ARRAY[1, 2])[1] came back as ARRAY[1, 2][1], and (”).a as ”.a
// (FuzzRoundTrip, under AT TIME ZONE), neither of which parses.
func TestDeparseIndirection(t *testing.T) {
	deparsesBack(t, []string{
		`(ARRAY[1, 2])[1]`,
		`(ARRAY[a, b])[1:2]`,
		`('{1,2}'::int[])[1]`,
		`(string_to_array(s, ','))[1]`,
		`(COALESCE(a, b))[1]`,
		`(CASE WHEN x THEN a ELSE b END)[1]`,
		`(c).f`,
		`(t.c).f`,
		`(t.c[1]).f`,
		`('').a0000`,
		`c AT TIME ZONE ('').a0000`,
		`$1[1]`,
		`(SELECT a FROM t)[1]`,
		`(ROW(1, 2)).f1`,
	})
}
