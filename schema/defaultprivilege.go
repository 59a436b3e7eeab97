package schema

import (
	"cmp"
	"maps"
	"slices"
)

// DefaultPrivilege is one entry of the state ALTER DEFAULT PRIVILEGES
// edits: a privilege that objects of one kind get when a role creates
// them (in one schema, or in any). Compared as a set keyed by this
// comparable value, as Privilege is.
type DefaultPrivilege struct {
	// Role is FOR ROLE; "" is whoever runs the statement, the user that
	// applies the migrations.
	Role string
	// Schema is IN SCHEMA; "" for every schema.
	Schema string
	// On is the kind of object as the statement names it: TABLES,
	// SEQUENCES, FUNCTIONS, TYPES or SCHEMAS.
	On string
	// Grantee is a role name, or PUBLIC.
	Grantee   string
	Privilege string
}

// DefaultGrant says how a default privilege is held.
type DefaultGrant struct {
	// Grantable is WITH GRANT OPTION.
	Grantable bool
	// Revoked marks a privilege PostgreSQL grants by default (EXECUTE on
	// functions and USAGE on types, to PUBLIC) that a REVOKE without IN
	// SCHEMA took away.
	Revoked bool
	Pos     Pos
}

// BuiltinDefault reports whether PostgreSQL grants privilege p on new
// objects of kind on (as DefaultPrivilege.On spells it) to grantee
// without any ALTER DEFAULT PRIVILEGES.
func BuiltinDefault(on, grantee, p string) bool {
	return grantee == PublicGrantee && (on == "FUNCTIONS" && p == "EXECUTE" || on == "TYPES" && p == "USAGE")
}

// DefaultPrivilegesOn are the privileges ALL stands for, by
// DefaultPrivilege.On.
var DefaultPrivilegesOn = map[string][]string{
	"TABLES":    {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"},
	"SEQUENCES": {"USAGE", "SELECT", "UPDATE"},
	"FUNCTIONS": {"EXECUTE"},
	"TYPES":     {"USAGE"},
	"SCHEMAS":   {"USAGE", "CREATE"},
}

// SortedDefaultPrivileges returns the keys of m in role, schema, kind,
// grantee, privilege order.
func SortedDefaultPrivileges[V any](m map[DefaultPrivilege]V) []DefaultPrivilege {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b DefaultPrivilege) int {
		return cmp.Or(cmp.Compare(a.Role, b.Role), cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.On, b.On),
			cmp.Compare(a.Grantee, b.Grantee), cmp.Compare(a.Privilege, b.Privilege))
	})
	return keys
}

// defaultsOn spells the kind of an object that default privileges apply
// to as DefaultPrivilege.On.
var defaultsOn = map[Kind]string{
	KindTable: "TABLES", KindSequence: "SEQUENCES", KindFunction: "FUNCTIONS",
	KindProcedure: "FUNCTIONS", KindAggregate: "FUNCTIONS", KindSchema: "SCHEMAS",
}

// ApplyDefaultPrivileges sets in privs what the default privileges defs
// of the applying user (Role "") give object o, of schema sch, when it is
// created: their grants, and the REVOKE of a privilege PostgreSQL grants
// by default. The parser calls it as it folds a creation, the planner for
// the objects a migration creates.
func ApplyDefaultPrivileges(defs map[DefaultPrivilege]*DefaultGrant, privs map[Privilege]*Grant, o Object, sch string, pos Pos) {
	on := defaultsOn[o.Kind]
	for _, k := range SortedDefaultPrivileges(defs) {
		g := defs[k]
		if k.Role != "" || on == "" || k.On != on || k.Schema != "" && k.Schema != sch {
			continue
		}
		p := Privilege{Object: o, Grantee: k.Grantee, Privilege: k.Privilege}
		if g.Revoked {
			delete(privs, p)
			continue
		}
		if cur := privs[p]; cur != nil {
			// A new Grant: privs may share its values with a catalog.
			privs[p] = &Grant{Grantable: cur.Grantable || g.Grantable, Pos: cur.Pos}
			continue
		}
		privs[p] = &Grant{Grantable: g.Grantable, Pos: pos}
	}
}

func init() {
	// Default privileges are state, not objects: they have no kind of
	// their own, and the set registers only to be made in New.
	Register(KindInfo{
		Noun: "default privileges",
		Init: func(c *Catalog) { c.DefaultPrivileges = map[DefaultPrivilege]*DefaultGrant{} },
	})
}
