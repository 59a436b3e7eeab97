package parser

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// fastDeparse prints the few node shapes that make up most of a large
// schema (a key on plain columns, an index on plain columns, a default that
// is a number, a boolean, a call without arguments or a string literal cast
// to a named type) the way pg_query's deparser does, without the round trip
// through protobuf and C that each deparse costs. ok is false for any other
// shape, which goes to the deparser.
//
// Each shape is checked field by field: anything set that the fast text
// does not print makes it decline. Tests run with checkDeparse on, which
// compares every fast text with the deparser's.
func fastDeparse(n *pg_query.Node) (s string, ok bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_AlterTableStmt:
		return fastKey(x.AlterTableStmt)
	case *pg_query.Node_IndexStmt:
		return fastIndex(x.IndexStmt)
	case *pg_query.Node_SelectStmt:
		sel := x.SelectStmt
		if len(sel.TargetList) != 1 || sel.FromClause != nil || sel.WhereClause != nil || sel.DistinctClause != nil ||
			sel.IntoClause != nil || sel.GroupClause != nil || sel.HavingClause != nil || sel.WindowClause != nil ||
			sel.ValuesLists != nil || sel.SortClause != nil || sel.LimitOffset != nil || sel.LimitCount != nil ||
			sel.LockingClause != nil || sel.WithClause != nil || sel.Larg != nil || sel.Rarg != nil ||
			(sel.Op != pg_query.SetOperation_SETOP_NONE && sel.Op != pg_query.SetOperation_SET_OPERATION_UNDEFINED) {
			return "", false
		}
		rt := sel.TargetList[0].GetResTarget()
		if rt == nil || rt.Name != "" || rt.Indirection != nil || rt.Val == nil {
			return "", false
		}
		if e, ok := fastExpr(rt.Val); ok {
			return "SELECT " + e, true
		}
		if e, ok := fastArith(rt.Val); ok {
			return "SELECT " + e, true
		}
	}
	return "", false
}

// fastKey is ALTER TABLE x ADD CONSTRAINT c PRIMARY KEY|UNIQUE (cols),
// as constraintDef builds it.
func fastKey(at *pg_query.AlterTableStmt) (string, bool) {
	if at.Relation == nil || at.Relation.Relname != "x" || at.Relation.Schemaname != "" || !at.Relation.Inh ||
		at.Relation.Alias != nil || at.Objtype != pg_query.ObjectType_OBJECT_TABLE || at.MissingOk || len(at.Cmds) != 1 {
		return "", false
	}
	cmd := at.Cmds[0].GetAlterTableCmd()
	if cmd == nil || cmd.Subtype != pg_query.AlterTableType_AT_AddConstraint || cmd.Name != "" || cmd.Newowner != nil ||
		cmd.MissingOk || cmd.Recurse || cmd.Def == nil {
		return "", false
	}
	c := cmd.Def.GetConstraint()
	if c == nil || c.Conname != "c" || c.Deferrable || c.Initdeferred || c.IsNoInherit || c.CookedExpr != "" ||
		c.GeneratedWhen != "" || c.NullsNotDistinct || c.Including != nil || c.Exclusions != nil ||
		c.Options != nil || c.Indexname != "" || c.Indexspace != "" || c.ResetDefaultTblspc || c.AccessMethod != "" ||
		c.WhereClause != nil || c.OldConpfeqop != nil || c.FkDelSetCols != nil || c.SkipValidation {
		return "", false
	}
	var body string
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE:
		if c.RawExpr != nil || c.Pktable != nil || c.FkAttrs != nil || c.PkAttrs != nil || len(c.Keys) == 0 {
			return "", false
		}
		cols, ok := identList(c.Keys)
		if !ok {
			return "", false
		}
		kind := "UNIQUE"
		if c.Contype == pg_query.ConstrType_CONSTR_PRIMARY {
			kind = "PRIMARY KEY"
		}
		body = kind + " (" + cols + ")"
	case pg_query.ConstrType_CONSTR_FOREIGN:
		var ok bool
		if body, ok = fastForeignKey(c); !ok {
			return "", false
		}
	case pg_query.ConstrType_CONSTR_CHECK:
		if c.RawExpr == nil || c.Keys != nil || c.Pktable != nil || c.FkAttrs != nil || c.PkAttrs != nil {
			return "", false
		}
		e, ok := fastBool(c.RawExpr)
		if !ok {
			return "", false
		}
		body = "CHECK (" + e + ")"
	default:
		return "", false
	}
	return constraintPrefix + body, true
}

// fastForeignKey is FOREIGN KEY (cols) REFERENCES [schema.]table [(cols)]
// [MATCH FULL] [ON UPDATE action] [ON DELETE action].
func fastForeignKey(c *pg_query.Constraint) (string, bool) {
	r := c.Pktable
	if r == nil || c.RawExpr != nil || c.Keys != nil || len(c.FkAttrs) == 0 || r.Relname == "" || r.Catalogname != "" ||
		!r.Inh || r.Alias != nil || (r.Schemaname != "" && !validIdent(r.Schemaname)) || !validIdent(r.Relname) {
		return "", false
	}
	from, ok := identList(c.FkAttrs)
	if !ok {
		return "", false
	}
	var b strings.Builder
	b.WriteString("FOREIGN KEY (")
	b.WriteString(from)
	b.WriteString(") REFERENCES ")
	if r.Schemaname != "" {
		b.WriteString(schema.QuoteIdent(r.Schemaname))
		b.WriteByte('.')
	}
	b.WriteString(schema.QuoteIdent(r.Relname))
	if len(c.PkAttrs) > 0 {
		to, ok := identList(c.PkAttrs)
		if !ok {
			return "", false
		}
		b.WriteString(" (")
		b.WriteString(to)
		b.WriteByte(')')
	}
	switch c.FkMatchtype {
	case "", "s":
	case "f":
		b.WriteString(" MATCH FULL")
	default:
		return "", false
	}
	for _, a := range [2]struct{ on, action string }{{"UPDATE", c.FkUpdAction}, {"DELETE", c.FkDelAction}} {
		switch a.action {
		case "", "a":
		case "r":
			b.WriteString(" ON " + a.on + " RESTRICT")
		case "c":
			b.WriteString(" ON " + a.on + " CASCADE")
		case "n":
			b.WriteString(" ON " + a.on + " SET NULL")
		case "d":
			b.WriteString(" ON " + a.on + " SET DEFAULT")
		default:
			return "", false
		}
	}
	return b.String(), true
}

// fastBool prints a CHECK expression made of comparisons, BETWEEN, LIKE
// and IS [NOT] NULL on plain operands (fastOperand), joined by one kind of
// AND or OR: the shapes of most CHECK constraints. Anything nested deeper
// is left to the deparser, whose parentheses follow rules of their own.
func fastBool(n *pg_query.Node) (string, bool) {
	if be := n.GetBoolExpr(); be != nil {
		var sep string
		switch be.Boolop {
		case pg_query.BoolExprType_AND_EXPR:
			sep = " AND "
		case pg_query.BoolExprType_OR_EXPR:
			sep = " OR "
		default:
			return "", false
		}
		if len(be.Args) < 2 {
			return "", false
		}
		parts := make([]string, len(be.Args))
		for i, a := range be.Args {
			p, ok := fastPredicate(a)
			if !ok {
				return "", false
			}
			parts[i] = p
		}
		return strings.Join(parts, sep), true
	}
	return fastPredicate(n)
}

// fastOperators are operators printed as written between their operands.
var fastOperators = map[string]bool{"=": true, "<>": true, "<": true, ">": true, "<=": true, ">=": true}

// fastPredicate prints one comparison, BETWEEN, LIKE or null test.
func fastPredicate(n *pg_query.Node) (string, bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_NullTest:
		nt := x.NullTest
		arg, ok := fastOperand(nt.Arg)
		if !ok || nt.Argisrow {
			return "", false
		}
		switch nt.Nulltesttype {
		case pg_query.NullTestType_IS_NULL:
			return arg + " IS NULL", true
		case pg_query.NullTestType_IS_NOT_NULL:
			return arg + " IS NOT NULL", true
		}
	case *pg_query.Node_AExpr:
		e := x.AExpr
		if len(e.Name) != 1 || e.Lexpr == nil || e.Rexpr == nil {
			return "", false
		}
		op := e.Name[0].GetString_().GetSval()
		l, ok := fastOperand(e.Lexpr)
		if !ok {
			return "", false
		}
		switch e.Kind {
		case pg_query.A_Expr_Kind_AEXPR_OP:
			r, ok := fastOperand(e.Rexpr)
			if !ok || !fastOperators[op] {
				return "", false
			}
			return l + " " + op + " " + r, true
		case pg_query.A_Expr_Kind_AEXPR_LIKE:
			r, ok := fastOperand(e.Rexpr)
			if !ok {
				return "", false
			}
			switch op {
			case "~~":
				return l + " LIKE " + r, true
			case "!~~":
				return l + " NOT LIKE " + r, true
			}
		case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN:
			bounds := e.Rexpr.GetList()
			if bounds == nil || len(bounds.Items) != 2 || op != strings.ToUpper(op) {
				return "", false
			}
			lo, ok1 := fastOperand(bounds.Items[0])
			hi, ok2 := fastOperand(bounds.Items[1])
			if !ok1 || !ok2 || (op != "BETWEEN" && op != "NOT BETWEEN") {
				return "", false
			}
			return l + " " + op + " " + lo + " AND " + hi, true
		}
	}
	return "", false
}

// fastArithOperators are the arithmetic operators fastArith prints.
var fastArithOperators = map[string]bool{"+": true, "-": true, "*": true, "/": true}

// fastArith prints one arithmetic operation on two plain operands
// (fastOperand), such as a generated column's price * quantity.
func fastArith(n *pg_query.Node) (string, bool) {
	e := n.GetAExpr()
	if e == nil || e.Kind != pg_query.A_Expr_Kind_AEXPR_OP || len(e.Name) != 1 || e.Lexpr == nil || e.Rexpr == nil {
		return "", false
	}
	op := e.Name[0].GetString_().GetSval()
	if !fastArithOperators[op] {
		return "", false
	}
	l, ok1 := fastOperand(e.Lexpr)
	r, ok2 := fastOperand(e.Rexpr)
	if !ok1 || !ok2 {
		return "", false
	}
	return l + " " + op + " " + r, true
}

// fastOperand prints a column name, a non-negative integer, a boolean, a
// string literal or a call of a plain function on such operands.
func fastOperand(n *pg_query.Node) (string, bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		if len(x.ColumnRef.Fields) != 1 {
			return "", false
		}
		s := x.ColumnRef.Fields[0].GetString_()
		if s == nil || !validIdent(s.Sval) {
			return "", false
		}
		return schema.QuoteIdent(s.Sval), true
	case *pg_query.Node_AConst:
		return fastExpr(n)
	case *pg_query.Node_FuncCall:
		fc := x.FuncCall
		if len(fc.Args) == 0 {
			return fastExpr(n)
		}
		if fc.AggOrder != nil || fc.AggFilter != nil || fc.Over != nil || fc.AggWithinGroup ||
			fc.AggStar || fc.AggDistinct || fc.FuncVariadic || fc.Funcformat != pg_query.CoercionForm_COERCE_EXPLICIT_CALL ||
			len(fc.Funcname) != 1 {
			return "", false
		}
		name := fc.Funcname[0].GetString_().GetSval()
		if !simpleIdent(name) {
			return "", false
		}
		args := make([]string, len(fc.Args))
		for i, a := range fc.Args {
			if a.GetFuncCall() != nil {
				return "", false
			}
			s, ok := fastOperand(a)
			if !ok {
				return "", false
			}
			args[i] = s
		}
		return name + "(" + strings.Join(args, ", ") + ")", true
	}
	return "", false
}

// validIdent reports whether s is a name the deparser prints through
// quote_identifier alone, as schema.QuoteIdent does.
func validIdent(s string) bool { return s != "" && !strings.ContainsRune(s, 0) }

// fastIndex is CREATE INDEX i ON schema.table USING method (elems)
// [WHERE pred], as indexDef builds it, for an index on plain columns or
// calls (fastOperand) with an optional one-word operator class, ASC/DESC
// and NULLS FIRST/LAST, and a predicate fastBool prints.
func fastIndex(n *pg_query.IndexStmt) (string, bool) {
	r := n.Relation
	if n.Idxname != "i" || r == nil || r.Schemaname == "" || !r.Inh || r.Alias != nil || r.Catalogname != "" ||
		n.AccessMethod == "" || n.TableSpace != "" || n.IndexIncludingParams != nil || n.Options != nil ||
		n.ExcludeOpNames != nil || n.Idxcomment != "" || n.IndexOid != 0 || n.Unique ||
		n.NullsNotDistinct || n.Primary || n.Isconstraint || n.Deferrable || n.Initdeferred || n.Transformed ||
		n.Concurrent || n.IfNotExists || n.ResetDefaultTblspc || len(n.IndexParams) == 0 || !simpleIdent(n.AccessMethod) {
		return "", false
	}
	var b strings.Builder
	b.WriteString(indexPrefix)
	b.WriteString(schema.QuoteIdent(r.Schemaname))
	b.WriteByte('.')
	b.WriteString(schema.QuoteIdent(r.Relname))
	b.WriteString(" USING ")
	b.WriteString(n.AccessMethod)
	b.WriteString(" (")
	for i, p := range n.IndexParams {
		ie := p.GetIndexElem()
		if ie == nil || ie.Indexcolname != "" || ie.Collation != nil || ie.Opclassopts != nil || len(ie.Opclass) > 1 {
			return "", false
		}
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case ie.Name != "" && ie.Expr == nil:
			b.WriteString(schema.QuoteIdent(ie.Name))
		case ie.Name == "" && ie.Expr != nil && ie.Expr.GetFuncCall() != nil:
			// A call is printed bare; other expressions get parentheses
			// by rules left to the deparser.
			e, ok := fastOperand(ie.Expr)
			if !ok {
				return "", false
			}
			b.WriteString(e)
		default:
			return "", false
		}
		if len(ie.Opclass) == 1 {
			oc := ie.Opclass[0].GetString_()
			if oc == nil || !simpleIdent(oc.Sval) {
				return "", false
			}
			b.WriteString(" " + oc.Sval)
		}
		switch ie.Ordering {
		case pg_query.SortByDir_SORTBY_DEFAULT:
		case pg_query.SortByDir_SORTBY_ASC:
			b.WriteString(" ASC")
		case pg_query.SortByDir_SORTBY_DESC:
			b.WriteString(" DESC")
		default:
			return "", false
		}
		switch ie.NullsOrdering {
		case pg_query.SortByNulls_SORTBY_NULLS_DEFAULT:
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			b.WriteString(" NULLS FIRST")
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			b.WriteString(" NULLS LAST")
		default:
			return "", false
		}
	}
	b.WriteByte(')')
	if n.WhereClause != nil {
		w, ok := fastBool(n.WhereClause)
		if !ok {
			return "", false
		}
		b.WriteString(" WHERE " + w)
	}
	return b.String(), true
}

// fastExpr prints a non-negative integer, a boolean, a string literal (no
// backslash), a string literal cast to one of fastTypes, or a call of a
// function on such arguments (none included).
func fastExpr(n *pg_query.Node) (string, bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_AConst:
		c := x.AConst
		if c.Isnull {
			return "", false
		}
		switch v := c.Val.(type) {
		case *pg_query.A_Const_Ival:
			if v.Ival.Ival >= 0 {
				return strconv.Itoa(int(v.Ival.Ival)), true
			}
		case *pg_query.A_Const_Boolval:
			return strconv.FormatBool(v.Boolval.Boolval), true
		case *pg_query.A_Const_Sval:
			return quoteString(v.Sval.Sval)
		}
	case *pg_query.Node_FuncCall:
		fc := x.FuncCall
		if fc.AggOrder != nil || fc.AggFilter != nil || fc.Over != nil || fc.AggWithinGroup ||
			fc.AggStar || fc.AggDistinct || fc.FuncVariadic || fc.Funcformat != pg_query.CoercionForm_COERCE_EXPLICIT_CALL {
			return "", false
		}
		// Arguments that are constants or casts of constants, such as a
		// serial's nextval('public.t_id_seq'::regclass).
		args := make([]string, len(fc.Args))
		for i, a := range fc.Args {
			if a.GetFuncCall() != nil {
				return "", false
			}
			s, ok := fastExpr(a)
			if !ok {
				return "", false
			}
			args[i] = s
		}
		names := strs(fc.Funcname)
		if len(names) == 0 || len(names) > 2 || len(names) != len(fc.Funcname) {
			return "", false
		}
		for i, s := range names {
			// pg_catalog functions and keyword-like names are printed
			// specially by the deparser; leave them to it.
			if !simpleIdent(s) || s == "pg_catalog" || (i == len(names)-1 && schema.QuoteIdent(s) != s) {
				return "", false
			}
		}
		return strings.Join(names, ".") + "(" + strings.Join(args, ", ") + ")", true
	case *pg_query.Node_TypeCast:
		tc := x.TypeCast
		c := tc.Arg.GetAConst()
		tn := tc.TypeName
		if c == nil || c.Isnull || tn == nil || len(tn.Names) != 1 || tn.Typmods != nil || tn.ArrayBounds != nil ||
			tn.Setof || tn.PctType || tn.TypeOid != 0 {
			return "", false
		}
		sv, ok := c.Val.(*pg_query.A_Const_Sval)
		typ := tn.Names[0].GetString_().GetSval()
		if !ok || !fastTypes[typ] {
			return "", false
		}
		lit, ok := quoteString(sv.Sval.Sval)
		if !ok {
			return "", false
		}
		return lit + "::" + typ, true
	}
	return "", false
}

// quoteString quotes a string literal as the deparser does, for strings
// without a backslash (which it writes as E'...').
func quoteString(v string) (string, bool) {
	if strings.ContainsRune(v, '\\') {
		return "", false
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'", true
}

// fastTypes are type names the deparser prints as written after ::.
var fastTypes = map[string]bool{"text": true, "jsonb": true, "json": true, "uuid": true, "regclass": true, "bytea": true, "inet": true, "date": true}

// simpleIdent reports whether s needs no quoting and is no keyword.
func simpleIdent(s string) bool {
	return s != "" && schema.QuoteIdent(s) == s && strings.IndexFunc(s, func(r rune) bool { return r == '$' }) < 0
}

// identList prints String nodes as a comma-separated list of identifiers.
func identList(nodes []*pg_query.Node) (string, bool) {
	var b strings.Builder
	for i, n := range nodes {
		s := n.GetString_()
		if s == nil || s.Sval == "" {
			return "", false
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(schema.QuoteIdent(s.Sval))
	}
	return b.String(), true
}
