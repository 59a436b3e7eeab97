package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/schema"
)

// searchPath returns the schemas unqualified names resolve in: the path set
// by a SET search_path statement of the file, else Options.SearchPath, else
// public. Schemas that do not exist (yet) are kept: PostgreSQL skips them
// at each lookup, and so does resolve.
func (f *folder) searchPath() []string {
	if f.path != nil {
		return f.path
	}
	if len(f.opts.SearchPath) > 0 {
		return f.opts.SearchPath
	}
	return []string{schema.DefaultSchema}
}

// defaultPath reports whether unqualified names resolve as without a
// search path: to public, the schema qualify fills in.
func (f *folder) defaultPath() bool {
	p := f.searchPath()
	return len(p) == 1 && p[0] == schema.DefaultSchema
}

// setSearchPath folds SET search_path TO a, b (a $user entry names a schema
// only for a role ddlmig does not know, so it is skipped). ok is false for
// any other SET.
func (f *folder) setSearchPath(vs *pg_query.VariableSetStmt) bool {
	if !strings.EqualFold(vs.Name, "search_path") {
		return false
	}
	switch vs.Kind {
	case pg_query.VariableSetKind_VAR_SET_VALUE:
		f.path = pathArgs(vs)
	case pg_query.VariableSetKind_VAR_SET_DEFAULT, pg_query.VariableSetKind_VAR_RESET:
		f.path = nil
	}
	return true
}

// pathArgs is the path SET search_path TO a, b sets: never nil.
func pathArgs(vs *pg_query.VariableSetStmt) []string {
	path := []string{}
	for _, a := range vs.Args {
		var s string
		if c := a.GetAConst(); c != nil {
			s = c.GetSval().GetSval()
		}
		if s == "" || s == "$user" {
			continue
		}
		path = append(path, s)
	}
	return path
}

// qualifyBody writes the schema that path (nil: the file's search path)
// gives into the unqualified relation and function names of a routine's
// quoted body, parsed apart from its statement: PostgreSQL checks such a
// body with the routine's own SET search_path, else the session's, so
// that is where its names resolve when the routine is created. The tree
// is the body's own copy, used to find what it reads and calls, never
// rendered. It reports whether a name resolved elsewhere than in public,
// where it resolves on the default path.
func (f *folder) qualifyBody(tree protoreflect.Message, path []string) (moved bool) {
	if path != nil {
		saved := f.path
		f.path = path
		defer func() { f.path = saved }()
	}
	if f.defaultPath() {
		return false
	}
	ctes := map[string]bool{}
	walk(tree, func(m protoreflect.Message) {
		if c, ok := m.Interface().(*pg_query.CommonTableExpr); ok {
			ctes[c.Ctename] = true
		}
	})
	walk(tree, func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg_query.RangeVar:
			if x.Schemaname == "" && x.Relname != "" && !ctes[x.Relname] {
				x.Schemaname = f.relationSchema(x.Relname)
				moved = moved || x.Schemaname != schema.DefaultSchema
			}
		case *pg_query.FuncCall:
			was := len(x.Funcname)
			x.Funcname = f.qualifyFunction(x.Funcname)
			moved = moved || was == 1 && len(x.Funcname) == 2 && x.Funcname[0].GetString_().GetSval() != schema.DefaultSchema
		}
	})
	return moved
}

// routinePath is the search path a routine's SET search_path option
// gives, or nil.
func routinePath(opts []*pg_query.Node) []string {
	for _, o := range opts {
		d := o.GetDefElem()
		if vs := d.GetArg().GetVariableSetStmt(); d.GetDefname() == "set" && vs != nil &&
			strings.EqualFold(vs.Name, "search_path") && vs.Kind == pg_query.VariableSetKind_VAR_SET_VALUE {
			return pathArgs(vs)
		}
	}
	return nil
}

// relationSchema is the schema an unqualified relation name resolves to:
// the first schema of the path that holds a relation (table, view,
// sequence, index) of that name, else the first existing schema of the
// path, where CREATE puts a new one.
func (f *folder) relationSchema(name string) string {
	for _, s := range f.searchPath() {
		if f.relationTaken(s, false)(name) {
			return s
		}
	}
	return f.creationSchema()
}

// creationSchema is the first existing schema of the path.
func (f *folder) creationSchema() string {
	for _, s := range f.searchPath() {
		if f.cat.Schemas[s] != nil {
			return s
		}
	}
	if p := f.searchPath(); len(p) > 0 {
		return p[0]
	}
	return schema.DefaultSchema
}

// typeSchema is the schema of a user-defined type written unqualified, or
// "" when no schema of the path has a type of that name (a built-in type).
func (f *folder) typeSchema(name string) string {
	for _, s := range f.searchPath() {
		if f.typeTaken(schema.QualifiedName{Schema: s, Name: name}) {
			return s
		}
	}
	return ""
}

// qualifyNames writes the schema that the search path gives into every
// unqualified relation and type name of a statement, so that the handlers,
// which resolve unqualified names to public, see qualified ones. It does
// nothing with the default path.
func (f *folder) qualifyNames(st *stmt) {
	if f.defaultPath() {
		return
	}
	creating := map[*pg_query.RangeVar]bool{}
	switch n := st.node.Node.(type) {
	case *pg_query.Node_CreateStmt:
		creating[n.CreateStmt.Relation] = true
	case *pg_query.Node_CreateForeignTableStmt:
		creating[n.CreateForeignTableStmt.GetBaseStmt().GetRelation()] = true
	case *pg_query.Node_CreateSeqStmt:
		creating[n.CreateSeqStmt.Sequence] = true
	case *pg_query.Node_CreateEnumStmt:
		n.CreateEnumStmt.TypeName = f.qualifyList(n.CreateEnumStmt.TypeName, f.creationSchema)
	case *pg_query.Node_CreateFunctionStmt:
		n.CreateFunctionStmt.Funcname = f.qualifyList(n.CreateFunctionStmt.Funcname, f.creationSchema)
	case *pg_query.Node_CreateDomainStmt:
		n.CreateDomainStmt.Domainname = f.qualifyList(n.CreateDomainStmt.Domainname, f.creationSchema)
	case *pg_query.Node_DefineStmt:
		if n.DefineStmt.Kind == pg_query.ObjectType_OBJECT_COLLATION {
			n.DefineStmt.Defnames = f.qualifyList(n.DefineStmt.Defnames, f.creationSchema)
		}
	case *pg_query.Node_AlterDomainStmt:
		if tn := n.AlterDomainStmt.TypeName; len(tn) == 1 {
			name := tn[0].GetString_().GetSval()
			n.AlterDomainStmt.TypeName = f.qualifyList(tn, func() string { return f.typeSchemaOr(name) })
		}
	case *pg_query.Node_DropStmt:
		for _, o := range n.DropStmt.Objects {
			f.qualifyObject(n.DropStmt.RemoveType, o)
		}
	case *pg_query.Node_CommentStmt:
		f.qualifyObject(n.CommentStmt.Objtype, n.CommentStmt.Object)
	case *pg_query.Node_RenameStmt:
		f.qualifyObject(n.RenameStmt.RenameType, n.RenameStmt.Object)
	}
	walk(st.node.ProtoReflect(), func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg_query.RangeVar:
			if x.Schemaname != "" || x.Relname == "" {
				return
			}
			if creating[x] {
				x.Schemaname = f.creationSchema()
			} else {
				x.Schemaname = f.relationSchema(x.Relname)
			}
		case *pg_query.FuncCall:
			x.Funcname = f.qualifyFunction(x.Funcname)
		case *pg_query.CreateTrigStmt:
			x.Funcname = f.qualifyFunction(x.Funcname)
		case *pg_query.ObjectWithArgs:
			x.Objname = f.qualifyFunction(x.Objname)
		case *pg_query.CollateClause:
			if len(x.Collname) == 1 {
				if s := f.collationSchema(x.Collname[0].GetString_().GetSval()); s != "" {
					x.Collname = f.qualifyList(x.Collname, func() string { return s })
				}
			}
		case *pg_query.TypeName:
			if len(x.Names) == 1 {
				if s := f.typeSchema(x.Names[0].GetString_().GetSval()); s != "" {
					x.Names = append([]*pg_query.Node{pg_query.MakeStrNode(s)}, x.Names...)
				}
			}
		}
	})
}

// typeSchemaOr is typeSchema, or the creation schema for a type not found.
func (f *folder) typeSchemaOr(name string) string {
	if s := f.typeSchema(name); s != "" {
		return s
	}
	return f.creationSchema()
}

// qualifyFunction qualifies a one-part function name with the first schema
// of the path that has a function or procedure of that name (any
// signature); names of no user function (built-ins) stay as they are.
func (f *folder) qualifyFunction(name []*pg_query.Node) []*pg_query.Node {
	if len(name) != 1 || len(f.cat.Functions) == 0 {
		return name
	}
	n := name[0].GetString_().GetSval()
	for _, s := range f.searchPath() {
		for _, fn := range f.cat.Functions {
			if fn.Name.Schema == s && fn.Name.Name == n {
				return f.qualifyList(name, func() string { return s })
			}
		}
	}
	return name
}

// collationSchema is the first schema of the path that has a user
// collation of that name, or "" (a built-in collation).
func (f *folder) collationSchema(name string) string {
	if len(f.cat.Collations) == 0 {
		return ""
	}
	for _, s := range f.searchPath() {
		if f.cat.Collations[schema.QualifiedName{Schema: s, Name: name}] != nil {
			return s
		}
	}
	return ""
}

// qualifyObject qualifies the name of a DROP, COMMENT or RENAME object.
func (f *folder) qualifyObject(kind pg_query.ObjectType, o *pg_query.Node) {
	if o == nil {
		return
	}
	l := o.GetList()
	if l == nil {
		return
	}
	switch kind {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_SEQUENCE, pg_query.ObjectType_OBJECT_INDEX,
		pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		if len(l.Items) == 1 {
			name := l.Items[0].GetString_().GetSval()
			l.Items = f.qualifyList(l.Items, func() string { return f.relationSchema(name) })
		}
	default:
		if schemaOf := qualifiers[kind]; schemaOf != nil && len(l.Items) == 1 {
			if s := schemaOf(f, l.Items[0].GetString_().GetSval()); s != "" {
				l.Items = f.qualifyList(l.Items, func() string { return s })
			}
		}
	case pg_query.ObjectType_OBJECT_COLUMN, pg_query.ObjectType_OBJECT_TABCONSTRAINT, pg_query.ObjectType_OBJECT_POLICY,
		pg_query.ObjectType_OBJECT_TRIGGER:
		if len(l.Items) == 2 {
			name := l.Items[0].GetString_().GetSval()
			l.Items = append([]*pg_query.Node{pg_query.MakeStrNode(f.relationSchema(name))}, l.Items...)
		}
	}
}

// qualifyList prepends a schema to a one-part name list.
func (f *folder) qualifyList(items []*pg_query.Node, sch func() string) []*pg_query.Node {
	if len(items) != 1 {
		return items
	}
	return append([]*pg_query.Node{pg_query.MakeStrNode(sch())}, slices.Clone(items)...)
}

// SearchPathDirective is the comment that sets a schema file's search path
// when it starts one of the file's leading comment lines:
//
//	-- ddlmig:search_path foo, public
//
// It says what the application's connections run with, so that the
// unqualified names of the file land where the application's would.
const SearchPathDirective = "-- ddlmig:search_path"

// directive returns what follows directive d on one of the comment lines
// at the top of src; ok is false when none has it.
func directive(src, d string) (rest string, ok bool) {
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "--") {
			return "", false
		}
		rest, ok := strings.CutPrefix(line, d)
		if ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return rest, true
		}
	}
	return "", false
}

// directivePath returns the search path of a SearchPathDirective among the
// comment lines at the top of src, or nil.
func directivePath(src string) []string {
	rest, ok := directive(src, SearchPathDirective)
	if !ok {
		return nil
	}
	path := []string{}
	for _, p := range strings.Split(rest, ",") {
		if p = directiveIdent(p); p != "" && p != "$user" {
			path = append(path, p)
		}
	}
	return path
}

// directiveIdent reads an identifier of a directive as PostgreSQL reads
// one: folded to lower case unless double-quoted.
func directiveIdent(p string) string {
	p = strings.TrimSpace(p)
	if len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"' {
		return strings.ReplaceAll(p[1:len(p)-1], `""`, `"`)
	}
	return strings.ToLower(p)
}

// RoleDirective is the comment that names, among a schema file's leading
// comment lines, the role that applies the migrations:
//
//	-- ddlmig:role app
//
// ALTER DEFAULT PRIVILEGES without FOR ROLE is that role's (PostgreSQL
// takes the role running the statement), so FOR ROLE app in the file,
// which pg_dump writes for the role it ran as, is the same as no FOR
// ROLE; likewise OWNER TO app is the same as no owner (the model records
// none for what the applying role owns). Without the directive FOR ROLE r
// and OWNER TO r are kept as r.
const RoleDirective = "-- ddlmig:role"

// directiveRole returns the role of a RoleDirective of src, or "".
func directiveRole(src string) string {
	rest, _ := directive(src, RoleDirective)
	return directiveIdent(rest)
}
