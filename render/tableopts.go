package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// tableOption renders the changes of table options and policies; ok is
// false for any other change.
func tableOption(c planner.Change) (s string, ok bool) {
	switch c := c.(type) {
	case *planner.SetRowSecurity:
		if c.Enable {
			return alterTable(c.Table, "ENABLE ROW LEVEL SECURITY"), true
		}
		return alterTable(c.Table, "DISABLE ROW LEVEL SECURITY"), true
	case *planner.SetForceRowSecurity:
		if c.Force {
			return alterTable(c.Table, "FORCE ROW LEVEL SECURITY"), true
		}
		return alterTable(c.Table, "NO FORCE ROW LEVEL SECURITY"), true
	case *planner.SetReplicaIdentity:
		id := c.Identity
		if id == "" {
			id = "DEFAULT"
		}
		return alterTable(c.Table, "REPLICA IDENTITY "+id), true
	case *planner.SetStorageParams:
		var parts []string
		if len(c.Set) > 0 {
			parts = append(parts, "SET ("+storageParams(c.Set)+")")
		}
		if len(c.Reset) > 0 {
			parts = append(parts, "RESET ("+strings.Join(c.Reset, ", ")+")")
		}
		return alterTable(c.Table, strings.Join(parts, ", ")), true
	case *planner.SetLogged:
		if c.Unlogged {
			return alterTable(c.Table, "SET UNLOGGED"), true
		}
		return alterTable(c.Table, "SET LOGGED"), true
	case *planner.CreatePolicy:
		return createPolicy(c.Table, c.Policy), true
	case *planner.AttachPartition:
		return alterTable(c.Table, "ATTACH PARTITION "+c.Partition.String()+" "+c.Bound), true
	case *planner.DetachPartition:
		return alterTable(c.Table, "DETACH PARTITION "+c.Partition.String()), true
	case *planner.DropPolicy:
		return "DROP POLICY " + schema.QuoteIdent(c.Name) + " ON " + c.Table.String() + ";", true
	case *planner.AlterPolicy:
		s := "ALTER POLICY " + schema.QuoteIdent(c.Name) + " ON " + c.Table.String()
		if c.Roles != "" {
			s += " TO " + c.Roles
		}
		if c.SetUsing {
			s += " USING (" + c.Using + ")"
		}
		if c.SetCheck {
			s += " WITH CHECK (" + c.WithCheck + ")"
		}
		return s + ";", true
	}
	return "", false
}

func createPolicy(t schema.QualifiedName, p *schema.Policy) string {
	s := "CREATE POLICY " + schema.QuoteIdent(p.Name) + " ON " + t.String()
	if p.Restrictive {
		s += " AS RESTRICTIVE"
	}
	if p.Command != "" && p.Command != "ALL" {
		s += " FOR " + p.Command
	}
	if p.Roles != "" && p.Roles != "PUBLIC" {
		s += " TO " + p.Roles
	}
	if p.Using != "" {
		s += " USING (" + p.Using + ")"
	}
	if p.WithCheck != "" {
		s += " WITH CHECK (" + p.WithCheck + ")"
	}
	return s + ";"
}

// storageParams renders "name=value" items for WITH (...) and SET (...),
// quoting values that are not plain words or numbers.
func storageParams(items []string) string {
	out := make([]string, len(items))
	for i, item := range items {
		name, val, _ := strings.Cut(item, "=")
		if !plainValue(val) {
			val = schema.QuoteLiteral(val)
		}
		out[i] = name + "=" + val
	}
	return strings.Join(out, ", ")
}

func plainValue(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// createTableHead is what precedes the column list of CREATE TABLE, and
// createTableTail what follows it.
func createTableHead(c *planner.CreateTable) string {
	if c.Options.Unlogged {
		return "CREATE UNLOGGED TABLE " + c.Name.String()
	}
	return "CREATE TABLE " + c.Name.String()
}

func createTableTail(c *planner.CreateTable) string {
	var s string
	if c.Options.PartitionBy != "" {
		s += " PARTITION BY " + c.Options.PartitionBy
	}
	if c.Options.StorageParams != "" {
		s += " WITH (" + storageParams(strings.Split(c.Options.StorageParams, ", ")) + ")"
	}
	return s
}

// createPartition renders CREATE TABLE ... PARTITION OF: the columns are
// the parent's; only the partition's own constraints are listed.
func createPartition(c *planner.CreateTable) string {
	s := createTableHead(c) + " PARTITION OF " + c.Options.PartitionOf.String()
	if len(c.Constraints) > 0 {
		var lines []string
		for _, con := range c.Constraints {
			lines = append(lines, "    "+constraintDef(con))
		}
		s += " (\n" + strings.Join(lines, ",\n") + "\n)"
	}
	return s + " " + c.Options.PartitionBound + createTableTail(c) + ";"
}

func tableOptionGroup(c planner.Change) string {
	switch c := c.(type) {
	case *planner.CreatePolicy, *planner.DropPolicy, *planner.AlterPolicy:
		return "policy"
	case *planner.SetRowSecurity:
		return "table " + c.Table.String()
	case *planner.SetForceRowSecurity:
		return "table " + c.Table.String()
	case *planner.SetReplicaIdentity:
		return "table " + c.Table.String()
	case *planner.SetStorageParams:
		return "table " + c.Table.String()
	case *planner.SetLogged:
		return "table " + c.Table.String()
	case *planner.AttachPartition, *planner.DetachPartition:
		return "partition"
	}
	return ""
}
