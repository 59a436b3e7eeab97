package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// textOperators are the operators that have a (text, text) form. A string
// literal meeting a text operand under one of them is resolved as text
// (binary_oper_exact takes an unknown operand for the other's type), two
// literals are text as well (text is the preferred type of the string
// category), and the server stores and prints the literal cast:
// 'x' || t is 'x'::text || t, 'UT' || 'C' is 'UT'::text || 'C'::text.
var textOperators = map[string]bool{
	"=": true, "<>": true, "<": true, ">": true, "<=": true, ">=": true, "||": true,
	"~": true, "~*": true, "!~": true, "!~*": true, "~~": true, "!~~": true, "~~*": true, "!~~*": true,
	"^@": true,
}

// stripTextLiteralCasts drops, in node n whose children are done, the
// ::text cast of a string literal where the server resolves the bare
// literal to text itself, so that what was written and what the server
// prints are one text:
//   - an operand of a textOperators operator whose other operand is text
//     or a string literal ('false' <> (b AND c)::text);
//   - an argument of COALESCE whose other arguments are all text or
//     string literals (COALESCE(body, ”) on a text column);
//   - NULL::unknown, the server's print of a NULL nothing gives a type
//     (NULL IS NULL);
//   - a json path ('{a,b}'::text[]) under #>, #>> or #- on a json or
//     jsonb column (stripPathLiteralCast).
//
// TestTextLiteralsAgainstServer proves each rule.
func stripTextLiteralCasts(n *pg_query.Node, types columnTypes) {
	switch x := n.Node.(type) {
	case *pg_query.Node_TypeCast:
		if c := x.TypeCast.Arg.GetAConst(); c != nil && c.Isnull && castsTo(x.TypeCast, "unknown") {
			n.Node = x.TypeCast.Arg.Node
		}
	case *pg_query.Node_AExpr:
		stripPathLiteralCast(x.AExpr, types)
	}
	stripTextOperands(n, func(e *pg_query.Node) bool { return isText(e, types) })
}

// stripTextOperands drops, in node n, the ::text cast of each string
// literal operand of a textOperators operator or argument of COALESCE
// when every operand is text (as isText tells) or a string literal.
func stripTextOperands(n *pg_query.Node, isText func(*pg_query.Node) bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_AExpr:
		ae := x.AExpr
		if len(ae.Name) != 1 || !textOperators[ae.Name[0].GetString_().GetSval()] || ae.Lexpr == nil ||
			(ae.Kind != pg_query.A_Expr_Kind_AEXPR_OP && ae.Kind != pg_query.A_Expr_Kind_AEXPR_LIKE && ae.Kind != pg_query.A_Expr_Kind_AEXPR_ILIKE) {
			return
		}
		stripIfAllText([]*pg_query.Node{ae.Lexpr, ae.Rexpr}, isText)
	case *pg_query.Node_CoalesceExpr:
		stripIfAllText(x.CoalesceExpr.Args, isText)
	}
}

// pathOperators are the json and jsonb operators whose right operand is a
// path, text[]: #> and #>> (json and jsonb), #- (jsonb).
var pathOperators = map[string]bool{"#>": true, "#>>": true, "#-": true}

// stripPathLiteralCast drops the ::text[] cast of a string literal path
// under a pathOperators operator whose left operand is a json or jsonb
// column: the server resolves j #>> '{a,b}' to the only such operator and
// prints the literal cast, j #>> '{a,b}'::text[] (pg_dump's spelling).
func stripPathLiteralCast(ae *pg_query.A_Expr, types columnTypes) {
	if ae.Kind != pg_query.A_Expr_Kind_AEXPR_OP || len(ae.Name) != 1 || !pathOperators[ae.Name[0].GetString_().GetSval()] ||
		ae.Lexpr == nil || types == nil {
		return
	}
	if t, ok := columnType(ae.Lexpr, types); !ok || t.Schema != "" || t.ArrayDims != 0 || (t.Name != "json" && t.Name != "jsonb") {
		return
	}
	tc := ae.Rexpr.GetTypeCast()
	if tc == nil || !isStringLiteral(tc.Arg) || tc.TypeName == nil || len(tc.TypeName.Typmods) > 0 ||
		len(tc.TypeName.ArrayBounds) != 1 || builtinTarget(strs(tc.TypeName.Names)) != "text" {
		return
	}
	ae.Rexpr = tc.Arg
}

// stripIfAllText drops the ::text cast of each string literal in args
// when every one of args is text (isText) or a string literal.
func stripIfAllText(args []*pg_query.Node, isText func(*pg_query.Node) bool) {
	for _, a := range args {
		if !isText(a) && !isStringLiteral(a) {
			return
		}
	}
	for _, a := range args {
		if tc := a.GetTypeCast(); tc != nil && isStringLiteral(tc.Arg) && castsTo(tc, "text") {
			a.Node = tc.Arg.Node
		}
	}
}

// isText reports whether e is of type text by its text alone: a cast to
// text, a column of type text, or || of text and string literals (whose
// result is text).
func isText(e *pg_query.Node, types columnTypes) bool {
	switch x := e.Node.(type) {
	case *pg_query.Node_TypeCast:
		return castsTo(x.TypeCast, "text")
	case *pg_query.Node_ColumnRef:
		if types == nil {
			return false
		}
		t, ok := columnType(e, types)
		return ok && t.Schema == "" && t.Name == "text" && t.ArrayDims == 0
	case *pg_query.Node_AExpr:
		ae := x.AExpr
		if ae.Kind != pg_query.A_Expr_Kind_AEXPR_OP || len(ae.Name) != 1 || ae.Name[0].GetString_().GetSval() != "||" || ae.Lexpr == nil {
			return false
		}
		l, r := isText(ae.Lexpr, types), isText(ae.Rexpr, types)
		return l && r || l && isStringLiteral(ae.Rexpr) || r && isStringLiteral(ae.Lexpr) ||
			isStringLiteral(ae.Lexpr) && isStringLiteral(ae.Rexpr)
	}
	return false
}

// isStringLiteral reports whether e is a bare string constant ('x'), whose
// type the context decides.
func isStringLiteral(e *pg_query.Node) bool {
	return e.GetAConst().GetSval() != nil
}

// castsTo reports whether tc casts to the built-in type name (text,
// pg_catalog.text) without modifiers or array bounds.
func castsTo(tc *pg_query.TypeCast, name string) bool {
	if tc.TypeName == nil || len(tc.TypeName.Typmods) > 0 || len(tc.TypeName.ArrayBounds) > 0 || tc.TypeName.Setof {
		return false
	}
	names := strs(tc.TypeName.Names)
	return names[len(names)-1] == name && (len(names) == 1 || len(names) == 2 && names[0] == "pg_catalog")
}
