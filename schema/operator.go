package schema

import "strings"

// Operators holds the operators, operator classes and operator families
// that CREATE OPERATOR, CREATE OPERATOR CLASS and CREATE OPERATOR FAMILY
// made, in one field so that the Catalog struct grows by one line.
type Operators struct {
	// Ops are keyed by Operator.Signature.
	Ops map[string]*Operator
	// Classes and Families are keyed by their Signature: the name and
	// the index method, as DROP OPERATOR CLASS names them.
	Classes  map[string]*OpClass
	Families map[string]*OpFamily
}

// Operator is an operator created with CREATE OPERATOR. PostgreSQL
// identifies it by name and argument types; a prefix operator has no
// left argument.
type Operator struct {
	Name QualifiedName
	// Left and Right are the argument types, canonical ("text",
	// "public.mood"); Left is "NONE" for a prefix operator.
	Left, Right string
	OperatorDef
	// Stmt is the user's CREATE OPERATOR, deparsed from its own parse tree
	// with the names qualified and without COMMUTATOR and NEGATOR (a
	// migration adds them from the model). Not compared.
	Stmt string
	// Func is its function, qualified; Funcs the user functions it names
	// (its function, RESTRICT and JOIN estimators), Types the user types
	// of its arguments: created before it, dropped after it. Derived; not
	// compared.
	Func  QualifiedName
	Funcs []QualifiedName
	Types []QualifiedName
	Pos   Pos
}

// OperatorDef is what is compared about an operator.
type OperatorDef struct {
	// Def is the canonical text of what PostgreSQL 15 cannot alter: the
	// function qualified, the arguments, HASHES and MERGES, e.g.
	// "FUNCTION = public.ci_eq, LEFTARG = text, RIGHTARG = text, HASHES".
	Def string
	// Commutator and Negator are the Signatures of the operators that
	// COMMUTATOR and NEGATOR name, "" for none. PostgreSQL keeps the link
	// on both operators whichever statement named it, and so does the
	// model.
	Commutator, Negator string
	// Restrict and Join are the qualified estimator functions, "" for
	// none: ALTER OPERATOR ... SET changes them in place.
	Restrict, Join string
	Comment        string
}

// Signature is the operator's identity as DROP OPERATOR spells it:
// public.===(text, text), public.~~~(NONE, bigint).
func (o *Operator) Signature() string { return OperatorSignature(o.Name, o.Left, o.Right) }

// OperatorSignature is Operator.Signature of an operator named q with
// argument types left and right.
func OperatorSignature(q QualifiedName, left, right string) string {
	return QuoteIdent(q.Schema) + "." + q.Name + "(" + left + ", " + right + ")"
}

// FuncArgs are the argument types of the operator's function: those of
// the operator, without the NONE of a prefix operator.
func (o *Operator) FuncArgs() string {
	if o.Left == "NONE" {
		return o.Right
	}
	return o.Left + ", " + o.Right
}

// Object is the operator as owners and comments name it.
func (o *Operator) Object() Object {
	return Object{Kind: KindOperator, Name: QualifiedName{Name: o.Signature()}}
}

// OpClass is an operator class created with CREATE OPERATOR CLASS: how an
// index method uses a type. It belongs to a family (by default one of its
// own name, which CREATE OPERATOR CLASS makes when it does not exist).
type OpClass struct {
	Name   QualifiedName
	Method string
	OpClassDef
	// Stmt is the user's statement with the names qualified and FAMILY
	// spelled out. Not compared.
	Stmt string
	// Ops are the Signatures of the operators it names, Funcs its user
	// support functions, Types the user types: created before it.
	// Derived; not compared.
	Ops   []string
	Funcs []QualifiedName
	Types []QualifiedName
	Pos   Pos
}

// OpClassDef is what is compared about an operator class.
type OpClassDef struct {
	// Def is the canonical text after USING method: DEFAULT, the type,
	// the family and the members in a fixed order with every name
	// qualified. PostgreSQL cannot alter it.
	Def     string
	Comment string
}

// OpFamily is an operator family, created with CREATE OPERATOR FAMILY or
// by CREATE OPERATOR CLASS. Its members besides its classes' (ALTER
// OPERATOR FAMILY ... ADD) are not modelled: the parser refuses them.
type OpFamily struct {
	Name    QualifiedName
	Method  string
	Comment string
	Pos     Pos
}

// OpSignature is how DROP, COMMENT ON and ALTER name an operator class
// or family: public.ci_ops USING btree.
func OpSignature(q QualifiedName, method string) string {
	return q.String() + " USING " + QuoteIdent(method)
}

// Signature is the class's identity: name USING method.
func (c *OpClass) Signature() string { return OpSignature(c.Name, c.Method) }

// Signature is the family's identity: name USING method.
func (f *OpFamily) Signature() string { return OpSignature(f.Name, f.Method) }

// Object is the class as owners and comments name it.
func (c *OpClass) Object() Object {
	return Object{Kind: KindOpClass, Name: QualifiedName{Name: c.Signature()}}
}

// Object is the family as owners and comments name it.
func (f *OpFamily) Object() Object {
	return Object{Kind: KindOpFamily, Name: QualifiedName{Name: f.Signature()}}
}

func init() {
	Register(KindInfo{
		Noun:  "operator",
		Kinds: []Kind{KindOperator},
		Init: func(c *Catalog) {
			c.Operators = Operators{Ops: map[string]*Operator{}, Classes: map[string]*OpClass{}, Families: map[string]*OpFamily{}}
		},
		InSchema: func(c *Catalog, ns string) []Object {
			return sortedObjects(c.Operators.Ops, func(o *Operator) (QualifiedName, Object) { return o.Name, o.Object() }, ns)
		},
		Has: func(c *Catalog, o Object) bool { return c.Operators.Ops[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if op := c.Operators.Ops[o.Name.Name]; op != nil {
				return &op.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Operators.Ops, o.Name.Name) },
	})
	Register(KindInfo{
		Noun:  "operator class",
		Kinds: []Kind{KindOpClass},
		InSchema: func(c *Catalog, ns string) []Object {
			return sortedObjects(c.Operators.Classes, func(o *OpClass) (QualifiedName, Object) { return o.Name, o.Object() }, ns)
		},
		Has: func(c *Catalog, o Object) bool { return c.Operators.Classes[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if oc := c.Operators.Classes[o.Name.Name]; oc != nil {
				return &oc.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Operators.Classes, o.Name.Name) },
	})
	Register(KindInfo{
		Noun:  "operator family",
		Kinds: []Kind{KindOpFamily},
		InSchema: func(c *Catalog, ns string) []Object {
			return sortedObjects(c.Operators.Families, func(o *OpFamily) (QualifiedName, Object) { return o.Name, o.Object() }, ns)
		},
		Has: func(c *Catalog, o Object) bool { return c.Operators.Families[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if of := c.Operators.Families[o.Name.Name]; of != nil {
				return &of.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Operators.Families, o.Name.Name) },
	})
}

// OperatorName is the qualified name part of an Operator.Signature, as
// OPERATOR(...) takes it: public.===; ok is false for "" or text that is
// not a signature.
func OperatorName(sig string) (string, bool) {
	i := 0
	if strings.HasPrefix(sig, `"`) {
		// A quoted schema name: skip to its closing quote.
		for i = 1; i < len(sig); i++ {
			if sig[i] == '"' {
				if i+1 < len(sig) && sig[i+1] == '"' {
					i++
					continue
				}
				break
			}
		}
	}
	j := strings.IndexByte(sig[min(i, len(sig)):], '(')
	if sig == "" || j < 0 {
		return "", false
	}
	return sig[:i+j], true
}
