package parser

import (
	"errors"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/internal/pgdecode"

	"github.com/ddlmig/ddlmig/schema"
)

// aggregateOptions are the options of CREATE AGGREGATE in the order the
// canonical text lists them, with how each value is made canonical.
// defOption is an option of a CREATE statement written name = value, and
// the kind of value aggregateOption reads: 'f' function, 't' type, 'n'
// number, 's' string, 'w' word, 'b' flag, 'o' operator ('n' is a name for
// range types).
type defOption struct {
	name string
	kind byte
}

// findOption returns the index of option name in opts, or -1.
func findOption(opts []defOption, name string) int {
	return slices.IndexFunc(opts, func(o defOption) bool { return o.name == name })
}

// qualifyFuncArg writes fn, an option's function as aggregateOption
// resolved it, into the user's tree where it was written unqualified.
func qualifyFuncArg(d *pg_query.DefElem, fn string) {
	if items := d.Arg.GetTypeName().GetNames(); len(items) == 1 && fn != "" {
		fq := qualifiedFuncName(fn)
		d.Arg = &pg_query.Node{Node: &pg_query.Node_TypeName{TypeName: &pg_query.TypeName{
			Names: []*pg_query.Node{pg_query.MakeStrNode(fq.Schema), pg_query.MakeStrNode(fq.Name)}, Typemod: -1, Location: -1}}}
	}
}

// newName resolves the name a CREATE statement gives its object (a
// one-part name goes to the creation schema of the search path) and checks
// that its schema exists.
func (f *folder) newName(st *stmt, names []*pg_query.Node) (schema.QualifiedName, error) {
	q := listName(names)
	if len(names) == 1 {
		q.Schema = f.creationSchema()
	}
	if f.cat.Schemas[q.Schema] == nil {
		return q, f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	return q, nil
}

var aggregateOptions = []defOption{
	{"sfunc", 'f'}, {"stype", 't'}, {"sspace", 'n'}, {"finalfunc", 'f'}, {"finalfunc_extra", 'b'},
	{"finalfunc_modify", 'w'}, {"combinefunc", 'f'}, {"serialfunc", 'f'}, {"deserialfunc", 'f'},
	{"initcond", 's'}, {"msfunc", 'f'}, {"minvfunc", 'f'}, {"mstype", 't'}, {"msspace", 'n'},
	{"mfinalfunc", 'f'}, {"mfinalfunc_extra", 'b'}, {"mfinalfunc_modify", 'w'}, {"minitcond", 's'},
	{"sortop", 'o'}, {"parallel", 'w'}, {"hypothetical", 'b'},
}

// createAggregate folds CREATE AGGREGATE, in the new form (name(args)
// (options), with ORDER BY for an ordered-set aggregate) and the old one
// (name (BASETYPE = type, options)). The options are made canonical so
// that pg_dump's spelling and a hand-written one compare equal: function
// names qualified (an unqualified one resolves on the search path, else
// to pg_catalog), types canonical, keys lower case in a fixed order,
// defaults left out. What a migration runs is the user's own statement
// (Aggregate.Stmt).
func (f *folder) createAggregate(st *stmt, ds *pg_query.DefineStmt) error {
	q, err := f.newName(st, ds.Defnames)
	if err != nil {
		return err
	}
	user := proto.Clone(ds).(*pg_query.DefineStmt)
	user.Defnames = []*pg_query.Node{pg_query.MakeStrNode(q.Schema), pg_query.MakeStrNode(q.Name)}
	user.Replace = false
	a := &schema.Aggregate{Name: q, Pos: st.pos}
	var argDef string
	orderedSet := false
	if ds.Oldstyle {
		var base *pg_query.TypeName
		for _, n := range ds.Definition {
			if d := n.GetDefElem(); d != nil && strings.EqualFold(d.Defname, "basetype") {
				base = d.Arg.GetTypeName()
			}
		}
		if base == nil {
			return f.errorf(st.pos, "aggregate input type must be specified")
		}
		t, err := f.aggregateType(st, base)
		if err != nil {
			return err
		}
		a.Args, argDef = t, t
		if t == `"any"` {
			a.Args, argDef = "*", "*"
		}
		a.Types = appendName(a.Types, f.aggUserType(st, base))
	} else {
		var err error
		a.Args, argDef, orderedSet, err = f.aggregateArgs(st, ds.Args, &a.Types)
		if err != nil {
			return err
		}
	}
	opts := map[string]string{}
	for _, n := range user.Definition {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		name := strings.ToLower(d.Defname)
		if name == "basetype" && ds.Oldstyle {
			continue
		}
		i := findOption(aggregateOptions, name)
		if i < 0 {
			return f.errorf(f.at(st, d.Location), "aggregate attribute %s not recognized", schema.QuoteIdent(d.Defname))
		}
		v, err := f.aggregateOption(st, d, aggregateOptions[i].kind, &a.Funcs, &a.Types)
		if err != nil {
			return err
		}
		if aggregateOptions[i].kind == 'f' {
			qualifyFuncArg(d, v)
		}
		opts[name] = v
	}
	if opts["sfunc"] == "" || opts["stype"] == "" {
		return f.errorf(st.pos, "aggregate sfunc and stype must be specified")
	}
	defaults := map[string]string{"sspace": "0", "msspace": "0", "parallel": "unsafe", "finalfunc_extra": "false",
		"mfinalfunc_extra": "false", "hypothetical": "false", "finalfunc_modify": "read_only", "mfinalfunc_modify": "read_only"}
	if orderedSet {
		defaults["finalfunc_modify"] = "read_write"
	}
	var parts []string
	for _, o := range aggregateOptions {
		v, ok := opts[o.name]
		if !ok || v == defaults[o.name] {
			continue
		}
		switch o.kind {
		case 'b':
			parts = append(parts, o.name)
		default:
			parts = append(parts, o.name+" = "+v)
		}
	}
	a.Def = "(" + argDef + ") (" + strings.Join(parts, ", ") + ")"
	// The user's tree, with the aggregate's and its functions' names
	// qualified (the loop above wrote them into its DefElems).
	stmtText, err := deparse(&pg_query.Node{Node: &pg_query.Node_DefineStmt{DefineStmt: user}})
	if err != nil {
		return f.errorf(st.pos, "aggregate: %v", err)
	}
	a.Stmt = stmtText
	key := a.Signature()
	if f.cat.Aggregates[key] != nil || f.cat.Functions[(&schema.Function{Name: q, Args: a.FlatArgs()}).Signature()] != nil {
		if ds.Replace && f.cat.Aggregates[key] != nil {
			a.Comment = f.cat.Aggregates[key].Comment
		} else {
			return f.errorf(st.pos, "function %s already exists with same argument types", key)
		}
	}
	if f.cat.Aggregates[key] == nil {
		// What PostgreSQL grants on a routine it creates (see
		// defaultRoutinePrivilege).
		f.cat.Privileges[schema.Privilege{Object: a.Object(), Grantee: schema.PublicGrantee, Privilege: "EXECUTE"}] = &schema.Grant{Pos: st.pos}
	}
	f.cat.Aggregates[key] = a
	return nil
}

// moveAggregatePrivileges moves the privileges of aggregate object from
// to object to, or forgets them when to is the zero object.
func (f *folder) moveAggregatePrivileges(from, to schema.Object) {
	for k, g := range f.cat.Privileges {
		if k.Object != from {
			continue
		}
		delete(f.cat.Privileges, k)
		if to != (schema.Object{}) {
			k.Object = to
			f.cat.Privileges[k] = g
		}
	}
}

// aggregateArgs reads the argument list of the new form: the identity
// arguments (types only), the canonical list with names, and whether the
// aggregate is an ordered-set one.
func (f *folder) aggregateArgs(st *stmt, args []*pg_query.Node, types *[]schema.QualifiedName) (ident, def string, ordered bool, err error) {
	if len(args) != 2 {
		return "", "", false, f.errorf(st.pos, "unsupported CREATE AGGREGATE argument list")
	}
	direct := int(args[1].GetInteger().GetIval())
	items := args[0].GetList().GetItems()
	if len(items) == 0 && direct < 0 {
		return "*", "*", false, nil
	}
	var ids, defs []string
	for i, n := range items {
		fp := n.GetFunctionParameter()
		if fp == nil {
			return "", "", false, f.errorf(st.pos, "unsupported CREATE AGGREGATE argument")
		}
		t, err := f.aggregateType(st, fp.ArgType)
		if err != nil {
			return "", "", false, err
		}
		*types = appendName(*types, f.aggUserType(st, fp.ArgType))
		if fp.Mode == pg_query.FunctionParameterMode_FUNC_PARAM_VARIADIC {
			t = "VARIADIC " + t
		}
		d := t
		if fp.Name != "" {
			d = schema.QuoteIdent(fp.Name) + " " + t
		}
		sep := ", "
		if i == direct && direct >= 0 {
			sep = " ORDER BY "
			if i == 0 {
				sep = "ORDER BY "
			}
		}
		if i == 0 && sep == ", " {
			sep = ""
		}
		ids = append(ids, sep+t)
		defs = append(defs, sep+d)
	}
	return strings.Join(ids, ""), strings.Join(defs, ""), direct >= 0, nil
}

// aggregateType is a type of an aggregate's signature or state, canonical.
func (f *folder) aggregateType(st *stmt, tn *pg_query.TypeName) (string, error) {
	t, _, err := f.canonicalTypeNode(st, tn)
	if err != nil {
		return "", err
	}
	s, err := deparseType(t)
	if err != nil {
		return "", f.errorf(st.pos, "aggregate type: %v", err)
	}
	if t.Setof {
		return "", f.errorf(st.pos, "aggregate type cannot be SETOF")
	}
	return s, nil
}

// aggUserType is the user type tn names, or the zero name.
func (f *folder) aggUserType(st *stmt, tn *pg_query.TypeName) schema.QualifiedName {
	t, _, err := f.canonicalTypeNode(st, tn)
	if err != nil {
		return schema.QualifiedName{}
	}
	return userTypeName(t)
}

// aggregateOption returns the canonical value of one option of CREATE
// AGGREGATE, recording the functions and types it names.
func (f *folder) aggregateOption(st *stmt, d *pg_query.DefElem, kind byte, funcs, types *[]schema.QualifiedName) (string, error) {
	bad := func() (string, error) {
		return "", f.errorf(f.at(st, d.Location), "unsupported value of aggregate attribute %s", d.Defname)
	}
	switch kind {
	case 'b':
		if d.Arg == nil {
			return "true", nil
		}
		switch x := d.Arg.Node.(type) {
		case *pg_query.Node_Boolean:
			if x.Boolean.Boolval {
				return "true", nil
			}
			return "false", nil
		case *pg_query.Node_TypeName, *pg_query.Node_String_:
			switch strings.ToLower(wordArg(d.Arg)) {
			case "true", "on", "yes", "1":
				return "true", nil
			case "false", "off", "no", "0":
				return "false", nil
			}
		case *pg_query.Node_Integer:
			if x.Integer.Ival == 0 {
				return "false", nil
			}
			return "true", nil
		}
		return bad()
	case 'f':
		names := strs(d.Arg.GetTypeName().GetNames())
		if len(names) == 0 || len(names) > 2 {
			return bad()
		}
		fq := f.aggregateFunc(names)
		if fq.Schema != "pg_catalog" {
			*funcs = appendName(*funcs, fq)
		}
		return fq.String(), nil
	case 't':
		tn := d.Arg.GetTypeName()
		if tn == nil {
			return bad()
		}
		*types = appendName(*types, f.aggUserType(st, tn))
		return f.aggregateType(st, tn)
	case 'n':
		if v := numberArg(d.Arg); v != "" {
			return v, nil
		}
		return bad()
	case 's':
		switch x := d.Arg.GetNode().(type) {
		case *pg_query.Node_String_:
			return schema.QuoteLiteral(x.String_.Sval), nil
		case *pg_query.Node_Integer, *pg_query.Node_Float:
			return schema.QuoteLiteral(numberArg(d.Arg)), nil
		case *pg_query.Node_TypeName:
			return schema.QuoteLiteral(wordArg(d.Arg)), nil
		}
		return bad()
	case 'w':
		if v := wordArg(d.Arg); v != "" {
			return strings.ToLower(v), nil
		}
		return bad()
	case 'o':
		var parts []string
		switch x := d.Arg.GetNode().(type) {
		case *pg_query.Node_List:
			parts = strs(x.List.Items)
		case *pg_query.Node_TypeName:
			parts = strs(x.TypeName.Names)
		case *pg_query.Node_String_:
			parts = []string{x.String_.Sval}
		}
		switch len(parts) {
		case 1:
			return "OPERATOR(pg_catalog." + parts[0] + ")", nil
		case 2:
			return "OPERATOR(" + schema.QuoteIdent(parts[0]) + "." + parts[1] + ")", nil
		}
		return bad()
	}
	return bad()
}

// wordArg is the one-word value of an option (PARALLEL = safe).
func wordArg(n *pg_query.Node) string {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_TypeName:
		if names := strs(x.TypeName.Names); len(names) == 1 {
			return names[0]
		}
	case *pg_query.Node_String_:
		return x.String_.Sval
	}
	return ""
}

// aggregateFunc resolves a function name of CREATE AGGREGATE: qualified as
// written, else the first schema of the search path that holds a function
// of that name, else pg_catalog.
func (f *folder) aggregateFunc(names []string) schema.QualifiedName {
	if len(names) == 2 {
		return schema.QualifiedName{Schema: names[0], Name: names[1]}
	}
	for _, s := range f.searchPath() {
		q := schema.QualifiedName{Schema: s, Name: names[0]}
		for _, fn := range f.cat.Functions {
			if fn.Name == q {
				return q
			}
		}
	}
	return schema.QualifiedName{Schema: "pg_catalog", Name: names[0]}
}

// qualifiedFuncName splits the canonical text of a qualified function
// name back into its parts.
func qualifiedFuncName(s string) schema.QualifiedName {
	sch, name, _ := strings.Cut(s, ".")
	return schema.QualifiedName{Schema: unquote(sch), Name: unquote(name)}
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

// aggregateKey finds an aggregate from the ObjectWithArgs of DROP, COMMENT
// and ALTER AGGREGATE, whose argument list does not tell direct from
// aggregated arguments. Without an argument list the name must be unique.
func (f *folder) aggregateKey(st *stmt, owa *pg_query.ObjectWithArgs) (string, error) {
	q := listName(owa.Objname)
	if len(owa.Objname) == 1 {
		for _, s := range f.searchPath() {
			if f.hasAggregateNamed(schema.QualifiedName{Schema: s, Name: q.Name}) {
				q.Schema = s
				break
			}
		}
	}
	var found []string
	if owa.ArgsUnspecified {
		for k, a := range f.cat.Aggregates {
			if a.Name == q {
				found = append(found, k)
			}
		}
		if len(found) > 1 {
			return "", f.errorf(st.pos, "function name %s is not unique", q)
		}
	} else {
		var args []string
		params := owa.Objfuncargs
		if len(params) == 0 {
			for _, t := range owa.Objargs {
				params = append(params, &pg_query.Node{Node: &pg_query.Node_FunctionParameter{FunctionParameter: &pg_query.FunctionParameter{ArgType: t.GetTypeName()}}})
			}
		}
		for _, p := range params {
			fp := p.GetFunctionParameter()
			if fp == nil || fp.Mode == pg_query.FunctionParameterMode_FUNC_PARAM_OUT {
				continue
			}
			s, err := f.aggregateType(st, fp.ArgType)
			if err != nil {
				return "", err
			}
			if fp.Mode == pg_query.FunctionParameterMode_FUNC_PARAM_VARIADIC {
				s = "VARIADIC " + s
			}
			args = append(args, s)
		}
		flat := strings.Join(args, ", ")
		for k, a := range f.cat.Aggregates {
			if a.Name == q && a.FlatArgs() == flat {
				found = append(found, k)
			}
		}
		if len(found) == 0 {
			return "", f.missingf(st.pos, "aggregate %s(%s) does not exist", q, flat)
		}
	}
	if len(found) == 0 {
		return "", f.missingf(st.pos, "aggregate %s does not exist", q)
	}
	return found[0], nil
}

func (f *folder) hasAggregateNamed(q schema.QualifiedName) bool {
	for _, a := range f.cat.Aggregates {
		if a.Name == q {
			return true
		}
	}
	return false
}

// dropAggregate folds DROP AGGREGATE.
func (f *folder) dropAggregate(st *stmt, owa *pg_query.ObjectWithArgs, missingOK bool) error {
	key, err := f.aggregateKey(st, owa)
	if err != nil {
		var miss *missingError
		if missingOK && errors.As(err, &miss) {
			return nil
		}
		return err
	}
	f.moveAggregatePrivileges(f.cat.Aggregates[key].Object(), schema.Object{})
	delete(f.cat.Aggregates, key)
	return nil
}

// commentAggregate folds COMMENT ON AGGREGATE.
func (f *folder) commentAggregate(st *stmt, cs *pg_query.CommentStmt) error {
	key, err := f.aggregateKey(st, cs.Object.GetObjectWithArgs())
	if err != nil {
		return err
	}
	f.cat.Aggregates[key].Comment = cs.Comment
	return nil
}

// aggregateOwner finds the object of ALTER AGGREGATE ... OWNER TO.
func (f *folder) aggregateOwner(st *stmt, as *pg_query.AlterOwnerStmt) (schema.Object, error) {
	key, err := f.aggregateKey(st, as.Object.GetObjectWithArgs())
	if err != nil {
		return schema.Object{}, err
	}
	return f.cat.Aggregates[key].Object(), nil
}

// renameAggregate folds ALTER AGGREGATE ... RENAME TO.
func (f *folder) renameAggregate(st *stmt, rs *pg_query.RenameStmt) error {
	key, err := f.aggregateKey(st, rs.Object.GetObjectWithArgs())
	if err != nil {
		return err
	}
	q := f.cat.Aggregates[key].Name
	return f.followRoutine(st, key, schema.QualifiedName{Schema: q.Schema, Name: truncIdent(rs.Newname)})
}

// moveAggregate re-keys aggregate key under name nq (RENAME TO, SET
// SCHEMA, ALTER SCHEMA ... RENAME TO) with its owner and privileges; the
// statement it was created with is deparsed again under the new name.
func (f *folder) moveAggregate(st *stmt, key string, nq schema.QualifiedName) error {
	a := *f.cat.Aggregates[key]
	a.Name = nq
	nkey := a.Signature()
	if f.cat.Aggregates[nkey] != nil || f.cat.Functions[(&schema.Function{Name: a.Name, Args: a.FlatArgs()}).Signature()] != nil {
		return f.errorf(st.pos, "function %s already exists in schema %s", a.Signature(), schema.QuoteIdent(a.Name.Schema))
	}
	tree, err := pgdecode.Parse(a.Stmt)
	if err != nil || len(tree.Stmts) != 1 || tree.Stmts[0].Stmt.GetDefineStmt() == nil {
		return f.errorf(st.pos, "aggregate %s: cannot rename", key)
	}
	ds := tree.Stmts[0].Stmt.GetDefineStmt()
	ds.Defnames = []*pg_query.Node{pg_query.MakeStrNode(a.Name.Schema), pg_query.MakeStrNode(a.Name.Name)}
	if a.Stmt, err = deparse(tree.Stmts[0].Stmt); err != nil {
		return f.errorf(st.pos, "aggregate: %v", err)
	}
	if o, ok := f.cat.Owners[f.cat.Aggregates[key].Object()]; ok {
		delete(f.cat.Owners, f.cat.Aggregates[key].Object())
		f.cat.Owners[a.Object()] = o
	}
	f.moveAggregatePrivileges(f.cat.Aggregates[key].Object(), a.Object())
	delete(f.cat.Aggregates, key)
	f.cat.Aggregates[nkey] = &a
	return nil
}

func init() {
	registerKind("aggregate", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			define(pg_query.ObjectType_OBJECT_AGGREGATE): func(f *folder, st *stmt) error {
				return f.createAggregate(st, st.node.GetDefineStmt())
			},
			on[*pg_query.Node_DropStmt](pg_query.ObjectType_OBJECT_AGGREGATE): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(obj *pg_query.Node, missingOK, _ bool) error {
					return f.dropAggregate(st, obj.GetObjectWithArgs(), missingOK)
				})
			},
			on[*pg_query.Node_CommentStmt](pg_query.ObjectType_OBJECT_AGGREGATE): func(f *folder, st *stmt) error {
				return f.commentAggregate(st, st.node.GetCommentStmt())
			},
			on[*pg_query.Node_AlterOwnerStmt](pg_query.ObjectType_OBJECT_AGGREGATE): func(f *folder, st *stmt) error {
				return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) { return f.aggregateOwner(st, as) })
			},
			on[*pg_query.Node_RenameStmt](pg_query.ObjectType_OBJECT_AGGREGATE): func(f *folder, st *stmt) error {
				return f.renameAggregate(st, st.node.GetRenameStmt())
			},
		},
	})
}
