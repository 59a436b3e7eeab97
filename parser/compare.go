package parser

import (
	"strconv"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/schema"
)

// normalizeComparisons rewrites comparisons of a column with constants into
// one form, after normalizeExpr has run on the children: the server turns
// status IN ('a', 'b') into status = ANY (ARRAY['a'::text, 'b'::text]) and
// status <> 'x' into status <> 'x'::text, and pg_dump prints that. Both
// spellings become the IN form with bare literals.
func normalizeComparisons(e *pg_query.Node, types columnTypes) {
	if e == nil || types == nil {
		return
	}
	postWalk(e, func(n *pg_query.Node) { normalizeComparison(n, types) })
}

// normalizeComparison is normalizeComparisons for node n alone, whose
// children are done.
func normalizeComparison(n *pg_query.Node, types columnTypes) {
	{
		ae := n.GetAExpr()
		if ae == nil || len(ae.Name) != 1 {
			return
		}
		switch op := ae.Name[0].GetString_().GetSval(); {
		case ae.Kind == pg_query.A_Expr_Kind_AEXPR_OP && (op == "~~" || op == "!~~"):
			ae.Kind = pg_query.A_Expr_Kind_AEXPR_LIKE // the server prints LIKE as ~~
		case ae.Kind == pg_query.A_Expr_Kind_AEXPR_OP && (op == "~~*" || op == "!~~*"):
			ae.Kind = pg_query.A_Expr_Kind_AEXPR_ILIKE
		case ae.Kind == pg_query.A_Expr_Kind_AEXPR_BETWEEN || ae.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN:
			// x BETWEEN a AND b is x >= a AND x <= b to the server.
			items := ae.Rexpr.GetList().GetItems()
			if len(items) != 2 {
				return
			}
			cmp := func(op string, l, r *pg_query.Node) *pg_query.Node {
				return pg_query.MakeAExprNode(pg_query.A_Expr_Kind_AEXPR_OP, []*pg_query.Node{pg_query.MakeStrNode(op)}, l, r, -1)
			}
			lo, hi, bop := ">=", "<=", pg_query.BoolExprType_AND_EXPR
			if ae.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN {
				lo, hi, bop = "<", ">", pg_query.BoolExprType_OR_EXPR
			}
			repl := pg_query.MakeBoolExprNode(bop, []*pg_query.Node{
				cmp(lo, ae.Lexpr, items[0]),
				cmp(hi, proto.Clone(ae.Lexpr).(*pg_query.Node), items[1]),
			}, -1)
			normalizeComparisons(repl, types)
			n.Node = repl.Node
			return
		}
		col, ok := columnType(ae.Lexpr, types)
		if !ok {
			return
		}
		op := ae.Name[0].GetString_().GetSval()
		switch ae.Kind {
		case pg_query.A_Expr_Kind_AEXPR_OP, pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
			if c := bareConst(ae.Rexpr, col); c != nil {
				ae.Rexpr = c
			}
		case pg_query.A_Expr_Kind_AEXPR_IN:
			items := ae.Rexpr.GetList().GetItems()
			for i, it := range items {
				if c := bareConst(it, col); c != nil {
					items[i] = c
				}
			}
		case pg_query.A_Expr_Kind_AEXPR_OP_ANY, pg_query.A_Expr_Kind_AEXPR_OP_ALL:
			if (ae.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ANY) != (op == "=") ||
				(ae.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ALL) != (op == "<>") {
				return
			}
			arr := ae.Rexpr
			if tc := arr.GetTypeCast(); tc != nil && len(tc.TypeName.ArrayBounds) == 1 && tc.Arg.GetAArrayExpr() != nil {
				// The server casts each element of ARRAY[...]::t[] to t
				// and keeps ARRAY[(e1)::t, ...]: pg_dump's spelling of
				// an IN list on a varchar column loads as that, not as
				// the IN list, so it is made into that and not into IN.
				arr = tc.Arg
				pushArrayCast(arr.GetAArrayExpr(), tc.TypeName)
				ae.Rexpr = arr
			}
			ax := arr.GetAArrayExpr()
			if ax == nil || len(ax.Elements) == 0 {
				return
			}
			var list []*pg_query.Node
			for _, el := range ax.Elements {
				el = inListElement(el, col)
				c := bareConst(el, col)
				if c == nil {
					if el.GetAConst() == nil {
						return
					}
					c = el
				}
				list = append(list, c)
			}
			if len(list) == 1 {
				// x IN (a) is x = a to the server but x = ANY (ARRAY[a])
				// stays as written: only the element loses the cast the
				// server adds itself, where it adds exactly that cast.
				if arr == ae.Rexpr && (col.Name == "text" && col.Schema == "" || col.Schema != "") {
					ax.Elements = list
				}
				return
			}
			ae.Kind = pg_query.A_Expr_Kind_AEXPR_IN
			ae.Rexpr = &pg_query.Node{Node: &pg_query.Node_List{List: &pg_query.List{Items: list}}}
		}
		// x IN (a) is x = a to the server (transformAExprIn).
		if items := ae.Rexpr.GetList().GetItems(); ae.Kind == pg_query.A_Expr_Kind_AEXPR_IN && len(items) == 1 {
			ae.Kind = pg_query.A_Expr_Kind_AEXPR_OP
			ae.Rexpr = items[0]
		}
	}
}

// inListElement undoes on el, an element of an array compared with a
// column of type col, the coercion the server writes into each element of
// an IN list, so that the list compares as the IN list it came from
// (TestInListsAgainstServer):
//   - on a character varying column the server makes the list an ARRAY
//     of character varying constants relabelled as text[], which pg_dump
//     prints (ARRAY['a'::character varying])::text[] and pushArrayCast
//     made 'a'::character varying::text: the string (or NULL) is returned;
//   - the elements are coerced to the column's type where it is the list's
//     common type, b IN (1, 2) on a bigint column being stored as
//     ARRAY[(1)::bigint, (2)::bigint], or to integer on a smallint column
//     (the type of the numbers: s IN (1, NULL) holds NULL::integer): the
//     number or NULL is returned.
//
// Any other element is returned as it is.
func inListElement(el *pg_query.Node, col schema.TypeName) *pg_query.Node {
	outer := el.GetTypeCast()
	if outer == nil || col.Schema != "" || col.ArrayDims > 0 {
		return el
	}
	if col.Name == "character varying" && plainCastTo(outer, "text") {
		inner := outer.Arg.GetTypeCast()
		if inner != nil && plainCastTo(inner, "character varying") && (inner.Arg.GetAConst().GetSval() != nil || inner.Arg.GetAConst().GetIsnull()) {
			return inner.Arg
		}
	}
	if plainCastTo(outer, col.Name) && numericRank[col.Name] > 0 {
		if n := number(outer.Arg); n != nil {
			return n
		}
	}
	if col.Name == "smallint" && plainCastTo(outer, "integer") && outer.Arg.GetAConst().GetIsnull() {
		return outer.Arg // s IN (1, NULL): 1 makes the list integer
	}
	return el
}

// plainCastTo reports whether tc casts to the built-in type target, with
// no type modifier and no array bounds.
func plainCastTo(tc *pg_query.TypeCast, target string) bool {
	return len(tc.TypeName.ArrayBounds) == 0 && len(tc.TypeName.Typmods) == 0 && builtinTarget(strs(tc.TypeName.Names)) == target
}

// pushArrayCast casts each element of ax to the element type of the array
// type at, leaving alone an element already cast to exactly that type.
func pushArrayCast(ax *pg_query.A_ArrayExpr, at *pg_query.TypeName) {
	elem := proto.Clone(at).(*pg_query.TypeName)
	elem.ArrayBounds = nil
	want := strs(elem.Names)
	for i, el := range ax.Elements {
		if tc := el.GetTypeCast(); tc != nil && len(tc.TypeName.ArrayBounds) == 0 && len(tc.TypeName.Typmods) == 0 &&
			len(elem.Typmods) == 0 && equalStrs(strs(tc.TypeName.Names), want) {
			continue
		}
		ax.Elements[i] = &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{
			Arg: el, TypeName: proto.Clone(elem).(*pg_query.TypeName), Location: -1,
		}}}
	}
}

func equalStrs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// columnType returns the type of e when it is a plain column reference.
func columnType(e *pg_query.Node, types columnTypes) (schema.TypeName, bool) {
	name, ok := columnRefName(e.GetColumnRef())
	if !ok {
		return schema.TypeName{}, false
	}
	return types(name)
}

// columnRefName is the name a columnTypes looks a column reference up by:
// its one field, or new.x and old.x, the row a trigger's WHEN reads
// (triggerTypes answers for those; no table has a column they name, as
// no CHECK, index or policy can read new or old).
func columnRefName(cr *pg_query.ColumnRef) (string, bool) {
	if cr == nil || len(cr.Fields) == 0 || len(cr.Fields) > 2 {
		return "", false
	}
	last := cr.Fields[len(cr.Fields)-1].GetString_()
	if last == nil {
		return "", false
	}
	if len(cr.Fields) == 1 {
		return last.Sval, true
	}
	switch row := cr.Fields[0].GetString_().GetSval(); row {
	case "new", "old":
		return row + "." + last.Sval, true
	}
	return "", false
}

// bareConst returns the constant inside a cast that the server would have
// added itself when comparing it with a column of type col, so that both
// spellings print the same as pg_get_constraintdef (and pg_dump) prints
// them back:
//   - a string (or NULL) cast to the column's own type: 'x'::mood on an
//     enum column, '2020-01-01'::date on a date column ('x' compared with
//     the column is a constant of its type, printed with the cast);
//   - a string (or NULL) cast to text, where the operator takes text: t <> 'a'::text
//     on a text or varchar column, j ? 'a'::text on a jsonb one;
//   - a number the server coerces to the column's type, which it prints
//     cast: (0)::numeric on a numeric column, (0)::double precision on a
//     real or double precision one, ('-1'::integer)::numeric;
//   - a number printed as a string because it is negative or wider than an
//     integer: '-1'::integer, '-1.5'::numeric, '3000000000'::bigint.
//
// Spellings the server keeps apart stay apart: '1'::numeric (a numeric
// constant) is not (1)::numeric (an integer coerced), and 5::bigint on a
// bigint column is not 5 (bigint > integer is an operator of its own).
func bareConst(e *pg_query.Node, col schema.TypeName) *pg_query.Node {
	tc := e.GetTypeCast()
	if tc == nil || col.ArrayDims > 0 || len(tc.TypeName.ArrayBounds) > 0 || len(tc.TypeName.Typmods) > 0 {
		return nil
	}
	names := strs(tc.TypeName.Names)
	last := names[len(names)-1]
	target := builtinTarget(names)
	if c := tc.Arg.GetAConst(); c != nil && (c.GetSval() != nil || c.Isnull) {
		if n := numberLiteral(c.GetSval().GetSval(), target); n != nil {
			return n
		}
		switch {
		case col.Schema == "" && target != "" && target == col.Name && target != "character varying":
			// character varying has no operators of its own: the server
			// compares it as text, and keeps 'x'::character varying.
			return tc.Arg
		case col.Schema == "" && target == "text":
			return tc.Arg
		case col.Schema != "" && last == col.Name && (len(names) == 1 || names[0] == col.Schema):
			return tc.Arg
		}
		return nil
	}
	if col.Schema == "" && coerced(col.Name, target) {
		return number(tc.Arg)
	}
	return nil
}

// coerced reports whether the server casts a number compared with a column
// of type col to target itself: numeric and the floating-point types have
// no operators that take an integer, so 0 meets a numeric column as
// (0)::numeric; a cast to the column's own integer type is dropped.
func coerced(col, target string) bool {
	switch target {
	case "numeric":
		return col == "numeric"
	case "double precision":
		return col == "double precision" || col == "real"
	case "integer":
		return col == "integer"
	}
	return false
}

// number returns the number e stands for: an integer or decimal constant,
// or a string the server prints for one ('-1'::integer); nil otherwise.
func number(e *pg_query.Node) *pg_query.Node {
	if c := e.GetAConst(); c != nil && (c.GetIval() != nil || c.GetFval() != nil) {
		return e
	}
	tc := e.GetTypeCast()
	if tc == nil || len(tc.TypeName.ArrayBounds) > 0 || len(tc.TypeName.Typmods) > 0 {
		return nil
	}
	if s := tc.Arg.GetAConst().GetSval(); s != nil {
		return numberLiteral(s.Sval, builtinTarget(strs(tc.TypeName.Names)))
	}
	return nil
}

// builtinTarget is the canonical name of the built-in type a cast names
// (int4 or pg_catalog.int4 is integer), or "" for any other type.
func builtinTarget(names []string) string {
	if len(names) == 1 || (len(names) == 2 && names[0] == "pg_catalog") {
		return builtinTypes[names[len(names)-1]]
	}
	return ""
}

// numberLiteral returns the constant a number written bare parses to when
// the server prints that number as s cast to target, or nil when it does
// not: an integer ('-1'::integer; '5'::integer prints bare, as 5 does), an
// integer wider than 32 bits ('3000000000'::bigint), a decimal
// ('-1.5'::numeric; '1.5'::numeric prints bare). Other casts change the
// constant's type: '1'::numeric is a numeric constant, 1 an integer.
func numberLiteral(s, target string) *pg_query.Node {
	digits, dot := 0, false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' && i == 0:
		case r == '.' && !dot:
			dot = true
		default:
			return nil
		}
	}
	if digits == 0 {
		return nil
	}
	fval := &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{
		Val: &pg_query.A_Const_Fval{Fval: &pg_query.Float{Fval: s}}, Location: -1}}}
	_, err32 := strconv.ParseInt(s, 10, 32)
	_, err64 := strconv.ParseInt(s, 10, 64)
	switch {
	case target == "integer" && err32 == nil:
		v, _ := strconv.ParseInt(s, 10, 32)
		return pg_query.MakeAConstIntNode(v, -1)
	case target == "bigint" && err32 != nil && err64 == nil:
		return fval // pg_query keeps an integer past 32 bits as a Float
	case target == "numeric" && dot:
		return fval
	}
	return nil
}

// postWalk calls fn on every Node below and including n, children first.
func postWalk(n *pg_query.Node, fn func(*pg_query.Node)) {
	postWalkMessage(n.ProtoReflect(), fn)
}

// postWalkMessage is postWalk on the nodes under m, any node of a parse
// tree.
func postWalkMessage(m protoreflect.Message, fn func(*pg_query.Node)) {
	var visit func(m protoreflect.Message)
	visit = func(m protoreflect.Message) {
		if !m.IsValid() {
			return
		}
		eachChild(m, visit)
		if node, ok := m.Interface().(*pg_query.Node); ok {
			fn(node)
		}
	}
	visit(m)
}
