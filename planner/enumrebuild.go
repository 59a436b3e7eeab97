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
// dropped before the conversion and set again after.
type RebuildEnum struct {
	Base
	Name     schema.QualifiedName
	TempName string
	Values   []string
	Columns  []EnumColumn
	// Comment is the type's comment, set again on the new type.
	Comment string
}

// EnumColumn is a column converted by RebuildEnum.
type EnumColumn struct {
	Table     schema.QualifiedName
	Column    string
	ArrayDims int
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
	var tables []string
	for _, tn := range schema.SortedNames(s.from.Tables) {
		for _, col := range s.from.Tables[tn].Columns {
			if col.Type.Schema != n.Schema || col.Type.Name != n.Name {
				continue
			}
			ec := EnumColumn{Table: tn, Column: col.Name, ArrayDims: col.Type.ArrayDims}
			if tt := s.to.Tables[tn]; tt != nil {
				if tc := tt.Column(col.Name); tc != nil && tc.Type == col.Type {
					// The new default, not the old one, which may name a
					// removed value (alterColumn may set it once more).
					ec.Default = tc.Default
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
	s.add(phEnum, c)
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
			s.add(phEnum, &RenameEnumValue{Enum: n, From: old, To: nv})
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
