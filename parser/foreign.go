package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// Foreign data wrappers, servers and user mappings. A wrapper an
// extension creates (postgres_fdw, file_fdw) belongs to the extension: a
// server may name any wrapper of the model or an installed extension of
// the same name. A user mapping's options are never put in a message: its
// password is masked.

// foreignOptions folds an OPTIONS list into o: on CREATE every item is
// added; on ALTER, SET replaces, ADD adds and DROP removes, as PostgreSQL
// checks them.
func (f *folder) foreignOptions(st *stmt, o *schema.ForeignOptions, opts []*pg_query.Node) error {
	for _, n := range opts {
		d := n.GetDefElem()
		name := d.GetDefname()
		_, has := o.Get(name)
		switch d.GetDefaction() {
		case pg_query.DefElemAction_DEFELEM_DROP:
			if !has {
				return f.errorf(f.at(st, d.Location), "option %s not found", schema.QuoteLiteral(name))
			}
			o.Drop(name)
			continue
		case pg_query.DefElemAction_DEFELEM_SET:
			if !has {
				return f.errorf(f.at(st, d.Location), "option %s not found", schema.QuoteLiteral(name))
			}
		default:
			if has {
				return f.errorf(f.at(st, d.Location), "option %s provided more than once", schema.QuoteLiteral(name))
			}
		}
		v := d.GetArg().GetString_()
		if v == nil {
			return f.errorf(f.at(st, d.Location), "option %s: the value must be a string", schema.QuoteLiteral(name))
		}
		o.Set(name, schema.QuoteLiteral(v.Sval))
	}
	return nil
}

// wrapperFuncs folds HANDLER / NO HANDLER / VALIDATOR / NO VALIDATOR.
func (f *folder) wrapperFuncs(st *stmt, w *schema.ForeignDataWrapper, opts []*pg_query.Node) error {
	for _, n := range opts {
		d := n.GetDefElem()
		var q schema.QualifiedName
		if names := strs(d.GetArg().GetList().GetItems()); len(names) > 0 {
			q = listName(d.Arg.GetList().Items)
			if len(names) == 1 {
				q.Schema = "pg_catalog"
				for _, fn := range f.cat.Functions {
					if fn.Name.Name == names[0] && slicesContains(f.searchPath(), fn.Name.Schema) {
						q.Schema = fn.Name.Schema
						break
					}
				}
			} else if q.Schema != "pg_catalog" && !f.hasFunctionNamed(q) {
				return f.missingf(f.at(st, d.Location), "function %s does not exist", q)
			}
		}
		if d.GetDefname() == "handler" {
			w.Handler = q
		} else {
			w.Validator = q
		}
	}
	return nil
}

// hasFunctionNamed reports whether a routine named q exists.
func (f *folder) hasFunctionNamed(q schema.QualifiedName) bool {
	for _, fn := range f.cat.Functions {
		if fn.Name == q {
			return true
		}
	}
	return false
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (f *folder) createWrapper(st *stmt, cs *pg_query.CreateFdwStmt) error {
	if f.cat.Foreign.Wrappers[cs.Fdwname] != nil {
		return f.errorf(st.pos, "foreign-data wrapper %s already exists", schema.QuoteIdent(cs.Fdwname))
	}
	w := &schema.ForeignDataWrapper{Name: cs.Fdwname, Pos: st.pos}
	if err := f.wrapperFuncs(st, w, cs.FuncOptions); err != nil {
		return err
	}
	if err := f.foreignOptions(st, &w.Options, cs.Options); err != nil {
		return err
	}
	f.cat.Foreign.Wrappers[w.Name] = w
	return nil
}

func (f *folder) alterWrapper(st *stmt, as *pg_query.AlterFdwStmt) error {
	w, err := f.wrapper(st, as.Fdwname)
	if err != nil {
		return err
	}
	next := *w
	next.Options = append(schema.ForeignOptions(nil), w.Options...)
	if err := f.wrapperFuncs(st, &next, as.FuncOptions); err != nil {
		return err
	}
	if err := f.foreignOptions(st, &next.Options, as.Options); err != nil {
		return err
	}
	*w = next
	return nil
}

func (f *folder) wrapper(st *stmt, name string) (*schema.ForeignDataWrapper, error) {
	if w := f.cat.Foreign.Wrappers[name]; w != nil {
		return w, nil
	}
	return nil, f.missingf(st.pos, "foreign-data wrapper %s does not exist", schema.QuoteIdent(name))
}

func (f *folder) createServer(st *stmt, cs *pg_query.CreateForeignServerStmt) error {
	if f.cat.Foreign.Servers[cs.Servername] != nil {
		if cs.IfNotExists {
			return nil
		}
		return f.errorf(st.pos, "server %s already exists", schema.QuoteIdent(cs.Servername))
	}
	if f.cat.Foreign.Wrappers[cs.Fdwname] == nil && f.cat.Extensions[cs.Fdwname] == nil {
		return f.missingf(st.pos, "foreign-data wrapper %s does not exist (create it, or the extension of that name that provides it)", schema.QuoteIdent(cs.Fdwname))
	}
	s := &schema.ForeignServer{Name: cs.Servername, Wrapper: cs.Fdwname, Pos: st.pos}
	if cs.Servertype != "" {
		s.Type = schema.QuoteLiteral(cs.Servertype)
	}
	if cs.Version != "" {
		s.Version = schema.QuoteLiteral(cs.Version)
	}
	if err := f.foreignOptions(st, &s.Options, cs.Options); err != nil {
		return err
	}
	f.cat.Foreign.Servers[s.Name] = s
	return nil
}

func (f *folder) alterServer(st *stmt, as *pg_query.AlterForeignServerStmt) error {
	s, err := f.server(st, as.Servername)
	if err != nil {
		return err
	}
	opts := append(schema.ForeignOptions(nil), s.Options...)
	if err := f.foreignOptions(st, &opts, as.Options); err != nil {
		return err
	}
	s.Options = opts
	if as.HasVersion {
		s.Version = ""
		if as.Version != "" {
			s.Version = schema.QuoteLiteral(as.Version)
		}
	}
	return nil
}

func (f *folder) server(st *stmt, name string) (*schema.ForeignServer, error) {
	if s := f.cat.Foreign.Servers[name]; s != nil {
		return s, nil
	}
	return nil, f.missingf(st.pos, "server %s does not exist", schema.QuoteIdent(name))
}

// mappingUser names the role of a user mapping: a role name or PUBLIC.
func (f *folder) mappingUser(st *stmt, rs *pg_query.RoleSpec) (string, error) {
	switch rs.GetRoletype() {
	case pg_query.RoleSpecType_ROLESPEC_CSTRING:
		return rs.Rolename, nil
	case pg_query.RoleSpecType_ROLESPEC_PUBLIC:
		return schema.PublicGrantee, nil
	}
	return "", f.errorf(st.pos, "user mapping for %s: name the role (ddlmig does not know which role applies the migration)", strings.TrimPrefix(rs.GetRoletype().String(), "ROLESPEC_"))
}

// mapping returns the user mapping of the role rs for server, or an error.
func (f *folder) mapping(st *stmt, rs *pg_query.RoleSpec, server string) (*schema.UserMapping, string, error) {
	user, err := f.mappingUser(st, rs)
	if err != nil {
		return nil, "", err
	}
	if _, err := f.server(st, server); err != nil {
		return nil, "", err
	}
	key := (&schema.UserMapping{User: user, Server: server}).Key()
	return f.cat.Foreign.Mappings[key], key, nil
}

func (f *folder) createMapping(st *stmt, cs *pg_query.CreateUserMappingStmt) error {
	m, key, err := f.mapping(st, cs.User, cs.Servername)
	if err != nil {
		return err
	}
	if m != nil {
		if cs.IfNotExists {
			return nil
		}
		return f.errorf(st.pos, "user mapping %s already exists", m.Name())
	}
	user, _ := f.mappingUser(st, cs.User)
	m = &schema.UserMapping{User: user, Server: cs.Servername, Pos: st.pos}
	if err := f.foreignOptions(st, &m.Options, cs.Options); err != nil {
		return err
	}
	f.cat.Foreign.Mappings[key] = m
	return nil
}

func (f *folder) alterMapping(st *stmt, as *pg_query.AlterUserMappingStmt) error {
	m, _, err := f.mapping(st, as.User, as.Servername)
	if err != nil {
		return err
	}
	if m == nil {
		user, _ := f.mappingUser(st, as.User)
		return f.missingf(st.pos, "user mapping %s does not exist", (&schema.UserMapping{User: user, Server: as.Servername}).Name())
	}
	opts := append(schema.ForeignOptions(nil), m.Options...)
	if err := f.foreignOptions(st, &opts, as.Options); err != nil {
		return err
	}
	m.Options = opts
	return nil
}

func (f *folder) dropMapping(st *stmt, ds *pg_query.DropUserMappingStmt) error {
	m, key, err := f.mapping(st, ds.User, ds.Servername)
	if err == nil && m == nil {
		user, _ := f.mappingUser(st, ds.User)
		err = f.missingf(st.pos, "user mapping %s does not exist", (&schema.UserMapping{User: user, Server: ds.Servername}).Name())
	}
	if err != nil {
		if ds.MissingOk {
			return nil
		}
		return err
	}
	delete(f.cat.Foreign.Mappings, key)
	return nil
}

// dropServer drops a server; with cascade its user mappings go too.
func (f *folder) dropServer(st *stmt, name string, missingOK, cascade bool) error {
	s, err := f.server(st, name)
	if err != nil {
		if missingOK {
			return nil
		}
		return err
	}
	if err := f.dropServerTables(st, name, cascade); err != nil {
		return err
	}
	for k, m := range f.cat.Foreign.Mappings {
		if m.Server == name {
			if !cascade {
				return f.errorf(st.pos, "cannot drop server %s because other objects depend on it (user mapping %s)", schema.QuoteIdent(name), m.Name())
			}
			delete(f.cat.Foreign.Mappings, k)
		}
	}
	delete(f.cat.Owners, s.Object())
	delete(f.cat.Foreign.Servers, name)
	return nil
}

// dropWrapper drops a wrapper; with cascade its servers go too.
func (f *folder) dropWrapper(st *stmt, name string, missingOK, cascade bool) error {
	w, err := f.wrapper(st, name)
	if err != nil {
		if missingOK {
			return nil
		}
		return err
	}
	for _, n := range schema.SortedKeys(f.cat.Foreign.Servers) {
		if f.cat.Foreign.Servers[n].Wrapper != name {
			continue
		}
		if !cascade {
			return f.errorf(st.pos, "cannot drop foreign-data wrapper %s because other objects depend on it (server %s)", schema.QuoteIdent(name), schema.QuoteIdent(n))
		}
		if err := f.dropServer(st, n, false, true); err != nil {
			return err
		}
	}
	delete(f.cat.Owners, w.Object())
	delete(f.cat.Foreign.Wrappers, name)
	return nil
}

// foreignObject finds the wrapper or server a COMMENT or OWNER TO names.
func (f *folder) foreignObject(st *stmt, kind pg_query.ObjectType, name string) (schema.Object, *string, error) {
	if kind == pg_query.ObjectType_OBJECT_FDW {
		w, err := f.wrapper(st, name)
		if err != nil {
			return schema.Object{}, nil, err
		}
		return w.Object(), &w.Comment, nil
	}
	s, err := f.server(st, name)
	if err != nil {
		return schema.Object{}, nil, err
	}
	return s.Object(), &s.Comment, nil
}

func init() {
	stmts := map[stmtKey]func(*folder, *stmt) error{
		node[*pg_query.Node_CreateFdwStmt](): func(f *folder, st *stmt) error { return f.createWrapper(st, st.node.GetCreateFdwStmt()) },
		node[*pg_query.Node_AlterFdwStmt]():  func(f *folder, st *stmt) error { return f.alterWrapper(st, st.node.GetAlterFdwStmt()) },
		node[*pg_query.Node_CreateForeignServerStmt](): func(f *folder, st *stmt) error {
			return f.createServer(st, st.node.GetCreateForeignServerStmt())
		},
		node[*pg_query.Node_AlterForeignServerStmt](): func(f *folder, st *stmt) error {
			return f.alterServer(st, st.node.GetAlterForeignServerStmt())
		},
		node[*pg_query.Node_CreateUserMappingStmt](): func(f *folder, st *stmt) error {
			return f.createMapping(st, st.node.GetCreateUserMappingStmt())
		},
		node[*pg_query.Node_AlterUserMappingStmt](): func(f *folder, st *stmt) error {
			return f.alterMapping(st, st.node.GetAlterUserMappingStmt())
		},
		node[*pg_query.Node_DropUserMappingStmt](): func(f *folder, st *stmt) error {
			return f.dropMapping(st, st.node.GetDropUserMappingStmt())
		},
	}
	for _, kind := range []pg_query.ObjectType{pg_query.ObjectType_OBJECT_FDW, pg_query.ObjectType_OBJECT_FOREIGN_SERVER} {
		drop := dropServerFn
		if kind == pg_query.ObjectType_OBJECT_FDW {
			drop = dropWrapperFn
		}
		stmts[on[*pg_query.Node_DropStmt](kind)] = func(f *folder, st *stmt) error {
			return f.dropEach(st, func(obj *pg_query.Node, missingOK, cascade bool) error {
				return drop(f, st, obj.GetString_().GetSval(), missingOK, cascade)
			})
		}
		stmts[on[*pg_query.Node_CommentStmt](kind)] = func(f *folder, st *stmt) error {
			cs := st.node.GetCommentStmt()
			_, c, err := f.foreignObject(st, kind, cs.Object.GetString_().GetSval())
			if err != nil {
				return err
			}
			*c = cs.Comment
			return nil
		}
		stmts[on[*pg_query.Node_AlterOwnerStmt](kind)] = func(f *folder, st *stmt) error {
			return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) {
				o, _, err := f.foreignObject(st, kind, as.Object.GetString_().GetSval())
				return o, err
			})
		}
	}
	// One registration holds the statements of all three sets (a user
	// mapping is no set of its own: it has no kind, comment or owner).
	registerKind("foreign data wrapper", kindParser{stmts: stmts})
	registerKind("foreign server", kindParser{})
}

var (
	dropServerFn  = (*folder).dropServer
	dropWrapperFn = (*folder).dropWrapper
)
