package parser

import (
	"slices"

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

// addImplicitCasts writes into an index expression the casts PostgreSQL
// adds to the columns it passes to the schema's own functions, so that
// hot_rank(score, published) on an integer score is the index pg_dump
// prints as hot_rank((score)::numeric, published).
func (f *folder) addImplicitCasts(st *stmt, e *pg_query.Node, types columnTypes) {
	if e == nil {
		return
	}
	walk(e.ProtoReflect(), func(m protoreflect.Message) {
		fc, ok := m.Interface().(*pg_query.FuncCall)
		if !ok || fc.AggStar || fc.FuncVariadic {
			return
		}
		fn := f.userFunction(strs(fc.Funcname), len(fc.Args))
		if fn == nil {
			return
		}
		params := f.paramTypes(st, fn)
		for i, a := range fc.Args {
			cr := a.GetColumnRef()
			if cr == nil || i >= len(params) || isStar(cr) {
				continue
			}
			names := strs(cr.Fields)
			have, ok := types(names[len(names)-1])
			want := params[i]
			if !ok || have.Schema != "" || want.t.Schema != "" || have.ArrayDims+want.t.ArrayDims > 0 || !slices.Contains(implicitWidening[have.Name], want.t.Name) {
				continue
			}
			fc.Args[i] = &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{Arg: a, TypeName: want.node, Location: -1}}}
		}
	})
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

// paramTypes returns the input parameter types of a function of the schema.
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
