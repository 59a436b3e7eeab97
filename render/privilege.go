package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// privilegeChange renders GRANT, REVOKE and ALTER ... OWNER TO.
func privilegeChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.GrantPrivileges:
		s := "GRANT " + privilegeList(c.Privileges, c.Object) + " ON " + grantTarget(c.Object) + " TO " + grantee(c.Grantee)
		if c.Grantable {
			s += " WITH GRANT OPTION"
		}
		return s + ";", block(blockPrivileges), true
	case *planner.RevokePrivileges:
		s := "REVOKE "
		if c.GrantOptionOnly {
			s += "GRANT OPTION FOR "
		}
		return s + privilegeList(c.Privileges, c.Object) + " ON " + grantTarget(c.Object) + " FROM " + grantee(c.Grantee) + ";", block(blockPrivileges), true
	case *planner.SetOwner:
		owner := "CURRENT_USER"
		if c.Owner != "" {
			owner = schema.QuoteIdent(c.Owner)
		}
		return "ALTER " + privilegeTarget(c.Object) + " OWNER TO " + owner + ";", block(blockOwners), true
	}
	return "", alone, false
}

func privilegeList(privs []string, o schema.PrivilegeObject) string {
	s := strings.Join(privs, ", ")
	if o.Column != "" {
		// Each privilege names the column: GRANT SELECT (a), UPDATE (a).
		parts := make([]string, len(privs))
		for i, p := range privs {
			parts[i] = p + " (" + schema.QuoteIdent(o.Column) + ")"
		}
		s = strings.Join(parts, ", ")
	}
	return s
}

// privilegeTarget names an object as GRANT and ALTER ... OWNER TO do:
// its kind, then its name.
func privilegeTarget(o schema.Object) string {
	return o.Kind.String() + " " + objectName(o)
}

// grantTarget is privilegeTarget as GRANT and REVOKE spell it: they name
// an aggregate FUNCTION and a server FOREIGN SERVER.
func grantTarget(o schema.Object) string {
	switch o.Kind {
	case schema.KindAggregate:
		return "FUNCTION " + aggregateGrantName(o.Name.Name)
	case schema.KindServer:
		return "FOREIGN SERVER " + objectName(o)
	}
	return privilegeTarget(o)
}

// objectName is an object's name as SQL spells it after the kind: a schema
// or extension unqualified, a routine by its signature.
func objectName(o schema.Object) string {
	switch o.Kind.NameForm() {
	case schema.Unqualified:
		return schema.QuoteIdent(o.Name.Name)
	case schema.Signature:
		// Name.Name is the signature, quoted already.
		return o.Name.Name
	}
	return o.Name.String()
}

func grantee(g string) string {
	if g == schema.PublicGrantee {
		return g
	}
	return schema.QuoteIdent(g)
}
