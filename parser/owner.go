package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// setOwner records role as the owner of obj. The model records no owner
// for what the role applying the migrations owns, since that role creates
// it: CURRENT_USER, CURRENT_ROLE and SESSION_USER, and the role a
// -- ddlmig:role directive names (pg_dump and inspect name the role they
// ran as), remove the entry; so does pg_database_owner for the public
// schema, whose owner it is in a new database. Any other role is kept by
// name: a role ddlmig was not told about is never taken for the applier.
func (f *folder) setOwner(st *stmt, obj schema.PrivilegeObject, role *pg_query.RoleSpec) error {
	if f.cat.Owners == nil {
		f.cat.Owners = map[schema.PrivilegeObject]string{}
	}
	switch role.GetRoletype() {
	case pg_query.RoleSpecType_ROLESPEC_CSTRING:
		if f.isApplier(role.Rolename) || obj.Kind == schema.KindSchema && obj.Name.Name == schema.DefaultSchema && role.Rolename == schema.DefaultSchemaOwner {
			delete(f.cat.Owners, obj)
			return nil
		}
		f.cat.Owners[obj] = role.Rolename
	case pg_query.RoleSpecType_ROLESPEC_PUBLIC:
		return f.errorf(st.pos, `role "public" cannot own objects`)
	default:
		delete(f.cat.Owners, obj)
	}
	return nil
}

// isApplier tells whether role is the one the file's -- ddlmig:role
// directive names as applying the migrations (never true without one).
func (f *folder) isApplier(role string) bool {
	return f.role != "" && role == f.role
}

// alterOwner folds ALTER SCHEMA, TYPE, DOMAIN, FUNCTION, PROCEDURE and
// ROUTINE ... OWNER TO (kinds with a file of their own, such as
// collations and aggregates, register theirs). The owners of other kinds of objects
// (text search configurations, foreign servers...) are not modelled: the
// statement is skipped with a warning.
func (f *folder) alterOwner(st *stmt, as *pg_query.AlterOwnerStmt) error {
	var obj schema.PrivilegeObject
	switch as.ObjectType {
	case pg_query.ObjectType_OBJECT_SCHEMA:
		name := as.Object.GetString_().GetSval()
		if f.cat.Schemas[name] == nil {
			return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(name))
		}
		obj = schema.PrivilegeObject{Kind: schema.KindSchema, Name: schema.QualifiedName{Name: name}}
	case pg_query.ObjectType_OBJECT_FUNCTION, pg_query.ObjectType_OBJECT_PROCEDURE, pg_query.ObjectType_OBJECT_ROUTINE:
		key, err := f.functionKey(st, as.Object.GetObjectWithArgs())
		if err != nil {
			return err
		}
		obj = f.cat.Functions[key].Object()
	case pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN:
		q := f.ownedTypeName(as.Object.GetList().GetItems())
		switch {
		case f.cat.Domains[q] != nil:
			obj = schema.PrivilegeObject{Kind: schema.KindDomain, Name: q}
		case as.ObjectType == pg_query.ObjectType_OBJECT_DOMAIN:
			return f.missingf(st.pos, "type %s does not exist", q)
		case f.cat.HasObject(schema.Object{Kind: schema.KindType, Name: q}):
			obj = schema.PrivilegeObject{Kind: schema.KindType, Name: q}
		default:
			return f.missingf(st.pos, "type %s does not exist", q)
		}
	default:
		f.warn(st, "skipped ALTER "+objTypeName(as.ObjectType)+" ... OWNER TO: ddlmig does not manage the owner of such objects")
		return nil
	}
	return f.setOwner(st, obj, as.Newowner)
}

// ownedTypeName resolves the name of ALTER TYPE or DOMAIN ... OWNER TO on
// the search path.
func (f *folder) ownedTypeName(items []*pg_query.Node) schema.QualifiedName {
	if len(items) == 1 {
		name := items[0].GetString_().GetSval()
		if s := f.typeSchema(name); s != "" {
			return schema.QualifiedName{Schema: s, Name: name}
		}
	}
	return listName(items)
}

// relationOwner is the object under which the owner of relation q is
// recorded; ok is false when there is no such relation.
func (f *folder) relationOwner(q schema.QualifiedName) (obj schema.PrivilegeObject, ok bool) {
	switch {
	case f.cat.Sequences[q] != nil:
		return schema.PrivilegeObject{Kind: schema.KindSequence, Name: q}, true
	case f.cat.Tables[q] != nil || f.cat.Views[q] != nil:
		return schema.PrivilegeObject{Kind: schema.KindTable, Name: q}, true
	}
	return schema.PrivilegeObject{}, false
}

// alterRelationOwner folds ALTER TABLE, VIEW, MATERIALIZED VIEW or
// SEQUENCE ... OWNER TO (PostgreSQL takes any of the four keywords for any
// of them, as pg_dump's output relies on). ALTER INDEX ... OWNER TO changes
// nothing: an index belongs to its table's owner.
func (f *folder) alterRelationOwner(st *stmt, at *pg_query.AlterTableStmt) error {
	if at.Objtype == pg_query.ObjectType_OBJECT_INDEX {
		return nil
	}
	q := rangeVarName(at.Relation)
	obj, ok := f.relationOwner(q)
	if !ok {
		if at.MissingOk {
			return nil
		}
		return f.missingf(f.at(st, at.Relation.Location), "relation %s does not exist", q)
	}
	for _, n := range at.Cmds {
		if err := f.setOwner(st, obj, n.GetAlterTableCmd().GetNewowner()); err != nil {
			return err
		}
	}
	return nil
}

// pruneOwners drops the owners of objects that no longer exist, and of
// sequences owned by a column: PostgreSQL keeps their owner the table's
// (ALTER TABLE ... OWNER TO moves them along, and refuses to link a
// sequence to a table of another owner), so the table's entry says it.
func (f *folder) pruneOwners() {
	for o := range f.cat.Owners {
		if !f.cat.HasObject(o) || o.Kind == schema.KindSequence && !f.cat.Sequences[o.Name].OwnedBy.IsZero() {
			delete(f.cat.Owners, o)
		}
	}
}

// renameOwner moves the owner of object kind old to nq.
func (f *folder) renameOwner(kind schema.Kind, old, nq schema.QualifiedName) {
	k := schema.PrivilegeObject{Kind: kind, Name: old}
	if o, ok := f.cat.Owners[k]; ok {
		delete(f.cat.Owners, k)
		f.cat.Owners[schema.PrivilegeObject{Kind: kind, Name: nq}] = o
	}
}
