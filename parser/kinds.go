package parser

import (
	"fmt"
	"reflect"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// kindParser is what the parser knows of one set of objects of the model
// (schema.KindInfo, by its Noun): the statements that fold into it and how
// it goes when its schema is dropped with CASCADE. Each set registers one
// from its own file with registerKind, so that a new kind of object is a
// new file here and not cases in apply, drop and DROP SCHEMA;
// TestEveryKindParsed fails for a set without one.
type kindParser struct {
	// stmts are the statements the set's file folds, by statement and
	// object type. A statement shared by several sets (DROP TYPE names an
	// enum, composite or range type) stays in apply's switch.
	stmts map[stmtKey]func(f *folder, st *stmt) error
	// dropCascade removes o, an object of the set, with what depends on it,
	// for DROP SCHEMA ... CASCADE; nil when the set's KindInfo.Remove does
	// or its objects go with their relation.
	dropCascade func(f *folder, st *stmt, o schema.Object)
	// dropFirst drops the set's objects before any other's in DROP SCHEMA
	// ... CASCADE (views read tables).
	dropFirst bool
	// objType and schemaOf qualify a one-part name after DROP, COMMENT ON
	// or ALTER ... RENAME of objType with the schema that has it; nil
	// when the search path does not matter or the set's file qualifies it.
	objType  pg_query.ObjectType
	schemaOf func(f *folder, name string) string
}

// stmtKey is a statement's node type and, for statements that name one,
// its object type (CREATE COLLATION and CREATE AGGREGATE are both a
// DefineStmt).
type stmtKey struct {
	node reflect.Type
	obj  pg_query.ObjectType
}

var (
	kindParsers  = map[string]*kindParser{}
	stmtHandlers = map[stmtKey]func(f *folder, st *stmt) error{}
	qualifiers   = map[pg_query.ObjectType]func(f *folder, name string) string{}
)

// registerKind adds the parser of the set named noun. It is called from
// init functions and panics on a statement claimed twice.
func registerKind(noun string, kp kindParser) {
	if kindParsers[noun] != nil {
		panic(fmt.Sprintf("parser: %s registered twice", noun))
	}
	kindParsers[noun] = &kp
	for k, fn := range kp.stmts {
		if stmtHandlers[k] != nil {
			panic(fmt.Sprintf("parser: %s claims statement %v taken already", noun, k))
		}
		stmtHandlers[k] = fn
	}
	if kp.schemaOf != nil {
		qualifiers[kp.objType] = kp.schemaOf
	}
}

// node is the key of a statement of node type T (*pg_query.Node_CreateRangeStmt).
func node[T any]() stmtKey { return stmtKey{node: reflect.TypeFor[T]()} }

// define is the key of CREATE obj as a DefineStmt (collations, aggregates).
func define(obj pg_query.ObjectType) stmtKey {
	return stmtKey{node: reflect.TypeFor[*pg_query.Node_DefineStmt](), obj: obj}
}

// on is the key of a statement of node type T that names object type obj:
// DROP, COMMENT ON, ALTER ... OWNER TO, ALTER ... RENAME.
func on[T any](obj pg_query.ObjectType) stmtKey {
	return stmtKey{node: reflect.TypeFor[T](), obj: obj}
}

// keyOf is the key a statement is looked up by.
func keyOf(n *pg_query.Node) stmtKey {
	k := stmtKey{node: reflect.TypeOf(n.Node)}
	switch x := n.Node.(type) {
	case *pg_query.Node_DefineStmt:
		k.obj = x.DefineStmt.Kind
	case *pg_query.Node_DropStmt:
		k.obj = x.DropStmt.RemoveType
	case *pg_query.Node_CommentStmt:
		k.obj = x.CommentStmt.Objtype
	case *pg_query.Node_AlterOwnerStmt:
		k.obj = x.AlterOwnerStmt.ObjectType
	case *pg_query.Node_RenameStmt:
		k.obj = x.RenameStmt.RenameType
	}
	return k
}

// dropEach folds a DROP statement one object at a time with drop, as
// PostgreSQL reports each missing one, and returns every error.
func (f *folder) dropEach(st *stmt, drop func(obj *pg_query.Node, missingOK, cascade bool) error) error {
	ds := st.node.GetDropStmt()
	cascade := ds.Behavior == pg_query.DropBehavior_DROP_CASCADE
	var errs schema.ErrorList
	for _, obj := range ds.Objects {
		addErr(&errs, drop(obj, ds.MissingOk, cascade))
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// setOwnerOf folds ALTER ... OWNER TO of the object find returns.
func (f *folder) setOwnerOf(st *stmt, find func(as *pg_query.AlterOwnerStmt) (schema.Object, error)) error {
	as := st.node.GetAlterOwnerStmt()
	o, err := find(as)
	if err != nil {
		return err
	}
	return f.setOwner(st, o, as.Newowner)
}

// foldRegistered folds st with the handler a kind's file registered for
// it; ok is false when none did.
func (f *folder) foldRegistered(st *stmt) (ok bool, err error) {
	h := stmtHandlers[keyOf(st.node)]
	if h == nil {
		return false, nil
	}
	return true, h(f, st)
}

// dropSchemaObject drops o, found in a schema DROP SCHEMA ... CASCADE
// drops, as the set holding it says.
func (f *folder) dropSchemaObject(st *stmt, o schema.Object, set schema.KindInfo) {
	if kp := kindParsers[set.Noun]; kp != nil && kp.dropCascade != nil {
		kp.dropCascade(f, st, o)
		return
	}
	if set.Remove != nil {
		set.Remove(f.cat, o)
	}
}
