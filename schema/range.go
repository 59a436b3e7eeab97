package schema

import "strings"

// RangeType is a type created with CREATE TYPE name AS RANGE (subtype =
// ...): ranges over its subtype, usable as a column type. PostgreSQL also
// makes its multirange type, whose name it takes from the range's.
type RangeType struct {
	Name QualifiedName
	RangeDef
	// Multirange is the multirange type's name: multirange_type_name,
	// else what PostgreSQL derives in the range's schema. Derived; not
	// compared apart from Def.
	Multirange QualifiedName
	// Stmt is the user's CREATE TYPE statement, deparsed from its own parse
	// tree with the type's and its functions' names qualified: what a
	// migration runs. Not compared.
	Stmt string
	// Types are the user types it names (the subtype), Funcs the user
	// functions (canonical, subtype_diff): created before it, dropped after
	// it. Derived; not compared.
	Types []QualifiedName
	Funcs []QualifiedName
	Pos   Pos
}

// RangeDef is what is compared about a range type.
type RangeDef struct {
	// Def is the canonical option list that follows AS RANGE, without
	// parentheses, in a fixed order with defaults left out and names
	// qualified, e.g. "subtype = double precision, subtype_diff =
	// pg_catalog.float8mi".
	Def     string
	Comment string
}

// DefaultMultirange is the name PostgreSQL gives the multirange type of
// range type name: "range" in it becomes "multirange" (the first one),
// else "_multirange" is appended.
func DefaultMultirange(name string) string {
	if i := strings.Index(name, "range"); i >= 0 {
		return name[:i] + "multi" + name[i:]
	}
	return name + "_multirange"
}

func init() {
	k := qualifiedSet("range type", KindType, func(c *Catalog) map[QualifiedName]*RangeType { return c.Ranges },
		func(r *RangeType) *string { return &r.Comment }, true)
	k.Init = func(c *Catalog) { c.Ranges = map[QualifiedName]*RangeType{} }
	// The multirange type's name is taken too.
	k.IsType = func(c *Catalog, q QualifiedName) bool {
		if c.Ranges[q] != nil {
			return true
		}
		for _, r := range c.Ranges {
			if r.Multirange == q {
				return true
			}
		}
		return false
	}
	Register(k)
}
