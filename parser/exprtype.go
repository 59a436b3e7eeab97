package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// builtin is a pg_catalog type by its canonical name.
func builtin(name string) outCol { return outCol{typ: schema.TypeName{Name: name}} }

var (
	tBool     = builtin("boolean")
	tInt      = builtin("integer")
	tBigint   = builtin("bigint")
	tNumeric  = builtin("numeric")
	tDouble   = builtin("double precision")
	tText     = builtin("text")
	tInterval = builtin("interval")
	tTstz     = builtin("timestamp with time zone")
	tUnknown  = outCol{typ: schema.TypeName{Name: "text"}, unknown: true}
)

// numericRank orders the numeric types as PostgreSQL's implicit casts
// promote them.
var numericRank = map[string]int{"smallint": 1, "integer": 2, "bigint": 3, "numeric": 4, "real": 5, "double precision": 6}

// comparisons are operators that yield boolean whatever their operands.
var comparisons = strings.Fields(`= <> != < > <= >= ~ ~* !~ !~* ~~ ~~* !~~ !~~* @> <@ && ? ?| ?& @@ @? -|- << >> &< &> <<| |>> ^@`)

// funcResults are the result types of common built-in functions, whatever
// their arguments.
var funcResults = map[string]outCol{
	"count": tBigint, "row_number": tBigint, "rank": tBigint, "dense_rank": tBigint, "ntile": tInt,
	"bool_and": tBool, "bool_or": tBool, "every": tBool,
	"now": tTstz, "transaction_timestamp": tTstz, "statement_timestamp": tTstz, "clock_timestamp": tTstz,
	"to_timestamp": tTstz,
	"lower":        tText, "upper": tText, "initcap": tText, "concat": tText, "concat_ws": tText, "substr": tText,
	"substring": tText, "btrim": tText, "ltrim": tText, "rtrim": tText, "replace": tText, "md5": tText,
	"to_char": tText, "format": tText, "left": tText, "right": tText, "repeat": tText, "lpad": tText,
	"rpad": tText, "string_agg": tText, "array_to_string": tText, "split_part": tText, "translate": tText,
	"regexp_replace": tText, "quote_ident": tText, "quote_literal": tText, "encode": tText,
	"length": tInt, "char_length": tInt, "character_length": tInt, "octet_length": tInt, "strpos": tInt,
	"position": tInt, "array_length": tInt, "cardinality": tInt,
	"date_part": tDouble, "extract": tNumeric, "random": tDouble, "pi": tDouble,
	"age": tInterval, "justify_interval": tInterval, "make_interval": tInterval,
	"to_tsvector": builtin("tsvector"), "to_tsquery": builtin("tsquery"), "plainto_tsquery": builtin("tsquery"),
	"gen_random_uuid": builtin("uuid"), "to_jsonb": builtin("jsonb"), "jsonb_build_object": builtin("jsonb"),
	"jsonb_agg": builtin("jsonb"), "to_json": builtin("json"), "json_build_object": builtin("json"), "json_agg": builtin("json"),
	"current_setting": tText, "version": tText,
}

// exprType types one expression.
func (f *folder) exprType(st *stmt, n *pg_query.Node, sc *typeScope, depth int) (outCol, error) {
	if n == nil {
		return outCol{}, cannotType("an empty expression")
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_AConst:
		return constType(x.AConst), nil
	case *pg_query.Node_ColumnRef:
		return sc.column(x.ColumnRef)
	case *pg_query.Node_TypeCast:
		t, _, err := f.resolveType(st, x.TypeCast.TypeName)
		if err != nil {
			return outCol{}, err
		}
		return outCol{typ: t}, nil
	case *pg_query.Node_CollateClause:
		c, err := f.exprType(st, x.CollateClause.Arg, sc, depth)
		c.collation = collationName(x.CollateClause.Collname)
		return c, err
	case *pg_query.Node_BoolExpr, *pg_query.Node_NullTest, *pg_query.Node_BooleanTest:
		return tBool, nil
	case *pg_query.Node_AExpr:
		return f.opType(st, x.AExpr, sc, depth)
	case *pg_query.Node_FuncCall:
		return f.funcType(st, x.FuncCall, sc, depth)
	case *pg_query.Node_CaseExpr:
		var cs []outCol
		for _, w := range x.CaseExpr.Args {
			c, err := f.exprType(st, w.GetCaseWhen().Result, sc, depth)
			if err != nil {
				return outCol{}, err
			}
			cs = append(cs, c)
		}
		if x.CaseExpr.Defresult != nil {
			c, err := f.exprType(st, x.CaseExpr.Defresult, sc, depth)
			if err != nil {
				return outCol{}, err
			}
			cs = append(cs, c)
		}
		return f.commonOf(cs)
	case *pg_query.Node_CoalesceExpr:
		return f.listType(st, x.CoalesceExpr.Args, sc, depth)
	case *pg_query.Node_MinMaxExpr:
		return f.listType(st, x.MinMaxExpr.Args, sc, depth)
	case *pg_query.Node_AArrayExpr:
		c, err := f.listType(st, x.AArrayExpr.Elements, sc, depth)
		c.typ.ArrayDims, c.collation = 1, ""
		return c, err
	case *pg_query.Node_SubLink:
		return f.subLinkType(st, x.SubLink, sc, depth)
	case *pg_query.Node_SqlvalueFunction:
		return sqlValueType(x.SqlvalueFunction.Op), nil
	case *pg_query.Node_AIndirection:
		c, err := f.exprType(st, x.AIndirection.Arg, sc, depth)
		if err != nil {
			return c, err
		}
		for _, ind := range x.AIndirection.Indirection {
			ai := ind.GetAIndices()
			if ai == nil || c.typ.ArrayDims == 0 {
				return outCol{}, cannotType("a field selection")
			}
			if !ai.IsSlice {
				c.typ.ArrayDims = 0
			}
		}
		return c, nil
	case *pg_query.Node_GroupingFunc:
		return tInt, nil
	}
	return outCol{}, cannotType("an expression of kind %s", nodeKind(n))
}

func constType(c *pg_query.A_Const) outCol {
	switch {
	case c.Isnull:
		return tUnknown
	case c.GetIval() != nil:
		return tInt
	case c.GetFval() != nil:
		s := c.GetFval().Fval
		if strings.ContainsAny(s, ".eE") {
			return tNumeric
		}
		if len(strings.TrimLeft(s, "-")) <= 18 {
			return tBigint
		}
		return tNumeric
	case c.GetBoolval() != nil:
		return tBool
	case c.GetBsval() != nil:
		return builtin("bit")
	}
	return tUnknown
}

func sqlValueType(op pg_query.SQLValueFunctionOp) outCol {
	switch op {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return builtin("date")
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return builtin("time with time zone")
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return tTstz
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return builtin("time without time zone")
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return builtin("timestamp without time zone")
	}
	return builtin("name")
}

// listType is the common type of a list of expressions (COALESCE, GREATEST,
// ARRAY[...]).
func (f *folder) listType(st *stmt, args []*pg_query.Node, sc *typeScope, depth int) (outCol, error) {
	var cs []outCol
	for _, a := range args {
		c, err := f.exprType(st, a, sc, depth)
		if err != nil {
			return outCol{}, err
		}
		cs = append(cs, c)
	}
	return f.commonOf(cs)
}

func (f *folder) commonOf(cs []outCol) (outCol, error) {
	c, err := commonType(cs)
	return c, err
}

// commonType resolves the type of a UNION column, CASE, COALESCE or
// VALUES column as PostgreSQL's select_common_type does for the types the
// fold meets: untyped literals take the others' type (text when all are
// untyped), numeric types promote, of text and varchar the first wins, and a type
// modifier survives only when every input has the same.
func commonType(cs []outCol) (outCol, error) {
	var typed []outCol
	for _, c := range cs {
		if !c.unknown {
			typed = append(typed, c)
		}
	}
	if len(typed) == 0 {
		return tText, nil
	}
	out := typed[0]
	for _, c := range typed[1:] {
		a, b := out.typ, c.typ
		if a == b {
			continue
		}
		a.Mods, b.Mods = "", ""
		if a == b {
			out.typ.Mods = ""
			continue
		}
		if a.ArrayDims != b.ArrayDims || a.Schema != "" || b.Schema != "" {
			return outCol{}, cannotType("the common type of %s and %s", out.typ, c.typ)
		}
		switch {
		case numericRank[a.Name] > 0 && numericRank[b.Name] > 0:
			if numericRank[b.Name] > numericRank[a.Name] {
				out.typ = b
			} else {
				out.typ = a
			}
		case isStringType(a.Name) && isStringType(b.Name):
			// Each converts to the other implicitly: the first stays.
			out.typ = a
		case a.Name == "date" && isTimestamp(b.Name):
			out.typ = b
		case a.Name == "timestamp without time zone" && b.Name == "timestamp with time zone",
			b.Name == "timestamp without time zone" && a.Name == "timestamp with time zone":
			out.typ = schema.TypeName{Name: "timestamp with time zone", ArrayDims: a.ArrayDims}
		default:
			return outCol{}, cannotType("the common type of %s and %s", out.typ, c.typ)
		}
	}
	for _, c := range typed {
		if c.collation != out.collation {
			out.collation = ""
		}
	}
	out.unknown = false
	return out, nil
}

func isStringType(name string) bool {
	return name == "text" || name == "character varying" || name == "character"
}

// opType types an operator expression.
func (f *folder) opType(st *stmt, e *pg_query.A_Expr, sc *typeScope, depth int) (outCol, error) {
	switch e.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
	case pg_query.A_Expr_Kind_AEXPR_NULLIF:
		c, err := f.exprType(st, e.Lexpr, sc, depth)
		c.collation = ""
		return c, err
	default:
		// IN, LIKE, BETWEEN, IS DISTINCT FROM, ANY/ALL: comparisons.
		return tBool, nil
	}
	op := strs(e.Name)[len(e.Name)-1]
	if slices.Contains(comparisons, op) {
		return tBool, nil
	}
	r, err := f.exprType(st, e.Rexpr, sc, depth)
	if err != nil {
		return outCol{}, err
	}
	r.collation = ""
	if e.Lexpr == nil {
		if op == "-" || op == "+" || op == "@" {
			return r, nil
		}
		return outCol{}, cannotType("the prefix operator %s", op)
	}
	l, err := f.exprType(st, e.Lexpr, sc, depth)
	if err != nil {
		return outCol{}, err
	}
	l.collation = ""
	return binaryType(op, l, r)
}

// binaryType types l op r for arithmetic, date/time and concatenation.
func binaryType(op string, l, r outCol) (outCol, error) {
	if l.unknown && !r.unknown {
		l = r
	} else if r.unknown && !l.unknown {
		r = l
	}
	ln, rn := l.typ.Name, r.typ.Name
	if l.typ.ArrayDims > 0 || r.typ.ArrayDims > 0 {
		if op == "||" {
			t := l.typ
			if t.ArrayDims == 0 {
				t = r.typ
			}
			t.Mods = ""
			return outCol{typ: t}, nil
		}
		return outCol{}, cannotType("the operator %s on arrays", op)
	}
	switch {
	case op == "||":
		if ln == rn && (ln == "jsonb" || ln == "tsvector" || ln == "bytea" || ln == "tsquery") {
			return outCol{typ: schema.TypeName{Name: ln}}, nil
		}
		return tText, nil
	case numericRank[ln] > 0 && numericRank[rn] > 0 && strings.Contains("+-*/%^", op):
		return arithType(op, ln, rn)
	case isTimestamp(ln) && ln == rn && op == "-":
		return tInterval, nil
	case ln == "date" && rn == "date" && op == "-":
		return tInt, nil
	case isTimestamp(ln) && rn == "interval" && (op == "+" || op == "-"):
		return builtin(ln), nil
	case ln == "interval" && isTimestamp(rn) && op == "+":
		return builtin(rn), nil
	case ln == "date" && rn == "interval" && (op == "+" || op == "-"):
		return builtin("timestamp without time zone"), nil
	case ln == "date" && numericRank[rn] > 0 && numericRank[rn] <= 2 && (op == "+" || op == "-"):
		return builtin("date"), nil
	case ln == "interval" && rn == "interval" && (op == "+" || op == "-"):
		return tInterval, nil
	case ln == "interval" && numericRank[rn] > 0 && (op == "*" || op == "/"):
		return tInterval, nil
	}
	return outCol{}, cannotType("the operator %s %s %s", l.typ, op, r.typ)
}

// arithType is the type of l op r on numbers, as the server resolves the
// operator: two integers or numerics give the wider, real with real stays
// real, and a float with anything else is double precision (there is no
// mixed operator, and double precision is the preferred type).
func arithType(op, l, r string) (outCol, error) {
	lf, rf := numericRank[l] >= numericRank["real"], numericRank[r] >= numericRank["real"]
	switch {
	case op == "^":
		if l == "numeric" || r == "numeric" {
			return tNumeric, nil
		}
		return tDouble, nil
	case (lf || rf) && op == "%":
		return outCol{}, cannotType("the operator %s %% %s", l, r)
	case l == "real" && r == "real":
		return builtin("real"), nil
	case lf || rf:
		return tDouble, nil
	case numericRank[r] > numericRank[l]:
		return builtin(r), nil
	}
	return builtin(l), nil
}

func isTimestamp(name string) bool {
	return name == "timestamp without time zone" || name == "timestamp with time zone"
}

// funcType types a function call: aggregates whose type follows their
// argument, built-ins of fixed type, and the schema's own functions.
func (f *folder) funcType(st *stmt, fc *pg_query.FuncCall, sc *typeScope, depth int) (outCol, error) {
	names := strs(fc.Funcname)
	name := names[len(names)-1]
	builtinName := len(names) == 1 || names[0] == "pg_catalog"
	var args []outCol
	for _, a := range fc.Args {
		c, err := f.exprType(st, a, sc, depth)
		if err != nil {
			return outCol{}, err
		}
		c.collation = ""
		args = append(args, c)
	}
	if fn := f.userFunction(names, len(fc.Args)); fn != nil {
		return f.functionResult(st, fn)
	}
	if !builtinName {
		return outCol{}, cannotType("the function %s", strings.Join(names, "."))
	}
	if c, ok := funcResults[name]; ok {
		return c, nil
	}
	arg := func(i int) schema.TypeName {
		if i < len(args) {
			return args[i].typ
		}
		return schema.TypeName{}
	}
	switch name {
	case "sum":
		switch arg(0).Name {
		case "smallint", "integer":
			return tBigint, nil
		case "bigint", "numeric":
			return tNumeric, nil
		case "real", "double precision", "interval", "money":
			return outCol{typ: schema.TypeName{Name: arg(0).Name}}, nil
		}
	case "avg":
		switch arg(0).Name {
		case "smallint", "integer", "bigint", "numeric":
			return tNumeric, nil
		case "real", "double precision":
			return tDouble, nil
		case "interval":
			return tInterval, nil
		}
	case "max", "min", "abs", "floor", "ceil", "ceiling", "first_value", "last_value", "lag", "lead", "nth_value":
		if len(args) > 0 {
			c := args[0]
			if c.unknown {
				c = tText
			}
			if name == "abs" || name == "floor" || name == "ceil" || name == "ceiling" {
				c.typ.Mods = ""
			}
			return c, nil
		}
	case "round", "trunc":
		if len(args) == 1 && arg(0).Name == "double precision" {
			return tDouble, nil
		}
		return tNumeric, nil
	case "log", "ln", "exp", "power", "sqrt", "cbrt":
		for _, a := range args {
			if a.typ.Name == "numeric" {
				return tNumeric, nil
			}
		}
		return tDouble, nil
	case "array_agg":
		if len(args) == 1 {
			c := args[0]
			c.typ.ArrayDims = 1
			return c, nil
		}
	case "date_trunc":
		if len(args) >= 2 {
			return outCol{typ: schema.TypeName{Name: arg(1).Name}}, nil
		}
	}
	return outCol{}, cannotType("the function %s", name)
}

// userFunction finds the schema's function a call names, by name and
// argument count; nil when there is none or more than one.
func (f *folder) userFunction(names []string, nargs int) *schema.Function {
	var q schema.QualifiedName
	switch len(names) {
	case 1:
		q = qualify("", names[0])
	case 2:
		q = qualify(names[0], names[1])
	default:
		return nil
	}
	var found *schema.Function
	for _, fn := range f.cat.Functions {
		if fn.Name != q || fn.Kind != schema.KindFunction {
			continue
		}
		if !takesArgs(fn, nargs) {
			continue
		}
		if found != nil {
			return nil
		}
		found = fn
	}
	return found
}

// takesArgs reports whether a call with nargs arguments can be of fn: as
// many as it has parameters, or fewer when the rest have defaults (the
// server stores d('x'::text) for d(x text, y integer DEFAULT 1) called
// with 'x').
func takesArgs(fn *schema.Function, nargs int) bool {
	n := 0
	if fn.Args != "" {
		n = strings.Count(fn.Args, ",") + 1
	}
	if nargs >= n {
		return nargs == n
	}
	tree, err := pgdecode.Parse(fn.Params)
	if err != nil || len(tree.Stmts) != 1 {
		return false
	}
	defaults := 0
	for _, p := range tree.Stmts[0].Stmt.GetCreateFunctionStmt().GetParameters() {
		if p.GetFunctionParameter().GetDefexpr() != nil {
			defaults++
		}
	}
	return n-nargs <= defaults
}

// functionResult is the return type of a function of the schema.
func (f *folder) functionResult(st *stmt, fn *schema.Function) (outCol, error) {
	tree, err := pgdecode.Parse(fn.Params)
	if err != nil || len(tree.Stmts) != 1 {
		return outCol{}, cannotType("the function %s", fn.Signature())
	}
	cf := tree.Stmts[0].Stmt.GetCreateFunctionStmt()
	if cf == nil || cf.ReturnType == nil || cf.ReturnType.Setof {
		return outCol{}, cannotType("the function %s", fn.Signature())
	}
	for _, p := range cf.Parameters {
		if m := p.GetFunctionParameter().GetMode(); m == pg_query.FunctionParameterMode_FUNC_PARAM_OUT ||
			m == pg_query.FunctionParameterMode_FUNC_PARAM_TABLE || m == pg_query.FunctionParameterMode_FUNC_PARAM_INOUT {
			return outCol{}, cannotType("the function %s, which has OUT parameters", fn.Signature())
		}
	}
	t, _, err := f.resolveType(st, cf.ReturnType)
	if err != nil {
		return outCol{}, err
	}
	if t.Name == "record" || t.Name == "trigger" || t.Name == "void" {
		return outCol{}, cannotType("the function %s, which returns %s", fn.Signature(), t.Name)
	}
	return outCol{typ: t}, nil
}

// subLinkType types a subquery expression.
func (f *folder) subLinkType(st *stmt, sl *pg_query.SubLink, sc *typeScope, depth int) (outCol, error) {
	switch sl.SubLinkType {
	case pg_query.SubLinkType_EXPR_SUBLINK, pg_query.SubLinkType_ARRAY_SUBLINK:
		cols, err := f.queryColumns(st, sl.Subselect, sc, depth+1)
		if err != nil {
			return outCol{}, err
		}
		if len(cols) != 1 {
			return outCol{}, cannotType("a subquery that returns %d columns", len(cols))
		}
		c := cols[0]
		if c.unknown {
			c = tText
		}
		if sl.SubLinkType == pg_query.SubLinkType_ARRAY_SUBLINK {
			c.typ.ArrayDims = 1
		}
		return c, nil
	}
	return tBool, nil
}

// figureColname names an output column that has no AS, as PostgreSQL's
// FigureColname does.
func (f *folder) figureColname(n *pg_query.Node, sc *typeScope, depth int) string {
	if s := colnameOf(n, f, sc, depth); s != "" {
		return s
	}
	return "?column?"
}

func colnameOf(n *pg_query.Node, f *folder, sc *typeScope, depth int) string {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_ColumnRef:
		names := strs(x.ColumnRef.Fields)
		return names[len(names)-1]
	case *pg_query.Node_AIndirection:
		ind := x.AIndirection.Indirection
		if s := ind[len(ind)-1].GetString_(); s != nil {
			return s.Sval
		}
		return colnameOf(x.AIndirection.Arg, f, sc, depth)
	case *pg_query.Node_FuncCall:
		names := strs(x.FuncCall.Funcname)
		return names[len(names)-1]
	case *pg_query.Node_TypeCast:
		if s := colnameOf(x.TypeCast.Arg, f, sc, depth); s != "" {
			return s
		}
		names := strs(x.TypeCast.TypeName.Names)
		return names[len(names)-1]
	case *pg_query.Node_CollateClause:
		return colnameOf(x.CollateClause.Arg, f, sc, depth)
	case *pg_query.Node_CaseExpr:
		return "case"
	case *pg_query.Node_CoalesceExpr:
		return "coalesce"
	case *pg_query.Node_MinMaxExpr:
		if x.MinMaxExpr.Op == pg_query.MinMaxOp_IS_LEAST {
			return "least"
		}
		return "greatest"
	case *pg_query.Node_AArrayExpr:
		return "array"
	case *pg_query.Node_RowExpr:
		return "row"
	case *pg_query.Node_AExpr:
		if x.AExpr.Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif"
		}
	case *pg_query.Node_SqlvalueFunction:
		return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(x.SqlvalueFunction.Op.String(), "SVFOP_"), "_N"))
	case *pg_query.Node_SubLink:
		switch x.SubLink.SubLinkType {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists"
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array"
		case pg_query.SubLinkType_EXPR_SUBLINK:
			if sel := x.SubLink.Subselect.GetSelectStmt(); sel != nil && len(sel.TargetList) > 0 {
				rt := sel.TargetList[0].GetResTarget()
				if rt.Name != "" {
					return rt.Name
				}
				return colnameOf(rt.Val, f, sc, depth)
			}
		}
	case *pg_query.Node_GroupingFunc:
		return "grouping"
	}
	return ""
}

// nodeKind names a node's kind for messages: SubLink, RowExpr, ...
func nodeKind(n *pg_query.Node) string {
	if n == nil || n.Node == nil {
		return "none"
	}
	return strings.TrimPrefix(string(n.ProtoReflect().WhichOneof(n.ProtoReflect().Descriptor().Oneofs().Get(0)).Name()), "")
}
