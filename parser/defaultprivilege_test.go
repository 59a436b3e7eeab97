package parser

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

func init() { kindDumps = append(kindDumps, dumpDefaultPrivileges) }

// dumpDefaultPrivileges writes the default privileges of a golden
// catalog, one entry a line.
func dumpDefaultPrivileges(b *strings.Builder, cat *schema.Catalog) {
	for _, k := range schema.SortedDefaultPrivileges(cat.DefaultPrivileges) {
		g := cat.DefaultPrivileges[k]
		fmt.Fprintf(b, "default privilege role=%q schema=%q %s %s to %s grantable=%v revoked=%v\n", k.Role, k.Schema, k.Privilege, k.On, k.Grantee, g.Grantable, g.Revoked)
	}
}
