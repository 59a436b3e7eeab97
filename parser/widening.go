package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// arithOps are the arithmetic operators for which PostgreSQL has no
// operator mixing an integer with a numeric or float operand: it casts
// the narrower operand to the other's type and stores that cast.
var arithOps = map[string]bool{"+": true, "-": true, "*": true, "/": true}

// stripArithWidening folds the implicit casts the server adds to the
// narrower operand of an arithmetic expression: price * qty on a numeric
// price and an integer qty is stored as price * (qty)::numeric, qty * 2
// on a numeric column as ... * (2)::numeric, and pg_dump prints them back
// with the casts. Every spelling of one stored expression folds to one
// text: first each operand the server casts gets that cast (the server's
// form, determined by what was written), then a cast is dropped where the
// server adds it back, the right operand's first. Integers of different
// widths are left alone: int4 * int8 is an operator of its own, so a cast
// there is the user's.
func stripArithWidening(n *pg_query.Node, types columnTypes) {
	ae := n.GetAExpr()
	if ae == nil || ae.Kind != pg_query.A_Expr_Kind_AEXPR_OP || len(ae.Name) != 1 || ae.Lexpr == nil ||
		!arithOps[ae.Name[0].GetString_().GetSval()] {
		return
	}
	op := ae.Name[0].GetString_().GetSval()
	l, r := operandOf(ae.Lexpr, types), operandOf(ae.Rexpr, types)
	if !l.ok || !r.ok {
		return
	}
	res, err := arithType(op, l.eff(), r.eff())
	R := res.typ.Name
	if err != nil || numericRank[R] < numericRank["numeric"] {
		return
	}
	// The server casts an operand narrower than the result; real stays
	// real beside double precision (float48mul and its kin).
	castByServer := func(t string) bool { return t != R && !(R == "double precision" && t == "real") }
	narrower := func(o operand) bool { return castByServer(o.eff()) }
	for _, side := range []struct {
		o operand
		e **pg_query.Node
	}{{l, &ae.Lexpr}, {r, &ae.Rexpr}} {
		if !narrower(side.o) {
			continue
		}
		*side.e = castTo(*side.e, R)
	}
	l, r = operandOf(ae.Lexpr, types), operandOf(ae.Rexpr, types)
	if r.cast != "" && castByServer(r.typ) && sameArith(op, l.eff(), r.typ, R) {
		ae.Rexpr = ae.Rexpr.GetTypeCast().Arg
		r = operandOf(ae.Rexpr, types)
	}
	if l.cast != "" && castByServer(l.typ) && sameArith(op, l.typ, r.eff(), R) {
		ae.Lexpr = ae.Lexpr.GetTypeCast().Arg
	}
}

// sameArith reports whether l op r, as written, has type R and makes the
// server cast its operands narrower than R to R.
func sameArith(op, l, r, R string) bool {
	res, err := arithType(op, l, r)
	return err == nil && res.typ.Name == R
}

// castTo wraps e in a cast to the built-in type name.
func castTo(e *pg_query.Node, name string) *pg_query.Node {
	tn := &pg_query.TypeName{Location: -1}
	for _, part := range typeNameParts[name] {
		tn.Names = append(tn.Names, pg_query.MakeStrNode(part))
	}
	return &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{Arg: e, TypeName: tn, Location: -1}}}
}

// typeNameParts spells the types castTo casts to as the grammar does.
var typeNameParts = map[string][]string{
	"numeric": {"pg_catalog", "numeric"}, "real": {"pg_catalog", "float4"}, "double precision": {"pg_catalog", "float8"},
}

// operand is an arithmetic operand as operandOf sees it.
type operand struct {
	typ     string // its numeric type, before a widening cast around it
	cast    string // the built-in numeric type of that cast, "" for none
	isConst bool   // it is a constant (cast or not)
	ok      bool   // typ is known
}

// eff is the type the operand has, after its cast.
func (o operand) eff() string {
	if o.cast != "" {
		return o.cast
	}
	return o.typ
}

// operandOf types an arithmetic operand: a column of the table, an
// integer or decimal constant, either widened by a cast to a wider
// built-in numeric type, or a nested arithmetic expression.
func operandOf(e *pg_query.Node, types columnTypes) operand {
	if tc := e.GetTypeCast(); tc != nil && tc.TypeName != nil && len(tc.TypeName.ArrayBounds) == 0 && len(tc.TypeName.Typmods) == 0 {
		target := builtinTarget(strs(tc.TypeName.Names))
		inner := operandOf(tc.Arg, types)
		if numericRank[target] == 0 || !inner.ok || inner.cast != "" || numericRank[inner.typ] >= numericRank[target] {
			return operand{}
		}
		inner.cast = target
		return inner
	}
	switch x := e.Node.(type) {
	case *pg_query.Node_ColumnRef:
		t, ok := columnType(e, types)
		if !ok || t.Schema != "" || t.ArrayDims > 0 || numericRank[t.Name] == 0 {
			return operand{}
		}
		return operand{typ: t.Name, ok: true}
	case *pg_query.Node_AConst:
		if x.AConst.GetIval() == nil && x.AConst.GetFval() == nil {
			return operand{}
		}
		return operand{typ: constType(x.AConst).typ.Name, isConst: true, ok: true}
	case *pg_query.Node_AExpr:
		ae := x.AExpr
		if ae.Kind != pg_query.A_Expr_Kind_AEXPR_OP || len(ae.Name) != 1 || ae.Lexpr == nil || !arithOps[ae.Name[0].GetString_().GetSval()] {
			return operand{}
		}
		l, r := operandOf(ae.Lexpr, types), operandOf(ae.Rexpr, types)
		if !l.ok || !r.ok {
			return operand{}
		}
		res, err := arithType(ae.Name[0].GetString_().GetSval(), l.eff(), r.eff())
		if err != nil {
			return operand{}
		}
		return operand{typ: res.typ.Name, ok: true}
	}
	return operand{}
}
