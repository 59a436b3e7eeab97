package planner

import (
	"maps"
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// GrantPrivileges grants privileges on one object (or column) to one
// grantee, WITH GRANT OPTION when Grantable. It also turns a privilege held
// without grant option into one held with it.
type GrantPrivileges struct {
	Base
	Object     schema.PrivilegeObject
	Grantee    string
	Privileges []string
	Grantable  bool
}

// RevokePrivileges revokes privileges on one object (or column) from one
// grantee; with GrantOptionOnly it revokes only the right to pass them on
// (REVOKE GRANT OPTION FOR).
type RevokePrivileges struct {
	Base
	Object          schema.PrivilegeObject
	Grantee         string
	Privileges      []string
	GrantOptionOnly bool
}

// privGroup is the object and grantee that one GRANT or REVOKE is about.
type privGroup struct {
	obj     schema.PrivilegeObject
	grantee string
	flag    bool
}

// diffPrivileges grants what to has and from lacks and revokes the
// reverse, comparing the two privilege sets entry by entry. Privileges of
// objects that are dropped go with them (a view or table dropped to be
// created again gets its privileges granted again); those of objects
// created are granted after the objects exist (the phase runs after every
// create). It runs after every other diff, which it reads.
func (s *planState) diffPrivileges() {
	var revokes, grants []privGroup
	revoke := map[privGroup][]string{}
	grant := map[privGroup][]string{}
	add := func(m map[privGroup][]string, order *[]privGroup, g privGroup, p string) {
		if _, ok := m[g]; !ok {
			*order = append(*order, g)
		}
		m[g] = append(m[g], p)
	}
	// Relations the plan drops (also to create them again) lose their
	// privileges with them.
	dropped := map[schema.QualifiedName]bool{}
	for _, ph := range s.phases {
		for _, c := range ph {
			switch c := c.(type) {
			case *DropTable:
				dropped[c.Name] = true
			case *DropView:
				dropped[c.Name] = true
			}
		}
	}
	gone := func(o schema.PrivilegeObject) bool { return o.Kind == schema.KindTable && dropped[o.Name] }
	from := s.routineBaseline()
	for _, k := range schema.SortedPrivileges(from) {
		fg, tg := from[k], s.to.Privileges[k]
		switch {
		case gone(k.Object):
		case tg == nil:
			if s.privilegeObjectKept(k.Object) {
				add(revoke, &revokes, privGroup{k.Object, k.Grantee, false}, k.Privilege)
			}
		case fg.Grantable && !tg.Grantable:
			add(revoke, &revokes, privGroup{k.Object, k.Grantee, true}, k.Privilege)
		}
	}
	for _, k := range schema.SortedPrivileges(s.to.Privileges) {
		fg, tg := from[k], s.to.Privileges[k]
		if fg == nil || gone(k.Object) || (tg.Grantable && !fg.Grantable) {
			add(grant, &grants, privGroup{k.Object, k.Grantee, tg.Grantable}, k.Privilege)
		}
	}
	for _, g := range revokes {
		s.add(phPrivileges, &RevokePrivileges{Object: g.obj, Grantee: g.grantee, Privileges: revoke[g], GrantOptionOnly: g.flag})
	}
	for _, g := range grants {
		s.add(phPrivileges, &GrantPrivileges{Object: g.obj, Grantee: g.grantee, Privileges: grant[g], Grantable: g.flag})
	}
}

// routineBaseline returns the privileges of from as they stand after the
// plan's routine changes: a routine the plan drops (also to create it
// again) loses its privileges, and one it creates starts with what
// PostgreSQL grants a new routine, EXECUTE to PUBLIC. Diffing to against
// this set revokes EXECUTE FROM PUBLIC after the CREATE when to says so,
// and grants nothing for the default.
func (s *planState) routineBaseline() map[schema.Privilege]*schema.Grant {
	dropped := map[string]bool{}
	for _, ph := range s.phases {
		for _, c := range ph {
			if c, ok := c.(*DropFunction); ok {
				dropped[c.Function.Signature()] = true
			}
		}
	}
	out := make(map[schema.Privilege]*schema.Grant, len(s.from.Privileges))
	for k, g := range s.from.Privileges {
		if (k.Object.Kind == schema.KindFunction || k.Object.Kind == schema.KindProcedure) && (dropped[k.Object.Name.Name] || s.from.Functions[k.Object.Name.Name] == nil) {
			continue
		}
		out[k] = g
	}
	for sig, fn := range s.to.Functions {
		if s.from.Functions[sig] != nil && !dropped[sig] {
			continue
		}
		k := schema.Privilege{Object: fn.Object(), Grantee: schema.PublicGrantee, Privilege: "EXECUTE"}
		out[k] = &schema.Grant{}
	}
	// In noun order: default privileges apply to the aggregates that the
	// aggregate baseline creates.
	for _, noun := range slices.Sorted(maps.Keys(kindPlanners)) {
		if kp := kindPlanners[noun]; kp.baseline != nil {
			kp.baseline(s, out)
		}
	}
	return out
}
