package planner

import (
	"maps"
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// SetDefaultPrivileges is one ALTER DEFAULT PRIVILEGES statement: Grant
// (WITH GRANT OPTION when GrantOption) or, when Revoke, REVOKE (GRANT
// OPTION FOR when GrantOption) of Privileges on objects of kind On for
// the objects Role creates in Schema ("" for the applying user, and
// for every schema).
type SetDefaultPrivileges struct {
	Base
	Role, Schema, On, Grantee string
	Privileges                []string
	Revoke, GrantOption       bool
}

// defaultState is what an entry of the default privilege set holds: none
// (PostgreSQL's own default), granted, granted with grant option, or a
// built-in default revoked.
type defaultState int

const (
	defaultNone defaultState = iota
	defaultGranted
	defaultGrantable
	defaultRevoked
)

func stateOf(g *schema.DefaultGrant) defaultState {
	switch {
	case g == nil:
		return defaultNone
	case g.Revoked:
		return defaultRevoked
	case g.Grantable:
		return defaultGrantable
	}
	return defaultGranted
}

// defaultGroup is the role, schema, kind and grantee of one statement,
// and which statement it is.
type defaultGroup struct {
	role, schema, on, grantee string
	revoke, grantOption       bool
}

// diffDefaultPrivileges plans ALTER DEFAULT PRIVILEGES from the
// difference of the two default privilege sets, early in the migration
// (after the schemas are created): the objects the migration creates
// then take the new defaults, as they take them in a database loaded
// from schema.sql in order, and defaultBaseline expects them to.
func (s *planState) diffDefaultPrivileges() {
	keys := map[schema.DefaultPrivilege]bool{}
	for k := range s.from.DefaultPrivileges {
		keys[k] = true
	}
	for k := range s.to.DefaultPrivileges {
		keys[k] = true
	}
	var order []defaultGroup
	privs := map[defaultGroup][]string{}
	add := func(k schema.DefaultPrivilege, revoke, grantOption bool) {
		g := defaultGroup{k.Role, k.Schema, k.On, k.Grantee, revoke, grantOption}
		if _, ok := privs[g]; !ok {
			order = append(order, g)
		}
		privs[g] = append(privs[g], k.Privilege)
	}
	for _, k := range schema.SortedDefaultPrivileges(keys) {
		from, to := stateOf(s.from.DefaultPrivileges[k]), stateOf(s.to.DefaultPrivileges[k])
		switch {
		case from == to:
		case to == defaultRevoked, to == defaultNone && from != defaultRevoked:
			add(k, true, false)
		case to == defaultGranted && from == defaultGrantable:
			add(k, true, true)
		case to == defaultNone:
			add(k, false, false) // the built-in default, granted back
		default:
			add(k, false, to == defaultGrantable)
		}
	}
	for _, g := range order {
		s.add(phDefaultPrivileges, &SetDefaultPrivileges{Role: g.role, Schema: g.schema, On: g.on, Grantee: g.grantee,
			Privileges: privs[g], Revoke: g.revoke, GrantOption: g.grantOption})
	}
}

// defaultBaseline gives the objects that the plan creates (or drops and
// creates again) what default privileges grant them as PostgreSQL creates
// them: the new defaults, which run before the creates, and for schemas,
// created before them, the old. diffPrivileges then grants only the
// difference; what the defaults grant and schema.sql does not have is
// revoked here (diffPrivileges revokes nothing on a new object).
func (s *planState) defaultBaseline(out map[schema.Privilege]*schema.Grant) {
	if len(s.to.DefaultPrivileges) == 0 && len(s.from.DefaultPrivileges) == 0 {
		return
	}
	dropped := map[schema.Object]bool{}
	for _, ph := range s.phases {
		for _, c := range ph {
			if d, ok := c.(dropper); ok {
				dropped[d.dropped()] = true
			}
		}
	}
	byObject := map[schema.Object][]schema.Privilege{}
	for k := range out {
		byObject[k.Object] = append(byObject[k.Object], k)
	}
	apply := func(o schema.Object, sch string, defs map[schema.DefaultPrivilege]*schema.DefaultGrant) {
		if !dropped[o] && s.from.HasObject(o) {
			return
		}
		got := map[schema.Privilege]*schema.Grant{}
		for _, k := range byObject[o] {
			got[k] = out[k]
			delete(out, k)
		}
		schema.ApplyDefaultPrivileges(defs, got, o, sch, schema.Pos{})
		var revoke []schema.Privilege
		for _, k := range schema.SortedPrivileges(got) {
			if s.to.Privileges[k] == nil {
				revoke = append(revoke, k)
				continue
			}
			out[k] = got[k]
		}
		s.revokeDefaults(revoke)
	}
	for _, q := range schema.SortedNames(s.to.Tables) {
		apply(schema.Object{Kind: schema.KindTable, Name: q}, q.Schema, s.to.DefaultPrivileges)
	}
	for _, q := range schema.SortedNames(s.to.Views) {
		apply(schema.Object{Kind: schema.KindTable, Name: q}, q.Schema, s.to.DefaultPrivileges)
	}
	for _, q := range schema.SortedNames(s.to.Sequences) {
		apply(schema.Object{Kind: schema.KindSequence, Name: q}, q.Schema, s.to.DefaultPrivileges)
	}
	for _, k := range schema.SortedKeys(s.to.Functions) {
		apply(s.to.Functions[k].Object(), s.to.Functions[k].Name.Schema, s.to.DefaultPrivileges)
	}
	for _, k := range schema.SortedKeys(s.to.Aggregates) {
		apply(s.to.Aggregates[k].Object(), s.to.Aggregates[k].Name.Schema, s.to.DefaultPrivileges)
	}
	for _, n := range slices.Sorted(maps.Keys(s.to.Schemas)) {
		apply(schema.Object{Kind: schema.KindSchema, Name: schema.QualifiedName{Name: n}}, "", s.from.DefaultPrivileges)
	}
}

// revokeDefaults revokes, after the creates, privileges that default
// privileges gave new objects and schema.sql does not have, one REVOKE
// per object and grantee.
func (s *planState) revokeDefaults(ks []schema.Privilege) {
	var order []privGroup
	privs := map[privGroup][]string{}
	for _, k := range ks {
		g := privGroup{k.Object, k.Grantee, false}
		if _, ok := privs[g]; !ok {
			order = append(order, g)
		}
		privs[g] = append(privs[g], k.Privilege)
	}
	for _, g := range order {
		s.add(phPrivileges, &RevokePrivileges{Object: g.obj, Grantee: g.grantee, Privileges: privs[g]})
	}
}

func init() {
	registerKind("default privileges", kindPlanner{diff: (*planState).diffDefaultPrivileges, stage: stageTypes, order: 1,
		baseline: (*planState).defaultBaseline,
		changes:  []Change{&SetDefaultPrivileges{}}})
}
