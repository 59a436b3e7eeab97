package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// ALTER DEFAULT PRIVILEGES statements are rendered in a block of their
// own.
var blockDefaultPrivileges = newBlock()

func init() { registerKind("default privileges", defaultPrivilegesChange) }

// defaultPrivilegesChange renders planner/defaultprivilege.go's change.
func defaultPrivilegesChange(c planner.Change) (string, group, bool) {
	d, ok := c.(*planner.SetDefaultPrivileges)
	if !ok {
		return "", alone, false
	}
	var b strings.Builder
	b.WriteString("ALTER DEFAULT PRIVILEGES")
	if d.Role != "" {
		b.WriteString(" FOR ROLE " + schema.QuoteIdent(d.Role))
	}
	if d.Schema != "" {
		b.WriteString(" IN SCHEMA " + schema.QuoteIdent(d.Schema))
	}
	privs := strings.Join(d.Privileges, ", ")
	switch {
	case d.Revoke && d.GrantOption:
		b.WriteString(" REVOKE GRANT OPTION FOR " + privs + " ON " + d.On + " FROM " + grantee(d.Grantee))
	case d.Revoke:
		b.WriteString(" REVOKE " + privs + " ON " + d.On + " FROM " + grantee(d.Grantee))
	default:
		b.WriteString(" GRANT " + privs + " ON " + d.On + " TO " + grantee(d.Grantee))
		if d.GrantOption {
			b.WriteString(" WITH GRANT OPTION")
		}
	}
	b.WriteString(";")
	return b.String(), block(blockDefaultPrivileges), true
}
