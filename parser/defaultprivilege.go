package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// defaultObjTypes spells the object types of ALTER DEFAULT PRIVILEGES as
// schema.DefaultPrivilege.On does.
var defaultObjTypes = map[pg_query.ObjectType]string{
	pg_query.ObjectType_OBJECT_TABLE:    "TABLES",
	pg_query.ObjectType_OBJECT_SEQUENCE: "SEQUENCES",
	pg_query.ObjectType_OBJECT_FUNCTION: "FUNCTIONS",
	pg_query.ObjectType_OBJECT_TYPE:     "TYPES",
	pg_query.ObjectType_OBJECT_SCHEMA:   "SCHEMAS",
}

// alterDefaultPrivileges folds ALTER DEFAULT PRIVILEGES [FOR ROLE r, ...]
// [IN SCHEMA s, ...] GRANT / REVOKE into the default privilege set, as
// pg_default_acl keeps it: without IN SCHEMA the entries replace what
// PostgreSQL grants by default (so REVOKE EXECUTE ON FUNCTIONS FROM
// PUBLIC is recorded), with it they add to that and REVOKE only takes
// back what the same schema's entries granted.
func (f *folder) alterDefaultPrivileges(st *stmt, as *pg_query.AlterDefaultPrivilegesStmt) error {
	gs := as.Action
	on, ok := defaultObjTypes[gs.GetObjtype()]
	if !ok {
		return f.unsupportedf(st.pos, "ALTER DEFAULT PRIVILEGES ... ON %s", strings.TrimPrefix(gs.GetObjtype().String(), "OBJECT_"))
	}
	roles, schemas := []string{""}, []string{""}
	for _, n := range as.Options {
		d := n.GetDefElem()
		items := d.GetArg().GetList().GetItems()
		switch d.GetDefname() {
		case "roles":
			roles = roles[:0]
			for _, r := range items {
				role, err := f.defaultPrivilegeRole(st, r.GetRoleSpec())
				if err != nil {
					return err
				}
				roles = append(roles, role)
			}
		case "schemas":
			if on == "SCHEMAS" {
				return f.errorf(st.pos, "cannot use IN SCHEMA clause when using GRANT/REVOKE ON SCHEMAS")
			}
			schemas = strs(items)
			for _, s := range schemas {
				if f.cat.Schemas[s] == nil {
					return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(s))
				}
			}
		}
	}
	if !gs.IsGrant && gs.Behavior == pg_query.DropBehavior_DROP_CASCADE {
		return f.unsupportedf(st.pos, "ALTER DEFAULT PRIVILEGES ... REVOKE ... CASCADE")
	}
	privs, err := f.defaultPrivilegeNames(st, on, gs.Privileges)
	if err != nil {
		return err
	}
	grantees, err := f.grantees(st, gs.Grantees)
	if err != nil {
		return err
	}
	for _, role := range roles {
		for _, sch := range schemas {
			for _, g := range grantees {
				for _, p := range privs {
					f.setDefaultPrivilege(st, schema.DefaultPrivilege{Role: role, Schema: sch, On: on, Grantee: g, Privilege: p}, gs)
				}
			}
		}
	}
	return nil
}

// setDefaultPrivilege applies one GRANT or REVOKE of gs to entry k.
func (f *folder) setDefaultPrivilege(st *stmt, k schema.DefaultPrivilege, gs *pg_query.GrantStmt) {
	cur := f.cat.DefaultPrivileges[k]
	builtin := k.Schema == "" && schema.BuiltinDefault(k.On, k.Grantee, k.Privilege)
	switch {
	case gs.IsGrant && cur != nil && cur.Revoked:
		delete(f.cat.DefaultPrivileges, k)
		if gs.GrantOption {
			f.cat.DefaultPrivileges[k] = &schema.DefaultGrant{Grantable: true, Pos: st.pos}
		}
	case gs.IsGrant && cur != nil:
		cur.Grantable = cur.Grantable || gs.GrantOption
	case gs.IsGrant:
		if !builtin || gs.GrantOption {
			f.cat.DefaultPrivileges[k] = &schema.DefaultGrant{Grantable: gs.GrantOption, Pos: st.pos}
		}
	case gs.GrantOption:
		if cur != nil && cur.Grantable {
			cur.Grantable = false
			if builtin {
				delete(f.cat.DefaultPrivileges, k)
			}
		}
	case builtin:
		f.cat.DefaultPrivileges[k] = &schema.DefaultGrant{Revoked: true, Pos: st.pos}
	default:
		delete(f.cat.DefaultPrivileges, k)
	}
}

// defaultPrivilegeNames are the privileges of an ALTER DEFAULT
// PRIVILEGES, upper case; ALL (an empty list) stands for every privilege
// of the kind.
func (f *folder) defaultPrivilegeNames(st *stmt, on string, nodes []*pg_query.Node) ([]string, error) {
	valid := schema.DefaultPrivilegesOn[on]
	if len(nodes) == 0 {
		return valid, nil
	}
	var out []string
	for _, n := range nodes {
		ap := n.GetAccessPriv()
		if len(ap.GetCols()) > 0 {
			return nil, f.errorf(st.pos, "ALTER DEFAULT PRIVILEGES cannot grant column privileges")
		}
		if ap.GetPrivName() == "" {
			out = append(out, valid...)
			continue
		}
		p := strings.ToUpper(ap.GetPrivName())
		if !slices.Contains(valid, p) {
			return nil, f.errorf(st.pos, "invalid privilege type %s for %s", p, strings.ToLower(on))
		}
		out = append(out, p)
	}
	return out, nil
}

// grantees reads the grantees of a GRANT or REVOKE: role names, or
// PUBLIC.
func (f *folder) grantees(st *stmt, nodes []*pg_query.Node) ([]string, error) {
	var out []string
	for _, n := range nodes {
		rs := n.GetRoleSpec()
		switch rs.GetRoletype() {
		case pg_query.RoleSpecType_ROLESPEC_PUBLIC:
			out = append(out, schema.PublicGrantee)
		case pg_query.RoleSpecType_ROLESPEC_CSTRING:
			out = append(out, rs.Rolename)
		default:
			return nil, f.errorf(st.pos, "unsupported grantee %s: name the role", strings.TrimPrefix(rs.GetRoletype().String(), "ROLESPEC_"))
		}
	}
	return out, nil
}

// creatable lists the objects that default privileges apply to when they
// are created (tables and views, sequences, routines, aggregates and
// schemas), so that applyDefaultPrivileges can tell which a statement
// made. It is called only while the user that applies the migrations has
// default privileges.
func (f *folder) creatable() map[schema.Object]string {
	out := map[schema.Object]string{}
	for q := range f.cat.Tables {
		out[schema.Object{Kind: schema.KindTable, Name: q}] = q.Schema
	}
	for q := range f.cat.Views {
		out[schema.Object{Kind: schema.KindTable, Name: q}] = q.Schema
	}
	for q := range f.cat.Sequences {
		out[schema.Object{Kind: schema.KindSequence, Name: q}] = q.Schema
	}
	for _, fn := range f.cat.Functions {
		out[fn.Object()] = fn.Name.Schema
	}
	for _, a := range f.cat.Aggregates {
		out[a.Object()] = a.Name.Schema
	}
	for name := range f.cat.Schemas {
		out[schema.Object{Kind: schema.KindSchema, Name: schema.QualifiedName{Name: name}}] = ""
	}
	return out
}

// applyDefaultPrivileges gives the objects that a statement created (those
// of the catalog not in before) the privileges the applying user's
// default privileges grant, as PostgreSQL does when it creates them.
func (f *folder) applyDefaultPrivileges(st *stmt, before map[schema.Object]string) {
	for o, sch := range f.creatable() {
		if _, ok := before[o]; !ok {
			schema.ApplyDefaultPrivileges(f.cat.DefaultPrivileges, f.cat.Privileges, o, sch, st.pos)
		}
	}
}

// hasOwnDefaults reports whether the applying user has default
// privileges, which objects it creates take.
func (f *folder) hasOwnDefaults() bool {
	for k := range f.cat.DefaultPrivileges {
		if k.Role == "" {
			return true
		}
	}
	return false
}

func init() {
	registerKind("default privileges", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_AlterDefaultPrivilegesStmt](): func(f *folder, st *stmt) error {
				return f.alterDefaultPrivileges(st, st.node.GetAlterDefaultPrivilegesStmt())
			},
		},
	})
}

// defaultPrivilegeRole is the DefaultPrivilege.Role of FOR ROLE rs: ""
// (no FOR ROLE: the role that runs the migration) for CURRENT_USER,
// CURRENT_ROLE and the role of a -- ddlmig:role directive, which pg_dump
// names when it ran as that role; any other role by name.
func (f *folder) defaultPrivilegeRole(st *stmt, rs *pg_query.RoleSpec) (string, error) {
	switch rs.GetRoletype() {
	case pg_query.RoleSpecType_ROLESPEC_CSTRING:
		if f.isApplier(rs.Rolename) {
			return "", nil
		}
		return rs.Rolename, nil
	case pg_query.RoleSpecType_ROLESPEC_CURRENT_USER, pg_query.RoleSpecType_ROLESPEC_CURRENT_ROLE:
		return "", nil
	}
	return "", f.errorf(st.pos, "FOR ROLE: name the role (or CURRENT_USER for the one that applies the migrations)")
}
