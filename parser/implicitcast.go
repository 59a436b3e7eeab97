package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// implicitWidening lists the implicit casts the server adds to a column
// passed to a function whose parameter has a wider type of the same kind:
// it stores the cast, and pg_dump prints it ((score)::numeric).
var implicitWidening = map[string][]string{
	"smallint":                    {"integer", "bigint", "numeric", "real", "double precision"},
	"integer":                     {"bigint", "numeric", "real", "double precision"},
	"bigint":                      {"numeric", "real", "double precision"},
	"numeric":                     {"real", "double precision"},
	"real":                        {"double precision"},
	"date":                        {"timestamp without time zone", "timestamp with time zone"},
	"timestamp without time zone": {"timestamp with time zone"},
}

// castUserCalls writes into the compared texts of defaults, generated
// columns, checks, policies, indexes, statistics, triggers' WHEN and
// domains the coercions the server stores in a call of one of the
// schema's own functions (castStored). It runs once every function is
// known: a text may call one declared further down the file. The user's
// texts are left as written. Only texts that mention a function name
// followed by "(" are parsed; run again on texts done, it adds nothing,
// which lets finishTouched pass the tables a file touched as only (nil:
// the whole catalog), the texts of the others being done.
func (f *folder) castUserCalls(only map[schema.QualifiedName]bool) {
	mentions := f.functionMentions()
	if mentions == nil {
		return
	}
	st := finishStmt()
	f.rewriteStoredTexts(mentions, true, only, func(m protoreflect.Message, at textPlace) {
		f.castStored(st, m, at)
	})
}

// castStored writes into an expression outside a view, in place, what
// castExpr writes into a view's: the server stores the same coercions in
// a default, a CHECK or an index as in a view's query (a string literal
// passed to f(x text) is f('x'::text), an integer column passed to a
// numeric parameter (n)::numeric). A string literal that meets text under
// a text operator, or in COALESCE, is left bare, as stripTextLiteralCasts
// leaves one meeting a text column: the server prints f(n) <> 'a'::text
// for f(n) <> 'a' when f returns text. Its text is told as castExpr tells
// it, or as a call of the schema's function, whatever its arguments.
func (f *folder) castStored(st *stmt, m protoreflect.Message, at textPlace) {
	if !m.IsValid() {
		return
	}
	sc := &typeScope{entries: at.entries}
	f.castIn(st, m, sc, 0)
	isText := func(e *pg_query.Node) bool {
		if isText(e, at.cols) || f.callsTextFunction(st, e) {
			return true
		}
		c, err := f.exprType(st, e, sc, 0)
		return err == nil && !c.unknown && c.typ == tText.typ
	}
	postWalkMessage(m, func(n *pg_query.Node) {
		// A cast castExpr wrote names its type as normalizeExpr does.
		if tc := n.GetTypeCast(); tc != nil && tc.TypeName != nil {
			tc.TypeName.Names = publicDropped(tc.TypeName.Names)
		}
		stripTextOperands(n, isText)
	})
}

// callsTextFunction reports whether e is a call of exactly one of the
// schema's functions, which returns text.
func (f *folder) callsTextFunction(st *stmt, e *pg_query.Node) bool {
	fc := e.GetFuncCall()
	if fc == nil {
		return false
	}
	fn := f.userFunction(strs(fc.Funcname), len(fc.Args))
	if fn == nil {
		return false
	}
	c, err := f.functionResult(st, fn)
	return err == nil && !c.unknown && c.typ == tText.typ
}

// paramType is a function parameter's type, resolved and as a node to
// cast to.
type paramType struct {
	t    schema.TypeName
	node *pg_query.TypeName
}

// callParamTypes returns the input parameter types of the schema's
// function that call fc names (userFunction); nil when it names none.
func (f *folder) callParamTypes(st *stmt, fc *pg_query.FuncCall) []schema.TypeName {
	if fc.FuncVariadic {
		return nil
	}
	fn := f.userFunction(strs(fc.Funcname), len(fc.Args))
	if fn == nil {
		return nil
	}
	var out []schema.TypeName
	for _, p := range f.paramTypes(st, fn) {
		out = append(out, p.t)
	}
	return out
}

// paramTypes returns the input parameter types of a function of the
// schema; none for a VARIADIC one.
func (f *folder) paramTypes(st *stmt, fn *schema.Function) []paramType {
	tree, err := pgdecode.Parse(fn.Params)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	var out []paramType
	for _, p := range tree.Stmts[0].Stmt.GetCreateFunctionStmt().GetParameters() {
		fp := p.GetFunctionParameter()
		switch fp.Mode {
		case pg_query.FunctionParameterMode_FUNC_PARAM_OUT, pg_query.FunctionParameterMode_FUNC_PARAM_TABLE:
			continue
		case pg_query.FunctionParameterMode_FUNC_PARAM_VARIADIC:
			// The server gathers the arguments from there into an
			// array: f('a') is f(VARIADIC ARRAY['a'::text]).
			return nil
		}
		t, _, err := f.resolveType(st, fp.ArgType)
		if err != nil {
			return nil
		}
		cast, err := pgdecode.Parse("SELECT NULL::" + t.String())
		if err != nil {
			return nil
		}
		tn := cast.Stmts[0].Stmt.GetSelectStmt().TargetList[0].GetResTarget().Val.GetTypeCast().TypeName
		unknownLocations(tn.ProtoReflect())
		out = append(out, paramType{t: t, node: tn})
	}
	return out
}

// sequenceRefs returns the sequences a query names in nextval, currval or
// setval by a constant: PostgreSQL resolves the name when it checks a
// LANGUAGE sql body, so the sequence must exist before the function.
func sequenceRefs(m protoreflect.Message) []schema.QualifiedName {
	var out []schema.QualifiedName
	walk(m, func(m protoreflect.Message) {
		fc, ok := m.Interface().(*pg_query.FuncCall)
		if !ok || len(fc.Args) == 0 {
			return
		}
		name := strs(fc.Funcname)
		switch name[len(name)-1] {
		case "nextval", "currval", "setval":
		default:
			return
		}
		if len(name) == 2 && name[0] != "pg_catalog" {
			return
		}
		arg := fc.Args[0]
		if tc := arg.GetTypeCast(); tc != nil {
			arg = tc.Arg
		}
		if c := arg.GetAConst(); c != nil && c.GetSval() != nil {
			if q, ok := parseQualified(c.GetSval().Sval); ok {
				out = appendName(out, q)
			}
		}
	})
	return out
}
