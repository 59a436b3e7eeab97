package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// allPrivileges is what ALL [PRIVILEGES] stands for, by object kind (as
// PostgreSQL 15 defines it); KindColumn is ALL on columns.
var allPrivileges = map[schema.Kind][]string{
	schema.KindTable:              {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"},
	schema.KindSequence:           {"USAGE", "SELECT", "UPDATE"},
	schema.KindSchema:             {"USAGE", "CREATE"},
	schema.KindColumn:             {"SELECT", "INSERT", "UPDATE", "REFERENCES"},
	schema.KindFunction:           {"EXECUTE"},
	schema.KindProcedure:          {"EXECUTE"},
	schema.KindAggregate:          {"EXECUTE"},
	schema.KindServer:             {"USAGE"},
	schema.KindForeignDataWrapper: {"USAGE"},
}

// defaultRoutinePrivilege is what PostgreSQL grants on a routine it
// creates: EXECUTE to PUBLIC. It is part of the privilege set like any
// other grant, so that REVOKE EXECUTE ... FROM PUBLIC is a difference the
// planner sees.
func defaultRoutinePrivilege(fn *schema.Function) schema.Privilege {
	return schema.Privilege{
		Object:    fn.Object(),
		Grantee:   schema.PublicGrantee,
		Privilege: "EXECUTE",
	}
}

// dropRoutinePrivileges forgets the privileges of the routine with
// signature key (a routine created again starts from the default).
func (f *folder) dropRoutinePrivileges(key string) {
	for k := range f.cat.Privileges {
		if (k.Object.Kind == schema.KindFunction || k.Object.Kind == schema.KindProcedure) && k.Object.Name.Name == key {
			delete(f.cat.Privileges, k)
		}
	}
}

// grant folds GRANT and REVOKE of object privileges into the privilege
// set. Privileges on types, databases and the like, GRANT ...
// ON ALL ... IN SCHEMA and role membership are not modelled.
func (f *folder) grant(st *stmt, gs *pg_query.GrantStmt) error {
	verb := "GRANT"
	if !gs.IsGrant {
		verb = "REVOKE"
	}
	if !gs.IsGrant && gs.Behavior == pg_query.DropBehavior_DROP_CASCADE {
		// Which grants a grantee passed on is not modelled.
		return f.unsupportedf(st.pos, "REVOKE ... CASCADE")
	}
	if gs.Targtype != pg_query.GrantTargetType_ACL_TARGET_OBJECT {
		return f.unsupportedf(st.pos, "%s ... ON ALL ... IN SCHEMA", verb)
	}
	var grantees []string
	for _, n := range gs.Grantees {
		rs := n.GetRoleSpec()
		switch {
		case rs == nil:
			return f.errorf(st.pos, "unsupported grantee in %s", verb)
		case rs.Roletype == pg_query.RoleSpecType_ROLESPEC_PUBLIC:
			grantees = append(grantees, schema.PublicGrantee)
		case rs.Roletype == pg_query.RoleSpecType_ROLESPEC_CSTRING:
			grantees = append(grantees, rs.Rolename)
		default:
			return f.errorf(st.pos, "unsupported grantee %s in %s: name the role", strings.TrimPrefix(rs.Roletype.String(), "ROLESPEC_"), verb)
		}
	}
	// Resolve every object first, so that a missing one defers the whole
	// statement.
	var objs []schema.PrivilegeObject
	for _, o := range gs.Objects {
		obj, err := f.privilegeObject(st, gs, o, verb)
		if err != nil {
			return err
		}
		objs = append(objs, obj)
	}
	for _, obj := range objs {
		type entry struct {
			col, priv string
		}
		var entries []entry
		if len(gs.Privileges) == 0 {
			for _, p := range allPrivileges[obj.Kind] {
				entries = append(entries, entry{"", p})
			}
		}
		for _, n := range gs.Privileges {
			ap := n.GetAccessPriv()
			cols := strs(ap.GetCols())
			if len(cols) > 0 && obj.Kind != schema.KindTable {
				return f.errorf(st.pos, "column privileges are only valid for relations")
			}
			var privs []string
			if ap.GetPrivName() == "" {
				privs = allPrivileges[obj.Kind]
				if len(cols) > 0 {
					privs = allPrivileges[schema.KindColumn]
				}
			} else {
				privs = []string{strings.ToUpper(ap.GetPrivName())}
			}
			for _, p := range privs {
				if !validPrivilege(obj.Kind, len(cols) > 0, p) {
					return f.errorf(st.pos, "invalid privilege type %s for %s", p, strings.ToLower(obj.Kind.String()))
				}
				if len(cols) == 0 {
					entries = append(entries, entry{"", p})
				}
				for _, c := range cols {
					if t := f.cat.Tables[obj.Name]; t != nil && t.Column(c) == nil {
						return f.errorf(st.pos, "column %s of relation %s does not exist", schema.QuoteIdent(c), schema.QuoteIdent(obj.Name.Name))
					}
					entries = append(entries, entry{c, p})
				}
			}
		}
		for _, g := range grantees {
			for _, e := range entries {
				o := obj
				o.Column = e.col
				k := schema.Privilege{Object: o, Grantee: g, Privilege: e.priv}
				switch {
				case gs.IsGrant:
					if cur := f.cat.Privileges[k]; cur != nil {
						cur.Grantable = cur.Grantable || gs.GrantOption
						continue
					}
					f.cat.Privileges[k] = &schema.Grant{Grantable: gs.GrantOption, Pos: st.pos}
				case gs.GrantOption:
					if cur := f.cat.Privileges[k]; cur != nil {
						cur.Grantable = false
					}
				default:
					delete(f.cat.Privileges, k)
					if e.col == "" && obj.Kind == schema.KindTable {
						// Revoking a table privilege revokes it on every
						// column too.
						f.revokeColumns(obj, g, e.priv)
					}
				}
			}
		}
	}
	return nil
}

func (f *folder) revokeColumns(obj schema.PrivilegeObject, grantee, priv string) {
	for k := range f.cat.Privileges {
		if k.Object.Kind == obj.Kind && k.Object.Name == obj.Name && k.Object.Column != "" && k.Grantee == grantee && k.Privilege == priv {
			delete(f.cat.Privileges, k)
		}
	}
}

func validPrivilege(kind schema.Kind, column bool, p string) bool {
	list := allPrivileges[kind]
	if column {
		list = allPrivileges[schema.KindColumn]
	}
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}

// privilegeObject resolves one object of a GRANT or REVOKE.
func (f *folder) privilegeObject(st *stmt, gs *pg_query.GrantStmt, o *pg_query.Node, verb string) (schema.PrivilegeObject, error) {
	switch gs.Objtype {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_SEQUENCE:
		rv := o.GetRangeVar()
		q := rangeVarName(rv)
		pos := f.at(st, rv.GetLocation())
		switch {
		case f.cat.Sequences[q] != nil:
			return schema.PrivilegeObject{Kind: schema.KindSequence, Name: q}, nil
		case gs.Objtype == pg_query.ObjectType_OBJECT_SEQUENCE:
			if f.cat.Tables[q] != nil || f.cat.Views[q] != nil {
				return schema.PrivilegeObject{}, f.errorf(pos, "%s is not a sequence", q)
			}
			return schema.PrivilegeObject{}, f.missingf(pos, "relation %s does not exist", q)
		case f.cat.Tables[q] != nil || f.cat.Views[q] != nil:
			return schema.PrivilegeObject{Kind: schema.KindTable, Name: q}, nil
		}
		return schema.PrivilegeObject{}, f.missingf(pos, "relation %s does not exist", q)
	case pg_query.ObjectType_OBJECT_SCHEMA:
		name := o.GetString_().GetSval()
		if f.cat.Schemas[name] == nil {
			return schema.PrivilegeObject{}, f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(name))
		}
		return schema.PrivilegeObject{Kind: schema.KindSchema, Name: schema.QualifiedName{Name: name}}, nil
	case pg_query.ObjectType_OBJECT_FUNCTION, pg_query.ObjectType_OBJECT_PROCEDURE, pg_query.ObjectType_OBJECT_ROUTINE:
		key, err := f.functionKey(st, o.GetObjectWithArgs())
		if err != nil {
			// GRANT ... ON FUNCTION names aggregates too (pg_dump's spelling).
			if gs.Objtype != pg_query.ObjectType_OBJECT_PROCEDURE {
				if akey, aerr := f.aggregateKey(st, o.GetObjectWithArgs()); aerr == nil {
					return f.cat.Aggregates[akey].Object(), nil
				}
			}
			return schema.PrivilegeObject{}, err
		}
		fn := f.cat.Functions[key]
		switch {
		case gs.Objtype == pg_query.ObjectType_OBJECT_FUNCTION && fn.Kind == schema.KindProcedure:
			return schema.PrivilegeObject{}, f.errorf(st.pos, "%s is not a function", key)
		case gs.Objtype == pg_query.ObjectType_OBJECT_PROCEDURE && fn.Kind != schema.KindProcedure:
			return schema.PrivilegeObject{}, f.errorf(st.pos, "%s is not a procedure", key)
		}
		return fn.Object(), nil
	case pg_query.ObjectType_OBJECT_FOREIGN_SERVER, pg_query.ObjectType_OBJECT_FDW:
		obj, _, err := f.foreignObject(st, gs.Objtype, o.GetString_().GetSval())
		return obj, err
	}
	return schema.PrivilegeObject{}, f.unsupportedf(st.pos, "%s ON %s", verb, objTypeName(gs.Objtype))
}

// prunePrivileges drops the privileges of objects that no longer exist
// (PostgreSQL drops an object's privileges with it).
func (f *folder) prunePrivileges() {
	for k := range f.cat.Privileges {
		if !f.cat.HasObject(k.Object) {
			delete(f.cat.Privileges, k)
		}
	}
}

// renamePrivileges moves the privileges on relation old (and its columns)
// to nq, and with column set, those on one column of it to newCol. The
// relation's owner moves with it.
func (f *folder) renamePrivileges(old, nq schema.QualifiedName, column, newCol string) {
	if column == "" {
		f.renameOwner(schema.KindTable, old, nq)
		f.renameOwner(schema.KindSequence, old, nq)
	}
	for _, k := range schema.SortedPrivileges(f.cat.Privileges) {
		o := k.Object
		if (o.Kind != schema.KindTable && o.Kind != schema.KindSequence) || o.Name != old || (column != "" && o.Column != column) {
			continue
		}
		g := f.cat.Privileges[k]
		delete(f.cat.Privileges, k)
		k.Object.Name = nq
		if column != "" {
			k.Object.Column = newCol
		}
		f.cat.Privileges[k] = g
	}
}
