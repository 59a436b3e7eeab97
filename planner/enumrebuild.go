package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardEnumRebuild: an enum loses or reorders values, which PostgreSQL
// cannot do in place, so the type is rebuilt and every column of it is
// rewritten.
const HazardEnumRebuild = "enum-rebuild"

func init() {
	Codes = append(Codes,
		HazardInfo{HazardEnumRebuild, Locks, true, "An enum value removed or the values reordered: a new type is created, every column of the enum type is converted to it (ALTER COLUMN ... TYPE ... USING col::text::new, which rewrites each table under an ACCESS EXCLUSIVE lock and fails if a row holds a removed value), the old type is dropped and the new one takes its name.", "Update the rows that hold a removed value first; for large tables convert in steps with a new column."},
	)
	codeIndex[HazardEnumRebuild] = Codes[len(Codes)-1]
}

// RebuildEnum replaces enum Name by one with Values, keeping the data:
// CREATE TYPE under TempName, each column converted through text, DROP
// TYPE of the old one, RENAME of the new one to Name. Column defaults are
// dropped before the conversion and set again after. CHECK and EXCLUDE
// constraints and indexes that mention a converted column are separate
// changes, dropped before and created after (see mentionsRebuiltEnum):
// their expressions compare the column with literals of the old type, for
// which the new type has no operator.
type RebuildEnum struct {
	Base
	Name     schema.QualifiedName
	TempName string
	Values   []string
	Columns  []EnumColumn
	// Comment is the type's comment, set again on the new type.
	Comment string
}

func (c *RebuildEnum) dropped() schema.Object {
	return schema.Object{Kind: schema.KindType, Name: c.Name}
}

// EnumColumn is a column converted by RebuildEnum.
type EnumColumn struct {
	Table     schema.QualifiedName
	Column    string
	ArrayDims int
	// DropDefault is set when the column has a default before the
	// conversion: it is dropped first, since it is of the old type.
	DropDefault bool
	// Default is set again after the conversion; "" for none.
	Default string
}

// rebuildEnum plans the rebuild of enum n from the values from to the
// values to; what says what changes, for the hazard message. An enum used
// by a domain stays an irreversible step: the domain would have to be
// rebuilt too.
func (s *planState) rebuildEnum(n schema.QualifiedName, to []string, what string) {
	for _, dn := range schema.SortedNames(s.from.Domains) {
		if d := s.from.Domains[dn]; d.Type.Schema == n.Schema && d.Type.Name == n.Name {
			s.irreversible(fmt.Sprintf("enum %s: %s, and domain %s uses it", n, what, dn))
			return
		}
	}
	c := &RebuildEnum{Name: n, TempName: enumTempName(n.Name), Values: to, Comment: s.to.Enums[n].Comment}
	s.rebuiltEnums = append(s.rebuiltEnums, n)
	var tables []string
	for _, tn := range s.fromTables() {
		for _, col := range s.from.Tables[tn].Columns {
			if col.Type.Schema != n.Schema || col.Type.Name != n.Name {
				continue
			}
			ec := EnumColumn{Table: tn, Column: col.Name, ArrayDims: col.Type.ArrayDims, DropDefault: col.Default != ""}
			s.rebuiltEnumCol[conKey{tn, col.Name}] = true
			if tt := s.to.Tables[tn]; tt != nil {
				if tc := tt.Column(col.Name); tc != nil && tc.Type == col.Type {
					// The new default, not the old one, which may name a
					// removed value (alterColumn may set it once more).
					ec.Default = tc.DefaultSQL()
				}
			}
			c.Columns = append(c.Columns, ec)
			tables = append(tables, tn.String()+"."+schema.QuoteIdent(col.Name))
		}
	}
	msg := fmt.Sprintf("enum %s: %s, so the type is rebuilt", n, what)
	if len(tables) > 0 {
		msg += " and " + strings.Join(tables, ", ") + " converted to it, which rewrites each table under an ACCESS EXCLUSIVE lock and fails if a row holds a value the new type lacks"
	}
	c.Base = hazard(HazardEnumRebuild, s.to.Enums[n].Pos, msg)
	s.add(phCreateType, c)
	s.dropEnumUsersOfDroppedTables()
}

// mentionsRebuiltEnum reports whether constraint c of table n is a CHECK or
// EXCLUDE that mentions a column converted by an enum rebuild, or a FOREIGN
// KEY from or to one: it must be dropped before the conversion and created
// again after (a foreign key cannot hold between the old type and the new
// one while the columns are converted one at a time). Key constraints are
// left to PostgreSQL, which rebuilds their indexes itself.
func (s *planState) mentionsRebuiltEnum(n schema.QualifiedName, c *schema.Constraint) bool {
	if len(s.rebuiltEnumCol) == 0 {
		return false
	}
	if c.Kind == schema.ForeignKey {
		for _, col := range c.RefColumns {
			if s.rebuiltEnumCol[conKey{c.RefTable, col}] {
				return true
			}
		}
	} else if c.Kind != schema.Check && c.Kind != schema.Exclude {
		return false
	}
	for _, col := range c.Columns {
		if s.rebuiltEnumCol[conKey{n, col}] {
			return true
		}
	}
	return false
}

// namesRebuiltEnum reports whether a view's definition names a rebuilt
// enum (a cast such as 'x'::mood): the view depends on the old type, which
// cannot be dropped under it, so it is dropped before the rebuild and
// created again after. A name that only looks like the type's (a column
// called mood) costs a needless re-create, nothing worse.
func (s *planState) namesRebuiltEnum(def string) bool {
	for _, n := range s.rebuiltEnums {
		if mentionsWord(def, n.Name) {
			return true
		}
	}
	return false
}

// mentionsWord reports whether SQL text def holds word as a whole
// identifier-like word. It is lexical: a string literal or another
// object's name that reads the same counts too, which only ever costs a
// needless re-create.
func mentionsWord(def, word string) bool {
	for i := 0; word != ""; {
		j := strings.Index(def[i:], word)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(word)
		if (j == 0 || !identChar(def[j-1])) && (end == len(def) || !identChar(def[end])) {
			return true
		}
		i = end
	}
	return false
}

func identChar(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// indexOnRebuiltEnum reports whether index i has an expression or a
// predicate and mentions a column converted by an enum rebuild. An index on
// plain columns is left to PostgreSQL, which rebuilds it with the column.
func (s *planState) indexOnRebuiltEnum(i *schema.Index) bool {
	if !indexHasExpression(i.Def) {
		return false
	}
	for _, c := range i.Columns {
		if s.rebuiltEnumCol[conKey{i.Table, c}] {
			return true
		}
	}
	return false
}

// dropEnumUsersOfDroppedTables drops, before an enum rebuild converts
// them, the checks and indexes on rebuilt columns of tables that are
// dropped later anyway: diffConstraints and diffIndexes do not see those
// tables.
func (s *planState) dropEnumUsersOfDroppedTables() {
	for _, tn := range s.fromTables() {
		if s.to.Tables[tn] != nil {
			continue
		}
		for _, c := range s.from.Tables[tn].Constraints {
			k := conKey{tn, c.Name}
			if s.mentionsRebuiltEnum(tn, c) && !s.enumUserDropped[k] {
				s.enumUserDropped[k] = true
				s.add(phDropConstraint, &DropConstraint{Table: tn, Name: c.Name})
			}
		}
	}
	for _, in := range s.fromIndexes() {
		i := s.from.Indexes[in]
		k := conKey{in, ""}
		if s.to.Tables[i.Table] == nil && s.indexOnRebuiltEnum(i) && !s.enumUserDropped[k] {
			s.enumUserDropped[k] = true
			s.add(phDropIndex, &DropIndex{Name: in})
		}
	}
}

// enumTempName is the name the new type has until the old one is dropped.
func enumTempName(name string) string {
	const suffix = "__ddlmig_new"
	if len(name)+len(suffix) > 63 {
		name = name[:63-len(suffix)]
	}
	return name + suffix
}

// enumCastVia is the intermediate cast of a USING clause that converts a
// column from type from to type to: an enum converts to another user type
// (another enum, a domain) only through text.
func (s *planState) enumCastVia(from, to schema.TypeName) string {
	if from.Schema == "" || to.Schema == "" || s.from.Enums[schema.QualifiedName{Schema: from.Schema, Name: from.Name}] == nil {
		return ""
	}
	return "::text" + strings.Repeat("[]", from.ArrayDims)
}

// enumNoCast reports a change between an enum and a built-in type that is
// not a string type (smallint to an enum): pg_cast has no cast either way,
// and only the string types convert through the enum's text form, so the
// server refuses any USING cast ddlmig could write.
func (s *planState) enumNoCast(from, to schema.TypeName) bool {
	isEnum := func(t schema.TypeName) bool {
		q := schema.QualifiedName{Schema: t.Schema, Name: t.Name}
		return t.Schema != "" && (s.from.Enums[q] != nil || s.to.Enums[q] != nil)
	}
	plain := func(t schema.TypeName) bool { return t.Schema == "" && !stringType(t.Name) }
	return isEnum(from) && plain(to) || plain(from) && isEnum(to)
}

// RenameEnumValue renames a value of an enum; rows holding it follow.
type RenameEnumValue struct {
	Base
	Enum     schema.QualifiedName
	From, To string
}

// renameEnumValues renames the values of enum n that a rename comment in
// either schema names (the new schema's for up, the old one's read
// backwards for down) and returns f's values with the renames applied.
func (s *planState) renameEnumValues(n schema.QualifiedName, f, t *schema.Enum) []string {
	if len(f.RenamedFrom) == 0 && len(t.RenamedFrom) == 0 {
		return f.Values
	}
	has := func(vals []string, v string) bool { return slices.Contains(vals, v) }
	out := slices.Clone(f.Values)
	rename := func(old, nv string) {
		if i := slices.Index(out, old); i >= 0 && !has(t.Values, old) && has(t.Values, nv) && !has(out, nv) {
			out[i] = nv
			s.add(phEnumValue, &RenameEnumValue{Enum: n, From: old, To: nv})
		}
	}
	for _, nv := range t.Values {
		if old, ok := t.RenamedFrom[nv]; ok {
			rename(old, nv)
		}
	}
	for _, cur := range slices.Clone(f.Values) {
		if old, ok := f.RenamedFrom[cur]; ok {
			rename(cur, old)
		}
	}
	return out
}

// indexHasExpression reports whether the canonical index text def (see
// schema.IndexDef) has a WHERE clause or a key that is not a plain column:
// a nested parenthesis, a literal or a cast in the key list. It may say yes
// for a plain index (an operator class with a parameter), which only costs
// a re-created index.
func indexHasExpression(def string) bool {
	if strings.Contains(def, " WHERE ") {
		return true
	}
	open := strings.IndexByte(def, '(')
	if open < 0 {
		return false
	}
	for _, r := range def[open+1:] {
		switch r {
		case '(', '\'', ':':
			return true
		case ')':
			return false
		}
	}
	return false
}
