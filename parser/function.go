package parser

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// pseudoTypes are pg_catalog types that only appear in function
// signatures.
var pseudoTypes = map[string]bool{
	"internal": true, "cstring": true, "anynonarray": true, "anyenum": true, "anyrange": true,
	"anymultirange": true, "anycompatible": true, "anycompatiblearray": true,
	"anycompatiblenonarray": true, "anycompatiblerange": true, "anycompatiblemultirange": true,
	"language_handler": true, "fdw_handler": true, "index_am_handler": true, "tsm_handler": true,
	"table_am_handler": true, "regnamespace": true, "int2vector": true,
}

// canonicalTypeNode resolves a type of a function signature to its
// canonical spelling and returns the relation it names when it is a row
// type of a table or view.
func (f *folder) canonicalTypeNode(st *stmt, tn *pg_query.TypeName) (*pg_query.TypeName, *schema.QualifiedName, error) {
	if tn == nil || tn.PctType {
		return tn, nil, nil
	}
	names := strs(tn.Names)
	if len(names) <= 2 && len(tn.Typmods) == 0 {
		q := listName(tn.Names)
		if len(names) == 2 || !pseudoTypes[names[0]] {
			if f.relationExists(q) {
				out := proto.Clone(tn).(*pg_query.TypeName)
				out.Names = []*pg_query.Node{pg_query.MakeStrNode(q.Schema), pg_query.MakeStrNode(q.Name)}
				out.Location = -1
				return out, &q, nil
			}
		}
	}
	if len(names) == 1 && pseudoTypes[names[0]] || len(names) == 2 && names[0] == "pg_catalog" {
		out := proto.Clone(tn).(*pg_query.TypeName)
		out.Location = -1
		return out, nil, nil
	}
	t, _, err := f.resolveType(st, tn)
	if err != nil {
		return nil, nil, err
	}
	tree, err := pgdecode.Parse("SELECT NULL::" + t.String())
	if err != nil {
		return nil, nil, f.errorf(st.pos, "type %s: %v", t, err)
	}
	out := tree.Stmts[0].Stmt.GetSelectStmt().TargetList[0].GetResTarget().Val.GetTypeCast().TypeName
	out.Setof = tn.Setof
	out.Location = -1
	return out, nil, nil
}

// isDefaultFuncOption reports whether a function option has its default
// value; such options are left out of the canonical text.
func isDefaultFuncOption(d *pg_query.DefElem, setof bool, lang string) bool {
	switch d.Defname {
	case "volatility":
		return d.Arg.GetString_().GetSval() == "volatile"
	case "strict", "security", "leakproof", "window":
		return !d.Arg.GetBoolean().GetBoolval()
	case "parallel":
		return d.Arg.GetString_().GetSval() == "unsafe"
	case "cost":
		v := numberArg(d.Arg)
		return (lang == "c" || lang == "internal") && v == "1" || lang != "c" && lang != "internal" && v == "100"
	case "rows":
		return setof && numberArg(d.Arg) == "1000"
	}
	return false
}

func numberArg(n *pg_query.Node) string {
	switch x := n.Node.(type) {
	case *pg_query.Node_Integer:
		return strconv.Itoa(int(x.Integer.Ival))
	case *pg_query.Node_Float:
		return x.Float.Fval
	}
	return ""
}

func (f *folder) createFunction(st *stmt, cf *pg_query.CreateFunctionStmt) error {
	q := listName(cf.Funcname)
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	n := proto.Clone(cf).(*pg_query.CreateFunctionStmt)
	n.Replace = true
	n.Funcname = []*pg_query.Node{pg_query.MakeStrNode(q.Schema), pg_query.MakeStrNode(q.Name)}
	refs, types, args, err := f.functionParams(st, n)
	if err != nil {
		return err
	}
	if n.ReturnType != nil {
		t, ref, err := f.canonicalTypeNode(st, n.ReturnType)
		if err != nil {
			return err
		}
		n.ReturnType = t
		if ref != nil {
			refs = appendName(refs, *ref)
		}
		types = appendName(types, userTypeName(t))
	}
	lang, body := "sql", ""
	setof := n.ReturnType != nil && n.ReturnType.Setof
	var opts []*pg_query.Node
	hasLang, hasAS := false, false
	for _, o := range n.Options {
		d := o.GetDefElem()
		switch d.Defname {
		case "language":
			lang, hasLang = strings.ToLower(d.Arg.GetString_().GetSval()), true
		case "as":
			hasAS = true
			if items := d.Arg.GetList().GetItems(); len(items) > 0 {
				body = items[0].GetString_().GetSval()
			}
		}
	}
	// As CreateFunction checks: only a SQL-standard body (RETURN, BEGIN
	// ATOMIC) implies LANGUAGE sql, and a routine needs a body.
	if n.SqlBody == nil && !hasLang {
		return f.errorf(st.pos, "no language specified: add LANGUAGE (and the body, AS '...')")
	}
	if n.SqlBody == nil && !hasAS {
		return f.errorf(st.pos, "no function body specified: add AS '...', or a RETURN or BEGIN ATOMIC body")
	}
	for _, o := range n.Options {
		d := o.GetDefElem()
		d.Location = -1
		if !isDefaultFuncOption(d, setof, lang) {
			opts = append(opts, o)
		}
	}
	slices.SortStableFunc(opts, func(a, b *pg_query.Node) int {
		return strings.Compare(a.GetDefElem().Defname, b.GetDefElem().Defname)
	})
	n.Options = opts
	// src is the user's statement with its names and types qualified and
	// its options in order: what a migration runs. n goes on to the form
	// compared.
	src := proto.Clone(n).(*pg_query.CreateFunctionStmt)
	if src.SqlBody != nil {
		f.expandStarsOnly(src.SqlBody)
	}
	for _, p := range n.Parameters {
		if fp := p.GetFunctionParameter(); fp.Defexpr != nil {
			normalizeExpr(fp.Defexpr, nil)
		}
	}
	var calls []schema.QualifiedName
	var bodyPath []string
	if lang == "sql" {
		var r queryRefs
		var seqs []schema.QualifiedName
		if n.SqlBody != nil {
			r = collectRefs(n.SqlBody.ProtoReflect())
			seqs = sequenceRefs(n.SqlBody.ProtoReflect())
			f.normalizeSQLBody(st, n)
		} else if tree, err := pgdecode.Parse(body); err == nil {
			own := routinePath(n.Options)
			if f.qualifyBody(tree.ProtoReflect(), own) && own == nil {
				bodyPath = slices.Clone(f.searchPath())
			}
			r = collectRefs(tree.ProtoReflect())
			seqs = sequenceRefs(tree.ProtoReflect())
		}
		refs = appendNames(refs, r.rels)
		refs = appendNames(refs, seqs)
		calls = r.funcs
	}
	def, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateFunctionStmt{CreateFunctionStmt: n}})
	if err != nil {
		return f.errorf(st.pos, "function: %v", err)
	}
	def = requoteBody(def, body)
	text, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateFunctionStmt{CreateFunctionStmt: src}})
	if err != nil {
		return f.errorf(st.pos, "function: %v", err)
	}
	text = requoteBody(text, body)
	sig := &pg_query.CreateFunctionStmt{IsProcedure: n.IsProcedure, Funcname: n.Funcname, Parameters: n.Parameters, ReturnType: n.ReturnType,
		Options: []*pg_query.Node{{Node: &pg_query.Node_DefElem{DefElem: &pg_query.DefElem{Defname: "language", Arg: pg_query.MakeStrNode("sql"), Location: -1}}}}}
	head, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateFunctionStmt{CreateFunctionStmt: sig}})
	if err != nil {
		return f.errorf(st.pos, "function: %v", err)
	}
	kind := schema.KindFunction
	if n.IsProcedure {
		kind = schema.KindProcedure
	}
	fn := &schema.Function{
		Name:        q,
		Args:        strings.Join(args, ", "),
		FunctionDef: schema.FunctionDef{Kind: kind, Def: def, Params: head},
		Refs:        refs,
		Calls:       calls,
		BodyPath:    bodyPath,
		Language:    lang,
		Src:         text,
		Types:       slices.DeleteFunc(types, func(q schema.QualifiedName) bool { return q == schema.QualifiedName{} }),
		Pos:         st.pos,
	}
	key := fn.Signature()
	if old := f.cat.Functions[key]; old != nil {
		if !cf.Replace {
			return f.errorf(st.pos, "function %s already exists with same argument types", key)
		}
		if old.Kind != kind {
			return f.errorf(st.pos, "cannot change routine kind of %s", key)
		}
		fn.Comment = old.Comment
	} else {
		f.cat.Privileges[defaultRoutinePrivilege(fn)] = &schema.Grant{Pos: st.pos}
	}
	f.cat.Functions[key] = fn
	return nil
}

// functionParams puts n's parameter types in canonical form, in place (their
// defaults stay as written), and returns the user types they name (refs,
// types) and the argument types of the function's signature, as PostgreSQL
// lists them.
func (f *folder) functionParams(st *stmt, n *pg_query.CreateFunctionStmt) (refs, types []schema.QualifiedName, args []string, err error) {
	for _, p := range n.Parameters {
		fp := p.GetFunctionParameter()
		t, ref, err := f.canonicalTypeNode(st, fp.ArgType)
		if err != nil {
			return nil, nil, nil, err
		}
		fp.ArgType = t
		if ref != nil {
			refs = appendName(refs, *ref)
		}
		types = appendName(types, userTypeName(t))
		if fp.Mode == pg_query.FunctionParameterMode_FUNC_PARAM_IN {
			fp.Mode = pg_query.FunctionParameterMode_FUNC_PARAM_DEFAULT
		}
	}
	args, err = signatureArgs(n)
	if err != nil {
		return nil, nil, nil, f.errorf(st.pos, "function argument: %v", err)
	}
	return refs, types, args, nil
}

// signatureArgs returns the argument types of the signature of n, whose
// parameter types are canonical, as PostgreSQL lists them: OUT and TABLE
// parameters left out.
func signatureArgs(n *pg_query.CreateFunctionStmt) ([]string, error) {
	var args []string
	for _, p := range n.Parameters {
		fp := p.GetFunctionParameter()
		switch fp.Mode {
		case pg_query.FunctionParameterMode_FUNC_PARAM_OUT, pg_query.FunctionParameterMode_FUNC_PARAM_TABLE:
			continue
		}
		ts, err := deparseType(fp.ArgType)
		if err != nil {
			return nil, err
		}
		if fp.Mode == pg_query.FunctionParameterMode_FUNC_PARAM_VARIADIC {
			ts = "VARIADIC " + ts
		}
		args = append(args, ts)
	}
	return args, nil
}

func deparseType(t *pg_query.TypeName) (string, error) {
	c := proto.Clone(t).(*pg_query.TypeName)
	c.Setof = false
	s, err := deparseExpr(&pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{
		Arg: &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Isnull: true}}}, TypeName: c}}})
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(s, "NULL::"), nil
}

func appendName(list []schema.QualifiedName, q schema.QualifiedName) []schema.QualifiedName {
	if slices.Contains(list, q) {
		return list
	}
	return append(list, q)
}

func appendNames(list []schema.QualifiedName, qs []schema.QualifiedName) []schema.QualifiedName {
	for _, q := range qs {
		list = appendName(list, q)
	}
	return list
}

// functionKey finds a function from an ObjectWithArgs (DROP FUNCTION,
// COMMENT ON FUNCTION). Without an argument list the name must be unique.
func (f *folder) functionKey(st *stmt, owa *pg_query.ObjectWithArgs) (string, error) {
	q := listName(owa.Objname)
	if owa.ArgsUnspecified {
		var found []string
		for k, fn := range f.cat.Functions {
			if fn.Name == q {
				found = append(found, k)
			}
		}
		switch len(found) {
		case 0:
			return "", f.missingf(st.pos, "function %s does not exist", q)
		case 1:
			return found[0], nil
		}
		return "", f.errorf(st.pos, "function name %s is not unique", q)
	}
	var args []string
	for _, a := range owa.Objargs {
		t, _, err := f.canonicalTypeNode(st, a.GetTypeName())
		if err != nil {
			return "", err
		}
		s, err := deparseType(t)
		if err != nil {
			return "", f.errorf(st.pos, "function argument: %v", err)
		}
		args = append(args, s)
	}
	// OUT arguments are not part of the identity; pg_query keeps the full
	// parameter list in ObjfuncArgs.
	if len(owa.Objfuncargs) > 0 {
		args = args[:0]
		for _, p := range owa.Objfuncargs {
			fp := p.GetFunctionParameter()
			if fp == nil || fp.Mode == pg_query.FunctionParameterMode_FUNC_PARAM_OUT {
				continue
			}
			t, _, err := f.canonicalTypeNode(st, fp.ArgType)
			if err != nil {
				return "", err
			}
			s, err := deparseType(t)
			if err != nil {
				return "", f.errorf(st.pos, "function argument: %v", err)
			}
			if fp.Mode == pg_query.FunctionParameterMode_FUNC_PARAM_VARIADIC {
				s = "VARIADIC " + s
			}
			args = append(args, s)
		}
	}
	key := (&schema.Function{Name: q, Args: strings.Join(args, ", ")}).Signature()
	if f.cat.Functions[key] == nil {
		return key, f.missingf(st.pos, "function %s does not exist", key)
	}
	return key, nil
}

func (f *folder) dropFunction(st *stmt, owa *pg_query.ObjectWithArgs, missingOK, cascade bool) error {
	key, err := f.functionKey(st, owa)
	if err != nil {
		var miss *missingError
		if missingOK && errors.As(err, &miss) {
			return nil
		}
		return err
	}
	fn := f.cat.Functions[key]
	for _, tn := range schema.SortedTriggers(f.cat.Triggers) {
		if f.cat.Triggers[tn].Function == fn.Name && fn.Args == "" {
			if !cascade {
				return f.errorf(st.pos, "cannot drop function %s because trigger %s on %s depends on it", key, schema.QuoteIdent(tn.Name), tn.Table)
			}
			delete(f.cat.Triggers, tn)
		}
	}
	if err := f.dropEventTriggersOf(st, fn, cascade); err != nil {
		return err
	}
	if err := f.dropOperatorsOf(st, fn, cascade); err != nil {
		return err
	}
	delete(f.cat.Functions, key)
	f.dropRoutinePrivileges(key)
	return nil
}

// requoteBody quotes the body in a function's deparsed definition with a
// tag of its own where the deparser's quoting does not hold it: the
// deparser writes $$body$$ (a string literal if the body holds $$), and a
// body that ends in $ then runs into the closing quote ($$SELECT $$$ reads
// back as SELECT followed by a stray $).
func requoteBody(def, body string) string {
	// closes reports whether tag, put after body, is the first tag in it.
	closes := func(tag string) bool { return strings.Index(body+tag, tag) == len(body) }
	old := "$$" + body + "$$"
	if strings.Contains(body, "$$") || closes("$$") || !strings.Contains(def, old) {
		return def
	}
	tag := "$ddlmig$"
	for i := 1; !closes(tag); i++ {
		tag = "$ddlmig" + strconv.Itoa(i) + "$"
	}
	return strings.Replace(def, old, tag+body+tag, 1)
}

// userTypeName returns the name of a schema-qualified type outside
// pg_catalog, or the zero name.
func userTypeName(t *pg_query.TypeName) schema.QualifiedName {
	if t == nil {
		return schema.QualifiedName{}
	}
	names := strs(t.Names)
	if len(names) != 2 || names[0] == "pg_catalog" {
		return schema.QualifiedName{}
	}
	return schema.QualifiedName{Schema: names[0], Name: names[1]}
}

// Functions and procedures fold from apply's switch (DROP FUNCTION and
// ROUTINE reach aggregates too).
func init() { registerKind("function", kindParser{}) }
