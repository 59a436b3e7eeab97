package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// eachChild calls fn on every message-valued field of m that is set (each
// element of a list of messages in turn), in the order the fields are
// declared in pg_query.proto.
//
// The order is fixed on purpose. protoreflect's Range promises none:
// protobuf-go swaps two neighbouring fields of each message type, chosen
// from a hash of the running binary, so that nobody relies on it. A walk
// through Range therefore visits children in an order that changes from one
// build to the next (CI's build differed from ours), and anything numbered
// in visiting order (protectSQLSyntax's placeholders) would change with it.
//
// walk, postWalk and protectSQLSyntax visit every node of every expression
// in a schema; going through reflection for each costs about as much as the
// rest of the fold (issue 7). The node types expressions are mostly made of
// are therefore visited field by field here, and every other type through
// the descriptor. TestEachChildInFieldOrder compares the two on every node
// of the test inputs.
func eachChild(m protoreflect.Message, fn func(protoreflect.Message)) {
	if fastChildren(m.Interface(), fn) {
		return
	}
	fieldChildren(m, fn)
}

// fieldChildren is eachChild through reflection.
func fieldChildren(m protoreflect.Message, fn func(protoreflect.Message)) {
	eachField(m, func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				fn(l.Get(i).Message())
			}
		case fd.Message() != nil && !fd.IsMap():
			fn(v.Message())
		}
		return true
	})
}

// eachField is protoreflect's Range in declaration order: fn is called on
// every populated field of m until it returns false.
func eachField(m protoreflect.Message, fn func(protoreflect.FieldDescriptor, protoreflect.Value) bool) {
	fds := m.Descriptor().Fields()
	for i, n := 0, fds.Len(); i < n; i++ {
		fd := fds.Get(i)
		if m.Has(fd) && !fn(fd, m.Get(fd)) {
			return
		}
	}
}

// nodeOneof is the oneof that every field of pg_query.Node belongs to.
var nodeOneof = (&pg_query.Node{}).ProtoReflect().Descriptor().Oneofs().Get(0)

// fastChildren is eachChild for the common node types; it returns false
// for any other type, having called fn on nothing.
func fastChildren(msg protoreflect.ProtoMessage, fn func(protoreflect.Message)) bool {
	node := func(n *pg_query.Node) {
		if n != nil {
			fn(n.ProtoReflect())
		}
	}
	nodes := func(ns []*pg_query.Node) {
		for _, n := range ns {
			fn(n.ProtoReflect())
		}
	}
	switch x := msg.(type) {
	case *pg_query.Node:
		if inner := nodeValue(x); inner != nil {
			fn(inner.ProtoReflect())
			break
		}
		// A node type nodeValue does not list: find the set member of the
		// oneof directly. Asking each of Node's 250-odd fields whether it
		// is set cost 7% of a cold generate.
		m := x.ProtoReflect()
		fd := m.WhichOneof(nodeOneof)
		if fd == nil {
			break
		}
		fn(m.Get(fd).Message())
	case *pg_query.String, *pg_query.Integer, *pg_query.Float, *pg_query.Boolean:
	case *pg_query.ColumnRef:
		nodes(x.Fields)
	case *pg_query.A_Const:
		switch v := x.Val.(type) {
		case nil:
		case *pg_query.A_Const_Ival:
			if v.Ival == nil {
				return false
			}
			fn(v.Ival.ProtoReflect())
		case *pg_query.A_Const_Sval:
			if v.Sval == nil {
				return false
			}
			fn(v.Sval.ProtoReflect())
		case *pg_query.A_Const_Boolval:
			if v.Boolval == nil {
				return false
			}
			fn(v.Boolval.ProtoReflect())
		default:
			return false
		}
	case *pg_query.A_Expr:
		nodes(x.Name)
		node(x.Lexpr)
		node(x.Rexpr)
	case *pg_query.FuncCall:
		if x.Over != nil {
			return false
		}
		nodes(x.Funcname)
		nodes(x.Args)
		nodes(x.AggOrder)
		node(x.AggFilter)
	case *pg_query.TypeCast:
		node(x.Arg)
		if x.TypeName != nil {
			fn(x.TypeName.ProtoReflect())
		}
	case *pg_query.TypeName:
		nodes(x.Names)
		nodes(x.Typmods)
		nodes(x.ArrayBounds)
	case *pg_query.BoolExpr:
		node(x.Xpr)
		nodes(x.Args)
	case *pg_query.NullTest:
		node(x.Xpr)
		node(x.Arg)
	case *pg_query.List:
		nodes(x.Items)
	case *pg_query.A_ArrayExpr:
		nodes(x.Elements)
	default:
		return false
	}
	return true
}

// nodeValue returns the message a Node holds, for the common types, and
// nil for the others.
func nodeValue(n *pg_query.Node) protoreflect.ProtoMessage {
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		return nonNil(x.ColumnRef)
	case *pg_query.Node_AConst:
		return nonNil(x.AConst)
	case *pg_query.Node_AExpr:
		return nonNil(x.AExpr)
	case *pg_query.Node_FuncCall:
		return nonNil(x.FuncCall)
	case *pg_query.Node_TypeCast:
		return nonNil(x.TypeCast)
	case *pg_query.Node_TypeName:
		return nonNil(x.TypeName)
	case *pg_query.Node_BoolExpr:
		return nonNil(x.BoolExpr)
	case *pg_query.Node_NullTest:
		return nonNil(x.NullTest)
	case *pg_query.Node_List:
		return nonNil(x.List)
	case *pg_query.Node_String_:
		return nonNil(x.String_)
	case *pg_query.Node_Integer:
		return nonNil(x.Integer)
	case *pg_query.Node_AArrayExpr:
		return nonNil(x.AArrayExpr)
	}
	return nil
}

// nonNil turns a nil message pointer into a nil interface.
func nonNil[T interface {
	*E
	protoreflect.ProtoMessage
}, E any](p T) protoreflect.ProtoMessage {
	if p == nil {
		return nil
	}
	return p
}
