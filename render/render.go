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

// DownHazardMarker starts the comment line that marks a hazardous statement
// in a down file (migfile.DownHazardMarker): ddlmig down asks about it when
// it runs the file; check and apply do not gate it.
const DownHazardMarker = "-- ddlmig:down-hazard"

// SQL renders the plan as SQL statements in plan order, each ending with a
// semicolon. Statements about the same object stay together; a blank line
// separates groups. Each hazard becomes a review marker line directly above
// its statement; a type change that needs none says why in a plain comment.
// An empty plan renders as "".
func SQL(p *planner.Plan) string {
	return markedSQL(p, ReviewMarker)
}

// markedSQL is SQL with marker starting each hazard's line.
func markedSQL(p *planner.Plan, marker string) string {
	var b strings.Builder
	var prev group
	for i, c := range p.Changes {
		stmt, g := statement(c)
		if i > 0 && (g == alone || g != prev) {
			b.WriteString("\n")
		}
		prev = g
		for _, h := range planner.HazardsOf(c) {
			fmt.Fprintf(&b, "%s %s: %s\n", marker, h.Code, oneLine(h.Message))
		}
		if at, ok := c.(*planner.AlterColumnType); ok && at.Class == planner.MetadataOnly {
			// Say why a type change carries no marker, so that a reviewer
			// does not wonder whether it was overlooked.
			fmt.Fprintf(&b, "-- metadata-only: %s\n", oneLine(at.Reason))
		}
		b.WriteString(stmt)
		b.WriteString("\n")
	}
	return b.String()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// Statement renders one change as SQL ending with a semicolon, without its
// hazards.
func Statement(c planner.Change) string {
	s, _ := statement(c)
	return s
}

// statement renders one change and says which block it prints in: the one
// place that knows every change type. A change no renderer claims (a
// planner change added without its render case, which
// TestEveryChangeRenders catches) renders as a statement that fails, so a
// migration stops instead of skipping a step.
func statement(c planner.Change) (string, group) {
	for _, r := range renderers {
		if s, g, ok := r(c); ok {
			return s, g
		}
	}
	for _, r := range kindRenderers {
		if s, g, ok := r(c); ok {
			return s, g
		}
	}
	return failing(fmt.Sprintf("cannot render change %T", c)), alone
}

// renderers are the renderers of the changes that several kinds share
// (comments, privileges, owners) and of the kinds Diff plans itself; a
// kind with its own file registers its renderer there (kinds.go).
var renderers = []func(planner.Change) (string, group, bool){
	coreChange,
	tableChange,
	privilegeChange,
	tableOptionChange,
	routineChange,
	verbatimChange,
}

// failing is a statement that stops a migration with message.
func failing(message string) string {
	return "DO $ddlmig$\nBEGIN\n    RAISE EXCEPTION USING MESSAGE = " +
		schema.QuoteLiteral("ddlmig: "+message) + ";\nEND\n$ddlmig$;"
}

// coreChange renders the changes to schemas, extensions, enums, sequences,
// comments and collations, and the irreversible step.
func coreChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateSchema:
		return "CREATE SCHEMA " + schema.QuoteIdent(c.Name) + ";", block(blockSchema), true
	case *planner.DropSchema:
		return "DROP SCHEMA " + schema.QuoteIdent(c.Name) + ";", block(blockSchema), true
	case *planner.CreateExtension:
		s := "CREATE EXTENSION " + schema.QuoteIdent(c.Name)
		if c.Schema != "" {
			s += " WITH SCHEMA " + schema.QuoteIdent(c.Schema)
		}
		return s + ";", block(blockExtension), true
	case *planner.DropExtension:
		return "DROP EXTENSION " + schema.QuoteIdent(c.Name) + ";", block(blockExtension), true
	case *planner.AlterExtensionSchema:
		return "ALTER EXTENSION " + schema.QuoteIdent(c.Name) + " SET SCHEMA " + schema.QuoteIdent(c.Schema) + ";", block(blockExtension), true
	case *planner.CreateEnum:
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = schema.QuoteLiteral(v)
		}
		return "CREATE TYPE " + c.Name.String() + " AS ENUM (" + strings.Join(vals, ", ") + ");", block(blockType), true
	case *planner.DropEnum:
		return "DROP TYPE " + c.Name.String() + ";", block(blockType), true
	case *planner.AddEnumValue:
		s := "ALTER TYPE " + c.Enum.String() + " ADD VALUE " + schema.QuoteLiteral(c.Value)
		switch {
		case c.Before != "":
			s += " BEFORE " + schema.QuoteLiteral(c.Before)
		case c.After != "":
			s += " AFTER " + schema.QuoteLiteral(c.After)
		}
		return s + ";", blockOf(blockEnum, c.Enum.String()), true
	case *planner.CreateSequence:
		return "CREATE SEQUENCE " + c.Name.String() + " " + sequenceOptions(c.Def) + ";", block(blockSequence), true
	case *planner.AlterSequence:
		return "ALTER SEQUENCE " + c.Name.String() + " " + sequenceChanges(c.From, c.To) + ";", block(blockSequence), true
	case *planner.DropSequence:
		return "DROP SEQUENCE " + c.Name.String() + ";", block(blockSequence), true
	case *planner.SetSequenceOwner:
		owner := "NONE"
		if !c.OwnedBy.IsZero() {
			owner = c.OwnedBy.Table.String() + "." + schema.QuoteIdent(c.OwnedBy.Column)
		}
		return "ALTER SEQUENCE " + c.Name.String() + " OWNED BY " + owner + ";", block(blockSequenceOwner), true
	case *planner.RenameSequence:
		return "ALTER SEQUENCE " + c.Name.String() + " RENAME TO " + schema.QuoteIdent(c.To) + ";", block(blockRename), true
	case *planner.SetComment:
		return comment(c), block(blockComment), true
	case *planner.RebuildEnum:
		return rebuildEnum(c), alone, true
	case *planner.RenameEnumValue:
		return "ALTER TYPE " + c.Enum.String() + " RENAME VALUE " + schema.QuoteLiteral(c.From) + " TO " + schema.QuoteLiteral(c.To) + ";", blockOf(blockEnum, c.Enum.String()), true
	case *planner.CreateCollation:
		return "CREATE COLLATION " + c.Collation.Name.String() + " (" + c.Collation.Def + ");", block(blockCollation), true
	case *planner.DropCollation:
		return "DROP COLLATION " + c.Name.String() + ";", block(blockDropCollation), true
	case *planner.Irreversible:
		return failing("cannot migrate: " + c.Reason), alone, true
	}
	return "", alone, false
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
	case schema.KindConstraint, schema.KindPolicy, schema.KindTrigger, schema.KindRule:
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
