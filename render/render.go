package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// ReviewMarker starts the comment line that marks a hazardous statement; it
// is the text package migfile looks for (migfile.UnreviewedMarker).
const ReviewMarker = "-- ddlmig:unreviewed"

// SQL renders the plan as SQL statements in plan order, each ending with a
// semicolon. Statements about the same object stay together; a blank line
// separates groups. Each hazard becomes a review marker line directly above
// its statement; a type change that needs none says why in a plain comment.
// An empty plan renders as "".
func SQL(p *planner.Plan) string {
	var b strings.Builder
	prev := ""
	for i, c := range p.Changes {
		g := group(c)
		if i > 0 && (g == "" || g != prev) {
			b.WriteString("\n")
		}
		prev = g
		for _, h := range planner.HazardsOf(c) {
			fmt.Fprintf(&b, "%s %s: %s\n", ReviewMarker, h.Code, oneLine(h.Message))
		}
		if at, ok := c.(*planner.AlterColumnType); ok && at.Class == planner.MetadataOnly {
			// Say why a type change carries no marker, so that a reviewer
			// does not wonder whether it was overlooked.
			fmt.Fprintf(&b, "-- metadata-only: %s\n", oneLine(at.Reason))
		}
		b.WriteString(Statement(c))
		b.WriteString("\n")
	}
	return b.String()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// group returns the object a change is about, so that consecutive changes
// to one table print as one block; "" means the change stands alone.
func group(c planner.Change) string {
	switch c := c.(type) {
	case *planner.CreateTable:
		return "table " + c.Name.String()
	case *planner.AddColumn:
		return "table " + c.Table.String()
	case *planner.DropColumn:
		return "table " + c.Table.String()
	case *planner.RenameColumn:
		return "rename"
	case *planner.RenameTable, *planner.RenameConstraint, *planner.RenameIndex, *planner.RenameSequence:
		return "rename"
	case *planner.AlterColumnType:
		return "table " + c.Table.String()
	case *planner.SetDefault:
		return "table " + c.Table.String()
	case *planner.DropDefault:
		return "table " + c.Table.String()
	case *planner.SetNotNull:
		return "table " + c.Table.String()
	case *planner.DropNotNull:
		return "table " + c.Table.String()
	case *planner.AddIdentity:
		return "table " + c.Table.String()
	case *planner.DropIdentity:
		return "table " + c.Table.String()
	case *planner.SetIdentity:
		return "table " + c.Table.String()
	case *planner.SyncSequence:
		return "table " + c.Table.String()
	case *planner.DropExpression:
		return "table " + c.Table.String()
	case *planner.SetGenerated:
		return "table " + c.Table.String()
	case *planner.AddConstraint:
		return "add constraint " + c.Table.String()
	case *planner.DropConstraint:
		return "drop constraint " + c.Table.String()
	case *planner.ValidateConstraint:
		return "add constraint " + c.Table.String()
	case *planner.CreateSequence, *planner.AlterSequence, *planner.DropSequence:
		return "sequence"
	case *planner.CreateEnum, *planner.DropEnum:
		return "type"
	case *planner.CreateSchema, *planner.DropSchema:
		return "schema"
	case *planner.CreateExtension, *planner.DropExtension, *planner.AlterExtensionSchema:
		return "extension"
	case *planner.AddEnumValue:
		return "enum " + c.Enum.String()
	case *planner.SetComment:
		return "comment"
	case *planner.CreateIndex:
		return "create index"
	case *planner.DropIndex:
		return "drop index"
	case *planner.SetSequenceOwner:
		return "owner"
	case *planner.SetRowSecurity, *planner.SetForceRowSecurity, *planner.SetReplicaIdentity, *planner.SetStorageParams,
		*planner.SetLogged, *planner.CreatePolicy, *planner.DropPolicy, *planner.AlterPolicy,
		*planner.AttachPartition, *planner.DetachPartition:
		return tableOptionGroup(c)
	case *planner.CreateDomain, *planner.DropDomain, *planner.SetDomainDefault, *planner.SetDomainNotNull,
		*planner.AddDomainConstraint, *planner.DropDomainConstraint, *planner.ValidateDomainConstraint,
		*planner.RenameDomainConstraint:
		return domainGroup(c)
	case *planner.GrantPrivileges, *planner.RevokePrivileges:
		return "privileges"
	case *planner.SetOwner:
		return "owners"
	case *planner.RebuildEnum:
		return ""
	case *planner.RenameEnumValue:
		return "enum " + c.Enum.String()
	case *planner.CreateComposite, *planner.DropComposite, *planner.AddAttribute, *planner.DropAttribute,
		*planner.AlterAttributeType:
		return compositeGroup(c)
	case *planner.CreateCollation:
		return "collation"
	case *planner.DropCollation:
		return "drop collation"
	}
	return routineGroup(c)
}

// Statement renders one change as SQL ending with a semicolon, without its
// hazards.
func Statement(c planner.Change) string {
	switch c := c.(type) {
	case *planner.CreateSchema:
		return "CREATE SCHEMA " + schema.QuoteIdent(c.Name) + ";"
	case *planner.DropSchema:
		return "DROP SCHEMA " + schema.QuoteIdent(c.Name) + ";"
	case *planner.CreateExtension:
		s := "CREATE EXTENSION " + schema.QuoteIdent(c.Name)
		if c.Schema != "" {
			s += " WITH SCHEMA " + schema.QuoteIdent(c.Schema)
		}
		return s + ";"
	case *planner.DropExtension:
		return "DROP EXTENSION " + schema.QuoteIdent(c.Name) + ";"
	case *planner.AlterExtensionSchema:
		return "ALTER EXTENSION " + schema.QuoteIdent(c.Name) + " SET SCHEMA " + schema.QuoteIdent(c.Schema) + ";"
	case *planner.CreateEnum:
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = schema.QuoteLiteral(v)
		}
		return "CREATE TYPE " + c.Name.String() + " AS ENUM (" + strings.Join(vals, ", ") + ");"
	case *planner.DropEnum:
		return "DROP TYPE " + c.Name.String() + ";"
	case *planner.AddEnumValue:
		s := "ALTER TYPE " + c.Enum.String() + " ADD VALUE " + schema.QuoteLiteral(c.Value)
		switch {
		case c.Before != "":
			s += " BEFORE " + schema.QuoteLiteral(c.Before)
		case c.After != "":
			s += " AFTER " + schema.QuoteLiteral(c.After)
		}
		return s + ";"
	case *planner.CreateSequence:
		return "CREATE SEQUENCE " + c.Name.String() + " " + sequenceOptions(c.Def) + ";"
	case *planner.AlterSequence:
		return "ALTER SEQUENCE " + c.Name.String() + " " + sequenceChanges(c.From, c.To) + ";"
	case *planner.DropSequence:
		return "DROP SEQUENCE " + c.Name.String() + ";"
	case *planner.SetSequenceOwner:
		owner := "NONE"
		if !c.OwnedBy.IsZero() {
			owner = c.OwnedBy.Table.String() + "." + schema.QuoteIdent(c.OwnedBy.Column)
		}
		return "ALTER SEQUENCE " + c.Name.String() + " OWNED BY " + owner + ";"
	case *planner.CreateTable:
		return createTable(c)
	case *planner.DropTable:
		return "DROP TABLE " + c.Name.String() + ";"
	case *planner.RenameTable:
		return "ALTER TABLE " + c.Name.String() + " RENAME TO " + schema.QuoteIdent(c.To) + ";"
	case *planner.AddColumn:
		return alterTable(c.Table, "ADD COLUMN "+columnDef(c.Column))
	case *planner.DropColumn:
		return alterTable(c.Table, "DROP COLUMN "+schema.QuoteIdent(c.Column))
	case *planner.RenameColumn:
		return alterTable(c.Table, "RENAME COLUMN "+schema.QuoteIdent(c.From)+" TO "+schema.QuoteIdent(c.To))
	case *planner.AlterColumnType:
		s := "TYPE " + c.Type.String()
		if c.Collation != "" {
			s += " COLLATE " + c.Collation
		}
		if c.Using != "" {
			s += " USING " + c.Using
		}
		return alterColumn(c.Table, c.Column, s)
	case *planner.SetDefault:
		return alterColumn(c.Table, c.Column, "SET DEFAULT "+c.Default)
	case *planner.DropDefault:
		return alterColumn(c.Table, c.Column, "DROP DEFAULT")
	case *planner.SetNotNull:
		return alterColumn(c.Table, c.Column, "SET NOT NULL")
	case *planner.DropNotNull:
		return alterColumn(c.Table, c.Column, "DROP NOT NULL")
	case *planner.AddIdentity:
		return alterColumn(c.Table, c.Column, "ADD "+identity(c.Identity, c.Options))
	case *planner.DropIdentity:
		return alterColumn(c.Table, c.Column, "DROP IDENTITY")
	case *planner.SyncSequence:
		seq := schema.QuoteLiteral(c.Sequence.String())
		if c.Sequence.Name == "" {
			seq = "pg_get_serial_sequence(" + schema.QuoteLiteral(c.Table.String()) + ", " + schema.QuoteLiteral(c.Column) + ")"
		}
		col := schema.QuoteIdent(c.Column)
		return "SELECT setval(" + seq + ", max(" + col + ")) FROM " + c.Table.String() + " HAVING max(" + col + ") IS NOT NULL;"
	case *planner.SetIdentity:
		var parts []string
		switch c.Identity {
		case schema.IdentityAlways:
			parts = append(parts, "SET GENERATED ALWAYS")
		case schema.IdentityByDefault:
			parts = append(parts, "SET GENERATED BY DEFAULT")
		}
		for _, o := range c.Options {
			if strings.HasPrefix(o, "RESTART") {
				// RESTART is its own clause of ALTER COLUMN, without SET.
				parts = append(parts, o)
				continue
			}
			parts = append(parts, "SET "+o)
		}
		return alterColumn(c.Table, c.Column, strings.Join(parts, " "))
	case *planner.DropExpression:
		return alterColumn(c.Table, c.Column, "DROP EXPRESSION")
	case *planner.SetGenerated:
		return alterTable(c.Table, "DROP COLUMN "+schema.QuoteIdent(c.Column.Name)+", ADD COLUMN "+columnDef(c.Column))
	case *planner.AddConstraint:
		if c.UsingIndex != "" {
			kw, _, _ := strings.Cut(c.Constraint.Def, " (")
			return alterTable(c.Table, "ADD CONSTRAINT "+schema.QuoteIdent(c.Constraint.Name)+" "+kw+" USING INDEX "+schema.QuoteIdent(c.UsingIndex))
		}
		s := "ADD " + constraintDef(c.Constraint)
		if c.Constraint.NotValid {
			s += " NOT VALID"
		}
		return alterTable(c.Table, s)
	case *planner.DropConstraint:
		return alterTable(c.Table, "DROP CONSTRAINT "+schema.QuoteIdent(c.Name))
	case *planner.ValidateConstraint:
		return alterTable(c.Table, "VALIDATE CONSTRAINT "+schema.QuoteIdent(c.Name))
	case *planner.RenameConstraint:
		return alterTable(c.Table, "RENAME CONSTRAINT "+schema.QuoteIdent(c.From)+" TO "+schema.QuoteIdent(c.To))
	case *planner.RenameIndex:
		return "ALTER INDEX " + c.Name.String() + " RENAME TO " + schema.QuoteIdent(c.To) + ";"
	case *planner.RenameSequence:
		return "ALTER SEQUENCE " + c.Name.String() + " RENAME TO " + schema.QuoteIdent(c.To) + ";"
	case *planner.CreateIndex:
		s := "CREATE "
		if c.Index.Unique {
			s += "UNIQUE "
		}
		return s + "INDEX " + schema.QuoteIdent(c.Index.Name.Name) + " ON " + c.Index.Def + ";"
	case *planner.DropIndex:
		return "DROP INDEX " + c.Name.String() + ";"
	case *planner.SetComment:
		return comment(c)
	case *planner.CreateDomain, *planner.DropDomain, *planner.SetDomainDefault, *planner.SetDomainNotNull,
		*planner.AddDomainConstraint, *planner.DropDomainConstraint, *planner.ValidateDomainConstraint,
		*planner.RenameDomainConstraint:
		return domainStatement(c)
	case *planner.GrantPrivileges, *planner.RevokePrivileges, *planner.SetOwner:
		return privilegeStatement(c)
	case *planner.RebuildEnum:
		return rebuildEnum(c)
	case *planner.RenameEnumValue:
		return "ALTER TYPE " + c.Enum.String() + " RENAME VALUE " + schema.QuoteLiteral(c.From) + " TO " + schema.QuoteLiteral(c.To) + ";"
	case *planner.CreateComposite, *planner.DropComposite, *planner.AddAttribute, *planner.DropAttribute,
		*planner.AlterAttributeType:
		return compositeStatement(c)
	case *planner.CreateCollation:
		return "CREATE COLLATION " + c.Collation.Name.String() + " (" + c.Collation.Def + ");"
	case *planner.DropCollation:
		return "DROP COLLATION " + c.Name.String() + ";"
	case *planner.Irreversible:
		return "DO $ddlmig$\nBEGIN\n    RAISE EXCEPTION USING MESSAGE = " +
			schema.QuoteLiteral("ddlmig: cannot migrate: "+c.Reason) + ";\nEND\n$ddlmig$;"
	}
	if s, ok := tableOption(c); ok {
		return s
	}
	if s, ok := routine(c); ok {
		return s
	}
	panic(fmt.Sprintf("render: unknown change %T", c))
}

func alterTable(t schema.QualifiedName, action string) string {
	return "ALTER TABLE " + t.String() + " " + action + ";"
}

func alterColumn(t schema.QualifiedName, col, action string) string {
	return alterTable(t, "ALTER COLUMN "+schema.QuoteIdent(col)+" "+action)
}

func createTable(c *planner.CreateTable) string {
	if c.Options.IsPartition() {
		return createPartition(c)
	}
	var lines []string
	for _, col := range c.Columns {
		lines = append(lines, "    "+columnDef(col))
	}
	for _, con := range c.Constraints {
		lines = append(lines, "    "+constraintDef(con))
	}
	if len(lines) == 0 {
		return createTableHead(c) + " ()" + createTableTail(c) + ";"
	}
	return createTableHead(c) + " (\n" + strings.Join(lines, ",\n") + "\n)" + createTableTail(c) + ";"
}

// columnDef renders a column as CREATE TABLE and ADD COLUMN take it.
func columnDef(c *schema.Column) string {
	s := schema.QuoteIdent(c.Name) + " " + c.Type.String()
	if c.Collation != "" {
		s += " COLLATE " + c.Collation
	}
	if c.Default != "" {
		s += " DEFAULT " + c.Default
	}
	if c.NotNull {
		s += " NOT NULL"
	}
	if c.Identity != schema.IdentityNone {
		s += " " + identity(c.Identity, c.IdentityOptions)
	}
	if c.Generated != "" {
		s += " GENERATED ALWAYS AS (" + c.Generated + ") STORED"
	}
	return s
}

func identity(id schema.Identity, options string) string {
	s := id.String()
	if options != "" {
		s += " (" + options + ")"
	}
	return s
}

func constraintDef(c *schema.Constraint) string {
	return "CONSTRAINT " + schema.QuoteIdent(c.Name) + " " + c.Def
}

func sequenceOptions(d schema.SequenceDef) string {
	s := fmt.Sprintf("AS %s START WITH %d INCREMENT BY %d MINVALUE %d MAXVALUE %d CACHE %d",
		d.Type, d.Start, d.Increment, d.Min, d.Max, d.Cache)
	if d.Cycle {
		s += " CYCLE"
	}
	return s
}

// sequenceChanges renders the options of ALTER SEQUENCE that differ. A
// type change always restates the bounds: PostgreSQL would otherwise move a
// bound that was the old type's default to the new type's.
func sequenceChanges(f, t schema.SequenceDef) string {
	var parts []string
	num := func(kw string, a, b int64, force bool) {
		if a != b || force {
			parts = append(parts, kw+" "+strconv.FormatInt(b, 10))
		}
	}
	typeChange := f.Type != t.Type
	if typeChange {
		parts = append(parts, "AS "+t.Type)
	}
	num("START WITH", f.Start, t.Start, false)
	num("INCREMENT BY", f.Increment, t.Increment, false)
	num("MINVALUE", f.Min, t.Min, typeChange)
	num("MAXVALUE", f.Max, t.Max, typeChange)
	num("CACHE", f.Cache, t.Cache, false)
	if f.Cycle != t.Cycle {
		if t.Cycle {
			parts = append(parts, "CYCLE")
		} else {
			parts = append(parts, "NO CYCLE")
		}
	}
	return strings.Join(parts, " ")
}

func comment(c *planner.SetComment) string {
	var target string
	switch c.Kind {
	case schema.KindColumn:
		target = c.Name.String() + "." + schema.QuoteIdent(c.Sub)
	case schema.KindConstraint, schema.KindPolicy, schema.KindTrigger:
		target = schema.QuoteIdent(c.Sub) + " ON " + c.Name.String()
	default:
		target = objectName(schema.Object{Kind: c.Kind, Name: c.Name})
	}
	text := "NULL"
	if c.Comment != "" {
		text = schema.QuoteLiteral(c.Comment)
	}
	return "COMMENT ON " + c.Kind.String() + " " + target + " IS " + text + ";"
}
