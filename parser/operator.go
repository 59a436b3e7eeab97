package parser

import (
	"errors"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/schema"
)

// operatorOptions are CREATE OPERATOR's options. Def lists function,
// arguments and flags in this order; the links and estimators are
// fields of their own.
var operatorOptions = []defOption{
	{"function", 'f'}, {"procedure", 'f'}, {"leftarg", 't'}, {"rightarg", 't'}, {"hashes", 'b'}, {"merges", 'b'},
	{"commutator", 'o'}, {"negator", 'o'}, {"restrict", 'f'}, {"join", 'f'},
}

// createOperator folds CREATE OPERATOR. Def is what PostgreSQL cannot
// alter, made canonical (names qualified, types canonical, PROCEDURE
// spelled FUNCTION) so that pg_dump's spelling and a hand-written one
// compare equal. COMMUTATOR and NEGATOR are kept on both operators, as
// PostgreSQL keeps them: the model does not depend on which statement
// named the link. Stmt is the user's tree without the links and the
// estimators, which a migration adds from the model.
func (f *folder) createOperator(st *stmt, ds *pg_query.DefineStmt) error {
	q, err := f.newName(st, ds.Defnames)
	if err != nil {
		return err
	}
	op := &schema.Operator{Name: q, Left: "NONE", Pos: st.pos}
	user := proto.Clone(ds).(*pg_query.DefineStmt)
	user.Defnames = []*pg_query.Node{pg_query.MakeStrNode(q.Schema), pg_query.MakeStrNode(q.Name)}
	var kept []*pg_query.Node
	opts := map[string]*pg_query.DefElem{}
	for _, n := range user.Definition {
		d := n.GetDefElem()
		name := strings.ToLower(d.GetDefname())
		if d == nil || findOption(operatorOptions, name) < 0 {
			return f.errorf(f.at(st, d.GetLocation()), "operator attribute %s not recognized", schema.QuoteIdent(d.GetDefname()))
		}
		if name == "procedure" {
			name = "function"
		}
		opts[name] = d
		switch name {
		case "commutator", "negator", "restrict", "join":
			continue
		}
		kept = append(kept, n)
	}
	user.Definition = kept
	if opts["function"] == nil {
		return f.errorf(st.pos, "operator function must be specified")
	}
	if opts["rightarg"] == nil {
		return f.errorf(st.pos, "operator argument types must be specified")
	}
	var def []string
	for _, name := range []string{"function", "leftarg", "rightarg", "hashes", "merges"} {
		d := opts[name]
		if d == nil {
			continue
		}
		kind := operatorOptions[findOption(operatorOptions, name)].kind
		v, err := f.aggregateOption(st, d, kind, &op.Funcs, &op.Types)
		if err != nil {
			return err
		}
		switch name {
		case "function":
			qualifyFuncArg(d, v)
			op.Func = qualifiedFuncName(v)
		case "leftarg":
			op.Left = v
		case "rightarg":
			op.Right = v
		}
		if kind == 'b' {
			if v == "true" {
				def = append(def, strings.ToUpper(name))
			}
			continue
		}
		def = append(def, strings.ToUpper(name)+" = "+v)
	}
	op.Def = strings.Join(def, ", ")
	for _, est := range []struct {
		name string
		to   *string
	}{{"restrict", &op.Restrict}, {"join", &op.Join}} {
		if d := opts[est.name]; d != nil {
			if *est.to, err = f.aggregateOption(st, d, 'f', &op.Funcs, &op.Types); err != nil {
				return err
			}
		}
	}
	key := op.Signature()
	if f.cat.Operators.Ops[key] != nil {
		return f.errorf(st.pos, "operator %s already exists", key)
	}
	if op.Stmt, err = deparse(&pg_query.Node{Node: &pg_query.Node_DefineStmt{DefineStmt: user}}); err != nil {
		return f.errorf(st.pos, "operator: %v", err)
	}
	if d := opts["commutator"]; d != nil {
		op.Commutator = f.operatorRef(opRefNames(d.Arg), op.Right, op.Left)
	}
	if d := opts["negator"]; d != nil {
		op.Negator = f.operatorRef(opRefNames(d.Arg), op.Left, op.Right)
	}
	f.cat.Operators.Ops[key] = op
	f.linkOperator(op)
	return nil
}

// linkOperator makes op's COMMUTATOR and NEGATOR links two-way, as
// PostgreSQL does: the other operator, if it exists, points back at op,
// and op takes the link of an operator created earlier that names it.
func (f *folder) linkOperator(op *schema.Operator) {
	key := op.Signature()
	if c := f.cat.Operators.Ops[op.Commutator]; c != nil && c.Commutator == "" {
		c.Commutator = key
	}
	if n := f.cat.Operators.Ops[op.Negator]; n != nil && n.Negator == "" {
		n.Negator = key
	}
	for _, k := range schema.SortedKeys(f.cat.Operators.Ops) {
		other := f.cat.Operators.Ops[k]
		if other.Commutator == key && op.Commutator == "" {
			op.Commutator = k
		}
		if other.Negator == key && op.Negator == "" {
			op.Negator = k
		}
	}
}

// opRefNames is the name list of COMMUTATOR = and NEGATOR = (a List of
// String nodes, or a TypeName when written as a word).
func opRefNames(n *pg_query.Node) []string {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_List:
		return strs(x.List.Items)
	case *pg_query.Node_TypeName:
		return strs(x.TypeName.Names)
	case *pg_query.Node_String_:
		return []string{x.String_.Sval}
	}
	return nil
}

// operatorRef resolves an operator that COMMUTATOR or NEGATOR names, of
// argument types left and right, to its Signature: qualified as written,
// else the first schema of the search path that has it, else the
// creation schema, where PostgreSQL makes a shell operator for it.
func (f *folder) operatorRef(names []string, left, right string) string {
	if len(names) == 2 {
		return schema.OperatorSignature(schema.QualifiedName{Schema: names[0], Name: names[1]}, left, right)
	}
	if len(names) != 1 {
		return ""
	}
	for _, s := range f.searchPath() {
		sig := schema.OperatorSignature(schema.QualifiedName{Schema: s, Name: names[0]}, left, right)
		if f.cat.Operators.Ops[sig] != nil {
			return sig
		}
	}
	return schema.OperatorSignature(schema.QualifiedName{Schema: f.creationSchema(), Name: names[0]}, left, right)
}

// operatorArg is an argument type of an operator's ObjectWithArgs:
// "NONE" for the empty node of a prefix operator's left side.
func (f *folder) operatorArg(st *stmt, n *pg_query.Node) (string, error) {
	tn := n.GetTypeName()
	if tn == nil {
		return "NONE", nil
	}
	return f.aggregateType(st, tn)
}

// findOperator returns the operator that DROP, COMMENT ON or ALTER
// OPERATOR names: qualified as written, else found on the search path.
func (f *folder) findOperator(st *stmt, owa *pg_query.ObjectWithArgs) (*schema.Operator, error) {
	if len(owa.Objargs) != 2 {
		return nil, f.errorf(st.pos, "missing argument: use NONE to denote the missing argument of a unary operator")
	}
	left, err := f.operatorArg(st, owa.Objargs[0])
	if err != nil {
		return nil, err
	}
	right, err := f.operatorArg(st, owa.Objargs[1])
	if err != nil {
		return nil, err
	}
	names := strs(owa.Objname)
	if len(names) == 1 {
		for _, s := range f.searchPath() {
			if op := f.cat.Operators.Ops[schema.OperatorSignature(schema.QualifiedName{Schema: s, Name: names[0]}, left, right)]; op != nil {
				return op, nil
			}
		}
		return nil, f.missingf(st.pos, "operator does not exist: %s(%s, %s)", names[0], left, right)
	}
	sig := schema.OperatorSignature(listName(owa.Objname), left, right)
	if op := f.cat.Operators.Ops[sig]; op != nil {
		return op, nil
	}
	return nil, f.missingf(st.pos, "operator does not exist: %s", sig)
}

// alterOperator folds ALTER OPERATOR ... SET (RESTRICT = ..., JOIN =
// ...), the options PostgreSQL 15 alters; NONE removes an estimator.
func (f *folder) alterOperator(st *stmt, as *pg_query.AlterOperatorStmt) error {
	op, err := f.findOperator(st, as.Opername)
	if err != nil {
		return err
	}
	restrict, join := op.Restrict, op.Join
	for _, n := range as.Options {
		d := n.GetDefElem()
		var to *string
		switch strings.ToLower(d.GetDefname()) {
		case "restrict":
			to = &restrict
		case "join":
			to = &join
		default:
			return f.errorf(f.at(st, d.GetLocation()), "operator attribute %s cannot be changed", schema.QuoteIdent(d.GetDefname()))
		}
		*to = ""
		if d.Arg.GetTypeName() != nil {
			if *to, err = f.aggregateOption(st, d, 'f', &op.Funcs, &op.Types); err != nil {
				return err
			}
		}
	}
	op.Restrict, op.Join = restrict, join
	return nil
}

// dropOperator folds DROP OPERATOR.
func (f *folder) dropOperator(st *stmt, owa *pg_query.ObjectWithArgs, missingOK, cascade bool) error {
	op, err := f.findOperator(st, owa)
	if err != nil {
		var miss *missingError
		if missingOK && errors.As(err, &miss) {
			return nil
		}
		return err
	}
	return f.removeOperator(st, op, cascade)
}

// removeOperator forgets op. PostgreSQL clears the links that other
// operators had to it; the operator classes that name it must go first
// (CASCADE drops them).
func (f *folder) removeOperator(st *stmt, op *schema.Operator, cascade bool) error {
	key := op.Signature()
	for _, ck := range schema.SortedKeys(f.cat.Operators.Classes) {
		c := f.cat.Operators.Classes[ck]
		if !slices.Contains(c.Ops, key) {
			continue
		}
		if !cascade {
			return f.errorf(st.pos, "cannot drop operator %s because operator class %s depends on it", key, ck)
		}
		f.removeOpClass(c)
	}
	for _, other := range f.cat.Operators.Ops {
		if other.Commutator == key {
			other.Commutator = ""
		}
		if other.Negator == key {
			other.Negator = ""
		}
	}
	delete(f.cat.Owners, op.Object())
	delete(f.cat.Operators.Ops, key)
	return nil
}

// dropOperatorsOf refuses DROP FUNCTION of an operator's function, or
// with CASCADE drops the operators that call it.
func (f *folder) dropOperatorsOf(st *stmt, fn *schema.Function, cascade bool) error {
	for _, k := range schema.SortedKeys(f.cat.Operators.Ops) {
		op := f.cat.Operators.Ops[k]
		if op == nil || op.Func != fn.Name || op.FuncArgs() != fn.Args {
			continue
		}
		if !cascade {
			return f.errorf(st.pos, "cannot drop function %s because operator %s depends on it", fn.Signature(), k)
		}
		if err := f.removeOperator(st, op, true); err != nil {
			return err
		}
	}
	return nil
}

func init() {
	obj := pg_query.ObjectType_OBJECT_OPERATOR
	registerKind("operator", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			define(obj): func(f *folder, st *stmt) error { return f.createOperator(st, st.node.GetDefineStmt()) },
			node[*pg_query.Node_AlterOperatorStmt](): func(f *folder, st *stmt) error {
				return f.alterOperator(st, st.node.GetAlterOperatorStmt())
			},
			on[*pg_query.Node_DropStmt](obj): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(o *pg_query.Node, missingOK, cascade bool) error {
					return f.dropOperator(st, o.GetObjectWithArgs(), missingOK, cascade)
				})
			},
			on[*pg_query.Node_CommentStmt](obj): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				op, err := f.findOperator(st, cs.Object.GetObjectWithArgs())
				if err != nil {
					return err
				}
				op.Comment = cs.Comment
				return nil
			},
			on[*pg_query.Node_AlterOwnerStmt](obj): func(f *folder, st *stmt) error {
				return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) {
					op, err := f.findOperator(st, as.Object.GetObjectWithArgs())
					if err != nil {
						return schema.Object{}, err
					}
					return op.Object(), nil
				})
			},
		},
	})
}
