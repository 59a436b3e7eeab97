package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/schema"
)

// needsRecreate reports whether a column must be dropped and added again:
// PostgreSQL cannot change a generation expression in place, nor make an
// ordinary column generated.
func needsRecreate(f, t *schema.Column) bool {
	return t.Generated != "" && f.Generated != t.Generated
}

// touchesRecreatedColumn reports whether any of cols is dropped and added
// again, which drops every constraint and index on it.
func (s *planState) touchesRecreatedColumn(table schema.QualifiedName, cols []string, fcols, tcols map[string]*schema.Column) bool {
	for _, c := range cols {
		f, t := fcols[c], tcols[c]
		if f != nil && t != nil && needsRecreate(f, t) {
			return true
		}
	}
	return false
}

func (s *planState) diffColumns(n schema.QualifiedName, ft, tt *schema.Table) {
	fcols, tcols := columnMap(ft), columnMap(tt)
	if ft.Options.Inherits != "" && tt.Options.Inherits != "" {
		fcols, tcols = s.diffOwnInherited(n, ft, tt, fcols, tcols)
	}
	// Generated columns first: PostgreSQL refuses to drop a column that a
	// generated column reads.
	for _, generated := range []bool{true, false} {
		for _, c := range ft.Columns {
			if tcols[c.Name] == nil && fcols[c.Name] != nil && (c.Generated != "") == generated {
				s.droppedCol[conKey{n, c.Name}] = true
				s.dropColumn(n, &DropColumn{
					Base:   hazard(HazardDropColumn, c.Pos, fmt.Sprintf("drops column %s.%s and all its data", n, schema.QuoteIdent(c.Name))),
					Table:  n,
					Column: c.Name,
					Only:   s.dropsOnly(n, c.Name),
				})
			}
		}
	}
	// Ordinary columns first: a generated column may use a new column. One
	// that reads a column whose type changes comes after the change, which
	// PostgreSQL refuses once a generated column uses the column.
	for _, generated := range []bool{false, true} {
		for _, c := range tt.Columns {
			if fcols[c.Name] == nil && tcols[c.Name] != nil && (c.Generated != "") == generated {
				ph := phColumns
				switch {
				case generated && s.mentionsReshapedColumn(n, c.Generated):
					ph = phColumnsLate
				case s.inheritedInTo[conKey{n, c.Name}]:
					ph = phColumnsEarly
				}
				s.add(ph, &AddColumn{Base: addColumnHazard(n, c), Table: n, Column: c})
			}
		}
	}
	for _, t := range tt.Columns {
		f := fcols[t.Name]
		if f == nil || tcols[t.Name] == nil {
			continue
		}
		if s.uninherited[conKey{n, t.Name}] {
			// After the parent's ONLY drop: a type change of a column the
			// table still inherits is refused.
			s.alterInheritedColumn(n, f, t)
			continue
		}
		s.alterColumn(n, f, t)
	}
}

// addColumnHazard is the hazard of adding column c to the existing table
// n: a NOT NULL column without a value for the rows already there fails,
// and a column whose value must be computed row by row rewrites the table.
func addColumnHazard(n schema.QualifiedName, c *schema.Column) Base {
	col := n.String() + "." + schema.QuoteIdent(c.Name)
	switch {
	case c.NotNull && c.Default == "" && c.Generated == "" && c.Identity == schema.IdentityNone:
		return lockHazard(HazardAddNotNullColumn, c.Pos, "adds NOT NULL column "+col+" without a default, which fails if the table has rows")
	case c.Identity != schema.IdentityNone:
		return hazard(HazardAddColumnRewrite, c.Pos, "adds identity column "+col+", which rewrites the table under an ACCESS EXCLUSIVE lock to number its rows; safer: add a nullable column, backfill it in batches, then SET NOT NULL and ADD GENERATED ... AS IDENTITY (START WITH above the largest value)")
	case c.Generated != "":
		return hazard(HazardAddColumnRewrite, c.Pos, "adds stored generated column "+col+", which rewrites the table under an ACCESS EXCLUSIVE lock to compute it")
	case volatileDefault(c.Default):
		return lockHazard(HazardAddColumnRewrite, c.Pos, "adds column "+col+" with the volatile default "+c.Default+", which rewrites the table under an ACCESS EXCLUSIVE lock to fill it")
	}
	return Base{}
}

// volatileFuncs are common volatile functions found in column defaults. A
// column added with a non-volatile default (a constant, now()) costs no
// rewrite since PostgreSQL 11; one with a volatile default is computed for
// every row.
var volatileFuncs = []string{"nextval", "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "txid_current"}

// VolatileDefault reports whether a column default (canonical SQL text, as
// the parser stores it) calls a volatile function, so that adding a column
// with it rewrites the table. Package lint asks it about hand-written ADD
// COLUMNs, so both judge a default the same way.
func VolatileDefault(def string) bool { return volatileDefault(def) }

func volatileDefault(def string) bool {
	for _, f := range volatileFuncs {
		for i := 0; ; {
			j := strings.Index(def[i:], f+"(")
			if j < 0 {
				break
			}
			at := i + j
			if at == 0 || (!sqltext.IsIdentByte(def[at-1]) && def[at-1] != '.') || strings.HasSuffix(def[:at], "pg_catalog.") {
				return true
			}
			i = at + len(f)
		}
	}
	return false
}

// alterColumn changes column f into t in place where PostgreSQL allows it.
// The steps run in an order PostgreSQL accepts: an identity is dropped
// before NOT NULL, a default before a type change that could not convert
// it, NOT NULL is set before an identity is added.
func (s *planState) alterColumn(n schema.QualifiedName, f, t *schema.Column) {
	fd, td := f.ColumnDef, t.ColumnDef
	fd.Comment, td.Comment = "", ""
	// Whether a table declares a column it inherits (attislocal) no
	// statement changes; it decides only what a parent's DROP COLUMN
	// leaves, which the plan reads from from's side.
	fd.Inherited, td.Inherited = false, false
	fd.Statistics, td.Statistics = "", "" // see diffColumnStatistics
	col := t.Name
	if f.Generated != "" && f.Generated == t.Generated && s.mentionsReshapedColumn(n, f.Generated) {
		// PostgreSQL refuses to retype a column a generated column reads:
		// the generated column goes first and comes back, computed again,
		// after every column of the table has changed.
		s.recreatedCol[conKey{n, col}] = true
		s.add(phDropConstraint, &DropColumn{Table: n, Column: col})
		s.add(phColumnsLate, &AddColumn{
			Base:   hazard(HazardAddColumnRewrite, t.Pos, fmt.Sprintf("drops generated column %s.%s and adds it again, since a column it reads changes type, which rewrites the table under an ACCESS EXCLUSIVE lock", n, schema.QuoteIdent(col))),
			Table:  n,
			Column: t,
		})
		return
	}
	if fd == td {
		return
	}
	if needsRecreate(f, t) {
		s.recreatedCol[conKey{n, col}] = true
		var b Base
		if f.Generated == "" {
			b = hazard(HazardDropColumn, t.Pos, fmt.Sprintf("drops column %s.%s and all its data to add it again as a generated column", n, schema.QuoteIdent(col)))
		} else {
			b = hazard(HazardAddColumnRewrite, t.Pos, fmt.Sprintf("drops generated column %s.%s and adds it with a new expression, which rewrites the table under an ACCESS EXCLUSIVE lock", n, schema.QuoteIdent(col)))
		}
		if s.mentionsReshapedColumn(n, f.Generated, t.Generated) {
			// As above: out of the way of the type changes, back after.
			s.add(phDropConstraint, &DropColumn{Table: n, Column: col})
			s.add(phColumnsLate, &AddColumn{Base: b, Table: n, Column: t})
			return
		}
		s.add(phColumns, &SetGenerated{Base: b, Table: n, Column: t})
		return
	}
	if fd.Generated != "" && td.Generated == "" {
		s.add(phColumns, &DropExpression{Table: n, Column: col})
		fd.Generated = ""
	}
	if fd.Identity != schema.IdentityNone && td.Identity == schema.IdentityNone {
		// Before the sequences are created: the identity's sequence has
		// the name a serial's gets (t_id_seq), and goes with it.
		s.add(phDropConstraint, &DropIdentity{Table: n, Column: col})
	}
	typeChange := fd.Type != td.Type || fd.Collation != td.Collation
	using := ""
	switch {
	case fd.Type == td.Type:
	case t.Using != "":
		using = t.Using // the user's own conversion
	case s.undo && f.DownUsing != "":
		using = f.DownUsing // the user's own conversion back (down migration)
	case typeFamily(fd.Type) == typeFamily(td.Type):
	default:
		via := s.castVia(fd.Type, td.Type)
		if via == "" && (!Castable(fd.Type, td.Type) || s.enumNoCast(fd.Type, td.Type)) {
			s.stop(HazardTypeChangeNoCast, t.Pos, fmt.Sprintf("column %s.%s: PostgreSQL has no cast from %s to %s; %s", n, schema.QuoteIdent(col), fd.Type, td.Type, noCastAdvice(s.undo)))
			return
		}
		using = schema.QuoteIdent(col) + via + "::" + td.Type.String()
	}
	if fd.Default != "" && (td.Default == "" || using != "") {
		// A default of the old type may not convert to the new one.
		s.add(phColumns, &DropDefault{Table: n, Column: col})
		fd.Default = ""
	}
	if typeChange {
		s.add(phColumns, s.alterType(n, f, t, using))
	}
	// A type change keeps the stored default expression, cast to the old
	// type ('x'::character varying after varchar to text): set it again so
	// the catalog matches the new schema loaded directly, even when the
	// canonical text is the same on both sides.
	rebuiltSetsDefault := s.rebuiltEnumCol[conKey{n, col}] && fd.Type == td.Type // see rebuildEnum
	if td.Default != "" && (td.Default != fd.Default || fd.Type != td.Type) && !rebuiltSetsDefault {
		s.add(phColumns, &SetDefault{Table: n, Column: col, Default: t.DefaultSQL()})
		if seq, ok := s.newSequenceDefault(n, col, td.Default); ok && td.Default != fd.Default {
			s.add(phSyncSequence, &SyncSequence{Table: n, Column: col, Sequence: seq})
		}
	}
	switch {
	case td.NotNull && !fd.NotNull:
		s.add(phColumns, &SetNotNull{
			Base:  lockHazard(HazardSetNotNull, t.Pos, fmt.Sprintf("sets NOT NULL on column %s.%s, which scans the table under an ACCESS EXCLUSIVE lock and fails if a row holds NULL", n, schema.QuoteIdent(col))),
			Table: n, Column: col,
		})
	case !td.NotNull && fd.NotNull:
		s.add(phColumns, &DropNotNull{Table: n, Column: col})
	}
	switch {
	case td.Identity == schema.IdentityNone:
	case fd.Identity == schema.IdentityNone:
		s.add(phColumns, &AddIdentity{Table: n, Column: col, Identity: td.Identity, Options: td.IdentityOptions})
		s.add(phSyncSequence, &SyncSequence{Table: n, Column: col})
	case fd.Identity != td.Identity || fd.IdentityOptions != td.IdentityOptions:
		c := &SetIdentity{Table: n, Column: col, Options: identityOptionChanges(fd.IdentityOptions, td.IdentityOptions)}
		if slices.Contains(c.Options, "RESTART") {
			c.Base = lockHazard(HazardIdentityRestart, t.Pos, fmt.Sprintf("restarts the identity counter of %s.%s, since its new bounds exclude the old start; values the column already holds can be handed out again", n, schema.QuoteIdent(col)))
		}
		if fd.Identity != td.Identity {
			c.Identity = td.Identity
		}
		s.add(phColumns, c)
	}
}

// castVia is the intermediate cast of a USING clause where PostgreSQL has
// no direct cast: through text from an enum (see enumCastVia), through
// integer between boolean and the other number types (boolean casts to and
// from integer only).
func (s *planState) castVia(from, to schema.TypeName) string {
	if v := s.enumCastVia(from, to); v != "" {
		return v
	}
	if from.ArrayDims == 0 && to.ArrayDims == 0 && (from.Name == "boolean") != (to.Name == "boolean") {
		other := to
		if to.Name == "boolean" {
			other = from
		}
		if other.Schema == "" && typeFamily(other) == "number" && other.Name != "integer" {
			return "::integer"
		}
	}
	return ""
}

// typeFamily groups types between which PostgreSQL converts by assignment,
// so ALTER COLUMN TYPE needs no USING clause. Other changes get one.
func typeFamily(t schema.TypeName) string {
	if t.ArrayDims > 0 || t.Schema != "" {
		return t.String()
	}
	switch t.Name {
	case "smallint", "integer", "bigint", "numeric", "real", "double precision":
		return "number"
	case "text", "character varying", "character", "name":
		return "text"
	case "timestamp without time zone", "timestamp with time zone", "date":
		return "timestamp"
	case "time without time zone", "time with time zone":
		return "time"
	case "bit", "bit varying":
		return "bit"
	}
	return t.Name
}

// noCastAdvice says what to write for a type change with no cast: the
// up's conversion goes on the column's line in schema.sql as
// -- ddlmig:using, the down's on the same line as -- ddlmig:down-using.
func noCastAdvice(undo bool) string {
	if undo {
		return "say how this down migration converts the values back with a comment on the column's line in schema.sql, -- ddlmig:down-using <expression> (ALTER COLUMN ... TYPE ... USING <expression>), or write the down migration by hand"
	}
	return "say how to convert with a comment on the column's line in schema.sql, -- ddlmig:using <expression> (ALTER COLUMN ... TYPE ... USING <expression>), or drop the column and add the new one"
}
