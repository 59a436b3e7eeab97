package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/schema"
)

// opaqueTypes are the object types carried as opaque objects
// (schema.Opaque): kinds ddlmig does not model whose identity and DROP
// the parse tree gives. The value says whether their names live in a
// schema. A kind that gets a file of its own registers its statements,
// which foldRegistered folds before these are looked at.
var opaqueTypes = map[pg_query.ObjectType]bool{
	pg_query.ObjectType_OBJECT_CONVERSION:    true,
	pg_query.ObjectType_OBJECT_TSPARSER:      true,
	pg_query.ObjectType_OBJECT_TSTEMPLATE:    true,
	pg_query.ObjectType_OBJECT_ACCESS_METHOD: false,
	pg_query.ObjectType_OBJECT_LANGUAGE:      false,
	pg_query.ObjectType_OBJECT_TRANSFORM:     false,
}

// opaqueCreate returns the object type a CREATE statement of an opaque
// kind makes, and its name list when the name lives in a schema (to be
// qualified); ok is false for any other statement.
func opaqueCreate(n *pg_query.Node) (t pg_query.ObjectType, name *[]*pg_query.Node, ok bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_CreateConversionStmt:
		return pg_query.ObjectType_OBJECT_CONVERSION, &x.CreateConversionStmt.ConversionName, true
	case *pg_query.Node_DefineStmt:
		if _, ok := opaqueTypes[x.DefineStmt.Kind]; ok {
			return x.DefineStmt.Kind, &x.DefineStmt.Defnames, true
		}
	case *pg_query.Node_CreateAmStmt:
		return pg_query.ObjectType_OBJECT_ACCESS_METHOD, nil, true
	case *pg_query.Node_CreatePlangStmt:
		return pg_query.ObjectType_OBJECT_LANGUAGE, nil, true
	case *pg_query.Node_CreateTransformStmt:
		return pg_query.ObjectType_OBJECT_TRANSFORM, nil, true
	}
	return 0, nil, false
}

// foldOpaque folds the statements of opaque kinds: CREATE, DROP, COMMENT
// ON and ALTER ... OWNER TO. ok is false for any other statement, which
// the kinds ddlmig models fold, or which is refused.
func (f *folder) foldOpaque(st *stmt) (ok bool, err error) {
	switch n := st.node.Node.(type) {
	case *pg_query.Node_DropStmt:
		if _, ok := opaqueTypes[n.DropStmt.RemoveType]; ok {
			return true, f.dropOpaque(st, n.DropStmt)
		}
	case *pg_query.Node_CommentStmt:
		if _, ok := opaqueTypes[n.CommentStmt.Objtype]; ok {
			o, err := f.opaqueObject(st, n.CommentStmt.Objtype, n.CommentStmt.Object)
			if err == nil {
				o.Comment = n.CommentStmt.Comment
			}
			return true, err
		}
	case *pg_query.Node_AlterOwnerStmt:
		if _, ok := opaqueTypes[n.AlterOwnerStmt.ObjectType]; ok {
			o, err := f.opaqueObject(st, n.AlterOwnerStmt.ObjectType, n.AlterOwnerStmt.Object)
			if err == nil {
				o.Owner = ""
				if r := n.AlterOwnerStmt.Newowner; r.GetRoletype() == pg_query.RoleSpecType_ROLESPEC_CSTRING && !f.isApplier(r.Rolename) {
					o.Owner = r.Rolename
				}
			}
			return true, err
		}
	}
	if _, _, ok := opaqueCreate(st.node); ok {
		return true, f.createOpaque(st)
	}
	return false, nil
}

// createOpaque carries a CREATE of an opaque kind: its own name qualified
// with the creation schema where it lives in one, its identity as DROP
// names it, its text deparsed from the tree. CREATE LANGUAGE without a
// handler is CREATE EXTENSION on PostgreSQL 13 and later (old pg_dumps
// write it for plpgsql), and is folded as one.
func (f *folder) createOpaque(st *stmt) error {
	if pl := st.node.GetCreatePlangStmt(); pl != nil && len(pl.Plhandler) == 0 {
		return f.createExtension(st, &pg_query.CreateExtensionStmt{Extname: pl.Plname, IfNotExists: true})
	}
	n := proto.Clone(st.node).(*pg_query.Node)
	t, name, _ := opaqueCreate(n)
	sch := ""
	if name != nil && len(*name) == 1 {
		sch = f.creationSchema()
		*name = append([]*pg_query.Node{pg_query.MakeStrNode(sch)}, *name...)
	} else if name != nil && len(*name) == 2 {
		sch = (*name)[0].GetString_().GetSval()
	}
	replace := false
	switch x := n.Node.(type) {
	case *pg_query.Node_CreatePlangStmt:
		replace, x.CreatePlangStmt.Replace = x.CreatePlangStmt.Replace, false
	case *pg_query.Node_CreateTransformStmt:
		replace, x.CreateTransformStmt.Replace = x.CreateTransformStmt.Replace, false
	}
	key, ok := opaqueIdentity(n)
	if !ok {
		return f.unsupportedf(st.pos, "%s: its name cannot be read", f.stmtName(st))
	}
	if sch != "" && f.cat.Schemas[sch] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(sch))
	}
	old := f.cat.Opaque[key]
	if old != nil && !replace {
		return f.errorf(st.pos, "%s already exists (created at %s)", key, old.Pos)
	}
	// The deparser crashes on an empty encoding name, which the server
	// refuses anyway.
	if cc := n.GetCreateConversionStmt(); cc != nil && cc.ForEncodingName == "" {
		return f.errorf(st.pos, `source encoding "" does not exist`)
	} else if cc != nil && cc.ToEncodingName == "" {
		return f.errorf(st.pos, `destination encoding "" does not exist`)
	}
	text, err := deparse(n)
	if err != nil {
		return f.errorf(st.pos, "%s: %v", f.stmtName(st), err)
	}
	if n.GetCreateConversionStmt() != nil {
		// The deparser writes "... TO 'UTF8'FROM f": valid, but not as
		// anyone writes it.
		text = strings.Replace(text, "'FROM ", "' FROM ", 1)
	}
	norm, err := deparse(f.normalizeOpaque(n))
	if err != nil {
		return f.errorf(st.pos, "%s: %v", f.stmtName(st), err)
	}
	o := &schema.Opaque{Key: key, Schema: sch, Kind: "CREATE " + opaqueNoun(t), Stmt: text, Seq: len(f.cat.Opaque), Pos: st.pos,
		OpaqueDef: schema.OpaqueDef{Norm: norm}, Funcs: opaqueFuncs(n)}
	if old != nil {
		o.Seq, o.Comment, o.Owner = old.Seq, old.Comment, old.Owner
	}
	f.cat.Opaque[key] = o
	return nil
}

// normalizeOpaque returns a copy of n, an opaque CREATE, for comparing:
// each function it names without the schema when that schema is on the
// search path or pg_catalog (inspect prints them qualified, people do
// not), and the options of a text search parser or template in name
// order.
func (f *folder) normalizeOpaque(n *pg_query.Node) *pg_query.Node {
	n = proto.Clone(n).(*pg_query.Node)
	path := append([]string{"pg_catalog"}, f.searchPath()...)
	unqualify := func(names []*pg_query.Node) []*pg_query.Node {
		if len(names) == 2 && slices.Contains(path, names[0].GetString_().GetSval()) {
			return names[1:]
		}
		return names
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_CreateConversionStmt:
		x.CreateConversionStmt.FuncName = unqualify(x.CreateConversionStmt.FuncName)
	case *pg_query.Node_CreateAmStmt:
		x.CreateAmStmt.HandlerName = unqualify(x.CreateAmStmt.HandlerName)
	case *pg_query.Node_CreatePlangStmt:
		pl := x.CreatePlangStmt
		pl.Plhandler, pl.Plinline, pl.Plvalidator = unqualify(pl.Plhandler), unqualify(pl.Plinline), unqualify(pl.Plvalidator)
	case *pg_query.Node_CreateTransformStmt:
		for _, owa := range []*pg_query.ObjectWithArgs{x.CreateTransformStmt.Fromsql, x.CreateTransformStmt.Tosql} {
			if owa != nil {
				owa.Objname = unqualify(owa.Objname)
			}
		}
	case *pg_query.Node_DefineStmt:
		for _, o := range x.DefineStmt.Definition {
			if tn := o.GetDefElem().GetArg().GetTypeName(); tn != nil {
				tn.Names = unqualify(tn.Names)
			}
		}
		slices.SortFunc(x.DefineStmt.Definition, func(a, b *pg_query.Node) int {
			return strings.Compare(strings.ToLower(a.GetDefElem().GetDefname()), strings.ToLower(b.GetDefElem().GetDefname()))
		})
	}
	return n
}

// opaqueFuncs returns the functions an opaque CREATE names (its handler,
// validator, conversion or transform functions, a text search parser's or
// template's) as written: a name written without a schema has Schema "",
// and the planner takes it for a function of that name in any schema (in
// a schema file the function may come later).
func opaqueFuncs(n *pg_query.Node) []schema.QualifiedName {
	var lists [][]*pg_query.Node
	switch x := n.Node.(type) {
	case *pg_query.Node_CreateConversionStmt:
		lists = append(lists, x.CreateConversionStmt.FuncName)
	case *pg_query.Node_CreateAmStmt:
		lists = append(lists, x.CreateAmStmt.HandlerName)
	case *pg_query.Node_CreatePlangStmt:
		lists = append(lists, x.CreatePlangStmt.Plhandler, x.CreatePlangStmt.Plinline, x.CreatePlangStmt.Plvalidator)
	case *pg_query.Node_CreateTransformStmt:
		for _, owa := range []*pg_query.ObjectWithArgs{x.CreateTransformStmt.Fromsql, x.CreateTransformStmt.Tosql} {
			lists = append(lists, owa.GetObjname())
		}
	case *pg_query.Node_DefineStmt:
		for _, o := range x.DefineStmt.Definition {
			lists = append(lists, o.GetDefElem().GetArg().GetTypeName().GetNames())
		}
	}
	var out []schema.QualifiedName
	for _, l := range lists {
		switch len(l) {
		case 1:
			out = appendName(out, schema.QualifiedName{Name: l[0].GetString_().GetSval()})
		case 2:
			out = appendName(out, schema.QualifiedName{Schema: l[0].GetString_().GetSval(), Name: l[1].GetString_().GetSval()})
		}
	}
	return out
}

// opaqueNoun spells object type t as CREATE and DROP do.
func opaqueNoun(t pg_query.ObjectType) string {
	if k, ok := dropKinds[t]; ok {
		return k
	}
	return objTypeName(t)
}

// opaqueIdentity is objectIdentity with what only opaque kinds need: a
// transform is named by its type and language.
func opaqueIdentity(n *pg_query.Node) (string, bool) {
	if tr := n.GetCreateTransformStmt(); tr != nil {
		typ, err := deparseType(tr.TypeName)
		return "TRANSFORM FOR " + typ + " LANGUAGE " + schema.QuoteIdent(tr.Lang), err == nil
	}
	return objectIdentity(n)
}

// opaqueKey names the object of type t that a DROP, COMMENT ON or ALTER
// ... OWNER TO names with n, as opaqueIdentity names it: a one-part name
// of a kind in schemas is looked up along the search path.
func (f *folder) opaqueKey(t pg_query.ObjectType, n *pg_query.Node) (string, bool) {
	if t == pg_query.ObjectType_OBJECT_TRANSFORM {
		items := n.GetList().GetItems()
		if len(items) != 2 || items[0].GetTypeName() == nil {
			return "", false
		}
		typ, err := deparseType(items[0].GetTypeName())
		return "TRANSFORM FOR " + typ + " LANGUAGE " + schema.QuoteIdent(items[1].GetString_().GetSval()), err == nil
	}
	if items := n.GetList().GetItems(); opaqueTypes[t] && len(items) == 1 {
		for _, s := range f.searchPath() {
			q := &pg_query.Node{Node: &pg_query.Node_List{List: &pg_query.List{Items: []*pg_query.Node{pg_query.MakeStrNode(s), items[0]}}}}
			if k, ok := dropIdentity(t, q); ok && f.cat.Opaque[k] != nil {
				return k, true
			}
		}
	}
	return dropIdentity(t, n)
}

// opaqueObject finds the opaque object that n names, or reports it
// missing.
func (f *folder) opaqueObject(st *stmt, t pg_query.ObjectType, n *pg_query.Node) (*schema.Opaque, error) {
	key, ok := f.opaqueKey(t, n)
	if !ok {
		return nil, f.unsupportedf(st.pos, "%s: the object's name cannot be read", f.stmtName(st))
	}
	if o := f.cat.Opaque[key]; o != nil {
		return o, nil
	}
	return nil, f.missingf(st.pos, "%s does not exist", key)
}

// dropOpaque folds DROP of opaque objects. CASCADE is not followed: what
// depends on an opaque object is not known to ddlmig.
func (f *folder) dropOpaque(st *stmt, ds *pg_query.DropStmt) error {
	return f.dropEach(st, func(obj *pg_query.Node, missingOK, _ bool) error {
		o, err := f.opaqueObject(st, ds.RemoveType, obj)
		if err != nil {
			if missingOK {
				return nil
			}
			return err
		}
		delete(f.cat.Opaque, o.Key)
		return nil
	})
}

// Opaque objects fold from apply's fallback (foldOpaque), after every
// registered kind: a kind that gets a file of its own takes its statements
// over by registering them. DROP SCHEMA ... CASCADE removes those of the
// schema as their KindInfo does.
func init() { registerKind("opaque object", kindParser{}) }
