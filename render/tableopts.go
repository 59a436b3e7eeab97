package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// tableOptionChange renders the changes of table options and policies; ok is
// false for any other change.
func tableOptionChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.SetRowSecurity:
		if c.Enable {
			return alterTable(c.Table, "ENABLE ROW LEVEL SECURITY"), blockOf(blockTable, c.Table.String()), true
		}
		return alterTable(c.Table, "DISABLE ROW LEVEL SECURITY"), blockOf(blockTable, c.Table.String()), true
	case *planner.SetForceRowSecurity:
		if c.Force {
			return alterTable(c.Table, "FORCE ROW LEVEL SECURITY"), blockOf(blockTable, c.Table.String()), true
		}
		return alterTable(c.Table, "NO FORCE ROW LEVEL SECURITY"), blockOf(blockTable, c.Table.String()), true
	case *planner.SetReplicaIdentity:
		id := c.Identity
		if id == "" {
			id = "DEFAULT"
		}
		return alterTable(c.Table, "REPLICA IDENTITY "+id), blockOf(blockTable, c.Table.String()), true
	case *planner.SetStorageParams:
		var parts []string
		if len(c.Set) > 0 {
			parts = append(parts, "SET ("+storageParams(c.Set)+")")
		}
		if len(c.Reset) > 0 {
			parts = append(parts, "RESET ("+strings.Join(c.Reset, ", ")+")")
		}
		return alterTable(c.Table, strings.Join(parts, ", ")), blockOf(blockTable, c.Table.String()), true
	case *planner.SetOfType:
		if c.Type == (schema.QualifiedName{}) {
			return alterTable(c.Table, "NOT OF"), blockOf(blockTable, c.Table.String()), true
		}
		return alterTable(c.Table, "OF "+c.Type.String()), blockOf(blockTable, c.Table.String()), true
	case *planner.SetLogged:
		if c.Unlogged {
			return alterTable(c.Table, "SET UNLOGGED"), blockOf(blockTable, c.Table.String()), true
		}
		return alterTable(c.Table, "SET LOGGED"), blockOf(blockTable, c.Table.String()), true
	case *planner.CreatePolicy:
		return createPolicy(c.Table, c.Policy), block(blockPolicy), true
	case *planner.AttachPartition:
		return alterTable(c.Table, "ATTACH PARTITION "+c.Partition.String()+" "+c.Bound), block(blockPartition), true
	case *planner.DetachPartition:
		return alterTable(c.Table, "DETACH PARTITION "+c.Partition.String()), block(blockPartition), true
	case *planner.SetInherit:
		verb := "NO INHERIT "
		if c.Inherit {
			verb = "INHERIT "
		}
		return alterTable(c.Table, verb+c.Parent.String()), blockOf(blockTable, c.Table.String()), true
	case *planner.DropPolicy:
		return "DROP POLICY " + schema.QuoteIdent(c.Name) + " ON " + c.Table.String() + ";", block(blockPolicy), true
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
		return s + ";", block(blockPolicy), true
	}
	return "", alone, false
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
		s += " USING (" + p.UsingSrc + ")"
	}
	if p.WithCheck != "" {
		s += " WITH CHECK (" + p.WithCheckSrc + ")"
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
	if c.Options.Server != "" {
		return "CREATE FOREIGN TABLE " + c.Name.String()
	}
	if c.Options.Unlogged {
		return "CREATE UNLOGGED TABLE " + c.Name.String()
	}
	return "CREATE TABLE " + c.Name.String()
}

func createTableTail(c *planner.CreateTable) string {
	var s string
	if c.Options.Inherits != "" {
		s += " INHERITS (" + c.Options.Inherits + ")"
	}
	if c.Options.Server != "" {
		return s + " SERVER " + schema.QuoteIdent(c.Options.Server) + options(c.FDWOptions)
	}
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
	if len(c.Constraints)+len(c.NotNull) > 0 {
		var lines []string
		for _, col := range c.NotNull {
			lines = append(lines, "    "+schema.QuoteIdent(col)+" NOT NULL")
		}
		for _, con := range c.Constraints {
			lines = append(lines, "    "+constraintDef(con))
		}
		s += " (\n" + strings.Join(lines, ",\n") + "\n)"
	}
	return s + " " + c.Options.BoundSQL() + createTableTail(c) + ";"
}
