package schema

import (
	"cmp"
	"maps"
	"slices"
)

// Privilege is one access privilege granted on an object: a single entry
// of the set that GRANT and REVOKE edit. Privileges are compared as a set
// keyed by this comparable value; whether the grantee may pass it on is the
// Grant it maps to.
//
// The owner's implicit privileges are not listed (pg_dump does not write
// them, and GRANT to the owner is not modelled). Roles themselves are
// outside the schema: a grantee is a name.
type Privilege struct {
	Object PrivilegeObject
	// Grantee is a role name, or "PUBLIC" for every role.
	Grantee string
	// Privilege is the keyword in upper case: SELECT, INSERT, USAGE,
	// EXECUTE...
	Privilege string
}

// PrivilegeObject is what a privilege is on.
type PrivilegeObject struct {
	// Kind is the object type. Privileges and owners use it as GRANT
	// spells it: KindTable also for views and materialized views. A
	// routine starts with EXECUTE granted to PUBLIC, an entry like any
	// other, so that REVOKE ... FROM PUBLIC is a difference.
	Kind Kind
	// Name is the object; for a schema only Name.Name is set, for a
	// function Name.Name is its signature as Catalog.Functions keys it.
	Name QualifiedName
	// Column is set for a column privilege (Kind TABLE).
	Column string
}

// Grant says how a privilege is held.
type Grant struct {
	// Grantable is WITH GRANT OPTION.
	Grantable bool
	Pos       Pos
}

// PublicGrantee is the Grantee that stands for every role.
const PublicGrantee = "PUBLIC"

// SortedPrivileges returns the privileges of m in object, grantee,
// privilege order.
func SortedPrivileges[V any](m map[Privilege]V) []Privilege {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, ComparePrivileges)
	return keys
}

// ComparePrivileges orders privileges by object, grantee and privilege.
func ComparePrivileges(a, b Privilege) int {
	return cmp.Or(
		ComparePrivilegeObjects(a.Object, b.Object),
		cmp.Compare(a.Grantee, b.Grantee),
		cmp.Compare(a.Privilege, b.Privilege),
	)
}

// ComparePrivilegeObjects orders objects by kind (as SQL spells it), name
// and column.
func ComparePrivilegeObjects(a, b PrivilegeObject) int {
	return cmp.Or(
		cmp.Compare(a.Kind.String(), b.Kind.String()),
		cmp.Compare(a.Name.Schema, b.Name.Schema),
		cmp.Compare(a.Name.Name, b.Name.Name),
		cmp.Compare(a.Column, b.Column),
	)
}

// SortedObjects returns the keys of m in ComparePrivilegeObjects order.
func SortedObjects[V any](m map[PrivilegeObject]V) []PrivilegeObject {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, ComparePrivilegeObjects)
	return keys
}
