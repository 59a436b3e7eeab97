package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// castKey is the key of a cast from src to dst: "(src AS dst)", each type
// resolved on the search path and spelled as deparsed (int, public.t).
func (f *folder) castKey(st *stmt, src, dst *pg_query.TypeName) (key string, srcT, dstT *pg_query.TypeName, err error) {
	if srcT, _, err = f.canonicalTypeNode(st, src); err != nil {
		return "", nil, nil, err
	}
	if dstT, _, err = f.canonicalTypeNode(st, dst); err != nil {
		return "", nil, nil, err
	}
	s, err1 := deparseType(srcT)
	d, err2 := deparseType(dstT)
	if err1 != nil || err2 != nil {
		return "", nil, nil, f.errorf(st.pos, "cast: cannot spell its types")
	}
	return "(" + s + " AS " + d + ")", srcT, dstT, nil
}

// createCast folds CREATE CAST: its types and function resolved and
// qualified in the user's own tree, which is what is compared and what a
// migration runs. A function of the user's must exist (the cast is
// created after it); a built-in one is taken as written.
func (f *folder) createCast(st *stmt, cs *pg_query.CreateCastStmt) error {
	key, srcT, dstT, err := f.castKey(st, cs.Sourcetype, cs.Targettype)
	if err != nil {
		return err
	}
	if old := f.cat.Casts[key]; old != nil {
		return f.errorf(st.pos, "cast from type %s already exists (created at %s)", key, old.Pos)
	}
	user := proto.Clone(cs).(*pg_query.CreateCastStmt)
	user.Sourcetype, user.Targettype = srcT, dstT
	fn := ""
	if user.Func != nil {
		if fn, err = f.castFunction(st, user.Func); err != nil {
			return err
		}
	}
	c := &schema.Cast{Key: key, Func: fn, Pos: st.pos}
	if c.Stmt, err = deparse(&pg_query.Node{Node: &pg_query.Node_CreateCastStmt{CreateCastStmt: user}}); err != nil {
		return f.errorf(st.pos, "cast: %v", err)
	}
	c.Stmt = strings.TrimRight(c.Stmt, " ") // the deparser ends an explicit cast with a space
	f.cat.Casts[key] = c
	return nil
}

// castFunction resolves the function of WITH FUNCTION, qualifying its name
// in owa, and returns its key in Catalog.Functions; "" for a function
// ddlmig does not hold: pg_catalog's (to be named so), or, where the
// schema has extensions, one an extension may make.
func (f *folder) castFunction(st *stmt, owa *pg_query.ObjectWithArgs) (string, error) {
	names := strs(owa.Objname)
	if len(names) == 2 && names[0] == "pg_catalog" {
		return "", nil
	}
	if len(names) == 1 {
		owa.Objname = f.qualifyFunction(owa.Objname)
	}
	key, err := f.functionKey(st, owa)
	if err != nil {
		if len(f.cat.Extensions) > 0 {
			return "", nil // an extension's, maybe
		}
		return "", err
	}
	owa.Objname = []*pg_query.Node{pg_query.MakeStrNode(f.cat.Functions[key].Name.Schema), pg_query.MakeStrNode(f.cat.Functions[key].Name.Name)}
	for i, a := range owa.Objargs {
		t, _, err := f.canonicalTypeNode(st, a.GetTypeName())
		if err != nil {
			return "", err
		}
		owa.Objargs[i] = &pg_query.Node{Node: &pg_query.Node_TypeName{TypeName: t}}
		if i < len(owa.Objfuncargs) {
			if p := owa.Objfuncargs[i].GetFunctionParameter(); p != nil {
				p.ArgType = t
			}
		}
	}
	return key, nil
}

// cast returns the cast a DROP or COMMENT ON names with a list of its two
// types, or reports it missing.
func (f *folder) cast(st *stmt, obj *pg_query.Node) (*schema.Cast, error) {
	items := obj.GetList().GetItems()
	if len(items) != 2 {
		return nil, f.errorf(st.pos, "cast: want two types")
	}
	key, _, _, err := f.castKey(st, items[0].GetTypeName(), items[1].GetTypeName())
	if err != nil {
		return nil, err
	}
	if c := f.cat.Casts[key]; c != nil {
		return c, nil
	}
	return nil, f.missingf(st.pos, "cast from type %s does not exist", key)
}

func init() {
	registerKind("cast", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_CreateCastStmt](): func(f *folder, st *stmt) error {
				return f.createCast(st, st.node.GetCreateCastStmt())
			},
			on[*pg_query.Node_DropStmt](pg_query.ObjectType_OBJECT_CAST): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(obj *pg_query.Node, missingOK, _ bool) error {
					c, err := f.cast(st, obj)
					if err != nil {
						if missingOK {
							return nil
						}
						return err
					}
					delete(f.cat.Casts, c.Key)
					return nil
				})
			},
			on[*pg_query.Node_CommentStmt](pg_query.ObjectType_OBJECT_CAST): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				c, err := f.cast(st, cs.Object)
				if err != nil {
					return err
				}
				c.Comment = cs.Comment
				return nil
			},
		},
	})
}

// renameCastTypes names type old anew (nq) in the casts from or to it:
// their key and statement, as PostgreSQL, which stores the type's OID,
// prints them. A statement that does not parse back is left as it is.
func (f *folder) renameCastTypes(old, nq schema.QualifiedName) {
	for _, k := range schema.SortedKeys(f.cat.Casts) {
		c := f.cat.Casts[k]
		tree, err := pgdecode.Parse(c.Stmt)
		if err != nil || len(tree.Stmts) != 1 || tree.Stmts[0].Stmt.GetCreateCastStmt() == nil {
			continue
		}
		cs := tree.Stmts[0].Stmt.GetCreateCastStmt()
		if !namesType(cs.Sourcetype, old) && !namesType(cs.Targettype, old) {
			continue
		}
		renameTypeRefs(cs.ProtoReflect(), old, nq)
		stmt, err1 := deparse(tree.Stmts[0].Stmt)
		s, err2 := deparseType(cs.Sourcetype)
		d, err3 := deparseType(cs.Targettype)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		delete(f.cat.Casts, k)
		c.Key, c.Stmt = "("+s+" AS "+d+")", strings.TrimRight(stmt, " ")
		f.cat.Casts[c.Key] = c
	}
}
